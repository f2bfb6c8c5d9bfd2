"""Issue 36, item 5: the app tells nginx which pages it may keep (`X-Accel-Expires`, PUBLIC_PAGE_PROXY_SECONDS):
every public page an anonymous visitor may share, also while the shared cache is down; never a page for a
signed-in user, a form with a CSRF token, or a page the page cache would not keep.
(nginx's side: tests/security/test_nginx_page_cache.py.)"""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.niimi_portal.test_cache_failure import UNREACHABLE, cache_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/faq/", "/organizations/", "/search/?q=からまつ"])
def test_a_public_page_may_be_kept_by_nginx_for_the_set_seconds(demo, url, settings):
    settings.PUBLIC_PAGE_PROXY_SECONDS = 5
    miss, hit = Client().get(url), Client().get(url)
    assert miss["X-Accel-Expires"] == hit["X-Accel-Expires"] == "5"
    assert hit["X-Page-Cache"] == "hit"


def test_while_the_shared_cache_is_down_the_page_still_may_be_kept(demo, settings):
    settings.PUBLIC_PAGE_PROXY_SECONDS = 5
    with cache_settings(UNREACHABLE):
        response = Client().get("/faq/")
    assert response.status_code == 200 and response["X-Accel-Expires"] == "5"


def test_never_for_a_signed_in_user_a_form_or_an_unknown_parameter(demo, client, settings):
    settings.PUBLIC_PAGE_PROXY_SECONDS = 5
    client.force_login(User.objects.get(username="seisaku"))  # the demo's policy clerk
    assert "X-Accel-Expires" not in client.get("/faq/")
    assert "X-Accel-Expires" not in Client().get("/accounts/login/")
    assert "X-Accel-Expires" not in Client().get("/about/?flood=1")


def test_zero_turns_it_off(demo, settings):
    settings.PUBLIC_PAGE_PROXY_SECONDS = 0
    assert "X-Accel-Expires" not in Client().get("/faq/")
