"""The demo's areas as a tree: 大佐's 大字 under 大佐小学校区, and what the pages make of it."""

import pytest

from organizations.areas import population_of
from organizations.models import Region
from tests.conftest import module_demo  # noqa: F401


@pytest.mark.django_db
@pytest.mark.usefixtures("module_demo")
@pytest.mark.parametrize("slug", ["osa-kosakabe", "osa-tajibe", "osa-nagatomi"])
def test_every_oaza_of_osa_school_district_shows_its_organization(client, slug):
    html = client.get(f"/regions/{slug}/").content.decode()
    assert "大佐くらし支え合い会議" in html
    assert "設立に向けた取組（① 機運づくり）もまだ始まっていません" not in html
    # the chain: ホーム › 地域の一覧 › 大佐 › 大佐小学校区 › the 大字
    assert 'href="/regions/osa/">大佐</a>' in html and 'href="/regions/osa-school/">大佐小学校区</a>' in html


@pytest.mark.django_db
@pytest.mark.usefixtures("module_demo")
def test_home_counts_osa_as_its_three_oaza_all_at_stage_two(client):
    from niimi_portal.views import where_areas_stand

    towns = where_areas_stand()
    assert [t["name"] for t in towns] == ["新見", "大佐", "神郷", "哲多", "哲西"]
    osa_row = next(t for t in towns if t["name"] == "大佐")
    assert osa_row["areas"] == 3 and osa_row["none"] == 0 and osa_row["stages"] == [0, 3, 0]
    assert "旧市町" in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("module_demo")
def test_demo_school_district_figures_are_the_sum_of_its_oaza():
    school = Region.objects.get(slug="osa-school")
    assert not school.statistics.exists()
    total = population_of(list(school.children.all()))
    assert population_of([school]).population == total.population > 0
    assert population_of([school, *school.children.all()]).population == total.population


@pytest.mark.django_db
@pytest.mark.usefixtures("module_demo")
def test_old_region_labels_and_kinds():
    assert Region.objects.get(slug="niimi").get_kind_display() == "旧市町"
    assert Region.objects.get(slug="osa-tajibe").parent.slug == "osa-school"
