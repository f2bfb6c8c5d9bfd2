"""Grants fixtures: a fiscal year's rule, statistics and allocations for an approved organization.

PostgreSQL-only tests (marked `postgres`) are deselected on SQLite by the hook in tests/conftest.py.
"""

import datetime

import pytest

from grants import services
from grants.models import FiscalYear, GrantRule, IntegratedSubsidy, SubsidyAllocation
from organizations.models import AnnualPlan, PlannedProject, RegionStatistic
from tests.helpers import approve_decision


@pytest.fixture
def current_year(db):
    """In the grants tests, a fixed fiscal year (令和8年度): the notices' 和暦 dates and numbers then
    read the same whatever day the suite runs."""
    return FiscalYear.for_year(2026)


@pytest.fixture
def rule(current_year):
    return GrantRule.objects.create(
        fiscal_year=current_year,
        equal_share=300_000,
        per_capita=1_100,
        per_household=1_500,
        secretariat_cost=600_000,
        rounding_unit=1_000,
    )


@pytest.fixture
def subsidy():
    return IntegratedSubsidy.objects.create(name="地域振興会運営補助金", former_department="総合政策課")


@pytest.fixture
def approved(organization, area, current_year, rule, subsidy):
    """`organization`, approved, with 1,234 people in 517 households on the reference date and one
    integrated subsidy of 150,000 yen."""
    organization.approval_status = "approved"
    organization.approval_number = "新総政第1号"
    organization.approved_on = datetime.date(2025, 6, 1)
    organization.representative_title = "会長"
    organization.representative_name = "石井 正男"
    organization.save()
    RegionStatistic.objects.create(
        region=area, reference_date=current_year.statistics_reference_date, population=1_234, households=517
    )
    SubsidyAllocation.objects.create(
        subsidy=subsidy, organization=organization, fiscal_year=current_year, amount=150_000
    )
    return organization


@pytest.fixture
def other_approved(other_organization, other_area, current_year, rule):
    other_organization.approval_status = "approved"
    other_organization.approval_number = "新総政第2号"
    other_organization.approved_on = datetime.date(2025, 6, 1)
    other_organization.save()
    RegionStatistic.objects.create(
        region=other_area, reference_date=current_year.statistics_reference_date, population=400, households=180
    )
    return other_organization


@pytest.fixture
def projects(approved, current_year):
    plan = AnnualPlan.objects.create(organization=approved, fiscal_year=current_year)
    return [
        PlannedProject.objects.create(
            annual_plan=plan, field="elderly", name="見守り・声かけ訪問", budget=800_000, order=1
        ),
        PlannedProject.objects.create(annual_plan=plan, field="disaster", name="防災訓練", budget=500_000, order=2),
    ]


@pytest.fixture
def calculation(approved, current_year, policy_officer):
    """The year's 算定 for `approved`, by the policy officer."""
    (calc,) = services.grant_calculate_year(fiscal_year=current_year, by=policy_officer).saved
    return calc


@pytest.fixture
def decision(calculation, decided_on, policy_officer, notice_settings):
    """The 交付決定 of `calculation`, decided by the policy officer, with the notice settings filled in, and its
    交付決定通知書 approved (決裁), so it has its number (「番号は決裁の後」) and later letters can cite it."""
    decision = services.decision_decide(calculation=calculation, decided_on=decided_on, by=policy_officer)
    approve_decision(decision)
    return decision


@pytest.fixture
def reserved_decision(calculation, decided_on, policy_officer, notice_settings):
    """The 交付決定 of `calculation` before its notice's 決裁: its line of the register has no number yet."""
    return services.decision_decide(calculation=calculation, decided_on=decided_on, by=policy_officer)


@pytest.fixture
def decided_on(current_year):
    return current_year.starts_on + datetime.timedelta(days=30)


@pytest.fixture
def notice_settings(db):
    """Notice settings in force from 令和元年度, every placeholder filled in (the mayor's name is a test value)."""
    from grants import notice_texts
    from grants.models import NoticeSettings

    version, _ = NoticeSettings.objects.update_or_create(
        effective_from=datetime.date(2019, 4, 1),
        defaults={
            "mayor_title": "新見市長",
            "mayor_name": "新見 太郎",
            **notice_texts.DEMO_KIND_SETTINGS,
            "appeal_text": notice_texts.APPEAL_TEXT,
            "contact": notice_texts.CONTACT,
            "standard_conditions": notice_texts.STANDARD_CONDITIONS,
        },
    )
    return version
