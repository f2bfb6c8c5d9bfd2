"""保存期間: apply_retention lists, then disposes of, exactly the records past their period on a given day,
and writes down each disposal (niimi_portal/retention.py)."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from model_bakery import baker

from grants import deadlines
from grants.models import (
    DeadlineReminder,
    DocumentNumber,
    DocumentSeries,
    FiscalYear,
    GrantApplication,
    GrantApplicationAttachment,
    GrantCalculation,
    GrantDecision,
    GrantPayment,
    GrantRefund,
    GrantReportAttachment,
)
from niimi_portal import retention
from niimi_portal.lib.wareki import fiscal_year_of
from niimi_portal.models import Disposal
from offices.models import FieldComment, Submission, SubmissionAttachment, SubmissionVersion
from organizations.models import CaseStudy, CaseStudyPhoto, PublicationConsent
from staff.models import Meeting, MeetingAttachment, NextStep

# On 令和8年4月1日 a 5-year period has run for records completed up to 令和2年度 (till 令和3年3月31日).
TODAY = datetime.date(2026, 4, 1)
LAST_DAY_OUT = datetime.date(2021, 3, 31)
FIRST_DAY_KEPT = datetime.date(2021, 4, 1)


def _meeting(organization, day):
    meeting = baker.make(
        Meeting, organization=organization, date=day, agenda="議題", summary="山田さんの発言", place="公民館"
    )
    NextStep.objects.create(meeting=meeting, description="石井さんに連絡", due_date=day)
    attachment = MeetingAttachment(meeting=meeting, original_name="名簿.pdf", content_type="application/pdf", size=4)
    attachment.file.save("roster.pdf", ContentFile(b"%PDF"), save=True)
    return meeting, attachment


def _settled_decision(organization, settled_on, *, open_refund=False):
    year = FiscalYear.for_year(fiscal_year_of(settled_on) - 1)
    kwargs = {"organization": organization, "fiscal_year": year}
    application = baker.make(GrantApplication, annual_plan=None, received_on=year.starts_on, **kwargs)
    decision = baker.make(
        GrantDecision,
        calculation=baker.make(GrantCalculation, base_amount=1_000, subsidy_amount=0, total=1_000, **kwargs),
        application=application,
        settled_on=settled_on,
        amount=1_000,
        number=organization.pk,
        settled_amount=1_000,
        **kwargs,
    )
    payment = baker.make(GrantPayment, decision=decision, amount=1_000, claimed_on=settled_on, paid_on=None, entry=None)
    report = GrantReportAttachment(
        decision=decision, original_name="領収書.pdf", content_type="application/pdf", size=4
    )
    report.file.save("receipt.pdf", ContentFile(b"%PDF"), save=True)
    scan = GrantApplicationAttachment(
        application=decision.application, original_name="申請書.pdf", content_type="application/pdf", size=4
    )
    scan.file.save("application.pdf", ContentFile(b"%PDF"), save=True)
    if open_refund:
        baker.make(
            GrantRefund,
            decision=decision,
            amount=500,
            demanded_on=settled_on,
            due_on=settled_on + datetime.timedelta(days=20),
            returned_on=None,
            entry=baker.make(
                DocumentNumber,
                series=baker.make(DocumentSeries, number_format="保存テスト第{番号}号"),
                number=1,
                text="保存テスト第1号",
                decision=None,
            ),
        )
    return decision, payment, report, scan


@pytest.fixture
def dated(organization, other_organization):
    """One of each kind of record on each side of the line: completed on the last day out, and on the first day kept."""
    old_meeting, old_attachment = _meeting(organization, LAST_DAY_OUT)
    new_meeting, new_attachment = _meeting(organization, FIRST_DAY_KEPT)
    old_grant = _settled_decision(organization, LAST_DAY_OUT)
    new_grant = _settled_decision(organization, FIRST_DAY_KEPT)
    refund_open = _settled_decision(other_organization, LAST_DAY_OUT, open_refund=True)
    old_consent = baker.make(
        PublicationConsent, organization=organization, item="phone", given_on=LAST_DAY_OUT, withdrawn_on=LAST_DAY_OUT
    )
    new_consent = baker.make(
        PublicationConsent, organization=organization, item="email", given_on=LAST_DAY_OUT, withdrawn_on=FIRST_DAY_KEPT
    )
    return {
        "old": [old_meeting, old_attachment, *old_grant[1:], old_consent],
        "kept": [new_meeting, new_attachment, *new_grant[1:], *refund_open[1:], new_consent],
    }


def test_a_period_ends_on_31_march_of_the_fifth_fiscal_year_after_the_record():
    assert retention.cutoff("grant_record", TODAY) == FIRST_DAY_KEPT
    assert retention.cutoff("grant_record", TODAY - datetime.timedelta(days=1)) == datetime.date(2020, 4, 1)


def test_the_dry_run_lists_what_is_past_its_period_and_changes_nothing(dated):
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", "--today", TODAY.isoformat(), stdout=out)
    due = {(type(item.obj), item.obj.pk) for item in retention.due(TODAY)}
    assert due == {(type(obj), obj.pk) for obj in dated["old"]}
    assert "令和8年4月1日の時点で保存期間を過ぎた記録: 6件" in out.getvalue()
    assert "6件を廃棄します（試行）" in out.getvalue()
    assert not Disposal.objects.exists()
    assert Meeting.objects.get(pk=dated["old"][0].pk).summary == "山田さんの発言"


def test_the_real_run_disposes_of_the_old_records_only_and_writes_each_down(dated, django_capture_on_commit_callbacks):
    old_meeting, old_attachment, old_payment, old_report, old_scan, old_consent = dated["old"]
    stored = [old_attachment.file.name, old_report.file.name, old_scan.file.name]
    storage = old_attachment.file.storage
    with_history = Meeting.history.filter(id=old_meeting.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):  # the files go once the rows' deletion is committed
        call_command("apply_retention", "--today", TODAY.isoformat(), stdout=io.StringIO())

    meeting = Meeting.objects.get(pk=old_meeting.pk)  # kept: a stage change may cite it
    assert (meeting.agenda, meeting.summary, meeting.place) == ("", "", "")
    assert not meeting.next_steps.exists() and not meeting.attachments.exists()
    assert with_history and not Meeting.history.filter(id=old_meeting.pk).exists()
    for model, obj in [
        (MeetingAttachment, old_attachment),
        (GrantPayment, old_payment),
        (GrantReportAttachment, old_report),
        (GrantApplicationAttachment, old_scan),
        (PublicationConsent, old_consent),
    ]:
        assert not model.objects.filter(pk=obj.pk).exists(), model
    assert not PublicationConsent.history.filter(id=old_consent.pk).exists()
    assert not any(storage.exists(name) for name in stored)
    for obj in dated["kept"]:
        assert type(obj).objects.filter(pk=obj.pk).exists(), obj
        if hasattr(obj, "file"):
            assert obj.file.storage.exists(obj.file.name)
    assert Meeting.objects.get(pk=dated["kept"][0].pk).summary == "山田さんの発言"
    assert Disposal.objects.count() == 6
    record = Disposal.objects.get(record_type="meeting_record")
    assert record.action == Disposal.Action.ANONYMISED and record.counted_from == LAST_DAY_OUT
    assert "山田" not in "".join(Disposal.objects.values_list("label", flat=True))


def test_a_second_run_finds_nothing_more(dated):
    retention.apply_retention(TODAY)
    assert list(retention.due(TODAY)) == []
    assert retention.apply_retention(TODAY) == []


def test_the_periods_are_settings(dated, settings):
    settings.RETENTION_YEARS = {**settings.RETENTION_YEARS, "meeting_record": 4, "meeting_attachment": 4}
    due_meetings = [item.obj for item in retention.due(TODAY) if isinstance(item.obj, Meeting)]
    assert {m.pk for m in due_meetings} == {dated["old"][0].pk, dated["kept"][0].pk}


def test_a_bad_day_is_refused_in_japanese():
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("apply_retention", "--today", "令和8年", stdout=io.StringIO())


def test_the_disposal_record_is_read_only_for_the_policy_division(clerk, dated):
    retention.apply_retention(TODAY)
    response = clerk.get("/admin/niimi_portal/disposal/")
    assert response.status_code == 200
    assert "会議の記録" in response.content.decode()
    disposal = Disposal.objects.first()
    assert clerk.get(f"/admin/niimi_portal/disposal/{disposal.pk}/delete/").status_code == 403
    assert clerk.post(f"/admin/niimi_portal/disposal/{disposal.pk}/change/", {"label": "x"}).status_code == 403


def test_a_liaison_cannot_read_the_disposal_record(client, assigned_liaison):
    client.force_login(assigned_liaison)
    assert client.get("/admin/niimi_portal/disposal/").status_code in (302, 403)


def test_a_photo_whose_consent_was_withdrawn_goes_five_years_later(organization, django_capture_on_commit_callbacks):
    case = baker.make(CaseStudy, organization=organization, slug="old-case")
    photos = {}
    for key, withdrawn in (("old", LAST_DAY_OUT), ("kept", FIRST_DAY_KEPT)):
        photo = CaseStudyPhoto(
            case=case,
            alt_text="住民",
            consent_given_by="山田 一郎",
            consent_given_on=LAST_DAY_OUT - datetime.timedelta(days=30),
            consent_withdrawn_on=withdrawn,
        )
        photo.image.save(f"{key}.jpg", ContentFile(b"\xff\xd8"), save=True)
        photos[key] = photo
    with django_capture_on_commit_callbacks(execute=True):
        retention.apply_retention(TODAY)
    assert not CaseStudyPhoto.objects.filter(pk=photos["old"].pk).exists()
    assert not photos["old"].image.storage.exists(photos["old"].image.name)
    assert CaseStudyPhoto.objects.filter(pk=photos["kept"].pk).exists()


def _reminder(organization, key, due_on, stage=DeadlineReminder.Stage.OVERDUE):
    return DeadlineReminder.objects.create(
        key=key,
        due_on=due_on,
        stage=stage,
        organization=organization,
        title="令和2年度 実績報告書の提出",
        sent_on=due_on + datetime.timedelta(days=1),
    )


def test_a_reminder_record_goes_five_years_after_its_deadline_but_never_while_the_deadline_is_open(
    organization, other_organization
):
    closed = _reminder(organization, "report:9999", LAST_DAY_OUT)  # no such decision open any more
    kept = _reminder(organization, "report:9998", FIRST_DAY_KEPT)
    # A 返還金 demanded in 令和2年度 and still not paid back: its overdue reminder stays, however old.
    decision, *_ = _settled_decision(other_organization, datetime.date(2021, 3, 1), open_refund=True)
    refund = decision.refunds.get()
    assert refund.due_on < FIRST_DAY_KEPT
    still_open = _reminder(other_organization, f"refund:{refund.pk}", refund.due_on)
    assert ("refund", refund.due_on) in {(d.kind, d.due_on) for d in deadlines.open_deadlines(TODAY)}

    due = [item for item in retention.due(TODAY) if item.record_type == "deadline_reminder"]
    assert [item.obj for item in due] == [closed]
    assert due[0].label == f"期限のリマインダーの記録 第{closed.pk}号（期限 令和3年3月31日、期限後）"
    retention.apply_retention(TODAY)

    assert not DeadlineReminder.objects.filter(pk=closed.pk).exists()
    assert set(DeadlineReminder.objects.values_list("pk", flat=True)) == {kept.pk, still_open.pk}
    assert Disposal.objects.get(record_type="deadline_reminder").counted_from == LAST_DAY_OUT
    # send_reminders finds the open 返還金's overdue reminder still recorded, so it does not mail it again.
    assert f"refund:{refund.pk}" not in {deadline.key for deadline, _ in deadlines.due_reminders(TODAY)}


def test_the_reminder_records_period_is_a_setting(organization, settings):
    settings.RETENTION_YEARS = {**settings.RETENTION_YEARS, "deadline_reminder": 4}
    reminder = _reminder(organization, "report:9999", FIRST_DAY_KEPT)
    assert [item.obj for item in retention.due(TODAY)] == [reminder]


def _sent_with_a_file(decision, kind=Submission.Kind.REPORT):
    submission = Submission.objects.create(
        organization=decision.organization,
        fiscal_year=decision.fiscal_year,
        kind=kind,
        status=Submission.Status.ACCEPTED,
        data={"personnel_amount": "1000"},
        decision=decision,
    )
    version = SubmissionVersion.objects.create(submission=submission, number=1, data=submission.data)
    FieldComment.objects.create(version=version, field="personnel_amount", comment="領収書の写しを添えてください。")
    attachment = SubmissionAttachment(
        submission=submission, original_name="領収書.jpg", content_type="image/jpeg", size=2
    )
    attachment.file.save("receipt.jpg", ContentFile(b"\xff\xd8"), save=True)
    return submission, attachment


def test_what_a_jimukyoku_sent_goes_with_the_grant_records_and_never_while_a_refund_is_open(
    organization, other_organization, django_capture_on_commit_callbacks
):
    old, *_ = _settled_decision(organization, LAST_DAY_OUT)
    kept, *_ = _settled_decision(other_organization, FIRST_DAY_KEPT)
    old_sent, old_file = _sent_with_a_file(old)
    kept_sent, kept_file = _sent_with_a_file(kept)
    refund_decision, *_ = _settled_decision(
        other_organization, LAST_DAY_OUT - datetime.timedelta(days=400), open_refund=True
    )
    owed_sent, _ = _sent_with_a_file(refund_decision)
    stale_draft = Submission.objects.create(
        organization=organization, fiscal_year=kept.fiscal_year, kind=Submission.Kind.APPLICATION, data={"x": "1"}
    )
    Submission.objects.filter(pk=stale_draft.pk).update(saved_at=datetime.datetime(2019, 5, 1, tzinfo=datetime.UTC))

    with django_capture_on_commit_callbacks(execute=True):
        retention.apply_retention(TODAY)

    assert not Submission.objects.filter(pk__in=[old_sent.pk, stale_draft.pk]).exists()
    assert not SubmissionVersion.objects.filter(submission_id=old_sent.pk).exists()
    assert not FieldComment.objects.filter(version__submission_id=old_sent.pk).exists()
    assert not old_file.file.storage.exists(old_file.file.name)
    assert not Submission.history.filter(id=old_sent.pk).exists()
    assert set(Submission.objects.values_list("pk", flat=True)) == {kept_sent.pk, owed_sent.pk}
    assert kept_file.file.storage.exists(kept_file.file.name)
    labels = list(Disposal.objects.filter(label__startswith="事務局からの提出").values_list("label", flat=True))
    assert len(labels) == 3  # the old report, its file, the stale draft
