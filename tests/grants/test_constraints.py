"""Each database constraint of the grants app rejects a bad row."""

import datetime

import pytest
from model_bakery import baker

from grants.models import FiscalYear, GrantCalculation, GrantDecision, GrantRule, IntegratedSubsidy, SubsidyAllocation
from tests.helpers import rejects

pytestmark = pytest.mark.django_db


def test_fiscal_year_starts_on_april_first():
    rejects(
        lambda: FiscalYear.objects.create(
            year=2030, starts_on=datetime.date(2030, 1, 1), statistics_reference_date=datetime.date(2030, 4, 1)
        )
    )
    FiscalYear.objects.create(
        year=2030, starts_on=datetime.date(2030, 4, 1), statistics_reference_date=datetime.date(2030, 4, 1)
    )
    assert FiscalYear.objects.get(year=2030).label == "令和12年度"


def test_fiscal_years_are_unique(current_year):
    rejects(
        lambda: FiscalYear.objects.create(
            year=current_year.year, starts_on=current_year.starts_on, statistics_reference_date=current_year.starts_on
        )
    )


def test_grant_rule_amounts_cannot_be_negative(current_year):
    rejects(
        lambda: GrantRule.objects.create(
            fiscal_year=current_year, equal_share=-1, per_capita=1000, per_household=1000, secretariat_cost=0
        )
    )


def test_grant_rule_rounding_unit_is_positive(current_year):
    rejects(
        lambda: GrantRule.objects.create(
            fiscal_year=current_year, equal_share=1, per_capita=1, per_household=1, secretariat_cost=1, rounding_unit=0
        )
    )


def test_allocation_is_unique_and_non_negative(organization, current_year):
    subsidy = IntegratedSubsidy.objects.create(name="地域振興会運営補助金")
    rejects(
        lambda: SubsidyAllocation.objects.create(
            subsidy=subsidy, organization=organization, fiscal_year=current_year, amount=-5
        )
    )
    SubsidyAllocation.objects.create(subsidy=subsidy, organization=organization, fiscal_year=current_year, amount=5)
    rejects(
        lambda: SubsidyAllocation.objects.create(
            subsidy=subsidy, organization=organization, fiscal_year=current_year, amount=7
        )
    )


def test_calculation_total_is_base_plus_subsidies(organization, current_year):
    rejects(
        lambda: GrantCalculation.objects.create(
            organization=organization, fiscal_year=current_year, base_amount=100, subsidy_amount=50, total=999
        )
    )


def test_decision_numbers_are_unique_per_year_and_settled_amount_capped(organization, other_organization, current_year):
    calc = GrantCalculation.objects.create(
        organization=organization, fiscal_year=current_year, base_amount=100, subsidy_amount=0, total=100
    )
    other_calc = GrantCalculation.objects.create(
        organization=other_organization, fiscal_year=current_year, base_amount=100, subsidy_amount=0, total=100
    )
    fields = {"fiscal_year": current_year, "decided_on": datetime.date(2026, 5, 1), "amount": 100}
    GrantDecision.objects.create(
        calculation=calc, organization=organization, number=1, document_number="新総政第1号", **fields
    )
    rejects(
        lambda: GrantDecision.objects.create(
            calculation=other_calc, organization=other_organization, number=1, document_number="新総政第1号", **fields
        )
    )
    rejects(
        lambda: GrantDecision.objects.create(
            calculation=other_calc,
            organization=other_organization,
            number=2,
            document_number="新総政第2号",
            settled_amount=101,
            **fields,
        )
    )
    # Nothing paid yet: settling below the decided amount leaves nothing to return and 80 to pay.
    unpaid = baker.prepare(GrantDecision, amount=100, settled_amount=80)
    assert (unpaid.refund_amount, unpaid.unpaid_amount) == (0, 80)
