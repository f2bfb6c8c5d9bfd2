"""State changes of the 事務局's forms: a draft saved as they type, sent to the 受付簿, sent back for 補正 with
comments per field, resent, and accepted by the clerk into the grant year's own step (grants.applications,
grants.settlement, grants.services) without re-typing.

Each kind of form is a `SubmissionKind` in offices.kinds: its Django form (what is checked before sending) and
`accept(submission, by)`, which calls the grants service that records it and returns the record made.
"""

from django.db import transaction
from django.utils import timezone

from grants.receipts import take_receipt
from niimi_portal.lib.history import record_change
from niimi_portal.lib.refusal import refuse
from offices.models import FieldComment, Submission, SubmissionVersion

ATTACHMENT_MISSING = "領収書などの写しを1つ以上添付してください。"


def attachments_required(submission):
    """Whether `submission` may be sent only with at least one file attached: the 実績報告, whose receipts (領収書
    などの写し) prove what was spent. 要確認: that at least one file is required (and that one is enough) is our
    assumption from the 実績報告's 添付書類; 総合政策課 must confirm it against the 交付要綱 and say which
    papers are required for which category."""
    return submission.kind == Submission.Kind.REPORT


OPEN_STATUSES = [Submission.Status.DRAFT, Submission.Status.SENT, Submission.Status.CORRECTION]


def submission_find(*, organization, fiscal_year, kind):
    """The form of `kind` in the making (draft, sent or 補正), or a new one not saved: what a GET shows. Nothing is
    written until the 事務局 saves or sends (submission_open), so opening a page makes no empty draft."""
    found = Submission.objects.filter(
        organization=organization, fiscal_year=fiscal_year, kind=kind, status__in=OPEN_STATUSES
    ).first()
    return found or Submission(organization=organization, fiscal_year=fiscal_year, kind=kind, data={})


def submission_open(*, organization, fiscal_year, kind, by=None, data=None):
    """The form of `kind` in the making for this organization and year (draft, sent or 補正), made as a new
    draft when there is none; `data` (e.g. last year's entries carried over) fills a new one."""
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .filter(
                organization=organization,
                fiscal_year=fiscal_year,
                kind=kind,
                status__in=[Submission.Status.DRAFT, Submission.Status.SENT, Submission.Status.CORRECTION],
            )
            .first()
        )
        if submission is None:
            submission = Submission(
                organization=organization, fiscal_year=fiscal_year, kind=kind, data=data or {}, saved_by=by
            )
            record_change(submission, by=by, reason="下書きの作成")
            submission.save()
        return submission


@transaction.atomic
def submission_draft_save(*, submission, data, by=None):
    """Keep what the 事務局 typed, as it is (nothing is checked: a draft may be half done). Refused once sent
    and not sent back, so a second device never overwrites what the clerk is reading."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if not locked.is_editable:
        refuse(f"この書類は「{locked.get_status_display()}」のため、変更できません。")
    locked.data = data
    locked.saved_at = timezone.now()
    locked.saved_by = by
    locked.save(update_fields=["data", "saved_at", "saved_by"])
    submission.refresh_from_db()
    return locked


@transaction.atomic
def submission_send(*, submission, data, by=None, today=None):
    """Send the form (already checked by its form class): a new version, kept as sent; the first send takes
    a 受付番号 in the 受付簿. Returns the version."""
    locked = Submission.objects.select_for_update().select_related("organization", "fiscal_year").get(pk=submission.pk)
    if not locked.is_editable:
        refuse(f"この書類は「{locked.get_status_display()}」のため、提出できません。")
    if attachments_required(locked) and not locked.attachments.exists():
        refuse(ATTACHMENT_MISSING)  # the draft stays as typed (the view saved it before sending)
    today = today or timezone.localdate()
    if locked.receipt_id is None:
        locked.receipt = take_receipt(
            kind=locked.kind,
            received_on=today,
            organization=locked.organization,
            subject=f"{locked.fiscal_year.label} {locked.get_kind_display()} {locked.organization.name}（ポータル）",
            by=by,
        )
    number = locked.versions.count() + 1
    version = SubmissionVersion.objects.create(submission=locked, number=number, data=data, sent_by=by)
    locked.data = data
    locked.status = Submission.Status.SENT
    locked.saved_at = timezone.now()
    locked.saved_by = by
    record_change(locked, by=by, reason=f"提出（第{number}版）")
    locked.save()
    submission.refresh_from_db()
    return version


@transaction.atomic
def submission_correction_request(*, submission, comments, by=None):
    """補正の依頼: the clerk's comments on the version sent ({field name or "": text}); the form goes back to
    the 事務局, who sees each comment beside its field."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Submission.Status.SENT:
        refuse("提出済（受付待ち）の書類にだけ補正を依頼できます。")
    comments = {field: text.strip() for field, text in comments.items() if text and text.strip()}
    if not comments:
        refuse("補正の内容を1つ以上入力してください。")
    version = locked.latest_version
    FieldComment.objects.bulk_create(
        FieldComment(version=version, field=field, comment=text, written_by=by) for field, text in comments.items()
    )
    locked.status = Submission.Status.CORRECTION
    record_change(locked, by=by, reason=f"補正の依頼（{len(comments)}件）")
    locked.save()
    submission.refresh_from_db()
    return version


def open_comments(submission):
    """{field: [comment, …]} of the 補正 asked on the last version, while the form is back with the 事務局."""
    if submission.status != Submission.Status.CORRECTION:
        return {}
    version = submission.latest_version
    comments = {}
    for comment in version.comments.all() if version else ():
        comments.setdefault(comment.field, []).append(comment.comment)
    return comments


@transaction.atomic
def submission_accept(*, submission, by=None, **options):
    """受理: the clerk takes the version sent into the grant year's own step; the kind's `accept` records it
    (the same service the admin uses for paper) and the record is linked. Refused, with the service's own
    message beside the field, when that step refuses."""
    from offices.kinds import KINDS  # the kinds read grants' forms; imported here to keep models light

    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Submission.Status.SENT:
        refuse("提出済（受付待ち）の書類だけを受理できます。")
    made = KINDS[locked.kind].accept(locked, by=by, **options)
    locked.status = Submission.Status.ACCEPTED
    locked.accepted_at = timezone.now()
    locked.accepted_by = by
    record_change(locked, by=by, reason="受理")
    locked.save()
    submission.refresh_from_db()
    return made
