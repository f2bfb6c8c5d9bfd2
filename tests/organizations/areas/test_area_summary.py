"""Each area's stored 旧市町, stage and tally flag (organizations.area_summary) follow every edit that
weighs on them, so the home page's town tally and the area lists never show an old picture."""

import pytest
from model_bakery import baker

from organizations import area_summary
from organizations.imports import import_table
from organizations.models import Organization, Region
from organizations.public import areas_by_town, public_areas

Stage = Organization.Stage


def area(name, kind, parent=None, **extra):
    return Region.objects.create(name=name, name_kana=extra.pop("kana", "よみ"), kind=kind, parent=parent, **extra)


def stored(region):
    region.refresh_from_db()
    return region.town_id, region.stage_public, region.stage_all, region.is_counted


def tally(published=True):
    return {town["slug"]: (town["areas"], town["none"], town["stages"]) for town in areas_by_town(published=published)}


@pytest.fixture
def tree(db):
    niimi = area("新見", "town", kana="にいみ", slug="niimi", order=1)
    osa = area("大佐", "town", kana="おおさ", slug="osa", order=2)
    school = area("新見小学校区", "school", niimi, slug="niimi-school")
    oaza = area("唐松", "oaza", school, slug="karamatsu")
    district = area("唐松一区", "district", oaza, slug="karamatsu-1")
    return niimi, osa, school, oaza, district


@pytest.fixture
def organization(tree):
    _, _, school, _, _ = tree
    org = baker.make(Organization, slug="niimi-kyogikai", is_published=True, stage=Stage.PLANNING)
    org.regions.set([school])
    return org


def test_a_new_area_stores_its_town_and_whether_it_is_counted(tree):
    niimi, _, school, oaza, district = tree
    assert stored(niimi) == (niimi.pk, 0, 0, False)
    assert stored(school) == (niimi.pk, 0, 0, False)  # it has a 大字 below: the 大字 is counted instead
    assert stored(oaza) == (niimi.pk, 0, 0, True)
    assert stored(district) == (niimi.pk, 0, 0, False)
    assert oaza.town_id == niimi.pk  # the saved instance carries what is stored


def test_an_organization_covers_its_areas_and_the_two_levels_below(tree, organization):
    niimi, _, school, oaza, district = tree
    assert stored(school)[1:3] == (Stage.PLANNING, Stage.PLANNING)
    assert stored(oaza)[1:3] == (Stage.PLANNING, Stage.PLANNING)
    assert stored(district)[1:3] == (Stage.PLANNING, Stage.PLANNING)
    assert stored(niimi)[1:3] == (0, 0)
    assert tally() == {"niimi": (1, 0, [0, 1, 0])}


def test_stage_change_reaches_the_tally(tree, organization):
    organization.stage = Stage.MOMENTUM
    organization.save()
    assert tally() == {"niimi": (1, 0, [1, 0, 0])}


def test_unpublishing_leaves_the_public_tally_but_not_the_staff_one(tree, organization):
    _, _, _, oaza, _ = tree
    organization.is_published = False
    organization.save(update_fields=["is_published"])
    assert stored(oaza)[1:3] == (0, Stage.PLANNING)
    assert tally() == {"niimi": (1, 1, [0, 0, 0])}
    assert tally(published=False) == {"niimi": (1, 0, [0, 1, 0])}


def test_changing_an_organizations_areas_moves_its_stage(tree, organization):
    _, osa, _, oaza, _ = tree
    other = area("大佐小阪部", "oaza", osa, slug="osakabe")
    organization.regions.set([other])
    assert stored(oaza)[1:3] == (0, 0)
    assert stored(other)[1:3] == (Stage.PLANNING, Stage.PLANNING)
    organization.regions.clear()
    assert stored(other)[1:3] == (0, 0)


def test_deleting_an_organization_clears_its_areas_stage(tree, organization):
    _, _, _, oaza, _ = tree
    organization.delete()
    assert stored(oaza)[1:3] == (0, 0)


def test_moving_an_area_to_another_town_moves_it_and_the_areas_below(tree, organization):
    niimi, osa, school, oaza, district = tree
    osa_school = area("大佐小学校区", "school", osa, slug="osa-school")
    oaza.parent = osa_school
    oaza.save()
    assert stored(oaza) == (osa.pk, 0, 0, True)  # no longer under the organization's 学区
    assert stored(district)[0] == osa.pk
    assert stored(school)[3] is True  # left with no 大字, the 学区 counts as an area again
    assert stored(osa_school)[3] is False
    assert tally() == {"niimi": (1, 0, [0, 1, 0]), "osa": (1, 1, [0, 0, 0])}


def test_renaming_or_reordering_a_town_shows_in_the_lists_and_tally(tree):
    niimi, osa, _, oaza, _ = tree
    osa_oaza = area("大佐田治部", "oaza", osa, slug="tajibe")
    niimi.name, niimi.name_kana, niimi.order = "新見（旧新見市）", "にいみし", 3
    niimi.save()
    oaza.refresh_from_db()
    assert (oaza.town_order, oaza.town_kana) == (3, "にいみし")
    assert [town["slug"] for town in areas_by_town()] == ["osa", "niimi"]
    assert areas_by_town()[1]["name"] == "新見（旧新見市）"
    listed = list(public_areas().filter(pk__in=[oaza.pk, osa_oaza.pk]))
    assert [(a.pk, a.town_name) for a in listed] == [(osa_oaza.pk, "大佐"), (oaza.pk, "新見（旧新見市）")]


def test_deleting_an_area_counts_its_parent_again(tree):
    _, _, school, oaza, district = tree
    district.delete()
    oaza.delete()
    assert stored(school)[3] is True


def test_the_area_import_stores_the_new_areas_once_at_the_end(tree):
    niimi, *_ = tree
    content = "旧市町,学区,大字,行政区,よみ\n新見,新見小学校区,高尾,,たかお\n".encode()
    result = import_table(content, "areas.csv", kind="areas")
    assert result.saved and result.created == 1
    takao = Region.objects.get(name="高尾")
    assert stored(takao) == (niimi.pk, 0, 0, True)


def test_deferred_saves_are_worked_out_once_when_the_block_ends(tree):
    niimi, *_ = tree
    with area_summary.deferred():
        new = area("高尾", "oaza", niimi)
        assert stored(new)[0] is None  # not yet
    assert stored(new)[0] == niimi.pk


def test_refresh_repairs_rows_changed_without_signals(tree, organization):
    _, _, _, oaza, _ = tree
    Organization.objects.filter(pk=organization.pk).update(stage=Stage.MOMENTUM)
    assert stored(oaza)[1] == Stage.PLANNING  # .update() sends no signal
    area_summary.refresh()
    assert stored(oaza)[1] == Stage.MOMENTUM


def test_summaries_stop_at_a_loop_in_the_tree():
    # A loop cannot be saved through the forms (Region.clean); the rule must still end.
    result = area_summary.summaries({1: (2, "oaza", 0, "い"), 2: (1, "school", 0, "ろ")}, [(1, 2, True)])
    assert result == {1: (None, 0, "", 2, 2, False), 2: (None, 0, "", 2, 2, False)}
