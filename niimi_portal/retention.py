"""保存期間: each kind of record the portal holds is kept for a period after the day its record was completed,
then disposed of by `manage.py apply_retention` (deleted, or its personal content removed where other records
must keep pointing at it), and each disposal is written down (niimi_portal.Disposal).

A period counts as the city's 文書管理規則 count one: from 1 April of the fiscal year after the one in which the
record was completed. A record completed in 令和2年度 with a 5-year period is kept until 31 March 令和8年 and
may be disposed of from 1 April 令和8年.

The periods are settings (RETENTION_YEARS); the defaults are assumptions the city must confirm against its
文書管理規則 (docs/個人情報.md lists them):
- 補助金 records (application scans, 実績報告 attachments, payments): 5 years after the 額の確定, the usual
  period for 補助金 records; an application never decided counts from its 受付日. A decision with a 返還 not
  yet paid back is kept whatever its age.
- meeting records and their attachments: 5 years after the meeting. The meeting row stays (a stage change
  may cite it as evidence, and the counts feed statistics); its texts, next steps, attachments and change
  history go.
- a withdrawn publication consent, and a case photo whose consent was withdrawn: 5 years after the withdrawal.
- the record that a 期限's reminder was mailed (grants.DeadlineReminder, what makes `send_reminders` send each
  once): 5 years after the 期限 (要確認). A 期限 still open on the day (an unpaid 返還金, an unpaid 請求, a
  実績報告 not yet in) keeps its records whatever their age: without them `send_reminders` would mail its
  reminders again.
- what an organization's 事務局 sent from its pages (offices.Submission: the form, every version, the 補正 asked and
  the files): 5 years after the 額の確定 of that organization's grant of that year, like the 補助金 records; a form
  never sent (a draft) or withdrawn, 5 years after it was last saved. A year with a 返還 not yet paid back keeps
  them whatever their age.
Documents the city issued (notices, the 文書番号簿) and the grant decisions themselves are kept by their own,
longer periods and are not disposed of here.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from grants.deadlines import open_deadlines
from grants.models import (
    DeadlineReminder,
    GrantApplicationAttachment,
    GrantDecision,
    GrantPayment,
    GrantRefund,
    GrantReportAttachment,
)
from niimi_portal.lib.wareki import fiscal_year_of, wareki_date
from niimi_portal.models import Disposal
from offices.models import Submission
from organizations.models import CaseStudyPhoto, PublicationConsent
from staff.models import Meeting, MeetingAttachment


def cutoff(record_type, today):
    """Records completed before this day have passed their period on `today`."""
    years = settings.RETENTION_YEARS[record_type]
    return datetime.date(fiscal_year_of(today) - years, 4, 1)


@dataclasses.dataclass
class Due:
    record_type: str
    obj: object
    counted_from: datetime.date
    label: str


def _object_pk(obj):
    return f"{type(obj).__name__}:{obj.pk}"


def _not_disposed(queryset, record_type):
    key = Concat(Value(f"{queryset.model.__name__}:"), Cast(OuterRef("pk"), CharField()))
    done = Disposal.objects.filter(record_type=record_type, object_pk=key)
    return queryset.exclude(Exists(done))


def _open_refund():
    return Exists(GrantRefund.objects.filter(decision=OuterRef("decision"), returned_on__isnull=True))


def due_meeting_records(today):
    meetings = _not_disposed(Meeting.objects.filter(date__lt=cutoff("meeting_record", today)), "meeting_record")
    for meeting in meetings.select_related("organization", "region").order_by("date", "pk"):
        label = f"会議の記録 第{meeting.pk}号（{wareki_date(meeting.date)}、{meeting.get_kind_display()}）"
        yield Due("meeting_record", meeting, meeting.date, label)


def due_meeting_attachments(today):
    attachments = MeetingAttachment.objects.filter(meeting__date__lt=cutoff("meeting_attachment", today))
    for attachment in attachments.select_related("meeting").order_by("meeting__date", "pk"):
        label = f"会議の添付ファイル 第{attachment.pk}号（{wareki_date(attachment.meeting.date)}の会議）"
        yield Due("meeting_attachment", attachment, attachment.meeting.date, label)


def due_application_scans(today):
    before = cutoff("grant_record", today)
    undecided = Q(application__decisions__isnull=True, application__received_on__lt=before)
    settled = Q(application__decisions__settled_on__lt=before) & ~Exists(
        GrantRefund.objects.filter(decision__application=OuterRef("application"), returned_on__isnull=True)
    )
    scans = GrantApplicationAttachment.objects.filter(undecided | settled).distinct()
    for scan in scans.select_related("application").order_by("pk"):
        decision = scan.application.decisions.order_by("-settled_on").first()
        counted_from = decision.settled_on if decision else scan.application.received_on
        label = f"交付申請の添付ファイル 第{scan.pk}号（交付申請 第{scan.application_id}号）"
        yield Due("grant_record", scan, counted_from, label)


def due_report_attachments(today):
    attachments = GrantReportAttachment.objects.filter(decision__settled_on__lt=cutoff("grant_record", today)).exclude(
        _open_refund()
    )
    for attachment in attachments.select_related("decision").order_by("pk"):
        label = f"実績報告の添付ファイル 第{attachment.pk}号（交付決定 第{attachment.decision_id}号）"
        yield Due("grant_record", attachment, attachment.decision.settled_on, label)


def due_payments(today):
    payments = GrantPayment.objects.filter(decision__settled_on__lt=cutoff("grant_record", today)).exclude(
        _open_refund()
    )
    for payment in payments.select_related("decision").order_by("pk"):
        label = f"支払の記録 第{payment.pk}号（交付決定 第{payment.decision_id}号）"
        yield Due("grant_record", payment, payment.decision.settled_on, label)


def due_withdrawn_consents(today):
    before = cutoff("withdrawn_consent", today)
    consents = PublicationConsent.objects.filter(withdrawn_on__lt=before)
    for consent in consents.order_by("withdrawn_on", "pk"):
        label = f"撤回された掲載の同意 第{consent.pk}号（{wareki_date(consent.withdrawn_on)}撤回）"
        yield Due("withdrawn_consent", consent, consent.withdrawn_on, label)
    photos = CaseStudyPhoto.objects.filter(consent_withdrawn_on__lt=before)
    for photo in photos.order_by("consent_withdrawn_on", "pk"):
        label = f"同意を撤回された取組事例の写真 第{photo.pk}号（{wareki_date(photo.consent_withdrawn_on)}撤回）"
        yield Due("withdrawn_consent", photo, photo.consent_withdrawn_on, label)


def due_deadline_reminders(today):
    """Reminder records whose 期限 fell before the period's start and is no longer open on `today`."""
    reminders = DeadlineReminder.objects.filter(due_on__lt=cutoff("deadline_reminder", today))
    if not reminders.exists():
        return
    still_open = {(deadline.key, deadline.due_on) for deadline in open_deadlines(today)}
    for reminder in reminders.order_by("due_on", "pk"):
        if (reminder.key, reminder.due_on) in still_open:
            continue
        label = (
            f"期限のリマインダーの記録 第{reminder.pk}号（期限 {wareki_date(reminder.due_on)}、"
            f"{reminder.get_stage_display()}）"
        )
        yield Due("deadline_reminder", reminder, reminder.due_on, label)


def due_submissions(today):
    """事務局からの提出 past the 補助金 period: each file first (its stored file is deleted with it), then the
    form with its versions and 補正 comments."""
    before = cutoff("grant_record", today)
    same_year = {"organization": OuterRef("organization"), "fiscal_year": OuterRef("fiscal_year")}
    settled_on = GrantDecision.objects.filter(**same_year, settled_on__isnull=False).values("settled_on")[:1]
    unpaid = GrantRefund.objects.filter(
        decision__organization=OuterRef("organization"),
        decision__fiscal_year=OuterRef("fiscal_year"),
        returned_on__isnull=True,
    )
    never_sent = Q(status__in=[Submission.Status.DRAFT, Submission.Status.WITHDRAWN], saved_at__date__lt=before)
    submissions = (
        Submission.objects.annotate(settled_on=Subquery(settled_on))
        .filter(Q(settled_on__lt=before) | never_sent)
        .exclude(Exists(unpaid))
        .select_related("fiscal_year")
        .prefetch_related("attachments")
        .order_by("pk")
    )
    for submission in submissions:
        counted_from = submission.settled_on or timezone.localtime(submission.saved_at).date()
        name = f"事務局からの提出 第{submission.pk}号（{submission.fiscal_year.label} {submission.get_kind_display()}）"
        for attachment in submission.attachments.all():
            yield Due("grant_record", attachment, counted_from, f"{name}の添付ファイル 第{attachment.pk}号")
        yield Due("grant_record", submission, counted_from, name)


# In this order: a meeting's attachments go before its record is emptied.
SOURCES = (
    due_meeting_attachments,
    due_meeting_records,
    due_application_scans,
    due_report_attachments,
    due_payments,
    due_submissions,
    due_withdrawn_consents,
    due_deadline_reminders,
)


def due(today):
    """Everything past its period on `today`, as Due items (what `--dry-run` lists)."""
    for source in SOURCES:
        yield from source(today)


def _delete_with_history(obj):
    """Delete a row, its stored file and its change history (django-simple-history's `history` manager)."""
    model, pk = type(obj), obj.pk
    stored = getattr(obj, "file", None) or getattr(obj, "image", None)
    obj.delete()
    history = getattr(model, "history", None)
    if history is not None:  # after the delete, whose own history row holds the same values
        history.filter(id=pk).delete()
    if stored:
        # After the commit, so a failed transaction never leaves a row pointing at a deleted file.
        transaction.on_commit(lambda: stored.storage.delete(stored.name))
    return Disposal.Action.DELETED


def _empty_meeting(meeting):
    for step in meeting.next_steps.all():
        _delete_with_history(step)
    for attachment in meeting.attachments.all():
        _delete_with_history(attachment)
    Meeting.history.filter(id=meeting.pk).delete()
    meeting.agenda = meeting.summary = meeting.decisions = ""
    meeting.place = meeting.other_organizations = ""
    meeting.save_without_historical_record(
        update_fields=["agenda", "summary", "decisions", "place", "other_organizations"]
    )
    return Disposal.Action.ANONYMISED


def dispose(item):
    """Dispose of one due record and write down that it was; atomic per record."""
    with transaction.atomic():
        object_pk = _object_pk(item.obj)
        empty_or_delete = _empty_meeting if item.record_type == "meeting_record" else _delete_with_history
        action = empty_or_delete(item.obj)
        return Disposal.objects.create(
            record_type=item.record_type,
            object_pk=object_pk,
            label=item.label,
            counted_from=item.counted_from,
            action=action,
        )


def apply_retention(today):
    """Dispose of everything past its period on `today`; returns the Disposal rows written."""
    return [dispose(item) for item in list(due(today))]
