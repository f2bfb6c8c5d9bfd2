import re
import unicodedata

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from niimi_portal.lib import demo_mode, money, people, wareki
from niimi_portal.updated import last_changed

register = template.Library()


@register.filter
def wareki_date(value):
    """{{ day|wareki_date }} → 令和8年11月27日."""
    return wareki.wareki_date(value)


@register.filter
def person(user):
    """{{ record.history_user|person }} → 田中 美咲: an account by its person's name (family name first),
    never by its user name (niimi_portal.lib.people.display_name); nothing for no account."""
    return people.display_name(user)


@register.filter
def wareki_heading(text):
    """{{ choice.title|wareki_heading }} → 令和7年4月: the admin's date hierarchy in 和暦."""
    return wareki.wareki_heading(text)


@register.filter
def fiscal_year_label(year):
    """{{ 2026|fiscal_year_label }} → 令和8年度."""
    return wareki.fiscal_year_label(int(year))


@register.filter
def yen(value):
    """{{ 1234000|yen }} → 1,234,000円, {{ -600|yen }} → △600円 (niimi_portal.lib.money); nothing for no value."""
    if value is None or value == "":
        return ""
    return money.yen(value)


@register.filter
def yen_for_residents(value):
    """{{ -900|yen_for_residents }} → 900円少ない: a line that lowers an amount, in residents' words (the
    city's △ is for its own documents); other amounts as `yen` writes them."""
    if value is None or value == "":
        return ""
    if int(value) < 0:
        return f"{money.yen(-int(value))}少ない"
    return money.yen(value)


@register.filter
def file_size(size):
    """{{ 122880|file_size }} → 120KB, as Japanese municipal sites label a link to a file: KB of 1,024
    bytes rounded up (never "0KB"), MB with one decimal from 1,024KB on."""
    kilobytes = -(-int(size) // 1024)
    return f"{kilobytes:,}KB" if kilobytes < 1024 else f"{int(size) / 1024**2:.1f}MB"


@register.filter
def word_breaks(value):
    """The portal's name with line breaks allowed only between its words: at spaces, and where kanji meet
    katakana (新見市 小規模多機能自治<wbr>ポータル), never inside a word (「…ポ／ータル」)."""
    words = [re.sub("(?<=[々\u4e00-\u9fff])(?=[ァ-ヺー])", "<wbr>", escape(word)) for word in str(value).split()]
    return mark_safe(" ".join(f'<span class="site-name-word">{word}</span>' for word in words))  # noqa: S308  # nosec B308 B703 - escaped above


@register.filter
def tel_href(number):
    """{{ "0867-72-6111（内線123）"|tel_href }} → tel:0867726111, for a link a phone can call."""
    text = unicodedata.normalize("NFKC", str(number or "")).split("（")[0].split("(")[0]
    digits = re.sub(r"[^\d+]", "", text)
    return f"tel:{digits}" if digits else ""


@register.filter
def url_breaks(url):
    """An address that may wrap on a phone only after / . ? & = (never mid-word): <wbr> after each."""
    parts = re.split(r"(?<=[/.?&=])(?=.)", str(url))
    return mark_safe("<wbr>".join(escape(part) for part in parts))  # noqa: S308  # nosec B308 B703 - each part escaped


@register.simple_tag(takes_context=True)
def page_links(context, page):
    """The links of a paginated list: "previous" and "next" (None at either end) and "pages", the page
    numbers — the first and last pages, two on each side of this one, and "…" between
    (Paginator.get_elided_page_range), so 61 pages of areas make about ten links a phone shows on two
    lines. Each link keeps the request's other query parameters; page 1 has no `page` parameter (one
    address per page). A page item is {"number", "url", "current"}, or {"gap": True}."""
    query = context["request"].GET.copy()

    def url(number):
        if number == 1:
            query.pop("page", None)
        else:
            query["page"] = number
        return f"?{query.urlencode()}"

    pages = [
        {"gap": True}
        if number == page.paginator.ELLIPSIS
        else {"number": number, "url": url(number), "current": number == page.number}
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "pages": pages,
    }


# The デモ label beside every invented value (DESIGN.md): a tag, not an include, since a list of 50 rows
# may show it on each row and an include costs a template look-up and a context each time.
DEMO_BADGE = mark_safe(  # nosec B308 B703  # noqa: S308 - fixed markup, nothing from the request or the data
    '<span class="badge text-bg-warning demo-badge">デモ<span class="visually-hidden">（架空の内容）</span></span>'
)


@register.simple_tag
def demo_badge():
    """{% demo_badge %}: the デモ label — nothing when the demo mode is off (niimi_portal/lib/demo_mode.py)."""
    return DEMO_BADGE if demo_mode.demo_mode() else ""


@register.filter
def demo(value):
    """{% if case|demo %}: whether a record flagged `is_demo` (or a stored flag) is labelled デモ — only in demo
    mode, so templates never show a demo word with the mode off."""
    return demo_mode.shown_as_demo(value)


BANNER = '<div class="demo-banner" role="note"><strong>デモ版</strong> {}</div>'


@register.simple_tag
def demo_banner():
    """{% demo_banner %}: the banner at the top of every page and PDF while the demo mode is on; reads the
    setting itself, so pages rendered without a request (the PDFs, the error pages) show it too."""
    return format_html(BANNER, demo_mode.BANNER_TEXT) if demo_mode.demo_mode() else ""


@register.simple_tag
def approval_status(organization):
    """{% approval_status organization %}: 認可（令和8年4月1日、認可番号 …） with the デモ label for a demo
    organization, or 未認可 — on each row of the organization list, hence a tag, not an include."""
    if not organization.is_approved:
        return organization.public_approval_label
    text = format_html(
        "認可（{}、認可番号 {}）", wareki.wareki_date(organization.approved_on), organization.approval_number
    )
    return format_html("{} {}", text, DEMO_BADGE) if demo_mode.shown_as_demo(organization) else text


@register.inclusion_tag("includes/page_dates.html", takes_context=True)
def page_dates(context):
    """掲載日 (when the view gives one: a notice, a site page) and 更新日, at the foot of each public page.

    更新日 is the view's own `updated_on` when it gives one, else the latest change of what the page declared it
    shows (niimi_portal.updated); a page whose view declared nothing (a member of staff's, the login) has none."""
    request = context.get("request")
    updated_on = context.get("updated_on")
    tags = getattr(request, "page_cache_tags", None)
    if updated_on is None and tags:
        updated_on = last_changed(tags)
    return {"published_on": context.get("published_on"), "updated_on": updated_on}
