"""The open data files, the 予定 page and feed, and the printouts make the same number of queries whatever
the amount of data: measured with `loaddemo` and with `loaddemo --scale 10`."""

import pytest
from django.utils import timezone

from niimi_portal.lib.wareki import fiscal_year_of
from tests.helpers import Client, get_within_queries

pytestmark = pytest.mark.django_db

LAST_YEAR = fiscal_year_of(timezone.localdate()) - 1

# url → the most queries it may make, at any scale.
PAGES = {
    # fiscal years with a roster; fiscal years with grants to published organizations; the page's 更新日
    "/open-data/": 3,
    # published organizations; their areas with the 旧市町; their consents to publication
    "/open-data/organizations.csv": 3,
    "/open-data/organizations.json": 3,
    # areas with the 旧市町; the latest statistic of each; their published organizations
    "/open-data/areas.csv": 3,
    "/open-data/areas.json": 3,
    # the years with a published roster (for the default year); assignments with officer and organization;
    # the organizations' areas; the areas assigned directly
    "/open-data/liaisons.csv": 4,
    # the same: the years with a roster also check the one asked for
    f"/open-data/liaisons.json?year={LAST_YEAR}": 4,
    # decisions with organization, fiscal year and calculation
    "/open-data/grants.csv": 1,
    f"/open-data/grants.json?year={LAST_YEAR}": 2,
    # count for the paginator; the page of meetings with organization and area; the page's 更新日
    "/schedule/": 3,
    # the meetings with organization and area
    "/schedule.ics": 1,
    # fiscal years with a roster; assignments; areas of their organizations; areas assigned directly
    "/liaisons/roster.pdf": 4,
    # organization; its areas; its consents to publication; future plan; annual plan; its projects; liaisons
    "/organizations/kumano-mirai/plan.pdf": 7,
}


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_the_data(scaled_demo, url):
    get_within_queries(url, PAGES[url])


@pytest.mark.parametrize("url, item", [("/open-data/organizations.csv", "332119,"), ("/schedule.ics", "BEGIN:VEVENT")])
def test_the_files_hold_every_row_at_ten_times_the_data(scaled_demo, url, item):
    """Files are not paginated: ten times the data gives ten times the rows."""
    count = Client().get(url).content.decode().count(item)
    assert count == {1: 7, 10: 70}[scaled_demo] if url.endswith(".csv") else count >= 7 * scaled_demo


def test_the_schedule_page_paginates_at_fifty(scaled_demo):
    page = Client().get("/schedule/").content.decode()
    shown = page.count('class="schedule-item')
    assert 0 < shown <= 50
    assert ("次のページ" in page) == (scaled_demo == 10)
