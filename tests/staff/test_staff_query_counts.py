"""Every staff page makes the same number of queries whatever the amount of data: each admin changelist
and change page the policy clerk may open and each page of the liaison workspace (tests/staff_pages.py
lists them), measured with `loaddemo` and again after `loaddemo --scale 10` (ten times the areas,
organizations, meetings and FAQ). bench/staff_pages.py measures the same pages at scale 100."""

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.staff_pages import give_the_liaison_every_page, queries_of, staff_pages

pytestmark = pytest.mark.django_db

WORKSPACE_PAGES = {
    "workspace dashboard",
    "workspace organization",
    "workspace area",
    "workspace new meeting",
    "workspace stage change",
    "workspace meeting list",
    "workspace meeting export",
    "workspace meeting detail",
    "workspace meeting edit",
    "workspace meeting archive",
    "workspace attachment download",
    "workspace attachment remove",
}


def counted():
    """{label: (queries, SQL)} of each staff page's second rendering (the first fills the caches)."""
    measured = {}
    for label, client, url in staff_pages():
        queries_of(client, url)
        measured[label] = queries_of(client, url)
    return measured


@pytest.fixture(scope="module")
def small_and_large(django_db_setup, django_db_blocker):
    """The queries of every staff page with the demo data, then with ten times as much, in one transaction
    rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddemo", verbosity=0)
        give_the_liaison_every_page()
        small = counted()
        call_command("loaddemo", verbosity=0, scale=10)
        large = counted()
        transaction.set_rollback(True)
    return small, large


def test_every_admin_list_and_change_page_and_every_workspace_page_is_measured(small_and_large):
    small, large = small_and_large
    assert set(small) == set(large)
    assert set(small) >= WORKSPACE_PAGES
    admin_lists = {label for label in small if label.startswith("admin ") and label.endswith(" list")}
    assert {"admin organizations_organization list", "admin grants_grantdecision list"} <= admin_lists
    assert len(admin_lists) >= 20, sorted(admin_lists)


def test_no_staff_page_makes_more_queries_with_more_data(small_and_large):
    small, large = small_and_large
    grown = {label: (small[label][0], large[label][0]) for label in small if small[label][0] != large[label][0]}
    sql = "\n\n".join(f"{label} at scale 10:\n" + "\n".join(large[label][1]) for label in grown)
    assert grown == {}, f"queries at scale 1 → 10: {grown}\n{sql}"
