"""Demo mode beyond the public pages: the admin, the liaison workspace and the 500/503 pages (rendered
without context processors) show the banner and the example contact with the mode on, and neither with it off."""

import pytest
from django.test import RequestFactory

from niimi_portal.lib.demo_mode import BANNER_TEXT
from niimi_portal.views import server_error

pytestmark = pytest.mark.django_db

REAL_PHONE = "0867-72-6143"


@pytest.mark.parametrize("demo_mode", [True, False], ids=["mode-on", "mode-off"])
def test_the_admin_shows_the_banner_only_in_demo_mode(clerk, settings, demo_mode):
    settings.DEMO_MODE = demo_mode
    html = clerk.get("/admin/").content.decode()
    assert (BANNER_TEXT in html) is demo_mode


@pytest.mark.parametrize("demo_mode", [True, False], ids=["mode-on", "mode-off"])
def test_the_workspace_shows_the_banner_and_example_contact_only_in_demo_mode(
    client, assigned_liaison, settings, demo_mode
):
    settings.DEMO_MODE = demo_mode
    client.force_login(assigned_liaison)
    response = client.get("/workspace/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (BANNER_TEXT in html) is demo_mode
    assert (REAL_PHONE in html) is not demo_mode


@pytest.mark.parametrize("demo_mode", [True, False], ids=["mode-on", "mode-off"])
def test_the_server_error_page_shows_the_banner_only_in_demo_mode(settings, demo_mode):
    settings.DEMO_MODE = demo_mode
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        html = server_error(RequestFactory().get("/")).content.decode()
    assert (BANNER_TEXT in html) is demo_mode
    assert (REAL_PHONE in html) is not demo_mode
    assert ("デモ" in html) is demo_mode
