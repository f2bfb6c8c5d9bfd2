"""Public pages are cached whole, and a change made anywhere shows on the next request."""

import gzip

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse

from grants import approval_acts
from organizations.models import FAQ, Organization
from tests.helpers import Client

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
    assert "未認可" in fetch(client, organization.get_absolute_url()).content.decode()
    approval_acts.organization_approve(
        organization=organization, by=policy_officer, number="新総政第99号", date=organization.applied_on
    )
    assert "認可番号 新総政第99号" in fetch(client, organization.get_absolute_url()).content.decode()
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


def test_a_hit_carries_the_same_security_headers_as_the_first_answer(client, demo):
    first = fetch(client, "/faq/")
    second = fetch(client, "/faq/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert second[header] == first[header], header
    assert second.content == first.content


def test_a_visitor_with_a_session_cookie_always_reaches_the_view(client, demo):
    """A session may be a signed-in member of staff: the page cache never answers it."""
    fetch(client, "/faq/")
    assert fetch(client, "/faq/")["X-Page-Cache"] == "hit"
    client.cookies[settings.SESSION_COOKIE_NAME] = "stale-or-unknown"
    assert "X-Page-Cache" not in fetch(client, "/faq/")


def test_a_pending_message_is_shown_not_hidden_behind_a_cached_copy(client, demo, rf):
    fetch(client, "/faq/")
    storage = CookieStorage(rf.get("/faq/"))
    storage.add(messages.INFO, "表示の設定を変更しました。")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    response = fetch(client, "/faq/")
    assert "表示の設定を変更しました。" in response.content.decode()
    assert "X-Page-Cache" not in response


def test_a_cached_page_is_refused_to_a_host_outside_allowed_hosts(client, demo):
    fetch(client, "/faq/")
    assert fetch(client, "/faq/")["X-Page-Cache"] == "hit"
    assert client.get("/faq/", headers={"host": "evil.example"}).status_code == 400


def test_the_csrf_cookie_alone_does_not_turn_the_cache_off(client, demo):
    fetch(client, "/faq/")
    client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    assert fetch(client, "/faq/")["X-Page-Cache"] == "hit"


def test_pages_outside_the_public_list_never_touch_the_cache(client, demo, monkeypatch):
    """Login pages, staff pages and unknown URLs are not looked up: no wasted round trip per request."""
    from django.core.cache import cache

    looked_up = []
    monkeypatch.setattr(cache, "get_many", lambda keys, **kw: looked_up.append(keys) or {})
    for url in ("/accounts/login/", "/admin/login/", "/_baseline", "/no-such-page/", "/workspace/"):
        client.get(url)
    assert looked_up == []
    client.get("/faq/")
    # The page's tag versions, read once when it is stored.
    assert len(looked_up) == 1


@pytest.mark.parametrize("url", ["/liaisons/roster.pdf", "/organizations/kumano-mirai/plan.pdf"])
def test_the_printable_pdfs_are_rendered_once_then_served_from_the_cache(client, demo, url, django_assert_num_queries):
    first = fetch(client, url)
    with django_assert_num_queries(0):
        second = fetch(client, url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second["Content-Type"] == "application/pdf" and second.content.startswith(b"%PDF")
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]


GZIP = {"Accept-Encoding": "gzip, deflate, br"}  # what a browser sends


@pytest.mark.parametrize("url", ["/faq/", "/open-data/organizations.json"])
def test_public_pages_go_gzip_compressed_to_browsers_that_accept_it(client, demo, url):
    plain = fetch(client, url)
    for _ in range(2):  # compressed once when stored, served compressed from then on
        packed = client.get(url, headers=GZIP)
        assert (packed["X-Page-Cache"], packed["Content-Encoding"]) == ("hit", "gzip")
        assert gzip.decompress(packed.content) == plain.content
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert "Content-Encoding" not in plain and int(plain["Content-Length"]) == len(plain.content)


def test_the_first_visit_of_a_browser_is_compressed_too(client, demo):
    first = client.get("/faq/", headers=GZIP)
    assert (first["X-Page-Cache"], first["Content-Encoding"]) == ("miss", "gzip")
    assert "よくある質問" in gzip.decompress(first.content).decode()


@pytest.mark.parametrize("url", ["/accounts/login/", "/liaisons/roster.pdf"])
def test_pages_with_a_csrf_token_and_pdfs_are_sent_as_they_are(client, demo, url):
    """No compression where a secret could leak through it (BREACH), nor where it gains nothing."""
    for _ in range(2):
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200
        assert "Content-Encoding" not in response


def test_staff_pages_are_sent_as_they_are(client, demo):
    client.force_login(User.objects.get(username="seisaku"))
    response = client.get("/faq/", headers=GZIP)
    assert response.status_code == 200 and "Content-Encoding" not in response
    assert "ログアウト" in response.content.decode()
