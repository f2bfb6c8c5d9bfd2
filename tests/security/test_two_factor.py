"""Two-factor sign-in (django-otp): required for 総合政策課 clerks and superusers, optional for liaisons;
TOTP or a backup code used once; setup with a QR code; reset only by another administrator.

These tests sign in through the login page (a password only), or with `force_login(..., verified=False)`,
so the gate is met as a person meets it."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from tests.helpers import Client, current_code, totp_device

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/"


def password_login(username):
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def backup_code(user, code="abcd2345"):
    device = StaticDevice.objects.create(user=user, name="予備コード")
    StaticToken.objects.create(device=device, token=code)
    return code


def test_a_clerk_without_a_code_is_refused_the_admin_and_the_workspace(policy_officer):
    totp_device(policy_officer)
    client = password_login("seisaku")
    for url in (ADMIN, "/admin/grants/grantdecision/", "/workspace/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{VERIFY}?next=")


def test_a_clerk_without_a_device_is_sent_to_set_one_up(policy_officer):
    client = password_login("seisaku")
    assert client.get(ADMIN)["Location"] == f"{SETUP}?next=/admin/"
    assert client.get(VERIFY)["Location"] == SETUP  # nothing to verify with yet


def test_a_wrong_code_is_refused_beside_the_field(policy_officer):
    device = totp_device(policy_officer)
    client = password_login("seisaku")
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong, "next": ADMIN})
    assert response.status_code == 200
    assert 'id="code-error"' in response.text and "確認コードが正しくありません" in response.text
    assert client.get(ADMIN).status_code == 302


def test_the_right_totp_admits_the_clerk(policy_officer):
    device = totp_device(policy_officer)
    client = password_login("seisaku")
    response = client.post(VERIFY, {"code": current_code(device), "next": ADMIN})
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_a_superuser_is_held_to_the_same_rule(superuser):
    device = totp_device(superuser)
    client = password_login("admin")
    assert client.get(ADMIN).status_code == 302
    client.post(VERIFY, {"code": current_code(device)})
    assert client.get(ADMIN).status_code == 200


def test_a_backup_code_works_once(policy_officer):
    code = backup_code(policy_officer)
    first = password_login("seisaku")
    response = first.post(VERIFY, {"code": code.upper(), "next": ADMIN})  # typed in capitals: still accepted
    assert response["Location"] == ADMIN
    assert first.get(ADMIN).status_code == 200
    second = password_login("seisaku")
    assert second.post(VERIFY, {"code": code, "next": ADMIN}).status_code == 200  # the form again
    assert second.get(ADMIN).status_code == 302


def test_a_liaison_is_not_forced(assigned_liaison):
    client = password_login("tanto1")
    assert client.get("/workspace/").status_code == 200


def test_a_liaison_who_set_up_a_device_is_asked_for_its_code(assigned_liaison):
    device = totp_device(assigned_liaison)
    client = password_login("tanto1")
    assert client.get("/workspace/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": current_code(device)})
    assert client.get("/workspace/").status_code == 200


def test_sign_out_stays_open_to_an_unverified_clerk(policy_officer):
    client = password_login("seisaku")
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and not response["Location"].startswith(SETUP)
    assert "_auth_user_id" not in client.session


def test_setting_up_the_app_confirms_it_and_shows_ten_backup_codes_once(policy_officer):
    client = password_login("seisaku")
    start = client.get(SETUP)
    assert "設定を始める" in start.text
    assert not TOTPDevice.objects.exists()  # GET changes nothing
    client.post(SETUP, {"action": "start", "next": ADMIN})
    page = client.get(SETUP)
    assert "<svg" in page.text and "セットアップキー" in page.text
    device = TOTPDevice.objects.get(user=policy_officer, confirmed=False)
    response = client.post(SETUP, {"action": "confirm", "code": current_code(device), "next": ADMIN})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = list(StaticToken.objects.filter(device__user=policy_officer).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in response.text for code in codes)
    assert client.get(ADMIN).status_code == 200  # verified by the setup itself
    assert "<code>" not in client.get(SETUP).text  # the codes are not shown again


def test_a_wrong_first_code_leaves_the_device_unconfirmed(policy_officer):
    client = password_login("seisaku")
    client.post(SETUP, {"action": "start"})
    device = TOTPDevice.objects.get(user=policy_officer)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"action": "confirm", "code": wrong})
    assert response.status_code == 200 and "確認コードが正しくありません" in response.text
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(ADMIN).status_code == 302


def test_another_administrator_resets_a_lost_device_and_it_is_logged(client, superuser, policy_officer):
    totp_device(policy_officer)
    backup_code(policy_officer)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "reset_two_factor", "_selected_action": [policy_officer.pk]}
    )
    assert response.status_code == 302
    assert not user_has_device(policy_officer, confirmed=None)
    entry = LogEntry.objects.get(object_id=str(policy_officer.pk))
    assert entry.user == superuser and "2段階認証をリセット" in entry.get_change_message()
    assert password_login("seisaku").get(ADMIN)["Location"].startswith(SETUP)  # sets it up again


def test_an_administrator_cannot_reset_their_own(client, superuser):
    totp_device(superuser)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [superuser.pk]},
        follow=True,
    )
    assert "ご自身の2段階認証はリセットできません" in response.text
    assert user_has_device(superuser)
    assert not LogEntry.objects.exists()


def test_a_clerk_without_the_superuser_flag_has_no_reset_action(client, policy_officer):
    other = User.objects.create_user("other", password=PASSWORD, is_staff=True)
    totp_device(other)
    client.force_login(policy_officer)
    client.post(reverse("admin:auth_user_changelist"), {"action": "reset_two_factor", "_selected_action": [other.pk]})
    assert user_has_device(other)


def test_the_test_client_signs_clerks_in_verified_only_when_asked(policy_officer):
    verified, unverified = Client(), Client()
    verified.force_login(policy_officer)
    unverified.force_login(policy_officer, verified=False)
    assert verified.get(ADMIN).status_code == 200
    assert unverified.get(ADMIN).status_code == 302


def test_the_workspace_offers_the_optional_setup_to_a_liaison(assigned_liaison):
    client = password_login("tanto1")
    assert reverse("two_factor_setup") in client.get("/workspace/").text
    assert "2段階認証は任意です" in client.get(SETUP).text


def test_the_code_page_never_sends_a_person_off_site(policy_officer):
    device = totp_device(policy_officer)
    client = password_login("seisaku")
    response = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == ADMIN
