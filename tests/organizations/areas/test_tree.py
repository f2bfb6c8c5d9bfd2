"""The tree of areas: 旧市町 → 学区 → 大字 → 行政区, organizations found through any level, and the one
population rule that never counts an area twice."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from model_bakery import baker

from grants.calculation import calculate_year
from grants.models import GrantRule
from organizations.areas import population_of
from organizations.models import Organization, Region, RegionSlugRedirect, RegionStatistic

DAY = datetime.date(2026, 4, 1)


def area(name, kind, parent=None, **extra):
    return Region.objects.create(name=name, name_kana=extra.pop("kana", "よみ"), kind=kind, parent=parent, **extra)


def count(region, population, households, day=DAY):
    return RegionStatistic.objects.create(
        region=region, reference_date=day, population=population, households=households
    )


@pytest.fixture
def osa(db):
    town = area("大佐", "town", order=2)
    school = area("大佐小学校区", "school", town)
    oaza = [area(name, "oaza", school) for name in ("大佐小阪部", "大佐田治部", "大佐永富")]
    for region, (population, households) in zip(oaza, [(700, 300), (800, 350), (560, 240)], strict=True):
        count(region, population, households)
    return town, school, oaza


# -- the rule ------------------------------------------------------------------------------------------


def test_a_school_district_and_its_oaza_chosen_together_count_once(osa):
    _, school, oaza = osa
    figures = population_of([school, oaza[0], oaza[1]], on=DAY)
    assert (figures.population, figures.households) == (2060, 890)
    assert population_of(oaza, on=DAY).population == 2060


def test_lowest_units_win_over_the_district_own_figure(osa):
    _, school, oaza = osa
    count(school, 1182, 500)
    assert population_of([school], on=DAY).population == 2060  # every 大字 counted: their sum
    RegionStatistic.objects.filter(region=oaza[2]).delete()
    assert population_of([school], on=DAY).population == 1182  # one 大字 missing: the 学区's own figure
    RegionStatistic.objects.filter(region=school).delete()
    assert population_of([school], on=DAY).missing == ("大佐永富",)


def test_a_self_defined_district_is_the_set_of_its_gyoseiku(osa):
    _, _, oaza = osa
    parts = [area(f"行政区{i}", "district", oaza[0]) for i in range(3)]
    for part in parts:
        count(part, 100, 40)
    assert population_of(parts[:2], on=DAY).population == 200
    # the 大字 now counts as its 行政区, and choosing it with one of them still counts each once
    assert population_of([oaza[0], parts[0]], on=DAY).population == 300


def test_other_dates_do_not_count_for_the_grant(osa):
    _, school, _ = osa
    assert population_of([school], on=DAY.replace(year=2025)).missing
    assert population_of([school], on=DAY.replace(year=2027), exact=False).population == 2060


def test_grant_calculation_uses_the_same_rule(osa, current_year):
    _, school, oaza = osa
    GrantRule.objects.update_or_create(
        fiscal_year=current_year,
        defaults={
            "equal_share": 0,
            "per_capita": 1,
            "per_household": 0,
            "secretariat_cost": 0,
            "change_cap_percent": None,
        },
    )
    for region in oaza:
        RegionStatistic.objects.filter(region=region).update(reference_date=current_year.statistics_reference_date)
    organization = baker.make(
        Organization,
        slug="osa-kurashi",
        approval_status="approved",
        approval_number="第1号",
        approved_on=datetime.date(2025, 4, 1),
    )
    organization.regions.set([school, oaza[0]])
    (grant,) = calculate_year(current_year).grants
    assert (
        grant.population
        == 2060
        == population_of([school, oaza[0]], on=current_year.statistics_reference_date).population
    )


# -- pages and URLs ------------------------------------------------------------------------------------


def test_school_district_page_lists_its_oaza_and_a_partial_organization(client, osa):
    _, school, oaza = osa
    organization = baker.make(Organization, name="田治部の会", slug="tajibe", is_published=True)
    organization.regions.set([oaza[1]])
    html = client.get(school.get_absolute_url()).content.decode()
    assert "大佐小阪部" in html and "大佐永富" in html
    assert "この地域の一部を活動区域とする組織" in html and "田治部の会" in html
    assert "2,060" in html or "2060人" in html


def test_slugs_are_generated_readable_and_unique(osa):
    town, school, _ = osa
    assert town.slug == "大佐" and school.slug == "大佐小学校区"
    again = area("大佐小学校区", "school", town)
    assert again.slug == "大佐-大佐小学校区"
    third = area("大佐小学校区", "school", town)
    assert third.slug == "大佐-大佐小学校区-2"


def test_old_url_redirects_after_the_slug_changes(client, osa):
    _, _, oaza = osa
    tajibe = oaza[1]
    tajibe.slug = "osa-tajibe"
    tajibe.save()
    old_path = reverse("organizations:region_detail", args=["大佐田治部"])
    response = client.get(old_path)
    assert response.status_code == 301 and response["Location"] == "/regions/osa-tajibe/"
    assert client.get("/regions/osa-tajibe/").status_code == 200
    assert RegionSlugRedirect.objects.get().region == tajibe
    assert client.get("/regions/no-such-area/").status_code == 404


def test_japanese_path_is_served(client, osa):
    _, school, _ = osa
    response = client.get(school.get_absolute_url())
    assert response.status_code == 200 and "大佐小学校区" in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "parent_kind", "message"),
    [
        ("school", "oaza", "小学校区の上位には"),
        ("oaza", None, "上位の地域を選んでください"),
        ("town", "town", "旧市町には上位の地域はありません"),
    ],
)
def test_a_child_sits_below_its_parent(db, kind, parent_kind, message):
    parent = area("上", parent_kind, area("町", "town")) if parent_kind == "oaza" else None
    if parent_kind == "town":
        parent = area("町", "town")
    region = Region(name="下", name_kana="した", kind=kind, parent=parent)
    with pytest.raises(ValidationError, match=message):
        region.full_clean()


def test_admin_dashboard_counts_each_oaza_once_through_its_school_district(osa):
    from niimi_portal import dashboard

    _, school, oaza = osa
    organization = baker.make(Organization, slug="osa-kurashi", stage=2)
    organization.regions.set([school])
    area("大佐新しい大字", "oaza", school)  # still without figures: counted all the same
    towns = dashboard.areas_by_stage()
    (row,) = [r for r in towns["rows"] if r["town"].name == "大佐"]
    assert row["cells"] == [0, 0, 4, 0] and row["total"] == 4


def test_an_areas_subtree_read_in_one_query_gives_what_the_whole_tree_gives(osa, django_assert_num_queries):
    """AreaTree.load(within=…) reads the areas under the chosen ones and their statistics in one recursive
    query; its figures are the whole city's tree's, for every area, on both reference-date rules."""
    from organizations.areas import AreaTree

    town, school, oaza = osa
    count(oaza[0], 710, 301, day=DAY + datetime.timedelta(days=30))  # a later figure for one 大字
    area("大佐小阪部一区", "district", oaza[0])  # an area with no figures under a 大字 that has them
    later = DAY + datetime.timedelta(days=60)
    for on, exact in [(DAY, True), (later, False), (later, True)]:
        whole = AreaTree.load(on=on, exact=exact)
        for region in [town, school, *oaza]:
            with django_assert_num_queries(1):
                part = AreaTree.load(on=on, exact=exact, within=[region.pk])
            assert part.figures([region.pk]) == whole.figures([region.pk]), (region.name, on, exact)
            assert sorted(part.descendant_ids(region.pk)) == sorted(whole.descendant_ids(region.pk))
    assert AreaTree.load(on=later, exact=False, within=[school.pk]).figures([school.pk]).population == 2070
