"""The grant year's pages in the admin (grants.admin_year): each step a form on one decision; a refusal
shows beside its field and keeps what the clerk typed; the paid total is always on the decision."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants import services, settlement
from grants.models import GrantDecision
from organizations import services as organization_services
from tests.grants.pdf import pdf_text
from tests.helpers import approve_drafts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _notice_settings(notice_settings):
    """Every placeholder of the notice settings filled in, so the notices can be issued."""


def url(name, decision):
    return reverse(f"admin:grants_grantdecision_{name}", args=[decision.pk])


def html(response):
    return response.content.decode()


def test_the_decision_page_shows_the_paid_total_and_the_open_steps(clerk, decision, decided_on):
    settlement.payment_pay(
        payment=settlement.payment_claim(decision=decision, claimed_on=decided_on, amount=1_000_000),
        paid_on=decided_on,
    )
    page = html(clerk.get(reverse("admin:grants_grantdecision_change", args=[decision.pk])))
    assert "支払済額" in page and "1,000,000円" in page
    for name in ("change_request", "claim", "revoke"):
        assert url(name, decision) in page
    for name in ("change_decide", "pay", "final_claim", "refund", "refund_returned"):
        assert url(name, decision) not in page
    assert "額の確定の方法（交付基準）" in page
    assert "交付決定額と（対象経費の実支出額 − その他の収入）のいずれか少ない額" in page


def test_the_decision_page_offers_one_change_of_the_decision_at_a_time(clerk, decision, decided_on):
    """「変更交付決定」 once: the 課's own change, or, while a 変更申請 waits, the one answering it."""
    page = html(clerk.get(reverse("admin:grants_grantdecision_change", args=[decision.pk])))
    assert page.count(">変更交付決定</a>") == 1 and url("change_amount", decision) in page
    settlement.change_request_receive(
        decision=decision, received_on=decided_on, requested_amount=decision.amount - 1000, reason="縮小"
    )
    page = html(clerk.get(reverse("admin:grants_grantdecision_change", args=[decision.pk])))
    assert page.count(">変更交付決定</a>") == 1 and url("change_decide", decision) in page
    assert url("change_amount", decision) not in page


def test_the_decision_list_shows_the_paid_total_without_a_query_per_row(
    clerk, decision, other_approved, current_year, decided_on
):
    services.grant_calculate_year(fiscal_year=current_year)
    (other,) = services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    for each in (decision, other):
        settlement.payment_claim(decision=each, claimed_on=decided_on, amount=100_000)
    with CaptureQueriesContext(connection) as queries:
        page = html(clerk.get(reverse("admin:grants_grantdecision_changelist")))
    assert "支払済額" in page
    payments_queries = [q for q in queries.captured_queries if "grants_grantpayment" in q["sql"]]
    assert len(payments_queries) == 1


def test_change_request_then_change_decision_through_the_admin(clerk, decision, decided_on):
    received_on = decided_on + datetime.timedelta(days=30)
    # A refusal beside its field, with what was typed kept.
    response = clerk.post(
        url("change_request", decision),
        {"received_on": received_on, "requested_amount": decision.amount, "reason": "事業の拡大のため"},
    )
    assert response.status_code == 200
    page = html(response)
    assert "申請された変更後の額が現在の交付決定額と同じです。" in page
    assert "事業の拡大のため" in page
    assert decision.change_requests.count() == 0
    response = clerk.post(
        url("change_request", decision),
        {"received_on": received_on, "requested_amount": 3_300_000, "reason": "事業の拡大のため"},
    )
    assert response.status_code == 302
    form = html(clerk.get(url("change_decide", decision)))
    assert 'value="3300000"' in form  # the amount asked for
    response = clerk.post(url("change_decide", decision), {"amount": 3_300_000, "changed_on": received_on})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "decided"  # drafted (起案): the request is decided on 決裁
    assert decision.change_requests.get().entry is None
    approve_drafts()
    decision.refresh_from_db()
    assert (decision.amount, decision.status) == (3_300_000, "changed")
    entry = decision.change_requests.get().entry
    assert entry.details["requested_on"] == received_on.isoformat()
    pdf = clerk.get(reverse("admin:grants_documentnumber_issue", args=[entry.pk])).content  # frozen on 決裁
    assert "変更交付決定通知書" in pdf_text(pdf)


def test_claim_and_pay_through_the_admin(clerk, decision, decided_on):
    response = clerk.post(url("claim", decision), {"claimed_on": decided_on, "amount": 9_999_999})
    assert response.status_code == 200
    assert "請求額の計が交付決定額（3,182,000円）を超えます" in html(response)
    assert 'value="9999999"' in html(response)
    assert clerk.post(url("claim", decision), {"claimed_on": decided_on, "amount": 1_500_000}).status_code == 302
    payment = decision.payments.get()
    form = html(clerk.get(url("pay", decision)))
    assert "第1回 概算払 1,500,000円" in form
    response = clerk.post(
        url("pay", decision), {"payment": payment.pk, "paid_on": decided_on - datetime.timedelta(days=1)}
    )
    assert "支払日は請求日以降にしてください" in html(response)
    assert clerk.post(url("pay", decision), {"payment": payment.pk, "paid_on": decided_on}).status_code == 302
    assert decision.paid_amount == 1_500_000


def test_refund_and_extra_payment_pages_after_settlement(clerk, decision, projects, decided_on):
    settlement.payment_pay(
        payment=settlement.payment_claim(decision=decision, claimed_on=decided_on, amount=decision.amount),
        paid_on=decided_on,
    )
    reported_on = datetime.date(2027, 4, 10)
    report_form = {
        "reported_on": reported_on,
        "personnel": 600_000,
        "operating": 200_000,
        "other_income": 50_000,
        f"project_{projects[0].pk}": 800_000,
        f"project_{projects[1].pk}": -1,
    }
    response = clerk.post(url("report", decision), report_form)
    assert response.status_code == 200 and 'value="200000"' in html(response)  # nothing lost
    report_form[f"project_{projects[1].pk}"] = 450_000
    assert clerk.post(url("report", decision), report_form).status_code == 302
    assert 'value="2000000"' in html(clerk.get(url("settle", decision)))  # 2,050,000 − 50,000
    assert (
        clerk.post(url("settle", decision), {"settled_amount": 2_000_000, "settled_on": reported_on}).status_code == 302
    )
    page = html(clerk.get(reverse("admin:grants_grantdecision_change", args=[decision.pk])))
    assert url("refund", decision) in page and url("final_claim", decision) not in page
    response = clerk.post(url("refund", decision), {"demanded_on": reported_on, "due_on": reported_on})
    assert "納付期限は返還請求日より後の日にしてください。" in html(response)
    due_on = reported_on + datetime.timedelta(days=20)
    assert clerk.post(url("refund", decision), {"demanded_on": reported_on, "due_on": due_on}).status_code == 302
    refund = decision.refunds.get()
    assert refund.amount == 1_182_000
    # The register line shows what the 返還請求書 states under Japanese names.
    line = html(clerk.get(reverse("admin:grants_documentnumber_change", args=[refund.entry.pk])))
    assert "納付期限" in line and "令和9年4月30日" in line and "1,182,000円" in line
    assert "due_on" not in line
    assert clerk.post(url("refund_returned", decision), {"refund": refund.pk, "returned_on": due_on}).status_code == 302
    refund.refresh_from_db()
    assert refund.returned_on == due_on


def test_revocation_page_after_the_approval_is_revoked(clerk, decision, decided_on, approved, policy_officer):
    organization_services.organization_revoke(organization=approved, by=policy_officer, reason="活動の停止")
    form = html(clerk.get(url("revoke", decision)))
    assert "地域運営組織の認可が取り消されたため。" in form  # suggested reason
    response = clerk.post(
        url("revoke", decision), {"scope": "part", "reason": "一部", "revoked_on": decided_on, "amount": ""}
    )
    assert "取り消す額は1円以上で入力してください。" in html(response)
    response = clerk.post(
        url("revoke", decision), {"scope": "whole", "reason": "認可の取消し", "revoked_on": decided_on}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == GrantDecision.Status.REVOKED
    assert "交付決定取消" in html(clerk.get(reverse("admin:grants_grantdecision_change", args=[decision.pk])))


@pytest.fixture
def applied_decision(calculation, projects, current_year, policy_officer):
    """A 交付決定 on a 交付申請 whose 収支予算 has 事務局人件費, 運営経費, the two projects and その他の収入."""
    from grants.applications import application_record
    from grants.categories import BudgetCategory

    application_record(
        organization=calculation.organization,
        fiscal_year=current_year,
        received_on=datetime.date(2026, 4, 10),
        requested_amount=calculation.total,
        budget=[
            (BudgetCategory.PERSONNEL, None, "事務局員の賃金", 600_000),
            (BudgetCategory.OPERATING, None, "事務所の経費", calculation.total - 600_000 - 1_300_000 + 100_000),
            (BudgetCategory.PROJECT, projects[0], "", 800_000),
            (BudgetCategory.PROJECT, projects[1], "", 500_000),
            (BudgetCategory.OTHER_INCOME, None, "会費", 100_000),
        ],
    )
    return services.decision_decide(
        calculation=calculation, decided_on=datetime.date(2026, 4, 20), by=policy_officer, require_application=True
    )


def test_a_change_request_carries_its_revised_budget_through_the_admin(clerk, applied_decision):
    decision = applied_decision
    form = html(clerk.get(url("change_request", decision)))
    # One amount per line of the 交付申請's 収支予算, filled in as it stands.
    assert "変更後の収支予算: 事業費（見守り・声かけ訪問）（円）" in form
    assert 'name="line_2" value="800000"' in form
    data = {
        "received_on": "2026-10-01",
        "requested_amount": decision.amount - 200_000,
        "reason": "防災訓練の縮小",
        "line_0": 600_000,
        "line_1": decision.amount - 1_800_000,
        "line_2": 800_000,
        "line_3": 500_000,  # not lowered: the budget does not balance
        "line_4": 100_000,
    }
    response = clerk.post(url("change_request", decision), data)
    assert response.status_code == 200
    page = html(response)
    assert "変更後の収支予算の収支が均衡していません。" in page
    assert page.index("変更後の収支予算の収支が均衡していません。") < page.index('name="line_0"')  # beside line 0
    assert decision.change_requests.count() == 0
    response = clerk.post(url("change_request", decision), {**data, "line_3": 300_000})
    assert response.status_code == 302
    request = decision.change_requests.get()
    assert [line.amount for line in request.lines.all()] == [
        600_000,
        decision.amount - 1_800_000,
        800_000,
        300_000,
        100_000,
    ]
    page = html(clerk.get(reverse("admin:grants_grantdecision_change", args=[decision.pk])))
    assert "事業費（防災訓練）: 300,000円" in page  # the revised budget on the decision's page
