from django import template
from django.utils.safestring import mark_safe

from niimi_portal.lib.furigana import page_with_ruby
from niimi_portal.names import names

register = template.Library()


@register.tag
def furigana(parser, token):
    """{% furigana display.ruby %}…{% endfurigana %}: the enclosed HTML with ruby over its kanji when
    the condition holds (the visitor chose ふりがな), else exactly as rendered."""
    try:
        _, condition = token.split_contents()
    except ValueError:
        message = "{% furigana %} takes one condition, e.g. {% furigana display.ruby %}"
        raise template.TemplateSyntaxError(message) from None
    nodelist = parser.parse(("endfurigana",))
    parser.delete_first_token()
    return FuriganaNode(parser.compile_filter(condition), nodelist)


class FuriganaNode(template.Node):
    def __init__(self, condition, nodelist):
        self.condition = condition
        self.nodelist = nodelist

    def render(self, context):
        output = self.nodelist.render(context)
        if not self.condition.resolve(context, ignore_failures=True):
            return output
        # The output was escaped when rendered; page_with_ruby escapes every text it rewrites.
        return mark_safe(page_with_ruby(output, names()))  # nosec B308 B703  # noqa: S308
