"""Who enters the admin, and django-axes locking an account out after repeated failed logins, in Japanese."""

import pytest
from django.conf import settings

from tests.conftest import PASSWORD
from tests.helpers import Client, current_code, totp_device

pytestmark = pytest.mark.django_db


def test_liaison_officers_are_refused_by_the_admin_login(assigned_liaison):
    client = Client()
    response = client.post("/admin/login/", {"username": "tanto1", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 200
    assert "スタッフアカウント" in response.content.decode()  # Django's Japanese message: staff accounts only
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_the_policy_officer_enters_the_admin_with_password_and_code(policy_officer):
    device = totp_device(policy_officer)
    client = Client()
    response = client.post("/admin/login/", {"username": "seisaku", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/")["Location"] == "/accounts/two-factor/verify/?next=/admin/"
    response = client.post("/accounts/two-factor/verify/", {"code": current_code(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_settings_lock_after_five_failures_for_an_hour():
    assert settings.AXES_ENABLED
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == 1


@pytest.mark.parametrize("login_url", ["/admin/login/", "/accounts/login/"])
def test_repeated_failed_logins_lock_the_account_out_with_a_japanese_message(policy_officer, login_url):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login_url, {"username": "seisaku", "password": "wrong-password"})
        assert response.status_code == 200  # the form again, with an error

    locked = client.post(login_url, {"username": "seisaku", "password": "wrong-password"})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "ログインを一時停止しています" in html
    assert "1時間停止しました" in html
    assert '<html lang="ja">' in html

    # Even the right password is refused while locked out.
    again = client.post(login_url, {"username": "seisaku", "password": PASSWORD, "next": "/admin/"})
    assert again.status_code == 429
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_a_lockout_of_one_account_leaves_another_account_alone(policy_officer, superuser):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "seisaku", "password": "wrong-password"})
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
