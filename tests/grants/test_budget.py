"""予算 (grants.budget): a year's budget and its 補正 against 決定済, 支払済, 返還 and 残額, on the year's page
and the dashboard; a decision or change beyond the 残額 refused on the first screen with the figures."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import budget, services, settlement
from grants.applications import application_record
from grants.categories import BudgetCategory
from grants.models import BudgetRevision, FiscalYear, GrantDecision
from niimi_portal.lib.wareki import current_fiscal_year, wareki_date
from tests.helpers import approve_drafts

pytestmark = pytest.mark.django_db


def set_budget(year, initial, *revisions):
    year.budget_amount = initial
    year.save()
    for day, amount in revisions:
        BudgetRevision.objects.create(fiscal_year=year, dated=day, amount=amount, note="補正")


def figures(year):
    b = budget.year_budget(year)
    return (b.budget, b.decided, b.paid, b.refunded, b.returned, b.remaining)


def test_figures_after_each_step_of_a_year(calculation, projects, current_year, policy_officer, notice_settings):
    by = policy_officer
    set_budget(current_year, 10_000_000, (datetime.date(2026, 9, 25), 500_000), (datetime.date(2026, 12, 20), -100_000))
    assert figures(current_year) == (10_400_000, 0, 0, 0, 0, 10_400_000)

    total = calculation.total
    decision = services.decision_decide(calculation=calculation, decided_on=datetime.date(2026, 5, 1), by=by)
    assert figures(current_year) == (10_400_000, total, 0, 0, 0, 10_400_000 - total)

    services.decision_change(
        decision=decision, amount=total - 200_000, reason="事業の縮小", changed_on=datetime.date(2026, 6, 1), by=by
    )
    assert figures(current_year) == (10_400_000, total - 200_000, 0, 0, 0, 10_400_000 - total + 200_000)

    payment = settlement.payment_claim(decision=decision, claimed_on=datetime.date(2026, 6, 5), amount=1_000_000, by=by)
    assert figures(current_year)[2] == 0  # a 請求 is not yet a payment
    settlement.payment_pay(payment=payment, paid_on=datetime.date(2026, 6, 20), by=by)
    assert figures(current_year)[2] == 1_000_000

    services.decision_report(
        decision=decision,
        reported_on=datetime.date(2027, 4, 10),
        spending={projects[0]: 300_000, projects[1]: 200_000},
        personnel=100_000,
        operating=50_000,
        other_income=0,
        by=by,
    )
    services.decision_settle(decision=decision, settled_on=datetime.date(2027, 4, 20), by=by)
    # 決定済 is now the 確定額 the organization keeps: 300,000 + 200,000 + 100,000 + 50,000.
    assert figures(current_year) == (10_400_000, 650_000, 1_000_000, 0, 0, 9_750_000)

    refund = settlement.refund_demand(
        decision=decision, demanded_on=datetime.date(2027, 4, 22), due_on=datetime.date(2027, 5, 12), by=by
    )
    assert figures(current_year) == (10_400_000, 650_000, 1_000_000, 350_000, 0, 9_750_000)
    settlement.refund_receive(refund=refund, returned_on=datetime.date(2027, 5, 10), by=by)
    assert figures(current_year) == (10_400_000, 650_000, 1_000_000, 350_000, 350_000, 9_750_000)


@pytest.fixture
def applied(calculation, approved, current_year):
    application_record(
        organization=approved,
        fiscal_year=current_year,
        received_on=datetime.date(2026, 4, 10),
        requested_amount=calculation.total,
        budget=[(BudgetCategory.OPERATING, None, "運営", calculation.total)],
    )
    return calculation


def review(client, year, calculation):
    data = {"decided_on": "2026-04-20", f"choose_{calculation.pk}": "on", f"number_{calculation.pk}": ""}
    return client.post(reverse("admin:grants_fiscalyear_decide", args=[year.pk]), {"step": "review", **data})


def test_a_decision_beyond_the_remaining_budget_is_refused_on_the_first_screen(clerk, applied, current_year):
    set_budget(current_year, applied.total - 1_000)
    response = review(clerk, current_year, applied)
    assert response.context["confirm"] is False  # still the first screen
    errors = response.context["form"].errors[f"choose_{applied.pk}"]
    (message,) = [m for m in errors if "予算の残額を超えます" in m]
    budget_yen = f"{applied.total - 1_000:,}円"
    assert f"予算額 {budget_yen}" in message and f"残額 {budget_yen}" in message
    assert f"{applied.total:,}円" in message and "1,000円不足" in message
    assert message in response.content.decode()  # beside the row
    assert not GrantDecision.objects.exists()


def test_the_decision_itself_is_refused_too(applied, current_year, policy_officer):
    set_budget(current_year, applied.total - 1)
    with pytest.raises(services.ValidationError) as refused:
        services.decision_decide(calculation=applied, decided_on=datetime.date(2026, 4, 20), by=policy_officer)
    assert "1円不足" in refused.value.message_dict["budget"][0]
    assert not GrantDecision.objects.exists()


def test_a_raise_beyond_the_remaining_budget_is_refused_beside_the_amount(clerk, decision, current_year):
    set_budget(current_year, decision.amount + 50_000)
    url = reverse("admin:grants_grantdecision_change_amount", args=[decision.pk])
    data = {"amount": decision.amount + 60_000, "reason": "事業の追加", "changed_on": "2026-06-01"}
    response = clerk.post(url, data)
    (message,) = response.context["form"].errors["amount"]
    assert "残額 50,000円" in message and "60,000円増え" in message and "10,000円不足" in message
    decision.refresh_from_db()
    assert decision.status == GrantDecision.Status.DECIDED
    # A 補正 of +10,000 makes room for it.
    BudgetRevision.objects.create(fiscal_year=current_year, dated=datetime.date(2026, 5, 30), amount=10_000)
    assert clerk.post(url, data).status_code == 302
    approve_drafts()  # the change takes effect on 決裁
    decision.refresh_from_db()
    assert figures(current_year)[-1] == 0


def test_a_year_without_a_budget_says_so_and_does_not_refuse(clerk, applied, current_year):
    assert current_year.budget_amount is None
    page = clerk.get(reverse("admin:grants_fiscalyear_grants", args=[current_year.pk])).content.decode()
    assert "令和8年度の予算額がまだ登録されていません" in page
    assert review(clerk, current_year, applied).context["confirm"] is True


def test_the_year_page_shows_the_figures(clerk, decision, current_year):
    set_budget(current_year, 12_000_000, (datetime.date(2026, 9, 25), 345_000))
    page = clerk.get(reverse("admin:grants_fiscalyear_grants", args=[current_year.pk])).content.decode()
    for text in (
        "12,345,000円",
        "当初 12,000,000円、補正 345,000円",
        f"{decision.amount:,}円",
        f"{12_345_000 - decision.amount:,}円",
    ):
        assert text in page
    assert "予算と執行（令和" in page
    assert "補正: 令和8年9月25日 345,000円（補正）" in page


def test_the_dashboard_shows_this_years_figures(clerk):
    this_year = FiscalYear.for_year(current_fiscal_year())  # the dashboard reads today's 年度
    set_budget(this_year, 8_000_000, (this_year.starts_on, -250_000))
    dashboard = clerk.get(reverse("admin:index")).content.decode()
    assert f'id="budget-{this_year.year}"' in dashboard
    assert f"{this_year.label}の予算と執行（{wareki_date(timezone.localdate())}現在）" in dashboard
    assert "7,750,000円" in dashboard and "当初 8,000,000円、補正 △250,000円" in dashboard


def test_the_year_form_takes_the_budget_and_its_revisions(clerk, current_year):
    page = clerk.get(reverse("admin:grants_fiscalyear_change", args=[current_year.pk])).content.decode()
    assert "当初予算額（円）" in page and "補正額（円）" in page and "補正の日" in page


def test_the_figures_are_one_query(decision, current_year, django_assert_num_queries):
    set_budget(current_year, 9_000_000, (datetime.date(2026, 9, 25), 1_000))
    with django_assert_num_queries(1):
        figures = budget.year_budget(current_year)
    assert (figures.budget, figures.decided) == (9_001_000, decision.amount)


def test_a_change_decided_on_a_change_request_is_refused_beside_its_amount(clerk, decision, current_year):
    set_budget(current_year, decision.amount)  # nothing left
    settlement.change_request_receive(
        decision=decision,
        received_on=datetime.date(2026, 6, 1),
        requested_amount=decision.amount + 5_000,
        reason="増額",
    )
    url = reverse("admin:grants_grantdecision_change_decide", args=[decision.pk])
    response = clerk.post(url, {"amount": decision.amount + 5_000, "changed_on": "2026-06-10", "document_number": ""})
    (message,) = response.context["form"].errors["amount"]
    assert "残額 0円" in message and "5,000円不足" in message
