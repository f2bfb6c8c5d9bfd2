"""{% page_block "home_intro" %}: a block of editable public prose, rendered as sanitised Markdown."""

from django import template

from niimi_portal.lib.markdown import render_markdown
from organizations.models import PageBlock
from organizations.page_texts import DEFAULTS

register = template.Library()


@register.simple_tag(takes_context=True)
def page_block(context, key):
    """The clerks' text for `key` (today's text until they save one). Every block of the page is read
    in one query, kept on the request."""
    request = context.get("request")
    blocks = getattr(request, "_page_blocks", None)
    if blocks is None:
        blocks = dict(PageBlock.objects.values_list("key", "body"))
        if request is not None:
            request._page_blocks = blocks
    return render_markdown(blocks.get(key, DEFAULTS[key][1]))


@register.filter
def markdown(text):
    """{{ notice.body|markdown }}: a clerk's text as sanitised Markdown (niimi_portal.lib.markdown)."""
    return render_markdown(text)
