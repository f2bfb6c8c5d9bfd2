"""The permission matrix: every URL pattern × every role, against the table in permission_matrix.py.

A URL pattern without a row fails here, naming it; so does a row whose pattern is gone. Then each
role opens every page and gets the status the table expects; and wherever a role is refused, a POST
is refused the same way and the database (every table, every row) stays as it was.
"""

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse

from tests.helpers import Client
from tests.security.permission_matrix import (
    FORBIDDEN,
    MATRIX,
    NOT_FOUND,
    REFUSALS,
    Redirect,
    is_stock_admin,
)
from tests.security.world import ROLES, database_state, state_changes

pytestmark = pytest.mark.django_db


def url_patterns(patterns=None, prefix="", namespace=None):
    """(namespace, name, route) of every URL pattern of the URL conf, includes followed."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from url_patterns(pattern.url_patterns, route, inner)
        else:
            yield namespace, pattern.name, route


def checked_patterns():
    """{qualified name (or the route, for a pattern without a name): route} of every pattern needing a row."""
    return {
        ":".join(filter(None, [namespace, name or route])): route
        for namespace, name, route in url_patterns()
        if not is_stock_admin(namespace, name)
    }


def test_every_url_pattern_has_a_row_in_the_permission_matrix():
    missing = [f"{name}  ({route})" for name, route in checked_patterns().items() if name not in MATRIX]
    assert not missing, (
        "These URL patterns have no row in tests/security/permission_matrix.py. Decide who may open "
        "them and add a row for each:\n  " + "\n  ".join(missing)
    )


def test_every_row_of_the_permission_matrix_names_a_url_pattern():
    stale = sorted(set(MATRIX) - set(checked_patterns()))
    assert not stale, f"Rows for URL patterns that no longer exist: {stale}"


def urls(world, name):
    """The URLs of a row: one per set of arguments it lists."""
    return [reverse(name, kwargs=kwargs(world) if callable(kwargs) else kwargs) for kwargs in MATRIX[name].kwargs]


def client_for(world, role):
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def answer(response, expected):
    """The response in the table's terms: the expected Redirect when it matches, else its status."""
    if isinstance(expected, Redirect) and response.status_code == expected.status:
        return expected if response["Location"].startswith(expected.to) else f"302→{response['Location']}"
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says_on_every_page(world, role, record_property):
    client = client_for(world, role)
    wrong, checked = [], 0
    for name in sorted(MATRIX):
        expected = MATRIX[name].expect[role]
        for url in urls(world, name):
            got = answer(client.get(url), expected)
            checked += 1
            if got != expected:
                wrong.append(f"{name} {url}: expected {expected}, got {got}")
    assert not wrong, f"{role}:\n  " + "\n  ".join(wrong)
    assert checked == sum(len(row.kwargs) for row in MATRIX.values())
    record_property("urls_checked", checked)


def test_the_matrix_size(capsys):
    """URL patterns × roles, and the concrete URLs (patterns with several argument sets count each)."""
    patterns = len(MATRIX)
    concrete = sum(len(row.kwargs) for row in MATRIX.values())
    with capsys.disabled():
        print(f"\npermission matrix: {patterns} URL patterns × {len(ROLES)} roles = {patterns * len(ROLES)} rows; ")
        print(f"{concrete} URLs × {len(ROLES)} roles = {concrete * len(ROLES)} requests checked")
    assert patterns >= 45


OBJECT_LEVEL = sorted(name for name, row in MATRIX.items() if row.object_level)


def test_object_level_rows_cover_the_workspace_and_the_policy_views():
    workspace = {name for name in MATRIX if name.startswith("staff:")}
    lists = {"staff:dashboard", "staff:meeting_list", "staff:meeting_export"}  # only the liaison's own records
    assert workspace - lists <= set(OBJECT_LEVEL)
    assert {name for name in MATRIX if name.startswith("admin:")} - {"admin:organizations_organization_export"} <= set(
        OBJECT_LEVEL
    )


def test_another_areas_liaison_is_refused_on_every_object_and_nothing_changes(world):
    """GET and POST on the other area's records and on the policy views: 403/404 (or the admin's
    login for the admin), and not one row of any table changes."""
    client = client_for(world, "other_liaison")
    wrong = []
    for name in OBJECT_LEVEL:
        expected = MATRIX[name].expect["other_liaison"]
        if name.startswith("staff:"):
            assert expected in (FORBIDDEN, NOT_FOUND), name
        assert expected in REFUSALS, name
        post = MATRIX[name].post
        for url in urls(world, name):
            before = database_state()
            got_get = answer(client.get(url), expected)
            got_post = answer(client.post(url, post(world) if post else {}), expected)
            changed = state_changes(before, database_state())
            if got_get != expected or got_post != expected or changed:
                wrong.append(f"{name} {url}: GET {got_get}, POST {got_post}, expected {expected}; changed: {changed}")
    assert not wrong, "\n".join(wrong)


def test_the_posted_form_data_would_be_saved_for_the_assigned_liaison(world):
    """The object-level POSTs send valid data: for the liaison of the area they save (and redirect),
    so only the permission check stops the other area's liaison."""
    client = client_for(world, "assigned_liaison")
    unsaved = []
    for name in OBJECT_LEVEL:
        row = MATRIX[name]
        if not name.startswith("staff:") or row.post is None:
            continue
        for url in urls(world, name):
            with transaction.atomic():
                before = database_state()
                response = client.post(url, row.post(world))
                if response.status_code != 302 or not state_changes(before, database_state()):
                    unsaved.append(f"{name} {url}: {response.status_code}")
                transaction.set_rollback(True)
    assert not unsaved, unsaved


@pytest.mark.parametrize("role", ROLES)
def test_a_refused_role_is_refused_for_post_too_and_nothing_changes(world, role):
    """Wherever a role's GET is refused, a POST with valid form data is refused the same way."""
    client = client_for(world, role)
    wrong = []
    before = database_state()
    for name, row in sorted(MATRIX.items()):
        expected = row.expect[role]
        if expected not in REFUSALS:
            continue
        for url in urls(world, name):
            got = answer(client.post(url, row.post(world) if row.post else {}), expected)
            if got != expected:
                wrong.append(f"{name} {url}: POST expected {expected}, got {got}")
    assert not wrong, f"{role}:\n  " + "\n  ".join(wrong)
    assert state_changes(before, database_state()) == []


def test_the_database_comparison_sees_a_changed_row_even_when_counts_stay(world):
    before = database_state()
    type(world.meeting).objects.filter(pk=world.meeting.pk).update(place="別の場所")
    assert state_changes(before, database_state()) == ["staff_meeting: 3 → 3 rows"]
