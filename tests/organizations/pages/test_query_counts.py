"""Each public list and detail page makes the same number of queries whatever the amount of data:
measured with `loaddemo` and with `loaddemo --scale 10` (ten times the areas, organizations and FAQ)."""

import re

import pytest
from django.core.paginator import Paginator
from django.test import RequestFactory

from niimi_portal.templatetags.portal import page_links
from tests.helpers import Client, get_within_queries

pytestmark = pytest.mark.django_db

# Every HTML page also reads its 更新日: one query for the latest change among the page tags it shows
# (niimi_portal/updated.py), whatever the amount of data. It is counted here once, not in each line below.
UPDATED_ON = 1

# url → the most queries it may make, at any scale, besides the 更新日.
PAGES = {
    # published organizations per stage, with how many are approved; areas per 旧市町 and stage; the page's
    # texts (PageBlock); the latest お知らせ
    "/": 4,
    # count for the paginator; the page of areas with the areas above them; the published organizations
    # of those areas (a 大字 shows its 学区's organization); each 旧市町's 地域数 (the home table's tally)
    "/regions/": 4,
    # region with its 旧市町 and the areas above it; the tree of areas and its statistics (figures by the
    # lowest units); its organizations with the summary of this year's annual plan; their future plans;
    # liaisons; case examples
    "/regions/karamatsu/": 6,
    # the 旧市町; the tree and its statistics; organizations (none, so no plans); liaisons; organizations
    # working in part of it; the page of its areas (counted from the tree); their 地域数 (the home table's
    # rule); case examples
    "/regions/niimi/": 8,
    # the candidates (exact, then partial)
    "/regions/find/?q=いく": 2,
    # count for the paginator (plain Paginator: its own COUNT); the page of organizations; their areas
    "/organizations/": 3,
    "/organizations/?stage=3&approval=approved": 3,
    # organization; its areas; its consents to publication; future plan; annual plan; its projects; liaisons;
    # the stage texts (PageBlock); case examples
    "/organizations/kumano-mirai/": 9,
    # count for the paginator; the page of questions with their categories and sources
    "/faq/": 2,
    "/faq/?q=交付金": 2,
    # count for the paginator; the page of case examples with their organizations; their areas
    "/cases/": 3,
    # the case example; its areas; its photos
    "/cases/karamatsu-hirose-workshop/": 3,
    # fiscal years on the roster; assignments; areas of their organizations; areas assigned directly
    "/liaisons/": 4,
    # this fiscal year; its rule; the page's texts (PageBlock); integrated subsidies (the area is typed, not
    # chosen from a list)
    "/grants/": 4,
    # … and the chosen area with the areas above it, the organizations covering it, and its decision with
    # the calculation; the names of the organization's areas (the figures cover them all)
    "/grants/?region=karamatsu": 8,
    # … or, for an undecided organization (大佐くらし支え合い会議 covers the 学区 of this 大字), no decision,
    # then the clerks' calculation over all its areas: rule; organization; its areas; the tree and its
    # statistics; subsidy allocations; last year's calculation; the names of its areas
    "/grants/?region=osa-tajibe": 14,
    # … or the areas of that name (exact, found at once), then the same as for a chosen area
    "/grants/?area=からまつ": 8,
    # … or the areas of that name (exact none, then partial): the candidates
    "/grants/?area=しんごう": 6,
    # the policy division's search words (SearchPhrase), the areas named in かな or kanji (唐松 ↔ からまつ),
    # then per kind: the first results, each row carrying the count of all (COUNT(*) OVER ())
    "/search/?q=からまつ": 7,
    "/search/?q=の": 7,
    # one kind, paginated: the search words, the areas named, count and page
    "/search/?q=の&kind=faq": 4,
}


@pytest.mark.parametrize("url", PAGES)
def test_page_query_count_does_not_grow_with_the_data(scaled_demo, url):
    get_within_queries(url, PAGES[url] + UPDATED_ON)


@pytest.mark.parametrize(
    "url, item",
    [
        ("/regions/", 'class="region-item"'),
        ("/regions/niimi/", 'class="region-item"'),
        ("/organizations/", 'class="card mb-3"'),
        ("/faq/", "data-faq-item"),
        ("/search/?q=の&kind=faq", "<li>"),
    ],
)
def test_lists_longer_than_fifty_items_paginate(scaled_demo, url, item):
    html = Client().get(url).content.decode()
    shown = html.count(item)
    assert 0 < shown <= 50
    if scaled_demo == 10:  # ten times the data: more than one page
        assert "次のページ" in html
        assert '2<span class="visually-hidden">ページ目</span>' in html
    else:
        assert "次のページ" not in html


def test_find_my_area_shows_at_most_fifty_candidates_and_says_there_are_more(client, scaled_demo):
    page = client.get("/regions/find/", {"q": "た"}).content.decode()
    shown = page.count('class="region-item"')
    if scaled_demo == 10:
        assert shown == 50 and "最初の 50 か所だけを表示しています" in page
    else:
        assert 1 < shown < 50 and "最初の" not in page


def test_a_long_list_links_the_pages_near_this_one_and_the_ends_not_every_page():
    """61 pages of areas at 100× data would be 61 links (and 122 query strings to build); the list links
    the first and last pages, two on each side of this one, and "…" between, keeping the other parameters."""
    request = RequestFactory().get("/regions/", {"page": 30, "sort": "x"})
    page = Paginator(range(3005), 50).get_page(30)
    links = page_links({"request": request}, page)
    pages = links["pages"]
    assert [link.get("number", "…") for link in pages] == [1, "…", 28, 29, 30, 31, 32, "…", 61]
    assert pages[0]["url"] == "?sort=x"  # page 1 has no page parameter: one address per page
    assert pages[2]["url"] == "?sort=x&page=28"
    assert [link["number"] for link in pages if link.get("current")] == [30]
    assert (links["previous"], links["next"]) == ("?sort=x&page=29", "?sort=x&page=31")
    second = page_links({"request": RequestFactory().get("/regions/", {"page": 2})}, page.paginator.get_page(2))
    assert (second["previous"], second["next"]) == ("?", "?page=3")  # back to page 1: no page parameter
    last = page_links({"request": request}, page.paginator.get_page(61))
    assert last["next"] is None and last["previous"] == "?sort=x&page=60"


def test_the_list_pages_link_each_other(scaled_demo):
    html = Client().get("/regions/", {"page": 2, "sort": "x"}).content.decode()
    if scaled_demo != 10:  # one page: no page links at all
        assert "page-link" not in html
        return
    pages = int(re.search(r"（2 / (\d+) ページ）", html).group(1))
    linked = [int(n) for n in re.findall(r'>(\d+)<span class="visually-hidden">ページ目</span>', html)]
    assert linked == list(range(1, pages + 1)) * 2  # few pages: every one, above and below the list
    assert 'href="?sort=x"' in html and f'href="?sort=x&amp;page={pages}"' in html
    assert 'aria-current="page"><span class="visually-hidden">現在の</span>2<' in html
