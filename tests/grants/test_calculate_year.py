"""calculate_year: the inputs of the pure function, read from the database for every 認可 organization."""

import datetime

import pytest
from model_bakery import baker

from grants.calculation import MissingGrantRule, calculate_year
from grants.models import FiscalYear, GrantCalculation, GrantRule
from niimi_portal.lib.wareki import wareki_date
from organizations.models import Organization, Region, RegionStatistic

pytestmark = pytest.mark.django_db


def test_it_uses_the_statistics_of_the_reference_date_and_the_allocations(approved, area, current_year):
    # A figure from another date must not be used.
    RegionStatistic.objects.create(
        region=area,
        reference_date=current_year.statistics_reference_date - datetime.timedelta(days=365),
        population=9_999,
        households=9_999,
    )
    result = calculate_year(current_year)
    (grant,) = result.grants
    assert grant.organization == approved
    assert (grant.population, grant.households) == (1_234, 517)
    assert grant.breakdown.base_amount == 3_032_000
    assert [(line.label, line.amount) for line in grant.breakdown.lines if line.kind == "subsidy"] == [
        ("地域振興会運営補助金", 150_000)
    ]
    assert grant.breakdown.total == 3_182_000
    assert result.missing == ()


def test_covered_areas_are_added_up(approved, other_area, current_year):
    approved.regions.add(other_area)
    RegionStatistic.objects.create(
        region=other_area, reference_date=current_year.statistics_reference_date, population=100, households=40
    )
    (grant,) = calculate_year(current_year).grants
    assert (grant.population, grant.households) == (1_334, 557)


def test_an_organization_lacking_statistics_is_reported_by_name_not_given_zero(approved, other_area, current_year):
    approved.regions.add(other_area)  # 高尾 has no figures on the reference date
    result = calculate_year(current_year)
    assert result.grants == ()
    (missing,) = result.missing
    assert missing.organization == approved
    assert missing.areas == ("高尾",)
    reference = wareki_date(current_year.statistics_reference_date)
    assert missing.message == f"唐松まちづくり協議会: 高尾の{reference}現在の人口・世帯数が登録されていません。"


def test_an_organization_without_areas_is_reported(approved, current_year):
    approved.regions.clear()
    (missing,) = calculate_year(current_year).missing
    assert missing.message == "唐松まちづくり協議会: 活動区域が登録されていません。"


@pytest.mark.parametrize("status", ["not_applied", "applied", "returned", "revoked"])
def test_only_approved_organizations_are_calculated(approved, other_organization, other_area, current_year, status):
    other_organization.approval_status = status
    other_organization.save()
    RegionStatistic.objects.create(
        region=other_area, reference_date=current_year.statistics_reference_date, population=10, households=5
    )
    result = calculate_year(current_year)
    assert [grant.organization for grant in result.grants] == [approved]
    assert result.missing == ()


def test_last_years_base_amount_caps_the_change(approved, current_year, rule):
    rule.change_cap_percent = 10
    rule.save()
    last_year = FiscalYear.for_year(current_year.year - 1)
    GrantCalculation.objects.create(
        organization=approved, fiscal_year=last_year, base_amount=2_000_000, subsidy_amount=0, total=2_000_000
    )
    (grant,) = calculate_year(current_year).grants
    assert grant.previous.total == 2_000_000
    assert grant.breakdown.base_amount == 2_200_000
    assert grant.breakdown.lines[-2].label == "激変緩和"


def test_a_year_without_a_rule_is_refused_by_name(approved):
    year = FiscalYear.for_year(2031)
    with pytest.raises(MissingGrantRule, match="令和13年度の交付基準が登録されていません"):
        calculate_year(year)


def test_it_reads_a_constant_number_of_queries(approved, current_year, town, django_assert_num_queries):
    for i in range(6):
        region = baker.make(Region, kind="oaza", name=f"地区{i}", name_kana=f"ちく{i}", slug=f"area-{i}", parent=town)
        RegionStatistic.objects.create(
            region=region, reference_date=current_year.statistics_reference_date, population=10 * i, households=i
        )
        org = baker.make(
            Organization,
            name=f"組織{i}",
            name_kana=f"そしき{i}",
            slug=f"org-{i}",
            approval_status="approved",
            approval_number=f"第{i}号",
            approved_on=datetime.date(2025, 4, 1),
        )
        org.regions.set([region])
    # rule, the approval history, organizations without history, organizations, their areas, the tree
    # of areas, its statistics, allocations, last year's calculations
    with django_assert_num_queries(9):
        result = calculate_year(current_year)
    assert len(result.grants) == 7


def test_rule_is_data_per_fiscal_year(approved, current_year):
    GrantRule.objects.filter(fiscal_year=current_year).update(per_capita=2_000)
    (grant,) = calculate_year(current_year).grants
    assert grant.breakdown.lines[1].amount == 1_234 * 2_000
