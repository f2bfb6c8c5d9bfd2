"""変更申請 with its revised 収支予算 (grants.settlement.change_request_receive, grants.applications
.budget_lines_in_force): refused unless it balances and names the plan's projects; in force only once the
変更交付決定 is made; the latest decided one wins."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from grants import services, settlement
from grants.applications import application_record, budget_lines_in_force
from grants.categories import BudgetCategory
from organizations.models import AnnualPlan, PlannedProject

pytestmark = pytest.mark.django_db

PERSONNEL, OPERATING, PROJECT = BudgetCategory.PERSONNEL, BudgetCategory.OPERATING, BudgetCategory.PROJECT
INCOME = BudgetCategory.OTHER_INCOME


@pytest.fixture
def applied(calculation, projects, current_year, policy_officer):
    total = calculation.total
    application_record(
        organization=calculation.organization,
        fiscal_year=current_year,
        received_on=datetime.date(2026, 4, 10),
        requested_amount=total,
        budget=[
            (PERSONNEL, None, "", 600_000),
            (OPERATING, None, "", total - 1_900_000),
            (PROJECT, projects[0], "", 800_000),
            (PROJECT, projects[1], "", 500_000),
            (INCOME, None, "会費", 0),
        ],
    )
    return services.decision_decide(calculation=calculation, decided_on=datetime.date(2026, 4, 20), by=policy_officer)


def revised(decision, projects, *, project_two):
    return [
        (PERSONNEL, None, "", 600_000),
        (OPERATING, None, "", decision.amount - 1_900_000),
        (PROJECT, projects[0], "", 800_000),
        (PROJECT, projects[1], "", project_two),
        (INCOME, None, "会費", 0),
    ]


def receive(decision, budget, amount, day=datetime.date(2026, 9, 1)):
    return settlement.change_request_receive(
        decision=decision, received_on=day, requested_amount=amount, reason="減額", budget=budget
    )


def test_a_budget_that_does_not_balance_is_refused_beside_the_budget(applied, projects):
    with pytest.raises(ValidationError) as refused:
        receive(applied, revised(applied, projects, project_two=500_000), applied.amount - 100_000)
    assert "収支が均衡していません" in refused.value.message_dict["budget"][0]
    assert not applied.change_requests.exists()


def test_a_project_outside_the_plan_is_refused(applied, projects, other_approved, current_year):
    plan = AnnualPlan.objects.create(organization=other_approved, fiscal_year=current_year)
    foreign = PlannedProject.objects.create(annual_plan=plan, field="other", name="よその事業", budget=1, order=1)
    budget = revised(applied, projects, project_two=400_000)
    budget[3] = (PROJECT, foreign, "", 400_000)
    with pytest.raises(ValidationError) as refused:
        receive(applied, budget, applied.amount - 100_000)
    assert "年度計画の事業" in refused.value.message_dict["budget"][0]


def test_the_revised_budget_is_in_force_from_the_change_decision_and_the_latest_wins(applied, projects):
    first = receive(applied, revised(applied, projects, project_two=400_000), applied.amount - 100_000)
    assert [line.amount for line in budget_lines_in_force(applied)][3] == 500_000  # not decided yet
    settlement.change_request_decide(change_request=first, changed_on=datetime.date(2026, 9, 10))
    applied.refresh_from_db()
    assert [line.amount for line in budget_lines_in_force(applied)][3] == 400_000
    operating = applied.amount - 1_900_000
    second = receive(
        applied,
        revised(applied, projects, project_two=300_000),
        applied.amount - 200_000,
        day=datetime.date(2026, 10, 1),
    )
    settlement.change_request_decide(change_request=second, changed_on=datetime.date(2026, 10, 10))
    applied.refresh_from_db()
    assert [line.amount for line in budget_lines_in_force(applied)][3] == 300_000
    services.decision_report(
        decision=applied,
        reported_on=datetime.date(2027, 4, 10),
        spending={projects[0]: 800_000, projects[1]: 250_000},
        personnel=600_000,
        operating=100_000,
    )
    budgets = {item.name: item.budget for item in applied.report_items.all()}
    assert budgets["防災訓練"] == 300_000 and budgets["運営経費"] == operating
