"""交付申請: its 収支予算 and requirements, the dates a 交付決定 must keep (決定日 ≥ 受付日 ≥ 認可日, read
from the approval history), a past year's 算定 with the organizations approved then, and the notice
that cites the application."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grants import notices, services
from grants.applications import (
    GrantApplication,
    GrantApplicationLine,
    application_record,
    application_requirements,
)
from grants.calculation import calculate_year
from grants.categories import BudgetCategory
from grants.models import FiscalYear, GrantDecision, GrantRule
from organizations import services as organization_services
from organizations.approvals import approval_on, approved_during
from organizations.models import RegionStatistic
from tests.grants.pdf import pdf_text
from tests.helpers import approve_decision

pytestmark = pytest.mark.django_db

TOTAL = 3_182_000  # 3,032,000 (基本額) + 150,000 (統合補助金), hand-checked in test_calculation


def budget_for(projects, *, requested=TOTAL, other=120_000):
    """A balancing budget: 事務局人件費 600,000, the projects (800,000 + 500,000), 運営経費 the rest."""
    personnel, spent = 600_000, sum(p.budget for p in projects)
    operating = requested + other - personnel - spent
    return [
        (BudgetCategory.PERSONNEL, None, "事務局員の賃金", personnel),
        (BudgetCategory.OPERATING, None, "光熱水費", operating),
        *((BudgetCategory.PROJECT, p, "", p.budget) for p in projects),
        (BudgetCategory.OTHER_INCOME, None, "会費", other),
    ]


@pytest.fixture
def application(approved, projects, current_year, policy_officer):
    return application_record(
        organization=approved,
        fiscal_year=current_year,
        received_on=datetime.date(2026, 4, 10),
        requested_amount=TOTAL,
        budget=budget_for(projects),
        by=policy_officer,
    )


def test_recording_an_application_keeps_its_budget_by_category_and_links_the_plan(application, projects):
    assert application.annual_plan == projects[0].annual_plan
    amounts = application.amounts()
    assert amounts[BudgetCategory.PERSONNEL] == 600_000
    assert amounts[BudgetCategory.PROJECT] == 1_300_000
    assert amounts[BudgetCategory.OPERATING] == TOTAL + 120_000 - 600_000 - 1_300_000 == 1_402_000
    assert application.expenses == application.income == 3_302_000
    assert application.history.first().history_change_reason == "交付申請の受付"


def test_an_application_meeting_every_requirement(application):
    checks = application_requirements(application)
    assert [(c.label, c.ok) for c in checks] == [
        ("受付日に認可されている", True),
        ("事業計画（年度計画）がある", True),
        ("収支予算がある", True),
        ("収支が均衡している", True),
        ("算定に使う人口・世帯数がある", True),
    ]
    assert "認可日 令和7年6月1日" in checks[0].detail
    assert "1,234人・517世帯" in checks[4].detail


def test_requirements_name_an_early_receipt_an_uncosted_project_and_an_unbalanced_budget(
    approved, projects, current_year
):
    application = application_record(
        organization=approved,
        fiscal_year=current_year,
        received_on=datetime.date(2025, 5, 1),  # before the 認可 of 2025-06-01
        requested_amount=TOTAL,
        budget=budget_for(projects)[:3],  # the second project's 事業費 and the other income left out
    )
    checks = {c.label: c for c in application_requirements(application)}
    assert not checks["受付日に認可されている"].ok
    assert "令和7年5月1日の時点で認可されていません" in checks["受付日に認可されている"].detail
    assert not checks["収支予算がある"].ok
    assert "防災訓練" in checks["収支予算がある"].detail
    assert not checks["収支が均衡している"].ok


def test_a_second_application_for_the_year_and_a_negative_amount_are_refused(application, approved, current_year):
    with pytest.raises(ValidationError) as refused:
        application_record(
            organization=approved,
            fiscal_year=current_year,
            received_on=datetime.date(2026, 5, 1),
            requested_amount=1,
            budget=[],
        )
    assert "すでに受け付けています" in str(refused.value)
    GrantApplication.objects.filter(pk=application.pk).delete()
    with pytest.raises(ValidationError) as refused:
        application_record(
            organization=approved,
            fiscal_year=current_year,
            received_on=datetime.date(2026, 5, 1),
            requested_amount=-1,
            budget=[],
        )
    assert "requested_amount" in refused.value.message_dict
    assert not GrantApplication.objects.exists()


def test_a_project_cost_line_needs_its_project_and_only_it(application):
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantApplicationLine.objects.create(application=application, category="project", amount=1)


# -- the decision and its dates --------------------------------------------------------------------


def test_the_decision_refers_to_the_application_and_the_notice_cites_its_date(application, notice_settings):
    (calc,) = services.grant_calculate_year(fiscal_year=application.fiscal_year).saved
    decision = services.decision_decide(calculation=calc, decided_on=datetime.date(2026, 4, 20))
    assert decision.application == application
    text = pdf_text(notices.stored_pdf(approve_decision(decision)))
    assert "令和8年4月10日付けで申請のあった" in text
    assert "年度計画に係る" not in text


def test_a_decision_dated_before_the_approval_is_refused_beside_the_date(approved, current_year):
    approved.approved_on = datetime.date(2026, 6, 1)
    approved.save()
    (calc,) = services.grant_calculate_year(fiscal_year=current_year).saved
    with pytest.raises(ValidationError) as refused:
        services.decision_decide(calculation=calc, decided_on=datetime.date(2026, 5, 1))
    assert refused.value.message_dict["decided_on"] == [
        "決定日（令和8年5月1日）の時点で唐松まちづくり協議会は認可されていません（認可日 令和8年6月1日）。"
        "決定日は認可日以降にしてください。"
    ]
    assert not GrantDecision.objects.exists()


def test_a_decision_before_the_application_was_received_is_refused_beside_the_date(application):
    (calc,) = services.grant_calculate_year(fiscal_year=application.fiscal_year).saved
    with pytest.raises(ValidationError) as refused:
        services.decision_decide(calculation=calc, decided_on=datetime.date(2026, 4, 9))
    assert "受付日（令和8年4月10日）以降にしてください" in refused.value.message_dict["decided_on"][0]
    assert not GrantDecision.objects.exists()


def test_an_application_received_before_the_approval_is_refused_beside_the_date(approved, projects, current_year):
    approved.approved_on = datetime.date(2026, 4, 15)
    approved.save()
    application_record(
        organization=approved,
        fiscal_year=current_year,
        received_on=datetime.date(2026, 4, 10),
        requested_amount=TOTAL,
        budget=budget_for(projects),
    )
    (calc,) = services.grant_calculate_year(fiscal_year=current_year).saved
    with pytest.raises(ValidationError) as refused:
        services.decision_decide(calculation=calc, decided_on=datetime.date(2026, 5, 1))
    assert "認可日（令和8年4月15日）より前です" in refused.value.message_dict["decided_on"][0]


# -- which organizations a year's 算定 includes ------------------------------------------------------


@pytest.fixture
def last_year(approved, other_approved, area, other_area):
    """令和7年度 with its rule and statistics: 唐松 was approved in it (2025-06-01), 高尾 only in 2026."""
    year = FiscalYear.for_year(2025)
    GrantRule.objects.create(
        fiscal_year=year, equal_share=300_000, per_capita=1_000, per_household=1_500, secretariat_cost=600_000
    )
    for region in (area, other_area):
        RegionStatistic.objects.create(
            region=region, reference_date=year.statistics_reference_date, population=100, households=50
        )
    other_approved.approved_on = datetime.date(2026, 5, 10)
    other_approved.save()
    return year


def test_recalculating_a_past_year_includes_only_organizations_approved_then(last_year, current_year):
    assert [g.organization.name for g in calculate_year(last_year).grants] == ["唐松まちづくり協議会"]
    assert [g.organization.name for g in calculate_year(current_year).grants] == [
        "唐松まちづくり協議会",
        "高尾ふれあい協議会",
    ]


def test_a_revoked_organization_keeps_the_years_it_was_approved(approved, policy_officer, last_year, current_year):
    organization_services.organization_revoke(organization=approved, by=policy_officer, reason="活動の停止")
    revoked_on = approved.history.first().history_date.date()
    assert approval_on(approved, datetime.date(2025, 7, 1)) == datetime.date(2025, 6, 1)
    assert approval_on(approved, revoked_on) is None
    assert approved.pk in approved_during(last_year.starts_on, last_year.ends_on)
    assert "唐松まちづくり協議会" in [g.organization.name for g in calculate_year(last_year).grants]
    next_year = FiscalYear.for_year(revoked_on.year + 1)
    assert approved.pk not in approved_during(next_year.starts_on, next_year.ends_on)
