"""受付簿 (grants.receipts): a 受付番号 per fiscal year of the 受付日 for each 交付申請, 変更申請, 請求 and 実績報告,
taken when the clerk records it and shown on each step's admin page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from grants import services, settlement
from grants.applications import application_record
from grants.categories import BudgetCategory
from grants.models import Receipt
from tests.grants.test_admin_applications import empty_application
from tests.helpers import approve_drafts

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(decision, projects, approved, current_year, policy_officer):
    """交付申請 (令和8年4月), 請求 (5月), 変更申請 (11月), 請求 (12月) and 実績報告 (令和9年4月) of one organization."""
    by = policy_officer
    application = application_record(
        organization=approved,
        fiscal_year=current_year,
        received_on=datetime.date(2026, 4, 10),
        requested_amount=1_000_000,
        budget=[(BudgetCategory.OPERATING, None, "運営", 1_000_000)],
        by=by,
    )
    first = settlement.payment_claim(decision=decision, claimed_on=datetime.date(2026, 5, 10), amount=500_000, by=by)
    change = settlement.change_request_receive(
        decision=decision,
        received_on=datetime.date(2026, 11, 2),
        requested_amount=decision.amount - 100_000,
        reason="事業の縮小",
        by=by,
    )
    settlement.change_request_decide(change_request=change, changed_on=datetime.date(2026, 11, 16), by=by)
    second = settlement.payment_claim(decision=decision, claimed_on=datetime.date(2026, 12, 1), amount=300_000, by=by)
    for payment in (first, second):
        settlement.payment_pay(payment=payment, paid_on=payment.claimed_on + datetime.timedelta(days=10), by=by)
    services.decision_report(
        decision=decision,
        reported_on=datetime.date(2027, 4, 12),
        spending={projects[0]: 300_000, projects[1]: 200_000},
        personnel=100_000,
        operating=50_000,
        other_income=0,
        by=by,
    )
    decision.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    change.refresh_from_db()
    return {"application": application, "first": first, "change": change, "second": second, "decision": decision}


def test_each_arrival_takes_the_next_number_of_its_years_register(received, policy_officer):
    lines = [
        (r.year, r.number, r.get_kind_display(), r.received_on) for r in Receipt.objects.order_by("year", "number")
    ]
    assert lines == [
        (2026, 1, "交付申請", datetime.date(2026, 4, 10)),
        (2026, 2, "請求", datetime.date(2026, 5, 10)),
        (2026, 3, "変更申請", datetime.date(2026, 11, 2)),
        (2026, 4, "請求", datetime.date(2026, 12, 1)),
        (2027, 1, "実績報告", datetime.date(2027, 4, 12)),  # 令和9年度's register starts again at 1
    ]
    assert str(received["application"].receipt) == "令和8年度 受付第1号"
    assert (received["first"].receipt.number, received["change"].receipt.number) == (2, 3)
    assert received["second"].receipt.number == 4
    assert str(received["decision"].report_receipt) == "令和9年度 受付第1号"
    assert {r.recorded_by for r in Receipt.objects.all()} == {policy_officer}


def test_a_refused_step_takes_no_number(decision, policy_officer):
    with pytest.raises(ValidationError):
        settlement.payment_claim(
            decision=decision, claimed_on=datetime.date(2026, 5, 10), amount=decision.amount + 1, by=policy_officer
        )
    assert not Receipt.objects.exists()


def test_the_number_is_unique_per_year(received, approved):
    taken = Receipt.objects.get(year=2026, number=2)
    twin = Receipt(
        year=2026, number=2, kind="claim", received_on=taken.received_on, organization=approved, subject="重複"
    )
    with pytest.raises(ValidationError) as refused:
        twin.validate_constraints()
    assert refused.value.messages == ["この年度の受付番号はすでに使われています。"]
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    # The same number in another year is a different line.
    Receipt.objects.create(
        year=2027, number=2, kind="claim", received_on=datetime.date(2027, 5, 1), organization=approved, subject="次"
    )
    assert Receipt._meta.constraints[0].name == "unique_receipt_number_per_year"


def test_each_steps_admin_page_shows_its_number(clerk, received):
    page = clerk.get(reverse("admin:grants_grantdecision_change", args=[received["decision"].pk])).content.decode()
    for label in ("令和8年度 受付第2号", "令和8年度 受付第3号", "令和8年度 受付第4号", "令和9年度 受付第1号"):
        assert label in page
    application = received["application"]
    page = clerk.get(reverse("admin:grants_grantapplication_change", args=[application.pk])).content.decode()
    assert "令和8年度 受付第1号" in page
    register = clerk.get(reverse("admin:grants_receipt_changelist")).content.decode()
    assert "受付第4号" in register and "実績報告" in register


def test_an_application_entered_in_the_admin_takes_a_number(clerk, approved, current_year):
    Receipt.objects.create(
        year=2026, number=1, kind="claim", received_on=datetime.date(2026, 4, 2), organization=approved, subject="前"
    )
    response = clerk.post(reverse("admin:grants_grantapplication_add"), empty_application(approved, current_year))
    assert response.status_code == 302
    assert str(Receipt.objects.get(number=2).application.receipt) == "令和8年度 受付第2号"


def test_the_register_is_read_only(clerk, received):
    receipt = Receipt.objects.first()
    assert clerk.get(reverse("admin:grants_receipt_add")).status_code == 403
    page = clerk.get(reverse("admin:grants_receipt_change", args=[receipt.pk])).content.decode()
    assert 'name="number"' not in page
    assert clerk.post(reverse("admin:grants_receipt_delete", args=[receipt.pk]), {"post": "yes"}).status_code == 403
    assert Receipt.objects.filter(pk=receipt.pk).exists()


def step_url(name, decision):
    return reverse(f"admin:grants_grantdecision_{name}", args=[decision.pk])


def test_the_steps_pages_say_the_number_taken(clerk, decision, projects):
    response = clerk.post(step_url("claim", decision), {"claimed_on": "2026-05-10", "amount": 400_000}, follow=True)
    assert "概算払の請求を登録しました（令和8年度 受付第1号）。" in response.content.decode()
    data = {"received_on": "2026-11-02", "requested_amount": decision.amount - 1_000, "reason": "事業の縮小"}
    response = clerk.post(step_url("change_request", decision), data, follow=True)
    assert "変更申請を受け付けました（令和8年度 受付第2号）。" in response.content.decode()
    clerk.post(step_url("change_decide", decision), {"amount": decision.amount - 1_000, "changed_on": "2026-11-16"})
    approve_drafts()  # the 変更交付決定 takes effect on 決裁
    report = {
        "reported_on": "2027-04-12",
        "personnel": 0,
        "operating": 0,
        "other_income": 0,
        f"project_{projects[0].pk}": 200_000,
        f"project_{projects[1].pk}": 100_000,
    }
    response = clerk.post(step_url("report", decision), report, follow=True)
    assert "実績報告を登録しました（令和9年度 受付第1号）。" in response.content.decode()
