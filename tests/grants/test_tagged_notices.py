"""The grant notices are tagged PDF (PDF/UA-1) in Japanese, one by one and combined for printing: read back
with pikepdf, their structure tree holds the title as a heading, the breakdown as a table whose data cells
name their header cells, and every word of the page in reading order; pdftotext still reads them in order."""

import datetime

import pytest

from grants import notices, services
from tests.grants.pdf import pdf_text
from tests.helpers import approve_decision, issued_notice_pdf
from tests.tagged_pdf import assert_in_order, read_tagged, text_outside_the_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _notice_settings(notice_settings):
    """Every placeholder of the notice settings filled in, so the notices can be issued."""


@pytest.fixture
def settled(decision, projects, decided_on):
    services.decision_report(
        decision=decision,
        reported_on=datetime.date(decided_on.year + 1, 4, 20),
        spending={projects[0]: 2_000_000, projects[1]: 900_000},
    )
    services.decision_settle(decision=decision, settled_on=datetime.date(decided_on.year + 1, 5, 15))
    approve_decision(decision, "settlement")
    return decision


def assert_tagged_in_japanese(tagged, title):
    assert tagged.tree is not None and tagged.tree.tag == "Document"
    assert tagged.marked and tagged.lang == "ja" and tagged.display_doc_title
    assert tagged.title == tagged.xmp_title == title
    assert tagged.pdfua_part == "1"
    # Every word on the page is either reached from the tree or marked as an artifact.
    assert tagged.unmarked == "" and tagged.unreached == []
    assert tagged.syntax_problems == []


def test_the_decision_notice_is_tagged_with_its_title_heading_and_breakdown_table(decision):
    content = issued_notice_pdf(decision)
    tagged = read_tagged(content)
    title = f"{decision.fiscal_year.label}新見市小規模多機能自治一括交付金交付決定通知書"
    assert_tagged_in_japanese(tagged, title)
    assert tagged.headings == [("H1", title)]
    (table,) = tagged.tables()
    assert table[0] == [("TH", "区分"), ("TH", "算定の基礎"), ("TH", "金額（円）")]
    assert {str(cell.attributes["/Scope"]) for cell in tagged.tree.find_all("TH")} == {"/Column"}
    assert table[-1] == [("TD", "合計"), ("TD", ""), ("TD", f"{decision.decided_amount:,}")]
    (cells,) = tagged.cell_headers()
    assert cells[-1] == (f"{decision.decided_amount:,}", ["金額（円）"])
    assert all(headers for _, headers in cells)  # every data cell names its column's header


def test_the_decision_notice_reads_in_order_in_its_tree_and_with_pdftotext(decision):
    content = issued_notice_pdf(decision)
    tagged, shown = read_tagged(content), pdf_text(content)
    order = [decision.document_number, "唐松まちづくり協議会", "交付決定通知書", "下記のとおり", "記", "交付決定額"]
    order += ["区分", "算定の基礎", "均等割", "合計", "交付の条件", "（教示）", "担当"]
    assert_in_order(tagged.tree.text, order)
    assert_in_order(shown, order)
    assert text_outside_the_tree(content, tagged, shown) == ("", "")  # every word is in the tree, nothing more


def test_the_settlement_notice_is_tagged_with_the_projects_table(settled):
    content = issued_notice_pdf(settled, notices.SETTLEMENT)
    tagged, shown = read_tagged(content), pdf_text(content)
    title = f"{settled.fiscal_year.label}新見市小規模多機能自治一括交付金交付額確定通知書"
    assert_tagged_in_japanese(tagged, title)
    assert tagged.headings == [("H1", title)]
    (table,) = tagged.tables()
    assert table[0] == [("TH", "区分"), ("TH", "事業名"), ("TH", "予算（円）"), ("TH", "実績額（円）")]
    assert table[-1] == [("TD", "差引（対象経費 − その他の収入）"), ("TD", "2,900,000")]
    (cells,) = tagged.cell_headers()
    net = "差引（対象経費 − その他の収入）"
    assert cells[-2:] == [(net, ["区分", "事業名", "予算（円）"]), ("2,900,000", ["実績額（円）"])]  # colspan=3
    order = ["交付額確定通知書", "交付決定額", "対象経費の実支出額", "交付確定額", "既交付額", "精算払の額"]
    order += ["区分", "事務局人件費", "対象経費 計", "その他の収入", "差引", "（教示）"]
    assert_in_order(tagged.tree.text, order)
    assert_in_order(shown, order)
    assert text_outside_the_tree(content, tagged, shown) == ("", "")


def test_the_combined_notices_for_printing_are_tagged_page_after_page(
    decision, other_approved, current_year, decided_on
):
    services.grant_calculate_year(fiscal_year=current_year)
    (other,) = services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    approve_decision(other)
    content = notices.notices_combined_pdf(list(notices.decisions_for_notices(current_year)))
    tagged, shown = read_tagged(content), pdf_text(content)
    assert_tagged_in_japanese(tagged, f"{current_year.label}新見市小規模多機能自治一括交付金交付決定通知書")
    assert [tag for tag, _ in tagged.headings] == ["H1", "H1"]
    assert len(tagged.tables()) == 2
    assert_in_order(tagged.tree.text, ["唐松まちづくり協議会", "合計", "高尾ふれあい協議会", "合計"])
    assert_in_order(shown, ["唐松まちづくり協議会", "合計", "高尾ふれあい協議会", "合計"])
    assert text_outside_the_tree(content, tagged, shown) == ("", "")
