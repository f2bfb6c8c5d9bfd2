"""One truth per figure (issue 31, item 3): a crawl of the demo comparing the home table, the area lists,
the area pages, the roster and the 一括交付金 estimates — each count per 旧市町, each liaison of an area and
each population equal everywhere it appears."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from niimi_portal.lib import furigana
from organizations.models import Organization, Region

pytestmark = pytest.mark.django_db

TOWN_ROW = re.compile(r'<th scope="row"><a href="/regions/([\w-]+)/">[^<]*</a></th>\s*<td class="text-end">(\d+)</td>')
LIST_HEADING = re.compile(r'<h2 id="town-([\w-]+)"[^>]*>.*?（地域数 (\d+)）</span></h2>', re.S)
AREA_LINK = re.compile(r'href="/regions/([\w-]+)/"')
OFFICER = re.compile(r'<span class="officer-name">([^<]+)</span>')
POPULATION = re.compile(r"<dt[^>]*>人口</dt><dd[^>]*>([\d,]+)人</dd>\s*<dt[^>]*>世帯数</dt><dd[^>]*>([\d,]+)世帯</dd>")
PER_CAPITA = re.compile(r"([\d,]+)人 × ")
PER_HOUSEHOLD = re.compile(r"([\d,]+)世帯 × ")


def number(text):
    return int(text.replace(",", ""))


@pytest.fixture(scope="module")
def site(module_demo, django_db_blocker):
    """Each page of the demo, fetched once: path → HTML."""
    with django_db_blocker.unblock():
        cache.clear()
        furigana.forget_readings()
        client, pages = Client(), {}

        def get(path):
            if path not in pages:
                response = client.get(path)
                assert response.status_code == 200, path
                pages[path] = response.content.decode()
            return pages[path]

        yield get
        cache.clear()


def section(html, start, end_marker="</section>"):
    begin = html.index(start)
    return html[begin : html.index(end_marker, begin)]


def test_each_town_count_is_the_same_on_home_the_list_and_the_town_page(site):
    home = {slug: int(n) for slug, n in TOWN_ROW.findall(site("/"))}
    listed = {slug: int(n) for slug, n in LIST_HEADING.findall(site("/regions/"))}
    assert home["osa"] == 3 and home["tessei"] == 2  # the 学区 counts as its 大字, not as one more area
    assert listed == home
    regions = site("/regions/")
    for slug, count in home.items():
        town_page = site(f"/regions/{slug}/")
        assert f"（地域数 {count}）" in town_page, slug
        # the rows the list shows under the town, less those it says are not counted, are the same number
        rows = section(regions, f'id="town-{slug}"')
        assert rows.count('class="region-item"') - rows.count("地域数には数えません") == count, slug
        children = section(town_page, 'id="children-heading"')
        assert children.count('class="region-item"') - children.count("地域数には数えません") == count, slug


def test_each_area_page_names_the_liaisons_the_roster_lists_for_it(site):
    roster = site("/liaisons/")
    by_area = {}
    for row in re.findall(r"<tr>\s*<th scope=\"row\" class=\"col-area\">.*?</tr>", roster, re.S):
        names = set(OFFICER.findall(row))
        assert names
        for slug in AREA_LINK.findall(row):
            by_area.setdefault(slug, set()).update(names)
    assert {"osa-school", "tessei-school", "karamatsu"} <= set(by_area)
    towns = dict(Region.objects.filter(kind=Region.Kind.FORMER_TOWN).values_list("pk", "slug"))
    by_town = {}
    for region in Region.objects.filter(slug__in=by_area):
        by_town.setdefault(towns[region.town_id], set()).update(by_area[region.slug])
    for slug, names in [*by_area.items(), *by_town.items()]:
        liaisons = section(site(f"/regions/{slug}/"), 'id="liaison-heading"')
        assert "まだ決まっていません" not in liaisons, slug
        shown = {name for name in names if name in liaisons}
        assert shown == names, slug
    # 大佐 and 哲西: the town pages name the officers the roster lists under them
    assert by_town["osa"] and by_town["tessei"]


def test_each_population_is_the_same_on_the_area_page_and_in_the_estimate(site):
    figures = {}
    for region in Region.objects.exclude(kind=Region.Kind.FORMER_TOWN):
        found = POPULATION.search(site(region.get_absolute_url()))
        if found:
            figures[region.slug] = (number(found.group(1)), number(found.group(2)))
    organizations = Organization.objects.filter(is_published=True).prefetch_related("regions")
    checked = 0
    for organization in organizations:
        areas = list(organization.regions.all())
        if not all(area.slug in figures for area in areas):
            continue
        whole = tuple(sum(figures[area.slug][i] for area in areas) for i in (0, 1))
        for area in areas:
            estimate = site(f"/grants/?region={area.slug}")
            result = section(estimate, 'id="estimate-result"')
            if "人口割" not in result:
                continue
            assert (number(PER_CAPITA.search(result).group(1)), number(PER_HOUSEHOLD.search(result).group(1))) == whole
            # the figures are said to cover the organization's whole 活動区域, by name
            names = "・".join(a.name for a in sorted(areas, key=lambda a: (a.name_kana, a.pk)))
            assert f"組織の活動区域全体（{names}" in result, area.slug
            checked += 1
    assert checked >= 2
    karamatsu = section(site("/grants/?region=karamatsu"), 'id="estimate-result"')
    assert "唐松だけでなく、組織の活動区域全体（唐松・広瀬）の数です" in karamatsu


def test_the_approval_reads_the_same_term_in_public_and_in_the_workspace(site):
    takao = Organization.objects.get(slug="takao-fureai")
    assert takao.public_approval_label == "未認可"
    assert takao.staff_approval_label == "未認可（申請中）"
    page = site(takao.get_absolute_url())
    assert "認可の状況: <strong>未認可</strong>" in page and "準備中</strong>" not in page
    approved = Organization.objects.get(slug="karamatsu-machizukuri")
    assert approved.public_approval_label == approved.staff_approval_label == "認可"
