"""Receipts, photos and scanned papers the 事務局 sends with a form (SubmissionAttachment).

Files are checked and images re-encoded by niimi_portal.lib.uploads (no EXIF: a photo's GPS position never
reaches the disk). They may be added, relabelled or removed only while the form is the 事務局's to change
(a draft, or sent back for 補正): what was sent stays as sent. Each change is in the history.
"""

from django.db import transaction

from niimi_portal.lib.history import record_change
from niimi_portal.lib.refusal import refuse
from niimi_portal.lib.uploads import attachment_store
from offices.models import Submission, SubmissionAttachment


def size_label(size):
    """A size as the 事務局 reads it: whole KB, rounded up (「1,234KB」)."""
    return f"{-(-int(size) // 1024):,}KB"


NOT_EDITABLE = "この書類は提出済みのため、添付ファイルを変えられません（補正の依頼があると、また変えられます）。"


def _lock_editable(submission, field=None):
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.is_editable:
        refuse(NOT_EDITABLE, field=field)
    return submission


@transaction.atomic
def submission_attach(*, submission, files, by, label=""):
    """Store `files` (uploads or CheckedUpload) with the submission, each with `label`; every file is checked
    before any is stored, so a refused one stores nothing (the refusal names the field `files`)."""
    submission = _lock_editable(submission, field="files")
    return attachment_store(
        SubmissionAttachment,
        files,
        by=by,
        reason="事務局が添付",
        field="files",
        submission=submission,
        label=(label or "").strip(),
    )


@transaction.atomic
def submission_attachment_label(*, attachment, label, by):
    _lock_editable(attachment.submission, field="label")
    attachment.label = (label or "").strip()
    record_change(attachment, by=by, reason="説明を変更")
    attachment.save(update_fields=["label"])
    return attachment


@transaction.atomic
def submission_attachment_remove(*, attachment, by):
    """Delete the attachment and its file (after the commit); the history keeps who removed which file."""
    _lock_editable(attachment.submission)
    storage, stored = attachment.file.storage, attachment.file.name
    record_change(attachment, by=by, reason=f"事務局が「{attachment.original_name}」を削除")
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
