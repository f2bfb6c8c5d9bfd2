"""State changes of the liaison workspace: each one atomic and written into the audit history."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from niimi_portal.wareki import wareki_date
from organizations.models import CaseStudy, Organization
from staff.models import Meeting, MeetingAttachment, StageChange


@transaction.atomic
def meeting_save(*, meeting, next_steps, attachments, by, reason, case_proposal=None):
    """Save a new or edited meeting with its next steps (a valid inline formset), new attachments
    (CheckedUpload list) and, when given (title, summary, body), a draft case study proposed from it.
    The history entry carries `reason` and the user."""
    if meeting.pk is None:
        meeting.author = by
    meeting._history_user = by
    meeting._change_reason = reason
    meeting.save()
    next_steps.instance = meeting
    for step in next_steps.save(commit=False):
        step._history_user = by
        step.save()
    for upload in attachments:
        attachment_add(meeting=meeting, upload=upload, by=by)
    if case_proposal:
        case_study_propose(meeting=meeting, by=by, **case_proposal)
    return meeting


def attachment_add(*, meeting, upload, by):
    """Store a checked upload under MEDIA_ROOT with a generated name; the original name is kept as data."""
    attachment = MeetingAttachment(
        meeting=meeting,
        original_name=upload.original_name,
        content_type=upload.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(upload.storage_name, File(upload.file), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def meeting_archive(*, meeting, by):
    """Delete means archive: the meeting leaves every list but stays, with its history, for restoring."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.archived_at is None:
        meeting.archived_at = timezone.now()
        meeting._history_user = by
        meeting._change_reason = "アーカイブ（削除）"
        meeting.save(update_fields=["archived_at", "updated_at"])
    return meeting


@transaction.atomic
def attachment_remove(*, attachment, by, reason):
    """Remove an attachment uploaded by mistake (a wrong photo of residents): the file is deleted for
    good, and the meeting's history keeps who removed which file, when and why."""
    reason = " ".join(str(reason).split())
    if not reason:
        raise ValidationError({"reason": ["削除する理由を書いてください。"]})
    meeting = Meeting.objects.select_for_update().get(pk=attachment.meeting_id)
    name = attachment.original_name
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    meeting._history_user = by
    meeting._change_reason = f"添付ファイル「{name}」を削除（理由: {reason}）"[:100]
    meeting.save(update_fields=["updated_at"])
    transaction.on_commit(lambda: storage.delete(stored))
    return meeting


@transaction.atomic
def meeting_restore(*, meeting, by):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.archived_at is not None:
        meeting.archived_at = None
        meeting._history_user = by
        meeting._change_reason = "アーカイブから復元"
        meeting.save(update_fields=["archived_at", "updated_at"])
    return meeting


@transaction.atomic
def organization_change_stage(*, organization, to_stage, changed_on, evidence_meeting, note, by):
    """Record a move between ①②③ and update the organization's stage; its history (what 総合政策課
    reads in the admin) names the liaison, the date and the evidencing meeting."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    change = StageChange.objects.create(
        organization=organization,
        from_stage=organization.stage,
        to_stage=to_stage,
        changed_on=changed_on,
        evidence_meeting=evidence_meeting,
        note=note,
        recorded_by=by,
    )
    organization.stage = to_stage
    organization._history_user = by
    # The history's reason column holds 100 characters: stage, date and the evidencing meeting fit.
    organization._change_reason = (
        f"地域担当職員が段階を記録: {change.get_from_stage_display()} → {change.get_to_stage_display()}"
        f"（{wareki_date(changed_on)}、根拠: {wareki_date(evidence_meeting.date)}の"
        f"{evidence_meeting.get_kind_display()} 記録番号{evidence_meeting.pk}）"
    )[:100]
    organization.save(update_fields=["stage", "updated_at"])
    return change


@transaction.atomic
def case_study_propose(*, meeting, title, summary, body, by):
    """A draft 取組事例 from a held meeting, written for residents; policy staff publish it or not."""
    case = CaseStudy.objects.create(
        organization=meeting.organization,
        title=title,
        slug=f"proposal-{meeting.pk}-{uuid.uuid4().hex[:8]}",
        held_on=meeting.date,
        summary=summary,
        body=body,
        source_meeting=meeting,
        is_published=False,
    )
    if meeting.organization_id:
        case.regions.set(meeting.organization.regions.all())
    elif meeting.region_id:
        case.regions.set([meeting.region])
    return case
