"""State changes of the liaison workspace: each one atomic and written into the audit history."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from niimi_portal.lib.history import record_change
from niimi_portal.lib.people import display_name
from niimi_portal.lib.refusal import refuse
from niimi_portal.lib.uploads import attachment_store
from niimi_portal.lib.wareki import wareki_date
from organizations.access import can_run_workflow
from organizations.models import CaseStudy, Organization, ProposalStatus
from staff import notifications
from staff.models import Meeting, MeetingAttachment, StageChange


@transaction.atomic
def meeting_save(*, meeting, next_steps, attachments, by, reason, case_proposal=None):
    """Save a new or edited meeting with its next steps (a valid inline formset), new attachments
    (CheckedUpload list) and, when given (title, summary, body), a draft case study proposed from it.
    The history entry carries `reason` and the user."""
    if meeting.pk is None:
        meeting.author = by
    record_change(meeting, by=by, reason=reason)
    meeting.save()
    next_steps.instance = meeting
    for step in next_steps.save(commit=False):
        record_change(step, by=by)
        step.save()
    attachment_store(MeetingAttachment, attachments, by=by, meeting=meeting)
    if case_proposal:
        case_study_propose(meeting=meeting, by=by, **case_proposal)
    return meeting


@transaction.atomic
def meeting_archive(*, meeting, by):
    """Delete means archive: the meeting leaves every list but stays, with its history, for restoring."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.archived_at is None:
        meeting.archived_at = timezone.now()
        record_change(meeting, by=by, reason="アーカイブ（削除）")
        meeting.save(update_fields=["archived_at", "updated_at"])
    return meeting


@transaction.atomic
def attachment_remove(*, attachment, by, reason):
    """Remove an attachment uploaded by mistake (a wrong photo of residents): the file is deleted for
    good, and the meeting's history keeps who removed which file, when and why."""
    reason = " ".join(str(reason).split())
    if not reason:
        refuse("削除する理由を書いてください。", field="reason")
    meeting = Meeting.objects.select_for_update().get(pk=attachment.meeting_id)
    name = attachment.original_name
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    record_change(meeting, by=by, reason=f"添付ファイル「{name}」を削除（理由: {reason}）")
    meeting.save(update_fields=["updated_at"])
    transaction.on_commit(lambda: storage.delete(stored))
    return meeting


@transaction.atomic
def meeting_restore(*, meeting, by):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.archived_at is not None:
        meeting.archived_at = None
        record_change(meeting, by=by, reason="アーカイブから復元")
        meeting.save(update_fields=["archived_at", "updated_at"])
    return meeting


# -- proposals: 確認待ち → 反映 / 見送り ---------------------------------------------------------------
# A liaison's stage change or case example is a proposal; only 総合政策課 (the permission to approve
# organizations) makes it public. Each decision records who decided, when, and why when declined.


@transaction.atomic
def stage_change_propose(*, organization, to_stage, changed_on, evidence_meeting, note, by):
    """Propose a move between ①②③. The organization's stage (and every public page) stays as it is
    until 総合政策課 accepts the proposal."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    # The organization's row lock makes two liaisons' proposals wait for each other; the database's
    # one_pending_stage_change_per_organization refuses a second open one all the same.
    error = organization.proposal_error(to_stage) or StageChange.objects.pending_error(organization)
    if error:
        refuse(error, field="to_stage")
    change = StageChange.objects.create(
        organization=organization,
        from_stage=organization.stage,
        to_stage=to_stage,
        changed_on=changed_on,
        evidence_meeting=evidence_meeting,
        note=note,
        recorded_by=by,
        status=ProposalStatus.PENDING,
    )
    notifications.proposal_submitted(
        kind="段階の変更", organization_or_region=organization, summary=_stage_summary(change), by=by
    )
    return change


@transaction.atomic
def stage_change_accept(*, change, by):
    """反映: the organization moves to the proposed stage; its history names the liaison and the clerk."""
    change = _lock_pending(StageChange, change, by)
    organization = Organization.objects.select_for_update().get(pk=change.organization_id)
    if organization.stage != change.from_stage:
        refuse(
            f"提案のあとで段階が変わっています（提案時: {change.get_from_stage_display()}、"
            f"現在: {organization.get_stage_display()}）。この提案は見送ってください。"
        )
    error = organization.stage_error(change.to_stage)
    if error:
        refuse(error)
    organization.stage = change.to_stage
    proposer = display_name(change.recorded_by)
    record_change(
        organization,
        by=by,
        reason=(
            f"段階の変更の提案を反映: {change.get_from_stage_display()} → {change.get_to_stage_display()}"
            f"（{wareki_date(change.changed_on)}、提案: 地域担当職員 {proposer}、根拠: "
            f"{wareki_date(change.evidence_meeting.date)}の{change.evidence_meeting.get_kind_display()} "
            f"記録番号{change.evidence_meeting_id}）"
        ),
    )
    organization.save(update_fields=["stage", "updated_at"])
    _decide(change, by, ProposalStatus.ACCEPTED)
    notifications.proposal_decided(
        kind="段階の変更",
        organization_or_region=organization,
        summary=_stage_summary(change),
        accepted=True,
        reason="",
        proposer=change.recorded_by,
    )
    return change


def stage_change_accept_by_approval(*, organization, by):
    """Called inside the approval (grants.approval_acts.organization_approve): pending proposals of ③ are
    accepted by the approval itself."""
    for change in (
        StageChange.objects.pending()
        .filter(organization=organization, to_stage=Organization.Stage.ESTABLISHED)
        .select_related("recorded_by")
    ):
        _decide(change, by, ProposalStatus.ACCEPTED)
        notifications.proposal_decided(
            kind="段階の変更",
            organization_or_region=organization,
            summary=_stage_summary(change) + "（認可により反映）",
            accepted=True,
            reason="",
            proposer=change.recorded_by,
        )


@transaction.atomic
def stage_change_decline(*, change, by, reason):
    """見送り, with the reason the liaison reads; the organization is not touched."""
    change = _lock_pending(StageChange, change, by)
    _decide(change, by, ProposalStatus.DECLINED, reason)
    notifications.proposal_decided(
        kind="段階の変更",
        organization_or_region=change.organization,
        summary=_stage_summary(change),
        accepted=False,
        reason=change.decline_reason,
        proposer=change.recorded_by,
    )
    return change


@transaction.atomic
def case_study_propose(*, meeting, title, summary, body, by):
    """A draft 取組事例 from a held meeting, written for residents; it waits, unpublished, for 総合政策課."""
    case = CaseStudy.objects.create(
        organization=meeting.organization,
        title=title,
        slug=f"proposal-{meeting.pk}-{uuid.uuid4().hex[:8]}",
        held_on=meeting.date,
        summary=summary,
        body=body,
        source_meeting=meeting,
        is_published=False,
        status=ProposalStatus.PENDING,
        proposed_by=by,
    )
    if meeting.organization_id:
        case.regions.set(meeting.organization.regions.all())
    elif meeting.region_id:
        case.regions.set([meeting.region])
    notifications.proposal_submitted(kind="取組事例", organization_or_region=meeting.target, summary=title, by=by)
    return case


@transaction.atomic
def case_study_accept(*, case, by):
    """反映: the case example is published as proposed (the clerk may edit it in the admin first)."""
    case = _lock_pending(CaseStudy, case, by)
    case.is_published = True
    _decide(case, by, ProposalStatus.ACCEPTED, extra_fields=["is_published"])
    _case_decided(case, accepted=True)
    return case


@transaction.atomic
def case_study_decline(*, case, by, reason):
    case = _lock_pending(CaseStudy, case, by)
    case.is_published = False
    _decide(case, by, ProposalStatus.DECLINED, reason, extra_fields=["is_published"])
    _case_decided(case, accepted=False)
    return case


def _case_decided(case, *, accepted):
    if case.proposed_by is None:
        return
    meeting = case.source_meeting
    notifications.proposal_decided(
        kind="取組事例",
        organization_or_region=case.organization or (meeting.target if meeting else ""),
        summary=case.title,
        accepted=accepted,
        reason=case.decline_reason,
        proposer=case.proposed_by,
    )


def _stage_summary(change):
    return f"{change.get_from_stage_display()} → {change.get_to_stage_display()}（変更日 {change.changed_on:%Y-%m-%d}）"


def _lock_pending(model, proposal, by):
    if not can_run_workflow(by):
        raise PermissionDenied("提案を反映・見送りする権限がありません。")
    proposal = model.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        label = ProposalStatus(proposal.status).label if proposal.status else "提案ではありません"
        refuse(f"この提案はすでに判断されています（{label}）。画面を読み込み直してください。")
    return proposal


def _decide(proposal, by, status, reason="", *, extra_fields=()):
    reason = (reason or "").strip()
    if status == ProposalStatus.DECLINED and not reason:
        refuse("見送りの理由を入力してください（提案した職員に伝わります）。", field="reason")
    proposal.status = status
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.decline_reason = reason
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decline_reason", *extra_fields])
