"""A small, sanitised Markdown for text the city's clerks write (FAQ answers, document notes,
editable pages): paragraphs, links, lists, emphasis and headings, nothing else.

markdown-it-py parses (HTML in the source is not interpreted: `html=False`, so `<script>` comes out
as text) and nh3 (the Ammonia sanitiser) keeps only the allowed tags and attributes and only
http(s), mailto and tel links or paths on this site. Links to other sites open as ordinary links
with `rel="noopener noreferrer"`. A "path" that a browser reads as another host (`//host/`, `/\\host/`,
`\\\\host/`, also percent-encoded or after stray spaces) loses its link and keeps its words: nh3 passes
scheme-less URLs as relative, so `_site_or_allowed_scheme` rules them out.
"""

import functools
from urllib.parse import unquote

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "a", "ul", "ol", "li", "em", "strong", "h2", "h3", "h4", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "*": set()}  # "*" empty: no title/lang on any tag
URL_SCHEMES = {"http", "https", "mailto", "tel"}
SPACE_AND_CONTROL = "".join(map(chr, range(33)))  # what a browser skips before a URL


@functools.cache
def _parser():
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    # Only what ALLOWED_TAGS can show: no images, code blocks, tables or block quotes.
    parser.disable(["image", "code", "fence", "blockquote", "hr", "html_block", "html_inline", "table"], True)
    return parser


def _site_or_allowed_scheme(tag, attribute, value):
    """nh3's attribute filter: drop an href that, read as a browser reads it (percent-decoded, backslashes
    as slashes, leading spaces and control characters ignored), starts with `//`, i.e. names another host."""
    if attribute != "href":
        return value
    as_browsed = unquote(value).replace("\\", "/").lstrip(SPACE_AND_CONTROL)
    return None if as_browsed.startswith("//") else value


def _shift_headings(html):
    """`#` in a clerk's text is a section of the page, not the page's title: h1 → h2 … h3 → h4."""
    for level in (3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    return html


def render_markdown(text):
    """Safe HTML for `text`; an empty string for empty text."""
    if not text:
        return mark_safe("")  # nosec B308 - empty
    return mark_safe(_rendered(text))  # noqa: S308  # nosec B308 B703 - sanitised by nh3 in _rendered


# The same text always gives the same HTML: a page of fifty FAQ answers renders each once per process
# (parsing and sanitising cost half a millisecond each), not on every visit. Bounded, so memory is too.
@functools.lru_cache(maxsize=2048)
def _rendered(text):
    html = _shift_headings(_parser().render(text))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_site_or_allowed_scheme,
        link_rel="noopener noreferrer",
    )
    return clean.strip()


def markdown_plain(text):
    """The words of `text` without Markdown marks, for search and for ふりがな-free contexts."""
    return nh3.clean(_parser().render(text or ""), tags=set()).strip()
