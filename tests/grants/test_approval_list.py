"""The 決裁用の一覧: one part per fiscal year (no sums across years), each with its 決裁欄 and its sums by kind,
and every name on one line."""

import datetime

import pytest

from grants import notices, services
from grants.models import DocumentNumber
from tests.grants.pdf import pdf_text

pytestmark = pytest.mark.django_db

LONG_NAME = "新見市唐松地区まちづくり推進協議会連合会"


@pytest.fixture
def two_years(decision, projects, approved, policy_officer):
    """A 交付決定 dated in 令和8年度 and its 確定通知 dated in 令和9年度, for an organization with a long name."""
    approved.name = LONG_NAME
    approved.save()
    services.decision_report(
        decision=decision,
        reported_on=datetime.date(2027, 4, 10),
        spending={projects[0]: 300_000, projects[1]: 200_000},
        personnel=100_000,
        operating=50_000,
        other_income=0,
        by=policy_officer,
    )
    services.decision_settle(decision=decision, settled_on=datetime.date(2027, 4, 20), by=policy_officer)
    decision.refresh_from_db()
    return decision


def test_each_year_is_its_own_part_with_its_own_sums(two_years):
    entries = list(DocumentNumber.objects.select_related("organization").order_by("dated"))
    years = notices.approval_list_years(entries)
    assert [(year["label"], year["count"]) for year in years] == [("令和8年度", 1), ("令和9年度", 1)]
    assert [[(k["label"], k["count"], k["sum"]) for k in year["kinds"]] for year in years] == [
        [("交付決定通知書", 1, two_years.decided_amount)],
        [("交付額確定通知書", 1, 650_000)],
    ]


def test_the_pdf_has_a_approval_box_per_year_no_total_across_years_and_names_whole(two_years):
    entries = list(DocumentNumber.objects.select_related("organization").order_by("dated"))
    text = pdf_text(notices.approval_list_pdf(entries))
    assert text.count("起案者 係長 課長") == 2  # one 決裁欄 per year
    first, second = text.split("令和9年度 発行する文書の一覧（決裁用）")
    assert "令和8年度 発行する文書の一覧（決裁用）" in first and "令和9年度" not in first.split("決裁用）")[1]
    assert f"{two_years.decided_amount:,}" in first and "650,000" in second
    assert f"{two_years.decided_amount + 650_000:,}" not in text  # unlike amounts are not added up
    assert "合計" not in text
    assert text.count(LONG_NAME) == 2  # the long name on one line, in both parts
    assert "会長 石井 正男" in text
