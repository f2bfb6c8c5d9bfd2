"""報告 (grants.year_report): the year's grants per organization on the admin page, as .xlsx and as CSV,
each read back and compared with the models."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from grants import services, settlement, year_report
from grants.models import FiscalYear, GrantCalculation, GrantDecision
from niimi_portal.lib.wareki import wareki_date
from tests.helpers import approve_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_of_two(decision, other_approved, current_year, policy_officer):
    """唐松: 1,000,000 paid and a second 請求 of 500,000 not yet paid. 高尾: 600,000 paid, then its decision
    revoked as a whole and the 600,000 demanded back, not yet returned."""
    by = policy_officer
    services.grant_calculate_year(fiscal_year=current_year, by=by)
    other = GrantCalculation.objects.get(organization=other_approved, fiscal_year=current_year)
    takao = services.decision_decide(calculation=other, decided_on=datetime.date(2026, 5, 1), by=by)
    approve_decision(takao)  # its 交付決定通知書 numbered on 決裁
    paid = settlement.payment_claim(decision=decision, claimed_on=datetime.date(2026, 5, 10), amount=1_000_000, by=by)
    settlement.payment_pay(payment=paid, paid_on=datetime.date(2026, 5, 20), by=by)
    settlement.payment_claim(decision=decision, claimed_on=datetime.date(2026, 10, 1), amount=500_000, by=by)
    paid = settlement.payment_claim(decision=takao, claimed_on=datetime.date(2026, 5, 10), amount=600_000, by=by)
    settlement.payment_pay(payment=paid, paid_on=datetime.date(2026, 5, 20), by=by)
    settlement.decision_revoke(
        decision=takao, revoked_on=datetime.date(2026, 9, 1), reason="認可の取消しのため", scope="whole", by=by
    )
    settlement.refund_demand(
        decision=takao, demanded_on=datetime.date(2026, 9, 2), due_on=datetime.date(2026, 9, 24), by=by
    )
    return [GrantDecision.objects.get(pk=decision.pk), GrantDecision.objects.get(pk=takao.pk)]


def expected_rows(decisions):
    """The report's rows as the models give them, without the report's queries."""
    rows = []
    for d in sorted(decisions, key=lambda d: d.organization.name_kana):
        refunds = list(d.refunds.all())
        rows.append(
            [
                d.organization.name,
                d.document_number,
                d.decided_amount,
                d.amount,
                d.paid_amount,
                d.settled_amount,
                sum(r.amount for r in refunds),
                sum(r.amount for r in refunds if r.returned_on is None),
                d.claimed_amount - d.paid_amount,
            ]
        )
    return rows


def test_the_figures_match_the_models(year_of_two, current_year):
    karamatsu, takao = year_of_two
    rows = year_report.report_rows(current_year)
    assert [[row[0], row[1], *row[4:]] for row in rows[:-1]] == expected_rows(year_of_two)
    by_name = {row[0]: row for row in rows}
    assert by_name["唐松まちづくり協議会"][4:] == [
        karamatsu.decided_amount,
        karamatsu.decided_amount,
        1_000_000,
        None,
        0,
        0,
        500_000,
    ]
    assert by_name["高尾ふれあい協議会"][3] == "交付決定取消"
    assert by_name["高尾ふれあい協議会"][4:] == [takao.decided_amount, 0, 600_000, None, 600_000, 600_000, 0]
    assert rows[-1] == [
        "合計（令和8年度）",
        "",
        "",
        "",
        karamatsu.decided_amount + takao.decided_amount,
        karamatsu.decided_amount,
        1_600_000,
        0,
        600_000,
        600_000,
        500_000,
    ]


def test_another_years_decisions_stay_out(year_of_two, current_year):
    assert year_report.report_rows(FiscalYear.for_year(2027)) == [
        ["合計（令和9年度）", "", "", "", 0, 0, 0, 0, 0, 0, 0]
    ]


def report_url(year, kind=""):
    return reverse("admin:grants_fiscalyear_report", args=[year.pk]) + (f"?format={kind}" if kind else "")


def test_the_page_shows_each_organization_with_commas_and_wareki(clerk, year_of_two, current_year):
    karamatsu, _ = year_of_two
    page = clerk.get(report_url(current_year)).content.decode()
    assert "令和8年度 組織別の執行状況（2組織）" in page
    assert "唐松まちづくり協議会" in page and "高尾ふれあい協議会" in page
    assert wareki_date(karamatsu.decided_on) in page
    assert "1,600,000円" in page and f"{karamatsu.decided_amount:,}円" in page
    assert "合計（令和8年度）" in page


def test_the_xlsx_reads_back_with_the_same_figures(clerk, year_of_two, current_year):
    response = clerk.get(report_url(current_year, "xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["令和8年度"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[1] == year_report.HEADER
    assert [[row[0], row[1], *row[4:]] for row in values[2:-1]] == expected_rows(year_of_two)
    assert values[-1][0] == "合計（令和8年度）" and values[-1][6] == 1_600_000
    assert sheet.cell(row=3, column=5).number_format == "#,##0"  # shown with commas


def test_the_csv_reads_back_with_the_same_figures(clerk, year_of_two, current_year):
    response = clerk.get(report_url(current_year, "csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == year_report.HEADER
    expected = [[str(cell) if cell is not None else "" for cell in row] for row in expected_rows(year_of_two)]
    assert [[row[0], row[1], *row[4:]] for row in rows[1:-1]] == expected
    assert rows[-1][:1] == ["合計（令和8年度）"] and rows[-1][6] == "1600000"


@pytest.fixture
def staff_without_permission(db):
    return User.objects.create_user("staff-only", password="x", is_staff=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [("assigned_liaison", 302), ("staff_without_permission", 403), ("policy_officer", 200)],
)
@pytest.mark.parametrize("kind", ["", "csv", "xlsx"])
def test_only_the_division_reads_the_report(client, request, who, status, kind, current_year, db):
    client.force_login(request.getfixturevalue(who))
    response = client.get(report_url(current_year, kind))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("admin:login"))  # liaisons are not admin staff


def test_the_table_takes_two_queries_however_many_organizations(year_of_two, current_year, django_assert_num_queries):
    with django_assert_num_queries(2):  # the decisions with their sums, and their 取消 (for the status)
        report = year_report.year_report(current_year)
    assert len(report["rows"]) == 2
