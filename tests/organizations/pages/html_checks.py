"""Reading a page's HTML the way the checks need it: title, headings, ids, form fields, labels and links."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
SITE_TITLE_SUFFIX = " | 新見市 小規模多機能自治ポータル"


@dataclass
class Page:
    title: str = ""
    h1_count: int = 0
    ids: list = field(default_factory=list)
    label_for: set = field(default_factory=set)
    fields: list = field(default_factory=list)  # (tag, id, labelled_inline)
    links: list = field(default_factory=list)
    html_lang: str = ""

    @property
    def duplicate_ids(self):
        return sorted({i for i in self.ids if self.ids.count(i) > 1})

    @property
    def unlabelled_fields(self):
        return [f"{tag}#{id_ or '?'}" for tag, id_, inline in self.fields if not inline and id_ not in self.label_for]


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_title = False
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.page.ids.append(attrs["id"])
        if tag == "html":
            self.page.html_lang = attrs.get("lang", "")
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            self.page.h1_count += 1
        elif tag == "label":
            self._label_depth += 1
            if attrs.get("for"):
                self.page.label_for.add(attrs["for"])
        elif tag == "a" and attrs.get("href"):
            self.page.links.append(attrs["href"])
        if tag in ("input", "select", "textarea"):
            if tag == "input" and attrs.get("type", "text") in UNLABELLED_INPUT_TYPES:
                return
            inline = bool(self._label_depth or attrs.get("aria-label") or attrs.get("aria-labelledby"))
            self.page.fields.append((tag, attrs.get("id"), inline))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "label":
            self._label_depth = max(0, self._label_depth - 1)

    def handle_data(self, data):
        if self._in_title:
            self.page.title += data


def parse(html):
    parser = _Parser()
    parser.feed(html)
    parser.close()
    parser.page.title = " ".join(parser.page.title.split())
    return parser.page


def problems(page):
    """Everything wrong with a page by the portal's rules, as readable strings (empty when fine)."""
    found = []
    if page.html_lang != "ja":
        found.append(f'<html lang="{page.html_lang}">')
    if page.h1_count != 1:
        found.append(f"h1 が {page.h1_count} 個")
    if not page.title.endswith(SITE_TITLE_SUFFIX) or not page.title[: -len(SITE_TITLE_SUFFIX)].strip():
        found.append(f"title の形が違う: {page.title!r}")
    if page.duplicate_ids:
        found.append(f"重複した id: {page.duplicate_ids}")
    if page.unlabelled_fields:
        found.append(f"ラベルのない入力欄: {page.unlabelled_fields}")
    return found
