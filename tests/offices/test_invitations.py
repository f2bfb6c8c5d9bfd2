"""事務局の招待: 総合政策課 invites a person from the organization's admin page; the mail's one-time link sets a
password (and stops working once used); a person may serve two organizations; the 課 removes them."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from offices.models import OfficeMember
from tests.conftest import PASSWORD
from tests.helpers import Client
from tests.offices.conftest import new_office_user

pytestmark = pytest.mark.django_db

EMAIL = "hanako@karamatsu.example"


def invite_url(organization):
    return reverse("admin:organizations_organization_invite", args=[organization.pk])


def invite(clerk, organization, **changes):
    data = {"name": "新見 花子", "email": EMAIL, "role": "会計", **changes}
    return clerk.post(invite_url(organization), data)


def mail_body(message):
    return message.body


def welcome_link(message):
    (link,) = re.findall(r"http://\S+/office/welcome/\S+/", mail_body(message))
    return link.removeprefix("http://localhost:8000")


def test_the_organization_page_offers_the_invitation(clerk, organization):
    page = clerk.get(reverse("admin:organizations_organization_change", args=[organization.pk]))
    assert page.status_code == 200
    assert "事務局のアカウント" in page.text and "事務局を招待する" in page.text
    assert invite_url(organization) in page.text
    assert "通知書の受け取り方" in page.text


def test_an_invitation_makes_an_account_that_is_not_staff_and_mails_a_one_time_link(clerk, organization):
    response = invite(clerk, organization)
    assert response.status_code == 302
    user = User.objects.get(username=EMAIL)
    assert user.email == EMAIL and (user.last_name, user.first_name) == ("新見", "花子")
    assert not user.is_staff and not user.is_superuser and not user.has_usable_password()
    member = OfficeMember.objects.get(user=user)
    assert member.organization == organization and member.role == "会計" and member.joined_at is None
    assert member.invited_by.username == "seisaku"
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert "事務局のアカウントのご案内" in message.subject
    assert "唐松まちづくり協議会" in mail_body(message) and "1回だけ" in mail_body(message)

    link = welcome_link(message)
    visitor = Client()
    assert "パスワードの設定" in visitor.get(link).text
    # a bad pair of passwords is refused beside the field, and nothing is set
    refused = visitor.post(link, {"new_password1": "mizuhiki-7392-sora", "new_password2": "other"})
    assert refused.status_code == 200 and "is-invalid" in refused.text
    user.refresh_from_db()
    assert not user.has_usable_password()
    done = visitor.post(link, {"new_password1": "mizuhiki-7392-sora", "new_password2": "mizuhiki-7392-sora"})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    user.refresh_from_db()
    assert user.check_password("mizuhiki-7392-sora")
    member.refresh_from_db()
    assert member.joined_at is not None

    # the link is spent
    again = visitor.get(link)
    assert again.status_code == 404 and "このリンクは使えません" in again.text
    assert visitor.post(link, {"new_password1": "hijack-2026-zz", "new_password2": "hijack-2026-zz"}).status_code == 404
    user.refresh_from_db()
    assert user.check_password("mizuhiki-7392-sora")

    # and signing in with it lands on the organization's home
    signed_in = Client()
    landed = signed_in.post(reverse("login"), {"username": EMAIL, "password": "mizuhiki-7392-sora"}, follow=True)
    assert landed.redirect_chain[-1][0] == reverse("offices:home", kwargs={"slug": organization.slug})


def test_a_person_may_serve_two_organizations_with_one_account(clerk, organization, other_organization):
    existing = new_office_user("hanako", other_organization, email=EMAIL)
    assert invite(clerk, organization, email=EMAIL.upper()).status_code == 302
    assert User.objects.filter(email__iexact=EMAIL).count() == 1
    assert set(existing.office_memberships.values_list("organization__slug", flat=True)) == {
        organization.slug,
        other_organization.slug,
    }
    (message,) = mail.outbox
    assert "/office/welcome/" not in mail_body(message)  # their password stays; the mail says to sign in
    assert "いまお使いのアカウント" in mail_body(message)
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    client = Client()
    client.force_login(existing)
    start = client.get(reverse("offices:start"))
    assert "唐松まちづくり協議会" in start.text and "高尾ふれあい協議会" in start.text


def test_an_invitation_twice_or_to_a_staff_address_is_refused_beside_the_field(clerk, organization, policy_officer):
    invite(clerk, organization)
    again = invite(clerk, organization)
    assert again.status_code == 200
    assert "すでにこの組織の事務局に登録されています" in again.text
    policy_officer.email = "seisaku@city.niimi.example"
    policy_officer.save()
    staff = invite(clerk, organization, email="seisaku@city.niimi.example")
    assert "市の職員のアカウント" in staff.text
    assert OfficeMember.objects.count() == 1 and len(mail.outbox) == 1


def test_the_invitation_form_asks_for_what_is_missing(clerk, organization):
    response = invite(clerk, organization, name="", email="not-an-address")
    assert "氏名を入力してください" in response.text and "メールアドレスの形が正しくありません" in response.text
    assert not OfficeMember.objects.exists()


def test_only_the_division_invites(organization, assigned_liaison, office_member):
    for user in (assigned_liaison, office_member):
        client = Client()
        client.force_login(user)
        response = client.post(invite_url(organization), {"name": "x y", "email": "x@example.jp"})
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert OfficeMember.objects.count() == 1


def test_the_division_removes_a_member_by_post_and_the_history_stays(clerk, organization, office_member):
    member = office_member.office_memberships.get()
    url = reverse("admin:organizations_organization_office_remove", args=[organization.pk, member.pk])
    confirm = clerk.get(url)
    assert "事務局から外します" in confirm.text
    assert OfficeMember.objects.filter(pk=member.pk).exists()  # a GET changes nothing
    assert clerk.post(url).status_code == 302
    assert not OfficeMember.objects.filter(pk=member.pk).exists()
    assert User.objects.filter(pk=office_member.pk).exists()  # the account stays
    history = list(OfficeMember.history.filter(id=member.pk).order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "-"]
    assert history[-1].history_change_reason == "事務局から外す"
    client = Client()
    client.force_login(office_member)
    assert client.get(reverse("offices:home", kwargs={"slug": organization.slug})).status_code == 404


def test_a_member_removed_before_setting_a_password_finds_the_link_dead(clerk, organization):
    invite(clerk, organization)
    link = welcome_link(mail.outbox[0])
    OfficeMember.objects.all().delete()
    assert Client().get(link).status_code == 404


def test_another_organizations_member_cannot_be_removed_through_this_page(clerk, organization, other_organization):
    other = new_office_user("takao", other_organization).office_memberships.get()
    url = reverse("admin:organizations_organization_office_remove", args=[organization.pk, other.pk])
    assert clerk.post(url).status_code == 404
    assert OfficeMember.objects.filter(pk=other.pk).exists()


def test_the_accounts_list_in_the_admin_shows_names_not_user_names(clerk, office_member):
    page = clerk.get(reverse("admin:offices_officemember_changelist"))
    assert page.status_code == 200
    assert "新見 花子" in page.text and "karamatsu-jimu@example.jp" in page.text
    assert clerk.get(reverse("admin:offices_officemember_add")).status_code == 403
    member = office_member.office_memberships.get()
    change = clerk.get(reverse("admin:offices_officemember_change", args=[member.pk]))
    assert change.status_code == 200 and "新見 花子" in change.text and "唐松まちづくり協議会" in change.text
