from niimi_portal.lib.demo_mode import demo_mode, portal_facts


def portal(request):
    """The city's configured names and contact desk (an example one in demo mode), for every template."""
    return {"portal": portal_facts(), "demo_mode": demo_mode()}


# 文字サイズ, 背景色 and ふりがな, chosen with the switch in the header and remembered in cookies.
TEXT_SIZE_COOKIE = "portal_text_size"
CONTRAST_COOKIE = "portal_contrast"
RUBY_COOKIE = "portal_ruby"
DISPLAY_CHOICES = {
    TEXT_SIZE_COOKIE: ("standard", "large"),
    CONTRAST_COOKIE: ("standard", "high"),
    RUBY_COOKIE: ("off", "on"),
}


def display(request):
    """The visitor's display choices, and the classes that apply them to <html>."""
    text_size = request.COOKIES.get(TEXT_SIZE_COOKIE)
    contrast = request.COOKIES.get(CONTRAST_COOKIE)
    text_size = text_size if text_size in DISPLAY_CHOICES[TEXT_SIZE_COOKIE] else "standard"
    contrast = contrast if contrast in DISPLAY_CHOICES[CONTRAST_COOKIE] else "standard"
    ruby = request.COOKIES.get(RUBY_COOKIE) == "on"
    classes = [f"text-{text_size}", f"contrast-{contrast}"] + (["ruby-on"] if ruby else [])
    return {"display": {"text_size": text_size, "contrast": contrast, "ruby": ruby, "classes": " ".join(classes)}}
