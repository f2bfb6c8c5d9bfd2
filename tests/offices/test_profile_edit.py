"""The 事務局 proposes edits of its public page; 総合政策課 accepts (反映) or declines (見送り) them."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from offices import profile
from offices.models import OfficeMember, ProfileEdit
from organizations.models import AnnualPlan, ProposalStatus, PublicationConsent
from tests.helpers import Client

FORM = {
    "description": "唐松の住民みんなで地域を支えます。",
    "contact_phone": "0867-99-0001",
    "contact_email": "office@karamatsu.example.jp",
    "plan_summary": "見守りと買い物支援を続けます。",
    "events": "令和8年12月6日 しめ縄づくり\n令和9年1月10日 とんど焼き",
}


@pytest.fixture
def office_user(organization):
    user = User.objects.create_user("jimukyoku", password="x", email="jimu@example.jp")
    OfficeMember.objects.create(organization=organization, user=user)
    return user


@pytest.fixture
def office(client, office_user):
    client.force_login(office_user)
    return client


def page_url(organization):
    return reverse("offices:profile", args=[organization.slug])


def review_url(edit):
    return reverse("admin:offices_profileedit_review", args=[edit.pk])


def test_the_office_sees_its_public_page_and_proposes_an_edit(office, organization, current_year):
    organization.description = "今の紹介文です。"
    organization.save()
    response = office.get(page_url(organization))
    assert response.status_code == 200
    assert "今の紹介文です。" in response.text

    response = office.post(page_url(organization), FORM)
    assert response.status_code == 302
    edit = ProfileEdit.objects.get(organization=organization)
    assert (edit.status, edit.events) == (ProposalStatus.PENDING, FORM["events"])
    assert "確認待ち" in office.get(page_url(organization)).text


def test_proposing_again_while_pending_replaces_the_proposal(office, organization, current_year):
    office.post(page_url(organization), FORM)
    office.post(page_url(organization), {**FORM, "description": "書き直しました。"})
    edit = ProfileEdit.objects.get(organization=organization)
    assert edit.description == "書き直しました。"


def test_a_proposal_identical_to_the_page_is_refused_and_the_typing_kept(office, organization, current_year):
    same = {"description": organization.description, "contact_phone": "", "contact_email": "", "plan_summary": "",
            "events": ""}  # fmt: skip
    organization.contact_phone = organization.contact_email = organization.upcoming_events = ""
    organization.save()
    response = office.post(page_url(organization), same)
    assert response.status_code == 200
    assert "今の内容と同じです" in response.text
    assert not ProfileEdit.objects.exists()


def test_another_organizations_page_is_not_found(office, other_organization):
    assert office.get(page_url(other_organization)).status_code == 404
    assert office.post(page_url(other_organization), FORM).status_code == 404
    assert not ProfileEdit.objects.exists()


def test_nothing_reaches_residents_before_acceptance_and_all_of_it_after(
    office, organization, current_year, policy_officer
):
    resident, clerk = Client(), Client()
    clerk.force_login(policy_officer)
    public = organization.get_absolute_url()
    assert resident.get(public)["X-Page-Cache"] == "miss"  # stores the page in the cache
    office.post(page_url(organization), FORM)
    response = resident.get(public)
    assert response["X-Page-Cache"] == "hit"  # a proposal touches no public page
    before = response.text
    assert "しめ縄づくり" not in before
    assert FORM["description"] not in before
    assert "これからの行事" not in before

    edit = ProfileEdit.objects.get()
    response = clerk.get(review_url(edit))
    assert response.status_code == 200
    assert "とんど焼き" in response.text
    assert "掲載の同意がないため" in response.text  # the new telephone and address need a consent
    assert clerk.post(review_url(edit), {"action": "accept"}).status_code == 302

    response = resident.get(public)
    assert response["X-Page-Cache"] == "miss"  # the accepted edit renewed the organization's cached page
    after = response.text
    assert "これからの行事" in after
    assert "<li>令和9年1月10日 とんど焼き</li>" in after
    assert FORM["description"] in after
    assert FORM["plan_summary"] in after
    assert FORM["contact_phone"] not in after  # stored, but not public without a consent
    organization.refresh_from_db()
    assert (organization.contact_phone, organization.upcoming_events) == (FORM["contact_phone"], FORM["events"])
    assert AnnualPlan.objects.get(organization=organization, fiscal_year=current_year).summary == FORM["plan_summary"]
    edit.refresh_from_db()
    assert (edit.status, edit.decided_by) == (ProposalStatus.ACCEPTED, policy_officer)
    assert organization.history.first().history_change_reason.startswith("事務局の公開ページの変更の提案を反映")


def test_an_accepted_phone_with_a_consent_is_shown(office, client, organization, current_year, policy_officer):
    PublicationConsent.objects.create(
        organization=organization,
        item=PublicationConsent.Item.PHONE,
        consented_value=FORM["contact_phone"],
        given_by="会長 石井 正男",
        given_on=timezone.localdate(),
    )
    office.post(page_url(organization), FORM)
    profile.profile_edit_accept(edit=ProfileEdit.objects.get(), by=policy_officer)
    assert FORM["contact_phone"] in client.get(organization.get_absolute_url()).text


def test_a_declined_proposal_shows_the_reason_to_the_office_and_changes_nothing(
    office, client, organization, current_year, policy_officer
):
    office.post(page_url(organization), FORM)
    edit = ProfileEdit.objects.get()
    clerk = Client()
    clerk.force_login(policy_officer)
    refused = clerk.post(review_url(edit), {"action": "decline", "reason": ""})
    assert "見送りの理由を入力してください" in refused.text
    clerk.post(review_url(edit), {"action": "decline", "reason": "行事の日付を確認してください。"})
    edit.refresh_from_db()
    assert edit.status == ProposalStatus.DECLINED
    page = office.get(page_url(organization)).text
    assert "見送り" in page
    assert "行事の日付を確認してください。" in page
    organization.refresh_from_db()
    assert organization.upcoming_events == ""


def test_a_liaison_cannot_accept_a_proposal(office, organization, current_year, assigned_liaison):
    office.post(page_url(organization), FORM)
    edit = ProfileEdit.objects.get()
    with pytest.raises(PermissionDenied):
        profile.profile_edit_accept(edit=edit, by=assigned_liaison)
    edit.refresh_from_db()
    assert edit.status == ProposalStatus.PENDING


def test_the_dashboard_counts_pending_page_edits(clerk, office_user, organization, current_year):
    profile.profile_edit_propose(organization=organization, by=office_user, **FORM)
    response = clerk.get(reverse("admin:index"))
    assert "公開ページの変更の提案を判断する" in response.text
    assert "<p><strong>1件</strong>。最も古いものは0日前の提案です。" in response.text


def test_the_clerk_finds_the_pending_proposals_in_the_admin_list_and_cannot_edit_them(
    clerk, office_user, organization, current_year
):
    edit = profile.profile_edit_propose(organization=organization, by=office_user, **FORM)
    response = clerk.get(reverse("admin:offices_profileedit_changelist") + "?status__exact=pending")
    assert response.status_code == 200
    assert review_url(edit) in response.text
    assert "反映・見送りを判断する" in response.text
    change = clerk.get(reverse("admin:offices_profileedit_change", args=[edit.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.text  # read only: decided on the review screen


def test_the_division_hears_of_a_new_proposal_and_the_office_of_the_decision(
    inbox, office_user, organization, current_year, policy_officer, django_capture_on_commit_callbacks
):
    from tests.mail import send_outbox

    with django_capture_on_commit_callbacks(execute=True):
        edit = profile.profile_edit_propose(organization=organization, by=office_user, **FORM)
        profile.profile_edit_propose(organization=organization, by=office_user, **{**FORM, "events": "とんど焼き"})
    send_outbox()
    assert len(inbox.messages) == 1  # replacing the waiting proposal does not mail again
    assert inbox.messages[0]["to"] == ["kyodo@seisaku.example"]
    assert f"/admin/offices/profileedit/{edit.pk}/review/" in inbox.body(0)
    with django_capture_on_commit_callbacks(execute=True):
        profile.profile_edit_decline(edit=edit, by=policy_officer, reason="行事の日付を書いてください。")
    send_outbox()
    assert inbox.messages[1]["to"] == ["jimu@example.jp"]
    assert "見送り" in inbox.subjects()[1]
    assert "見送りの理由: 行事の日付を書いてください。" in inbox.body(1)


def test_the_database_keeps_one_waiting_proposal_per_organization(organization):
    from django.db import IntegrityError, transaction

    ProfileEdit.objects.create(organization=organization, events="a")
    ProfileEdit.objects.create(organization=organization, events="b", status=ProposalStatus.ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProfileEdit.objects.create(organization=organization, events="c")


def test_after_a_decline_the_form_starts_from_the_declined_proposal(office, organization, current_year, policy_officer):
    office.post(page_url(organization), FORM)
    profile.profile_edit_decline(edit=ProfileEdit.objects.get(), by=policy_officer, reason="日付を確認してください。")
    html = office.get(page_url(organization)).text
    assert "令和9年1月10日 とんど焼き</textarea>" in html
