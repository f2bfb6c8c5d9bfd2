"""A liaison's stage change is a proposal: 確認待ち until 総合政策課 accepts (反映) or declines (見送り) it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from organizations.models import Organization, ProposalStatus
from staff.models import Meeting, StageChange
from staff.services import stage_change_accept, stage_change_decline, stage_change_propose
from tests.staff.conftest import snapshot

pytestmark = pytest.mark.django_db


def propose(organization, meeting, by, today, to_stage=Organization.Stage.MOMENTUM):
    return stage_change_propose(
        organization=organization, to_stage=to_stage, changed_on=today, evidence_meeting=meeting, note="", by=by
    )


def test_a_proposal_leaves_the_organization_and_its_public_page_unchanged(
    client, assigned_liaison, organization, meeting, today
):
    change = propose(organization, meeting, assigned_liaison, today)
    organization.refresh_from_db()
    assert change.status == ProposalStatus.PENDING
    assert organization.stage == Organization.Stage.PLANNING
    page = client.get(organization.get_absolute_url()).text
    assert "段階: <strong>② 地域の将来計画の策定</strong>" in page


def test_accepting_moves_the_stage_and_history_names_the_liaison_and_the_clerk(
    assigned_liaison, policy_officer, organization, meeting, today
):
    change = propose(organization, meeting, assigned_liaison, today)
    stage_change_accept(change=change, by=policy_officer)
    organization.refresh_from_db()
    change.refresh_from_db()
    assert organization.stage == Organization.Stage.MOMENTUM
    assert (change.status, change.recorded_by, change.decided_by) == ("accepted", assigned_liaison, policy_officer)
    record = organization.history.latest()
    assert record.history_user == policy_officer
    assert "段階の変更の提案を反映: ② 地域の将来計画の策定 → ① 地域での機運づくり" in record.history_change_reason
    assert "提案: 地域担当職員 tanto1" in record.history_change_reason
    assert f"記録番号{meeting.pk}" in record.history_change_reason


def test_declining_needs_a_reason_and_never_touches_the_organization(
    assigned_liaison, policy_officer, organization, meeting, today
):
    change = propose(organization, meeting, assigned_liaison, today)
    with pytest.raises(ValidationError) as refused:
        stage_change_decline(change=change, by=policy_officer, reason="  ")
    assert "見送りの理由を入力してください" in str(refused.value)
    stage_change_decline(change=change, by=policy_officer, reason="根拠の会議で決まっていません")
    change.refresh_from_db()
    organization.refresh_from_db()
    assert (change.status, change.decline_reason) == ("declined", "根拠の会議で決まっていません")
    assert organization.stage == Organization.Stage.PLANNING
    with pytest.raises(ValidationError, match="すでに判断されています"):
        stage_change_accept(change=change, by=policy_officer)


def test_a_liaison_cannot_decide_on_a_proposal(assigned_liaison, organization, meeting, today):
    change = propose(organization, meeting, assigned_liaison, today)
    with pytest.raises(PermissionDenied):
        stage_change_accept(change=change, by=assigned_liaison)
    assert StageChange.objects.get().status == "pending"


@pytest.mark.parametrize("approval_status", ["not_applied", "applied", "returned"])
def test_stage_three_is_refused_beside_the_field_until_the_organization_is_approved(
    client, assigned_liaison, organization, meeting, today, approval_status
):
    Organization.objects.filter(pk=organization.pk).update(approval_status=approval_status, applied_on=today)
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(
        reverse("staff:stage_change", args=[organization.slug]),
        {"to_stage": "3", "changed_on": today.isoformat(), "evidence_meeting": meeting.pk},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["to_stage"])
    assert "市の認可を受けた組織の段階です" in errors
    assert f"現在の認可の状況: {Organization.ApprovalStatus(approval_status).label}" in errors
    assert errors in response.text  # on the first screen, beside the field
    assert snapshot() == before


def test_the_service_refuses_stage_three_while_applied(assigned_liaison, organization, meeting, today):
    Organization.objects.filter(pk=organization.pk).update(approval_status="applied", applied_on=today)
    organization.refresh_from_db()
    with pytest.raises(ValidationError, match="市の認可を受けた組織の段階です"):
        propose(organization, meeting, assigned_liaison, today, to_stage=Organization.Stage.ESTABLISHED)
    assert not StageChange.objects.exists()


def test_an_open_stage_three_proposal_from_before_is_accepted_by_the_approval(
    assigned_liaison, policy_officer, organization, meeting, today
):
    """A ③ proposal recorded before ③ needed 認可 (issue 31) is still closed by the approval."""
    from grants.approval_acts import organization_approve

    Organization.objects.filter(pk=organization.pk).update(approval_status="applied", applied_on=today)
    organization.refresh_from_db()
    change = StageChange.objects.create(
        organization=organization,
        from_stage=organization.stage,
        to_stage=Organization.Stage.ESTABLISHED,
        changed_on=today,
        evidence_meeting=meeting,
        recorded_by=assigned_liaison,
        status=ProposalStatus.PENDING,
    )
    with pytest.raises(ValidationError, match="認可を受けた組織だけ"):
        stage_change_accept(change=change, by=policy_officer)
    organization.representative_name = "会長 唐松一郎"
    organization.save()
    organization.future_plans.create(
        title="唐松の将来計画", vision="v", issues="i", goals="g", start_year=2026, end_year=2030, status="adopted"
    )
    organization_approve(organization=organization, by=policy_officer, number="新総政第12号", date=today)
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("accepted", policy_officer)
    organization.refresh_from_db()
    assert organization.stage == Organization.Stage.ESTABLISHED


def test_a_second_open_proposal_is_refused_beside_the_field(client, assigned_liaison, organization, meeting, today):
    propose(organization, meeting, assigned_liaison, today)
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(
        reverse("staff:stage_change", args=[organization.slug]),
        {"to_stage": "1", "changed_on": today.isoformat(), "evidence_meeting": meeting.pk},
    )
    assert response.status_code == 200
    assert snapshot() == before
    errors = " ".join(response.context["form"].errors["to_stage"])
    assert "確認待ちの段階の変更の提案がすでにあります" in errors
    assert "確認待ち: ② 地域の将来計画の策定 → ① 地域での機運づくり" in errors
    assert errors in response.text
    assert StageChange.objects.count() == 1


def test_the_service_refuses_a_second_open_proposal(assigned_liaison, organization, meeting, today):
    propose(organization, meeting, assigned_liaison, today)
    with pytest.raises(ValidationError, match="確認待ちの段階の変更の提案がすでにあります"):
        propose(organization, meeting, assigned_liaison, today)
    assert StageChange.objects.count() == 1


def test_the_database_holds_one_open_proposal_per_organization(assigned_liaison, organization, meeting, today):
    from django.db import IntegrityError, transaction

    first = propose(organization, meeting, assigned_liaison, today)
    second = StageChange(
        organization=organization,
        from_stage=2,
        to_stage=1,
        changed_on=today,
        evidence_meeting=meeting,
        recorded_by=assigned_liaison,
        status=ProposalStatus.PENDING,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    with pytest.raises(ValidationError, match="確認待ちの段階の変更の提案がすでにあります"):
        second.validate_constraints()
    StageChange.objects.filter(pk=first.pk).update(status="declined", decline_reason="話し合い不足")
    second.save()  # once the first is decided, a new one may be open
    assert StageChange.objects.pending().get() == second


def test_a_decided_proposal_lets_the_liaison_propose_again(
    assigned_liaison, policy_officer, organization, meeting, today
):
    first = propose(organization, meeting, assigned_liaison, today)
    stage_change_decline(change=first, by=policy_officer, reason="もう一度話し合ってから")
    assert propose(organization, meeting, assigned_liaison, today).status == ProposalStatus.PENDING


def test_an_unassigned_liaison_cannot_open_the_stage_form(client, unassigned_liaison, organization, meeting, today):
    client.force_login(unassigned_liaison)
    response = client.post(
        reverse("staff:stage_change", args=[organization.slug]),
        {"to_stage": "1", "changed_on": today.isoformat(), "evidence_meeting": meeting.pk},
    )
    assert response.status_code == 404  # the workspace does not tell others' organizations apart from none
    assert not StageChange.objects.exists()


def test_an_approved_organization_cannot_be_proposed_back_nor_edited_back(
    client, assigned_liaison, organization, meeting, today
):
    Organization.objects.filter(pk=organization.pk).update(
        approval_status="approved", approval_number="新見市指令第2号", approved_on=today, stage=3
    )
    organization.refresh_from_db()
    client.force_login(assigned_liaison)
    response = client.post(
        reverse("staff:stage_change", args=[organization.slug]),
        {"to_stage": "1", "changed_on": today.isoformat(), "evidence_meeting": meeting.pk},
    )
    assert "先に認可を取り消してください" in " ".join(response.context["form"].errors["to_stage"])
    organization.stage = Organization.Stage.MOMENTUM
    with pytest.raises(ValidationError) as refused:
        organization.full_clean()
    assert "先に認可を取り消してください" in str(refused.value.message_dict["stage"])


def test_stage_three_without_approval_is_refused_by_the_model(organization):
    organization.stage = Organization.Stage.ESTABLISHED
    with pytest.raises(ValidationError) as refused:
        organization.full_clean()
    assert "市の認可を受けた組織だけ" in str(refused.value.message_dict["stage"])


def test_the_liaison_sees_each_proposal_and_its_status_on_the_workspace(
    client, assigned_liaison, policy_officer, organization, meeting, today
):
    first = propose(organization, meeting, assigned_liaison, today)
    stage_change_decline(change=first, by=policy_officer, reason="もう一度話し合ってから")
    propose(organization, meeting, assigned_liaison, today)
    client.force_login(assigned_liaison)
    page = client.get(reverse("staff:dashboard")).text
    proposals = page.split('id="my-proposals"')[1]
    assert "見送り" in proposals and "理由: もう一度話し合ってから" in proposals
    assert "確認待ち" in proposals
    detail = client.get(reverse("staff:target", args=["organization", organization.slug])).text
    assert "見送りの理由: もう一度話し合ってから" in detail


def test_liaison_proposes_through_the_form_and_policy_staff_decide_on_one_screen(
    client, assigned_liaison, policy_officer, organization, meeting, today
):
    client.force_login(assigned_liaison)
    response = client.post(
        reverse("staff:stage_change", args=[organization.slug]),
        {"to_stage": "1", "changed_on": today.isoformat(), "evidence_meeting": meeting.pk, "note": "役員会で合意"},
    )
    assert response.status_code == 302
    change = StageChange.objects.get()
    assert change.status == "pending"
    client.force_login(policy_officer)
    index = client.get(reverse("admin:index")).text
    assert "確認待ちの提案" in index and "<strong>1件</strong>" in index and "0日前" in index
    review = client.get(reverse("admin:staff_stagechange_review"))
    assert "役員会で合意" in review.text
    assert "確認待ち: 1件" in review.text
    refused = client.post(
        reverse("admin:staff_stagechange_review"),
        {"kind": "stage", "pk": change.pk, "action": "decline", "reason": ""},
    )
    assert refused.status_code == 200
    assert f'id="error-stage-{change.pk}"' in refused.text and "見送りの理由を入力してください" in refused.text
    done = client.post(
        reverse("admin:staff_stagechange_review"), {"kind": "stage", "pk": change.pk, "action": "accept"}
    )
    assert done.status_code == 302
    organization.refresh_from_db()
    assert organization.stage == Organization.Stage.MOMENTUM
    assert "確認待ちの提案はありません" in client.get(reverse("admin:staff_stagechange_review")).text


def test_a_liaison_cannot_open_the_review_screen(client, assigned_liaison):
    client.force_login(assigned_liaison)
    response = client.get(reverse("admin:staff_stagechange_review"))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"to_stage": "2"}, "to_stage", "正しく選択してください"),
        ({"changed_on": "FUTURE"}, "changed_on", "変更日に未来の日付は指定できません。"),
        ({"changed_on": "LAST_YEAR"}, "changed_on", "過去の年度のため"),
        ({"evidence_meeting": ""}, "evidence_meeting", "根拠となる会議を選んでください。"),
        ({"changed_on": "TODAY_MEETING_TOMORROW"}, "evidence_meeting", "変更日かそれより前に開かれたもの"),
    ],
)
def test_bad_stage_change_input_is_rejected_and_nothing_changes(
    client, assigned_liaison, organization, meeting, today, current_year, changes, field, message
):
    days = {
        "FUTURE": today + datetime.timedelta(days=1),
        "LAST_YEAR": current_year.starts_on - datetime.timedelta(days=1),
        "TODAY_MEETING_TOMORROW": today,
    }
    if changes.get("changed_on") == "TODAY_MEETING_TOMORROW":
        Meeting.objects.filter(pk=meeting.pk).update(date=today + datetime.timedelta(days=1))
    changes = {k: days[v].isoformat() if v in days else v for k, v in changes.items()}
    data = {"to_stage": "1", "changed_on": today.isoformat(), "evidence_meeting": meeting.pk, **changes}
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(reverse("staff:stage_change", args=[organization.slug]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="error_1_id_{field}' in response.text
    assert snapshot() == before


def test_an_archived_or_other_organizations_meeting_is_no_evidence(
    client, assigned_liaison, organization, other_organization, unassigned_liaison, today
):
    foreign = Meeting.objects.create(
        organization=other_organization, kind="study", date=today, place="高尾", author=unassigned_liaison
    )
    client.force_login(assigned_liaison)
    before = snapshot()
    response = client.post(
        reverse("staff:stage_change", args=[organization.slug]),
        {"to_stage": "1", "changed_on": today.isoformat(), "evidence_meeting": foreign.pk},
    )
    assert response.status_code == 200
    assert "evidence_meeting" in response.context["form"].errors
    from staff.services import meeting_archive

    archived = meeting_archive(
        meeting=Meeting.objects.create(
            organization=organization, kind="study", date=today, place="唐松", author=foreign.author
        ),
        by=foreign.author,
    )
    before = snapshot()
    response = client.post(
        reverse("staff:stage_change", args=[organization.slug]),
        {"to_stage": "1", "changed_on": today.isoformat(), "evidence_meeting": archived.pk},
    )
    assert "evidence_meeting" in response.context["form"].errors
    assert snapshot() == before


def test_without_a_held_meeting_the_page_asks_for_one_first(client, assigned_liaison, organization):
    client.force_login(assigned_liaison)
    response = client.get(reverse("staff:stage_change", args=[organization.slug]))
    assert "先に" in response.text
    assert '<form method="post" novalidate>' not in response.text
