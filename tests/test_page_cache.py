"""Public pages are cached whole, and a change made anywhere shows on the next request."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from organizations import services as organization_services
from organizations.models import FAQ, Organization

pytestmark = pytest.mark.django_db


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_second_visit_is_served_from_the_cache_without_queries(client, demo, django_assert_num_queries):
    assert fetch(client, "/organizations/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert fetch(client, "/organizations/")["X-Page-Cache"] == "hit"


def test_editing_an_organization_shows_at_once_on_its_page_and_the_lists(client, demo):
    organization = Organization.objects.get(slug="karamatsu-machizukuri")
    pages = ["/", "/organizations/", organization.get_absolute_url(), "/regions/karamatsu/", "/search/?q=からまつ"]
    for url in pages:
        fetch(client, url)
        assert fetch(client, url)["X-Page-Cache"] == "hit"

    organization.name = "唐松みらい協議会"
    organization.save()

    for url in pages[1:]:
        response = fetch(client, url)
        assert response["X-Page-Cache"] == "miss", url
        assert "唐松みらい協議会" in response.content.decode(), url


def test_an_approval_in_the_admin_shows_on_the_public_page(client, demo):
    policy_officer = User.objects.get(username="seisaku")
    organization = Organization.objects.get(slug="takao-fureai")
    assert "申請中" in fetch(client, organization.get_absolute_url()).content.decode()
    organization_services.organization_approve(
        organization=organization, by=policy_officer, number="新総政第99号", date=organization.applied_on
    )
    assert "認可" in fetch(client, organization.get_absolute_url()).content.decode()
    assert fetch(client, organization.get_absolute_url())["X-Page-Cache"] == "hit"


def test_unpublishing_a_faq_removes_it_at_once(client, demo):
    faq = FAQ.objects.published().first()
    assert faq.question in fetch(client, "/faq/").content.decode()
    faq.is_published = False
    faq.save()
    assert faq.question not in fetch(client, "/faq/").content.decode()


def test_display_choices_get_their_own_cached_copy(client, demo):
    fetch(client, "/faq/")
    client.cookies["portal_text_size"] = "large"
    response = fetch(client, "/faq/")
    assert response["X-Page-Cache"] == "miss"
    assert "text-large" in response.content.decode()


def test_pages_for_logged_in_staff_are_never_cached(client, demo):
    client.force_login(User.objects.get(username="seisaku"))
    for _ in range(2):
        response = fetch(client, "/organizations/")
        assert "X-Page-Cache" not in response
    anonymous = Client()
    fetch(anonymous, "/organizations/")
    assert "ログアウト" not in fetch(anonymous, "/organizations/").content.decode()


def test_login_page_with_its_csrf_token_is_never_cached(client, db):
    for _ in range(2):
        response = fetch(client, "/accounts/login/")
        assert "X-Page-Cache" not in response
