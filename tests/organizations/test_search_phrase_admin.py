"""The policy division's table of search words (SearchPhrase) in the admin: policy staff only, each save in
its history, a synonym that leads nowhere refused on the form, the search page following at once."""

import pytest

from organizations.models import SearchPhrase
from tests.organizations.pages.test_search_words import SCHEDULE, pages_found

pytestmark = pytest.mark.django_db


def test_the_policy_division_edits_the_table_in_the_admin_and_a_liaison_cannot(
    client, policy_officer, assigned_liaison
):
    url = "/admin/organizations/searchphrase/add/"
    data = {"phrase": "寄り合い", "kind": "synonym", "target": "schedule", "means": ""}
    client.force_login(assigned_liaison)
    assert client.post(url, data).status_code in (302, 403)
    assert not SearchPhrase.objects.filter(phrase="寄り合い").exists()
    client.force_login(policy_officer)
    assert client.post(url, data).status_code == 302
    phrase = SearchPhrase.objects.get(phrase="寄り合い")
    assert phrase.history.get().history_user == policy_officer
    client.logout()
    assert f'href="{SCHEDULE}"' in pages_found(client.get("/search/", {"q": "寄り合い"}).content.decode())


def test_the_admin_refuses_a_synonym_that_leads_nowhere_beside_the_form(client, policy_officer):
    client.force_login(policy_officer)
    response = client.post(
        "/admin/organizations/searchphrase/add/", {"phrase": "なにか", "kind": "synonym", "target": "", "means": ""}
    )
    assert response.status_code == 200
    assert "案内するページか同じ意味の言葉" in response.content.decode()
    assert not SearchPhrase.objects.filter(phrase="なにか").exists()
