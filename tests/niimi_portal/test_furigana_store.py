"""ふりがな readings stored per piece of text: prepared when a public text is saved, read back from the
database by a process that has not read them, the page the same as the analyzer's; text nodes found as
Python's HTML parser finds them."""

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from niimi_portal.context_processors import RUBY_COOKIE
from niimi_portal.lib import furigana
from niimi_portal.models import Reading
from niimi_portal.names import names
from organizations.models import FAQ, FAQCategory
from tests.e2e.public.conftest import PUBLIC_PAGES
from tests.helpers import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_process():
    """Each test starts as a new process would: nothing in the memo or the cache."""
    cache.clear()
    furigana.forget_readings()
    yield
    cache.clear()
    furigana.forget_readings()


def ruby_page(path):
    client = Client()
    client.cookies[RUBY_COOKIE] = "on"
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


class ReferenceTextNodes(HTMLParser):
    """The text nodes as Python's HTMLParser sees them (how niimi_portal.lib.furigana found them before it
    scanned with one regular expression): the reference the scanner must agree with."""

    def __init__(self, document):
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", document)]
        self.nodes, self.kept, self.pending = [], [], None
        self.feed(document)
        self.close()
        if self.pending is not None:
            self.pending[1] = len(document)
            self.keep(self.pending)

    def position(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def keep(self, node):
        if furigana.HAS_KANJI.search(node[2]):
            self.nodes.append(tuple(node))

    def end_text(self, *args):
        if self.pending is not None:
            self.pending[1] = self.position()
            self.keep(self.pending)
            self.pending = None

    handle_startendtag = handle_comment = handle_decl = handle_pi = unknown_decl = end_text

    def handle_data(self, data):
        if self.pending is not None:
            self.pending[2] += data
        elif not self.kept and not self.cdata_elem:
            self.pending = [self.position(), None, data]

    def handle_starttag(self, tag, attrs):
        self.end_text()
        if tag in furigana.VOID:
            return
        if tag in ("option", "optgroup") and self.kept and self.kept[-1] == "option":
            self.kept.pop()
        lang = dict(attrs).get("lang")
        if tag in furigana.KEEP_AS_IS or (lang is not None and not lang.lower().startswith("ja")) or self.kept:
            self.kept.append(tag)

    def handle_endtag(self, tag):
        self.end_text()
        if tag in self.kept:
            while self.kept.pop() != tag:
                pass


TRICKY = [
    "<p lang=\"en\">Kanji 漢字</p><p LANG='ja-JP'>漢字&amp;かな&#x6F22;</p>",
    "<select><option>新見<option>大佐</select>終わり",
    '<script>var a = "<p>漢字</p>";</script>本文<!-- 注記の漢字 -->後<br/>行<img alt="画像">末',
    '<A HREF="/x/">大字</A><style>p::after { content: "漢" }</style>新見<title>題名</title>',
    "<div title=\"a>b\" data-x='c>d'>新見</div><textarea>入力欄</textarea>地域",
    "a < b の漢字 <b>太字</b> 1 &lt; 2 &gt; 漢<ruby>漢<rt>かん</rt></ruby>",
    "<!DOCTYPE html><html lang=ja><body>本文<code>コード内の漢字</code><svg><text>図</text></svg>最後",
]


@pytest.mark.parametrize("document", TRICKY)
def test_text_nodes_are_those_pythons_html_parser_finds(document):
    assert furigana.text_nodes(document) == ReferenceTextNodes(document).nodes


def test_text_nodes_of_every_public_page_are_those_pythons_html_parser_finds(module_demo):
    for path in PUBLIC_PAGES:
        response = Client().get(path)
        if response.status_code != 200:
            continue
        document = response.content.decode()
        nodes = furigana.text_nodes(document)
        assert nodes, path
        assert nodes == ReferenceTextNodes(document).nodes, path


def test_a_new_process_reads_stored_readings_and_writes_the_same_page(module_demo, analyzed):
    first = ruby_page("/faq/")
    assert analyzed
    assert Reading.objects.exists()
    furigana.forget_readings()  # a new process: its memo is empty, the database keeps the readings
    cache.clear()
    analyzed.clear()
    again = ruby_page("/faq/")
    assert analyzed == []
    assert again == first


def test_a_saved_faq_has_its_readings_stored_when_it_is_committed(module_demo, django_capture_on_commit_callbacks):
    answer = "地域の**祭礼**は、住民協議会が段取りを決めます。\n\n詳しくは[支所](/faq/)へ。"
    names()  # the table of names, as a running portal has it
    with django_capture_on_commit_callbacks(execute=True):
        FAQ.objects.create(
            number=9001,
            category=FAQCategory.objects.first(),
            question="祭礼の段取りは誰が決めますか？",
            answer=answer,
            is_published=True,
        )
    stored = dict(Reading.objects.values_list("key", "pieces"))
    for text in ("祭礼の段取りは誰が決めますか？", "地域の", "祭礼", "は、住民協議会が段取りを決めます。"):
        assert furigana._piece_key(text) in stored, text
    key = furigana._piece_key("は、住民協議会が段取りを決めます。")
    assert [tuple(piece) for piece in stored[key]] == furigana.analyze("は、住民協議会が段取りを決めます。")


def test_a_saved_faq_is_not_read_again_by_the_first_page_that_shows_it(
    module_demo, analyzed, django_capture_on_commit_callbacks
):
    names()
    with django_capture_on_commit_callbacks(execute=True):
        faq = FAQ.objects.create(
            number=9002,
            category=FAQCategory.objects.first(),
            question="雪下ろしの共同作業は補助の対象ですか？",
            answer="集落の除雪作業は、地域の計画に載せれば対象になります。",
            is_published=True,
        )
    furigana.forget_readings()
    analyzed.clear()
    page = ruby_page(f"/faq/?q={faq.question[:5]}")
    assert "除雪" in re.sub("<rp>.*?</rp>|<rt>.*?</rt>|</?ruby>", "", page)
    assert not any("除雪" in text for text in analyzed)


def test_spaces_around_a_text_are_kept_but_not_part_of_its_stored_reading(db):
    table = furigana.build_names([])
    document = "<h2>\n    地域の計画\n  </h2><p>地域の計画</p>"
    out = furigana.page_with_ruby(document, table)
    assert out.startswith("<h2>\n    <ruby>地域")
    assert out.endswith("</ruby></p>")
    assert "\n  </h2>" in out
    assert Reading.objects.filter(key=furigana._piece_key("地域の計画")).count() == 1
    assert not Reading.objects.filter(key=furigana._piece_key("\n    地域の計画\n  ")).exists()
