"""掲載の同意 in the admin: 総合政策課 records and withdraws consents (inline on the organization, or on their
own list), the staff user entering one is recorded with it, every change is in its history, nobody deletes
one, and nobody else may touch them."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.utils import timezone

from organizations.models import PublicationConsent
from tests.organizations.test_workflow_admin import change_form_data

pytestmark = pytest.mark.django_db

ADD = "/admin/organizations/publicationconsent/add/"


def consent_form(organization, **fields):
    return {
        "organization": organization.pk,
        "item": PublicationConsent.Item.PHONE,
        "consented_value": "0867-99-1234",
        "given_by": "会長 石井 正男",
        "given_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "method": PublicationConsent.Method.WRITTEN,
        "withdrawn_on": "",
        "history_change_reason": "同意書（様式）を受理",
        **fields,
    }


def test_the_policy_group_may_add_and_change_consents_but_never_delete_them():
    policy = Group.objects.get(name=settings.POLICY_GROUP)
    codenames = set(
        policy.permissions.filter(content_type__model="publicationconsent").values_list("codename", flat=True)
    )
    assert codenames == {"add_publicationconsent", "change_publicationconsent", "view_publicationconsent"}
    liaison = Group.objects.get(name=settings.LIAISON_GROUP)
    assert not liaison.permissions.filter(content_type__model="publicationconsent").exists()


def test_a_clerk_records_a_consent_with_who_entered_it_in_its_history(clerk, policy_officer, organization):
    response = clerk.post(ADD, consent_form(organization))
    assert response.status_code == 302, response.content.decode()[:2000]
    consent = PublicationConsent.objects.get()
    assert consent.entered_by == policy_officer
    record = consent.history.get()
    assert (record.history_user, record.history_change_reason) == (policy_officer, "同意書（様式）を受理")


def test_the_organization_page_of_the_admin_has_the_consents_inline(clerk, organization):
    page = clerk.get(f"/admin/organizations/organization/{organization.pk}/change/").content.decode()
    assert 'name="publication_consents-TOTAL_FORMS"' in page
    assert "掲載の同意" in page


def test_a_future_withdrawal_date_is_refused(clerk, organization):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = clerk.post(ADD, consent_form(organization, withdrawn_on=tomorrow))
    assert response.status_code == 200
    assert "撤回日に先の日付は入力できません" in response.content.decode()
    assert not PublicationConsent.objects.exists()


@pytest.mark.parametrize("role", ["liaison", "staff without a group"])
def test_nobody_else_may_see_or_record_consents(client, organization, role):
    user = User.objects.create_user("someone", password="x", is_staff=role != "liaison")
    if role == "liaison":
        user.groups.add(Group.objects.get(name=settings.LIAISON_GROUP))
    client.force_login(user)
    for url in (ADD, "/admin/organizations/publicationconsent/"):
        assert client.get(url).status_code in (302, 403), url
    response = client.post(ADD, consent_form(organization))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/admin/login/" in response["Location"]
    assert not PublicationConsent.objects.exists()


def test_a_consent_entered_inline_on_the_organization_records_the_clerk(clerk, policy_officer, organization):
    row = consent_form(organization)
    data = change_form_data(organization, **{"publication_consents-TOTAL_FORMS": "1"})
    data.update({f"publication_consents-0-{field}": row[field] for field in row if field != "history_change_reason"})
    response = clerk.post(f"/admin/organizations/organization/{organization.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    consent = PublicationConsent.objects.get()
    assert (consent.organization, consent.entered_by) == (organization, policy_officer)
    assert consent.history.get().history_user == policy_officer
