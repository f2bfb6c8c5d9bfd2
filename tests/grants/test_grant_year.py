"""One grant year for two organizations, on SQLite and PostgreSQL
(`DATABASE_URL=postgres://… pytest tests/grants/test_grant_year.py`).

Both send a 交付申請 with a 収支予算 by category; 総合政策課 decides on the admin's review page, choosing
唐松 and leaving 高尾 for a week later, under the numbers the confirmation page showed. Then
唐松: 概算払 in two instalments → 変更申請 → 変更交付決定 (notice) → 実績報告 by category → 額の確定 →
返還請求 with its 納付期限. 高尾: one 概算払 → 実績報告 → 額の確定 → 精算払の請求 (no notice) → 支払.
The year's budget figures (予算, 決定済, 支払済, 返還, 残額) are checked after each step. 唐松's 変更申請
carries a revised 収支予算, which its 実績報告 and 交付額確定通知書 then use. The 財務会計 export of the year
(CSV and .xlsx, read back) has a 支出負担行為 per decision and change, a 支出命令 per payment, and the
返還's 調定 with its 収納, each to the yen.
Every notice is issued and read back (title, number, 和暦 date, addressee, issuer, amount as 金○○円),
and the numbers of the 文書番号簿 are unique and without gaps in each fiscal year."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from grants import accounting, applications, budget, notices, services, settlement
from grants.applications import application_record
from grants.categories import BudgetCategory
from grants.models import DocumentKind, DocumentNumber, GrantCalculation, GrantDecision, GrantPayment, PayeeAccount
from niimi_portal.lib.money import yen_formal
from niimi_portal.lib.wareki import wareki_date
from organizations.models import AnnualPlan, PlannedProject
from tests.grants.pdf import pdf_text
from tests.helpers import approve_decision, approve_document, issued_notice_pdf, squash

pytestmark = pytest.mark.django_db


APPLIED = {
    # organization: (事務局人件費, 運営経費, [事業費 per project], その他の収入); expenses = 申請額 + income.
    "karamatsu-machizukuri": (600_000, 320_000, [1_300_000, 1_082_000], 120_000),
    "takao-fureai": (400_000, 180_000, [1_060_000], 30_000),
}


def plan(organization, fiscal_year, *budgets):
    annual_plan = AnnualPlan.objects.create(organization=organization, fiscal_year=fiscal_year)
    return [
        PlannedProject.objects.create(annual_plan=annual_plan, field="other", name=f"事業{i}", budget=b, order=i)
        for i, b in enumerate(budgets, 1)
    ]


def projects_of(decision):
    return list(
        PlannedProject.objects.filter(
            annual_plan__organization=decision.organization, annual_plan__fiscal_year=decision.fiscal_year
        ).order_by("order")
    )


def decide_on_the_review_page(client, year, calculation, day):
    """Choose one organization on the admin's 交付決定 page; the confirmation page shows its number."""
    url = reverse("admin:grants_fiscalyear_decide", args=[year.pk])
    data = {"decided_on": day.isoformat(), f"choose_{calculation.pk}": "on", f"number_{calculation.pk}": ""}
    confirm = client.post(url, {"step": "review", **data})
    (shown,) = [row["preview"] for row in confirm.context["chosen_rows"]]
    assert not GrantDecision.objects.filter(calculation=calculation).exists()  # nothing written yet
    client.post(url, {"step": "decide", **data})
    decision = GrantDecision.objects.get(calculation=calculation)
    assert (shown, decision.document_number) == ("決裁待ち（番号は決裁の後）", "")
    approve_decision(decision)  # the 交付決定通知書's 決裁 gives its number
    return decision


@pytest.fixture
def decisions(client, approved, other_approved, current_year, policy_officer, notice_settings):
    other_approved.representative_title = "会長"
    other_approved.representative_name = "高橋 花子"
    other_approved.save()
    services.grant_calculate_year(fiscal_year=current_year, by=policy_officer)
    calculations = {
        calc.organization.slug: calc
        for calc in GrantCalculation.objects.filter(fiscal_year=current_year).select_related("organization")
    }
    for slug, (personnel, operating, project_budgets, income) in APPLIED.items():
        calc = calculations[slug]
        projects = plan(calc.organization, current_year, *project_budgets)
        application = application_record(
            organization=calc.organization,
            fiscal_year=current_year,
            received_on=datetime.date(2026, 4, 10),
            requested_amount=calc.total,
            budget=[
                (BudgetCategory.PERSONNEL, None, "事務局員の賃金", personnel),
                (BudgetCategory.OPERATING, None, "事務所の経費", operating),
                *((BudgetCategory.PROJECT, project, "", project.budget) for project in projects),
                (BudgetCategory.OTHER_INCOME, None, "会費・参加費", income),
            ],
            by=policy_officer,
        )
        assert application.expenses == application.income  # the 収支予算 balances
    client.force_login(policy_officer)
    karamatsu = decide_on_the_review_page(
        client, current_year, calculations["karamatsu-machizukuri"], datetime.date(2026, 4, 20)
    )
    assert not GrantDecision.objects.filter(organization__slug="takao-fureai").exists()  # left for later
    takao = decide_on_the_review_page(client, current_year, calculations["takao-fureai"], datetime.date(2026, 4, 27))
    assert karamatsu.application.received_on == takao.application.received_on == datetime.date(2026, 4, 10)
    return karamatsu, takao


def pay(decision, amount, claimed_on, paid_on, by):
    payment = settlement.payment_claim(decision=decision, claimed_on=claimed_on, amount=amount, by=by)
    return settlement.payment_pay(payment=payment, paid_on=paid_on, by=by)


def budget_figures(year):
    """(予算, 決定済, 支払済, 返還請求, うち納付済, 残額) of the year (grants.budget)."""
    figures = budget.year_budget(year)
    return (figures.budget, figures.decided, figures.paid, figures.refunded, figures.returned, figures.remaining)


def register_accounts(*decisions):
    """債権者の口座 of each organization, as the 課 keeps them for the transfer."""
    for i, decision in enumerate(decisions, 1):
        PayeeAccount.objects.create(
            organization=decision.organization,
            bank_code="0168",
            bank_name="中国銀行",
            branch_code=f"40{i}",
            branch_name=f"新見支店{i}",
            account_number=f"000123{i}",
            account_holder=f"ソシキ{i}",
        )


def accounting_export(client, year):
    """The year's 財務会計 rows through 出納整理期間 (to 31 May), downloaded from the admin: the CSV parsed
    and the .xlsx opened with openpyxl, which must agree cell for cell."""
    period = {"date_from": "2026-04-01", "date_to": "2027-05-31"}
    url = reverse("admin:grants_payeeaccount_accounting")
    body = client.get(url, {**period, "format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url, {**period, "format": "xlsx"}).content))
    sheet = [list(row) for row in workbook["財務会計連携"].iter_rows(values_only=True)]
    assert sheet[0] == list(rows[0])
    amount = accounting.HEADER.index("金額（円）")
    assert [row[amount] for row in sheet[1:]] == [int(row["金額（円）"]) for row in rows]
    return rows


def test_a_grant_year_from_instalments_to_refund_and_extra_payment(client, decisions, current_year, policy_officer):
    karamatsu, takao = decisions
    by = policy_officer
    register_accounts(karamatsu, takao)
    current_year.expenditure_account = "02-01-06 企画費 18節 負担金補助及び交付金"
    current_year.revenue_account = "22-05-04 雑入"
    assert (karamatsu.amount, takao.amount) == (3_182_000, 1_610_000)
    current_year.budget_amount = 5_000_000
    current_year.save()
    assert budget_figures(current_year) == (5_000_000, 4_792_000, 0, 0, 0, 208_000)

    # 唐松: two instalments of 概算払, a 変更申請 (減額) and its 変更交付決定.
    pay(karamatsu, 1_600_000, datetime.date(2026, 4, 25), datetime.date(2026, 5, 8), by)
    pay(karamatsu, 1_000_000, datetime.date(2026, 10, 1), datetime.date(2026, 10, 15), by)
    projects = projects_of(karamatsu)
    # The 変更申請 carries its revised 収支予算: 事業2 (秋祭り) down by the 282,000 yen of the 減額.
    revised = [
        (BudgetCategory.PERSONNEL, None, "事務局員の賃金", 600_000),
        (BudgetCategory.OPERATING, None, "事務所の経費", 320_000),
        (BudgetCategory.PROJECT, projects[0], "", 1_300_000),
        (BudgetCategory.PROJECT, projects[1], "", 800_000),
        (BudgetCategory.OTHER_INCOME, None, "会費・参加費", 120_000),
    ]
    request = settlement.change_request_receive(
        decision=karamatsu,
        received_on=datetime.date(2026, 11, 2),
        requested_amount=2_900_000,
        reason="秋祭りの中止による減額",
        budget=revised,
        by=by,
    )
    assert request.expenses == 3_020_000  # = 2,900,000 + その他の収入 120,000
    assert services.report_budgets(karamatsu)[BudgetCategory.OPERATING] == 320_000  # not decided yet: the original
    assert applications.budget_lines_in_force(karamatsu)[3].amount == 1_082_000
    settlement.change_request_decide(change_request=request, changed_on=datetime.date(2026, 11, 16), by=by)
    request.refresh_from_db()
    approve_document(request.entry)  # each notice is numbered on its 決裁, in the order of the 決裁
    karamatsu.refresh_from_db()
    assert (karamatsu.amount, karamatsu.paid_amount) == (2_900_000, 2_600_000)
    assert budget_figures(current_year) == (5_000_000, 4_510_000, 2_600_000, 0, 0, 490_000)
    services.decision_report(
        decision=karamatsu,
        reported_on=datetime.date(2027, 4, 12),
        spending={projects[0]: 880_000, projects[1]: 640_000},
        personnel=600_000,
        operating=310_000,
        other_income=120_000,
        by=by,
    )
    # The report reads against the revised budget, not the 交付申請's 1,082,000 for 事業2.
    assert [(item.name, item.budget, item.spent) for item in karamatsu.report_items.order_by("id")] == [
        ("事務局人件費", 600_000, 600_000),
        ("運営経費", 320_000, 310_000),
        ("事業1", 1_300_000, 880_000),
        ("事業2", 800_000, 640_000),
        ("その他の収入", 120_000, 120_000),
    ]
    services.decision_settle(decision=karamatsu, settled_on=datetime.date(2027, 4, 26), by=by)
    approve_decision(karamatsu, "settlement")
    # (600,000 + 310,000 + 880,000 + 640,000) − 120,000 = 2,310,000 < 2,900,000.
    assert (karamatsu.settled_amount, karamatsu.refund_amount, karamatsu.unpaid_amount) == (2_310_000, 290_000, 0)
    refund = settlement.refund_demand(
        decision=karamatsu, demanded_on=datetime.date(2027, 4, 28), due_on=datetime.date(2027, 5, 18), by=by
    )
    assert refund.amount == 290_000
    approve_document(refund.entry)  # after the 確定 it cites
    assert budget_figures(current_year) == (5_000_000, 3_920_000, 2_600_000, 290_000, 0, 1_080_000)

    # 高尾: one instalment, a report above what was paid, and the rest claimed and paid as 精算払 (no notice).
    pay(takao, 600_000, datetime.date(2026, 5, 1), datetime.date(2026, 5, 15), by)
    projects = projects_of(takao)
    services.decision_report(
        decision=takao,
        reported_on=datetime.date(2027, 4, 14),
        spending={projects[0]: 520_000},
        personnel=400_000,
        operating=180_000,
        other_income=30_000,
        by=by,
    )
    services.decision_settle(decision=takao, settled_on=datetime.date(2027, 4, 26), by=by)
    approve_decision(takao, "settlement")
    assert (takao.settled_amount, takao.unpaid_amount) == (1_070_000, 470_000)
    final = settlement.final_payment_claim(decision=takao, claimed_on=datetime.date(2027, 4, 30), by=by)
    settlement.payment_pay(payment=final, paid_on=datetime.date(2027, 5, 20), by=by)
    takao.refresh_from_db()
    assert (takao.paid_amount, takao.refund_amount, takao.unpaid_amount) == (1_070_000, 0, 0)
    settlement.refund_receive(refund=refund, returned_on=datetime.date(2027, 5, 15), by=by)
    # 確定額 2,310,000 + 1,070,000 decided; paid 2,600,000 + 1,070,000, of which 290,000 came back.
    assert budget_figures(current_year) == (5_000_000, 3_380_000, 3_670_000, 290_000, 290_000, 1_620_000)

    # Every notice, issued and read back.
    entries = list(DocumentNumber.objects.filter(decision__in=decisions).order_by("period", "number"))
    kinds = [(entry.decision.organization.slug, entry.kind) for entry in entries]
    assert kinds == [
        ("karamatsu-machizukuri", DocumentKind.DECISION),
        ("takao-fureai", DocumentKind.DECISION),
        ("karamatsu-machizukuri", DocumentKind.CHANGE),
        ("karamatsu-machizukuri", DocumentKind.SETTLEMENT),
        ("karamatsu-machizukuri", DocumentKind.REFUND),
        ("takao-fureai", DocumentKind.SETTLEMENT),
    ]
    titles = {
        DocumentKind.DECISION: "交付決定通知書",
        DocumentKind.CHANGE: "変更交付決定通知書",
        DocumentKind.SETTLEMENT: "交付額確定通知書",
        DocumentKind.REFUND: "返還請求書",
    }
    amounts = []
    for entry in entries:
        document = notices.document_issue(entry=entry, by=by)
        text = squash(pdf_text(notices.stored_pdf(document)))
        organization = entry.decision.organization
        for part in (
            f"令和8年度新見市小規模多機能自治一括交付金{titles[entry.kind]}",
            entry.text,
            wareki_date(entry.dated),
            f"{organization.name}",
            f"会長{organization.representative_name}様",
            "新見市長新見太郎",
            yen_formal(document.amount),
        ):
            assert squash(part) in text, (entry.kind, part)
        amounts.append((entry.kind, document.amount))
    assert amounts == [
        ("decision", 3_182_000),
        ("decision", 1_610_000),
        ("change", 2_900_000),
        ("settlement", 2_310_000),
        ("refund", 290_000),
        ("settlement", 1_070_000),
    ]
    refund_text = squash(pdf_text(notices.stored_pdf(notices.document_issue(entry=refund.entry))))
    assert squash("納付期限 令和9年5月18日") in refund_text
    change_text = squash(pdf_text(notices.stored_pdf(notices.document_issue(entry=request.entry))))
    assert squash("令和8年11月2日付けで変更申請のあった") in change_text
    settlement_text = squash(pdf_text(issued_notice_pdf(karamatsu, notices.SETTLEMENT)))
    assert squash("令和8年11月16日変更交付決定後") in settlement_text  # the change it cites was notified
    # Its budget table is the revised 収支予算: 事業2 at 800,000, and the 交付申請's 1,082,000 nowhere.
    assert squash("区分 事業名 変更後の予算（円） 実績額（円）") in settlement_text
    assert squash("事業費 事業2 800,000 640,000") in settlement_text
    assert "1,082,000" not in settlement_text
    takao_text = squash(pdf_text(issued_notice_pdf(takao, notices.SETTLEMENT)))
    assert squash("区分 事業名 予算（円） 実績額（円）") in takao_text  # 高尾 kept its original budget

    # 財務会計: a 支出負担行為 per decision and change, a 支出命令 per payment, a 調定 and its 収納, to the yen.
    rows = accounting_export(client, current_year)

    def figures(kind):
        return [(row["債権者・債務者"], int(row["金額（円）"]), row["計上日"]) for row in rows if row["区分"] == kind]

    karamatsu_name, takao_name = karamatsu.organization.name, takao.organization.name
    assert figures("支出負担行為") == [
        (karamatsu_name, karamatsu.decided_amount, "2026-04-20"),
        (takao_name, takao.decided_amount, "2026-04-27"),
    ]
    assert figures("支出負担行為変更") == [(karamatsu_name, 2_900_000 - 3_182_000, "2026-11-16")]
    payments = [(p.decision.organization.name, p.amount, p.claimed_on.isoformat()) for p in GrantPayment.objects.all()]
    assert sorted(figures("支出命令"), key=lambda f: f[2]) == sorted(payments, key=lambda f: f[2])
    assert [int(row["金額（円）"]) for row in rows if row["区分"] == "支出命令"] == [
        1_600_000,
        600_000,
        1_000_000,
        470_000,
    ]
    paid_on = [row["支払日"] for row in rows if row["区分"] == "支出命令"]
    assert paid_on == ["2026-05-08", "2026-05-15", "2026-10-15", "2027-05-20"]
    assert figures("調定") == [(karamatsu_name, refund.amount, "2027-04-28")]
    assert figures("収納") == [(karamatsu_name, 290_000, "2027-05-15")]
    (assessment,) = [row for row in rows if row["区分"] == "調定"]
    assert (assessment["納期限"], assessment["根拠の文書番号"]) == ("2027-05-18", refund.entry.text)
    orders = [row for row in rows if row["区分"] == "支出命令"]
    assert {row["口座番号"] for row in orders} == {"0001231", "0001232"}  # in full, for the transfer
    assert {row["口座番号"] for row in rows if row["区分"] == "支出負担行為"} == {"****231", "****232"}
    # The decisions' amounts as the 財務会計 now has them: each 支出負担行為 with its changes.
    assert (
        sum(int(row["金額（円）"]) for row in rows if row["区分"].startswith("支出負担行為")) == 2_900_000 + 1_610_000
    )
    assert sum(int(row["金額（円）"]) for row in orders) == budget.year_budget(current_year).paid

    # Unique, and without gaps, in each fiscal year of the register.
    for period in {entry.period for entry in entries}:
        numbers = list(DocumentNumber.objects.filter(period=period).order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
    pairs = list(DocumentNumber.objects.values_list("period", "text"))
    assert len(pairs) == len(set(pairs))
