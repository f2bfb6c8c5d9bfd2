"""The printouts are tagged PDF (PDF/UA-1) in Japanese, read back with pikepdf as a screen reader would: the
structure tree, /Lang, DisplayDocTitle and the title, the headings, the roster's header cells, and the text in
the tree's order; pdftotext still reads the page in order."""

import pytest
from django.utils import timezone

from niimi_portal.lib.wareki import fiscal_year_label, fiscal_year_of
from tests.grants.pdf import pdf_text
from tests.tagged_pdf import assert_in_order, read_tagged, squash, text_outside_the_tree

pytestmark = pytest.mark.django_db

FOOTER = "新見市 小規模多機能自治ポータル 1 / 1"  # the running footer: page margin boxes, outside the tree


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def assert_tagged_in_japanese(tagged, title):
    assert tagged.tree is not None and tagged.tree.tag == "Document"
    assert tagged.marked
    assert tagged.lang == "ja"
    assert tagged.display_doc_title  # the viewer's title bar shows the title, not the file name
    assert tagged.title == tagged.xmp_title == title
    assert tagged.pdfua_part == "1"
    # Every word on the page is either reached from the tree or marked as an artifact.
    assert tagged.unmarked == "" and tagged.unreached == []
    assert tagged.syntax_problems == []


def test_the_roster_pdf_is_tagged_with_its_headings_and_a_table_with_header_cells(
    client, assigned_liaison, unassigned_liaison
):
    label = fiscal_year_label(fiscal_year_of(timezone.localdate()))
    content = download(client, "/liaisons/roster.pdf")
    tagged = read_tagged(content)
    assert_tagged_in_japanese(tagged, f"地域担当職員名簿 {label}")
    assert tagged.headings == [("H1", f"地域担当職員名簿 {label}"), ("H2", "新見")]
    (table,) = tagged.tables()
    assert table[0] == [("TH", "担当する地域"), ("TH", "主担当"), ("TH", "副担当")]
    assert [row[0] for row in table[1:]] == [("TH", "唐松唐松まちづくり協議会"), ("TH", "高尾高尾ふれあい協議会")]
    scopes = [str(cell.attributes["/Scope"]) for cell in tagged.tree.find_all("TH")]
    assert scopes == ["/Column", "/Column", "/Column", "/Row", "/Row"]  # as <th scope> says
    # A screen reader announces each officer with the area's row header and the column's header.
    (cells,) = tagged.cell_headers()
    assert cells[0] == ("山田 太郎（やまだ たろう）総務課", ["唐松唐松まちづくり協議会", "主担当"])
    assert cells[3] == ("—", ["高尾高尾ふれあい協議会", "副担当"])


def test_the_roster_pdf_reads_in_order_in_its_tree_and_with_pdftotext(client, assigned_liaison, unassigned_liaison):
    content = download(client, "/liaisons/roster.pdf")
    tagged, shown = read_tagged(content), pdf_text(content)
    order = ["地域担当職員名簿", "地域担当職員は", "新見", "担当する地域", "主担当", "副担当", "唐松", "山田 太郎"]
    order += ["高尾", "佐藤 花子", "お問い合わせ"]
    assert_in_order(tagged.tree.text, order)
    assert_in_order(shown, order)
    only_on_page, only_in_tree = text_outside_the_tree(content, tagged, shown)
    assert (only_on_page, only_in_tree) == ("".join(sorted(FOOTER.replace(" ", ""))), "")
    assert squash(tagged.artifacts) == squash(FOOTER)  # the running footer is page furniture


def test_the_plan_summary_pdf_is_tagged_with_its_headings_in_order(client, organization, plan, assigned_liaison):
    content = download(client, "/organizations/karamatsu-machizukuri/plan.pdf")
    tagged, shown = read_tagged(content), pdf_text(content)
    assert_tagged_in_japanese(tagged, "唐松まちづくり協議会 地域の計画の概要")
    year = plan.fiscal_year.label
    assert tagged.headings == [
        ("H1", "唐松まちづくり協議会"),
        ("H2", "地域の将来計画"),
        ("H2", f"{year}の年度計画"),
        ("H3", "高齢者支援"),
        ("H3", "防災"),
        ("H2", f"担当の地域担当職員（{year}）"),
    ]
    assert tagged.tables() == []  # the summary has lists, not tables
    assert [e.tag for e in tagged.tree.find_all("L", "LI")][:2] == ["L", "LI"]
    order = ["唐松まちづくり協議会", "地域の将来計画", "子どもから高齢者まで", "見守り・声かけ訪問", "防災マップづくり"]
    order += ["主担当: 山田 太郎", "お問い合わせ"]
    assert_in_order(tagged.tree.text, order)
    assert_in_order(shown, order)
    only_on_page, only_in_tree = text_outside_the_tree(content, tagged, shown)
    assert (only_on_page, only_in_tree) == ("".join(sorted(FOOTER.replace(" ", ""))), "")
    assert squash(tagged.artifacts) == squash(FOOTER)  # the running footer is page furniture
