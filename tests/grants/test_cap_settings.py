"""The 交付基準's settings of 激変緩和 and mergers, in the pure arithmetic and in a year's 算定.
Figures hand-checked: 均等割 300,000 + 人口割 1,000人 × 1,000円 + 世帯割 400世帯 × 1,500円
+ 事務局人件費 600,000 = 2,500,000円; last year's base 1,500,000円 × 133% = 1,995,000円."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from grants import services
from grants.calculation import calculate_grant, calculate_year, cap_effect
from grants.models import FiscalYear, GrantCalculation, GrantRule
from organizations.models import RegionStatistic


def rule(**settings):
    values = {
        "equal_share": 300_000,
        "per_capita": 1_000,
        "per_household": 1_500,
        "secretariat_cost": 600_000,
        "rounding_unit": 1_000,
        "change_cap_percent": 33,
        "cap_exempt_area_change": True,
        "merger_keeps_shares": True,
    }
    return SimpleNamespace(**{**values, **settings})


def base(**kwargs):
    settings = {
        k: kwargs.pop(k)
        for k in list(kwargs)
        if k in ("change_cap_percent", "cap_exempt_area_change", "merger_keeps_shares")
    }
    return calculate_grant(rule=rule(**settings), population=1_000, households=400, **kwargs)


def test_the_cap_holds_a_growing_organization_to_133_percent():
    breakdown = base(previous_base=1_500_000)
    assert breakdown.base_amount == 1_995_000
    assert cap_effect(breakdown) == -505_000


def test_with_the_cap_off_the_calculated_base_stands():
    breakdown = base(previous_base=1_500_000, change_cap_percent=None)
    assert breakdown.base_amount == 2_500_000
    assert cap_effect(breakdown) == 0


def test_a_change_of_area_is_exempt_when_the_rule_says_so():
    assert base(previous_base=1_500_000, area_changed=True).base_amount == 2_500_000
    assert base(previous_base=1_500_000, area_changed=True, cap_exempt_area_change=False).base_amount == 1_995_000


def test_a_merged_organization_keeps_each_equal_share_and_secretariat_cost_when_the_rule_says_so():
    kept = base(merged_from=2)
    assert kept.base_amount == 3_400_000  # 2,500,000 + 300,000 + 600,000
    assert [line.amount for line in kept.lines[:4]] == [600_000, 1_000_000, 600_000, 1_200_000]
    assert base(merged_from=2, merger_keeps_shares=False).base_amount == 2_500_000  # loses 900,000


# -- in a year's 算定 and on the clerk's review page --------------------------------------------------


@pytest.fixture
def grown(approved, area, other_area, current_year, rule):
    """唐松 had 唐松 alone last year (base 1,500,000円) and now also covers 高尾 (400人・180世帯)."""
    last_year = FiscalYear.for_year(2025)
    GrantCalculation.objects.create(
        organization=approved,
        fiscal_year=last_year,
        lines=[],
        base_amount=1_500_000,
        subsidy_amount=0,
        total=1_500_000,
        region_ids=[area.pk],
    )
    RegionStatistic.objects.create(
        region=other_area, reference_date=current_year.statistics_reference_date, population=400, households=180
    )
    approved.regions.add(other_area)
    rule.change_cap_percent = 33
    rule.save()
    return approved


@pytest.mark.django_db
def test_an_organization_that_grew_is_not_capped_unless_the_rule_applies_the_cap(grown, current_year, rule):
    # 300,000 + 1,634人 × 1,100 + 697世帯 × 1,500 + 600,000 = 3,742,900 → 3,742,000
    (grant,) = calculate_year(current_year).grants
    assert grant.area_changed
    assert grant.breakdown.base_amount == 3_742_000
    rule.cap_exempt_area_change = False
    rule.save()
    (grant,) = calculate_year(current_year).grants
    assert grant.breakdown.base_amount == 1_995_000
    assert cap_effect(grant.breakdown) == -1_747_000


@pytest.mark.django_db
def test_the_review_page_shows_the_settings_and_the_cut_before_deciding(
    client, policy_officer, grown, rule, current_year
):
    rule.cap_exempt_area_change = False
    rule.save()
    services.grant_calculate_year(fiscal_year=current_year)
    client.force_login(policy_officer)
    page = client.get(reverse("admin:grants_fiscalyear_grants", args=[current_year.pk])).content.decode()
    assert "前年度の基本額の ±33% 以内" in page
    assert "活動区域の変更があった組織: 激変緩和を適用する" in page
    assert "3,742,000円" in page  # the base before the cap
    assert "△1,747,000円" in page  # what the cap takes away
    assert "活動区域の変更あり" in page  # and why the clerk may want the exemption


@pytest.mark.django_db
def test_the_calculation_keeps_the_areas_for_next_year(approved, area, current_year, rule):
    (calc,) = services.grant_calculate_year(fiscal_year=current_year).saved
    assert calc.region_ids == [area.pk]
    assert GrantRule.objects.get().cap_exempt_area_change  # the city-friendly setting is the default
