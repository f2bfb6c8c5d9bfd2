"""Stage and approval agree: revoking shows and does what follows; a 差戻し hands over to the letter."""

import pytest
from django.urls import reverse
from model_bakery import baker

from grants import approval_acts
from grants.models import FiscalYear, GrantCalculation, GrantDecision
from organizations import services
from organizations.models import Organization
from organizations.signals import organization_returned

pytestmark = pytest.mark.django_db


def test_revoking_returns_the_stage_to_two_and_the_public_reads_preparing(
    client, approved_organization, policy_officer
):
    services.organization_revoke(organization=approved_organization, by=policy_officer, reason="活動の実態がないため。")
    approved_organization.refresh_from_db()
    assert approved_organization.stage == Organization.Stage.PLANNING
    assert approved_organization.public_approval_label == "未認可"
    assert "段階は② 地域の将来計画の策定へ" in approved_organization.history.latest().history_change_reason


def test_the_revocation_page_shows_what_follows_with_a_link_to_this_years_decision(
    client, approved_organization, policy_officer, current_year
):
    Organization.objects.filter(pk=approved_organization.pk).update(stage=Organization.Stage.ESTABLISHED)
    calculation = baker.make(
        GrantCalculation,
        organization=approved_organization,
        fiscal_year=current_year,
        base_amount=100,
        subsidy_amount=0,
        total=100,
    )
    decision = baker.make(
        GrantDecision,
        calculation=calculation,
        organization=approved_organization,
        fiscal_year=current_year,
        number=1,
        amount=100,
    )
    assert FiscalYear.objects.current() == current_year
    client.force_login(policy_officer)
    page = client.get(
        reverse("admin:organizations_organization_revoke", args=[approved_organization.pk])
    ).content.decode()
    follows = page.split('id="revocation-consequences"')[1].split("</div>")[0]
    assert "③ 地域運営組織の設立・活動開始 → ② 地域の将来計画の策定" in follows
    assert "「認可」→「未認可」" in follows
    assert reverse("admin:grants_grantdecision_change", args=[decision.pk]) in follows


def test_a_return_hands_the_reason_to_the_letter_hook_after_commit(
    applied_organization, policy_officer, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, organization, reason, by, **kwargs):
        received.append((organization.pk, reason, by))

    organization_returned.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            approval_acts.organization_return(
                organization=applied_organization, by=policy_officer, reason="計画を直してください"
            )
    finally:
        organization_returned.disconnect(receiver)
    assert received == [(applied_organization.pk, "計画を直してください", policy_officer)]


def test_the_return_page_promises_no_mail(client, applied_organization, policy_officer):
    client.force_login(policy_officer)
    page = client.get(
        reverse("admin:organizations_organization_return", args=[applied_organization.pk])
    ).content.decode()
    assert "理由は組織に伝え" not in page
    assert "補正の求め通知書" in page and "公開ページには表示しません" in page
