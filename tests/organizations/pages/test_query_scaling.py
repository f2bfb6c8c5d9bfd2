"""The number of queries a public page makes is exactly the same with the demo data and with a
hundred times the areas, organizations, meetings and FAQ (`loaddemo --scale 100`)."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import load_demo_for_module
from tests.helpers import Client
from tests.organizations.pages.test_query_counts import PAGES

pytestmark = pytest.mark.django_db


def measure():
    counts = {}
    for url in PAGES:
        cache.clear()  # measure the page itself, not the page cache
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


@pytest.fixture(scope="module")
def counts_at_two_scales(django_db_setup, django_db_blocker):
    for _ in load_demo_for_module(django_db_blocker):
        with django_db_blocker.unblock():
            small = measure()
            call_command("loaddemo", scale=100, verbosity=0)
            large = measure()
        yield small, large


@pytest.mark.parametrize("url", PAGES)
def test_query_count_is_the_same_at_scale_1_and_scale_100(counts_at_two_scales, url):
    small, large = counts_at_two_scales
    assert large[url] == small[url], f"{url}: {small[url]} queries at scale 1, {large[url]} at scale 100"
