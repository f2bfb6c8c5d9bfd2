"""The shared PDF set-up (niimi_portal.lib.pdf) tags every PDF it makes and refuses HTML that would make a PDF a
screen reader cannot use: no language, no title, an image without alternative text."""

import pytest
from PIL import Image

from niimi_portal.lib import pdf
from tests.tagged_pdf import read_tagged

STYLESHEET = "organizations/print/print.css"


def page(body, *, lang="ja", title="お知らせ"):
    head = f'<meta charset="utf-8"><title>{title}</title>'
    return f'<!DOCTYPE html><html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


@pytest.fixture
def seal(tmp_path):
    """A small red square standing in for the 印影 (the seal's image) of the documents issue."""
    path = tmp_path / "seal.png"
    Image.new("RGB", (40, 40), (200, 30, 30)).save(path)
    return path


def test_a_pdf_is_tagged_unless_the_caller_asks_otherwise():
    html = page("<h1>地域の集い</h1><p>公民館で開きます。</p>")
    tagged = read_tagged(pdf.write_pdf(html, stylesheet=STYLESHEET))
    assert tagged.tree is not None and tagged.lang == "ja" and tagged.display_doc_title
    assert tagged.title == "お知らせ" and tagged.headings == [("H1", "地域の集い")]
    # The benchmark's untagged baseline: the same document without the PDF/UA variant.
    untagged = read_tagged(pdf.document(html, stylesheet=STYLESHEET).write_pdf(pdf_variant=None))
    assert untagged.tree is None and not untagged.display_doc_title


def test_a_copy_of_some_pages_is_still_tagged():
    first = pdf.document(page("<h1>一通目</h1>"), stylesheet=STYLESHEET)
    second = pdf.document(page("<h1>二通目</h1>"), stylesheet=STYLESHEET)
    combined = read_tagged(first.copy([*first.pages, *second.pages]).write_pdf())
    assert combined.headings == [("H1", "一通目"), ("H1", "二通目")]


def test_an_image_becomes_a_figure_with_its_alternative_text(seal):
    html = page(f'<p>新見市長</p><img src="{seal.as_uri()}" alt="新見市長之印（公印）" width="40" height="40">')
    tagged = read_tagged(pdf.write_pdf(html, stylesheet=STYLESHEET))
    (figure,) = tagged.tree.find_all("Figure")
    assert figure.alt == "新見市長之印（公印）"
    assert str(figure.attributes["/O"]) == "/Layout" and len(figure.attributes["/BBox"]) == 4


@pytest.mark.parametrize(
    ("html", "message"),
    [
        (page("<p>本文</p>", lang="en"), '<html lang="ja"> がありません'),
        ("<html><head><title>題</title></head><body><p>本文</p></body></html>", '<html lang="ja"> がありません'),
        (page("<p>本文</p>", title=" "), "<title> が空です"),
        (page('<img src="{seal}">'), "代替テキスト（alt）のない画像があります: file:///"),
        (page('<img src="{seal}" alt="  ">'), "代替テキスト（alt）のない画像があります: file:///"),
    ],
    ids=["english", "no-lang", "empty-title", "no-alt", "blank-alt"],
)
def test_html_a_screen_reader_could_not_use_is_refused(html, message, seal):
    with pytest.raises(pdf.PdfAccessibilityError, match=message.replace("(", r"\(").replace(")", r"\)")):
        pdf.write_pdf(html.replace("{seal}", seal.as_uri()), stylesheet=STYLESHEET)


def test_the_title_of_an_inline_svg_is_not_taken_for_the_documents_title():
    html = '<html lang="ja"><head></head><body><svg><title>図</title></svg><p>本文</p></body></html>'
    with pytest.raises(pdf.PdfAccessibilityError, match="<title> が空です"):
        pdf.write_pdf(html, stylesheet=STYLESHEET)


def test_the_running_footer_of_every_page_is_an_artifact_and_the_body_is_in_the_tree():
    body = "".join(f"<p>第{i}段落の本文です。</p>" for i in range(1, 121))
    tagged = read_tagged(pdf.write_pdf(page(f'<p class="site">新見市</p>{body}'), stylesheet=STYLESHEET))
    pages = tagged.artifacts.count(" / ")
    assert pages >= 2
    assert tagged.artifacts == "".join(f"新見市{n} / {pages}" for n in range(1, pages + 1))
    assert tagged.unmarked == "" and tagged.unreached == []
    assert [p.text for p in tagged.tree.find_all("P")][-1] == "第120段落の本文です。"
