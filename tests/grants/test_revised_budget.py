"""変更申請 with its revised 収支予算 (grants.settlement.change_request_receive, grants.applications
.budget_lines_in_force): refused unless it balances and names the plan's projects; in force only once the
変更交付決定 is made; the latest decided one wins."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants import notices, register, services, settlement
from grants.applications import application_record, budget_basis, budget_lines_in_force
from grants.categories import BudgetCategory
from grants.models import DocumentKind
from organizations.models import AnnualPlan, PlannedProject
from tests.grants.pdf import pdf_text
from tests.helpers import approve_decision, issue_document, squash

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


def test_a_change_decided_at_the_amount_asked_reads_as_the_revised_budget(applied, projects):
    request = receive(applied, revised(applied, projects, project_two=400_000), applied.amount - 100_000)
    assert budget_basis(applied).label == "交付申請の収支予算"
    settlement.change_request_decide(change_request=request, changed_on=datetime.date(2026, 9, 10))
    basis = budget_basis(applied)
    assert (basis.label, basis.differs) == ("変更後の収支予算", False)


def test_a_change_decided_at_another_amount_names_its_budget_the_amount_asked_on_the_report_and_the_notice(
    applied, projects, clerk, notice_settings
):
    asked = applied.amount - 100_000
    request = receive(applied, revised(applied, projects, project_two=400_000), asked)
    decided = asked - 50_000  # the city grants less than the organization asked
    settlement.change_request_decide(change_request=request, changed_on=datetime.date(2026, 9, 10), amount=decided)
    applied.refresh_from_db()
    assert applied.amount == decided

    basis = budget_basis(applied)
    assert basis.label == "変更後の収支予算（申請額ベース、決定額と差あり）"
    assert (basis.requested, basis.decided, basis.differs) == (asked, decided, True)
    assert f"変更申請の額 {asked:,}円" in basis.detail and f"変更交付決定額 {decided:,}円" in basis.detail
    assert "50,000円の差" in basis.detail
    page = clerk.get(reverse("admin:grants_grantdecision_change", args=[applied.pk])).content.decode()
    assert basis.detail in page

    services.decision_report(
        decision=applied,
        reported_on=datetime.date(2027, 4, 10),
        spending={projects[0]: 800_000, projects[1]: 400_000},
        personnel=600_000,
        operating=applied.amount - 1_900_000,
    )
    services.decision_settle(decision=applied, settled_on=datetime.date(2027, 4, 20))
    entry = register.latest_entry(kind=DocumentKind.SETTLEMENT, decision=applied)
    approve_decision(applied)  # the 交付決定通知書 the 確定 cites is numbered on its 決裁 first
    text = squash(pdf_text(notices.stored_pdf(issue_document(entry))))
    assert squash("区分 事業名 変更後の予算（円）") in text  # its ※ wraps in the narrow column
    assert squash("予算は変更後の収支予算（申請額ベース、決定額と差あり）による。") in text
    assert (
        squash(f"変更申請の額金{asked:,}円で収支が均衡する予算であり、変更交付決定額金{decided:,}円とは一致しない。")
        in text
    )
