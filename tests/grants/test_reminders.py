"""`manage.py send_reminders`: reminders of the 期限 through the outbox to a real SMTP server (aiosmtpd), once
per deadline and stage: a second run sends nothing, a deadline met in between gets no more, a dry run
records nothing."""

import datetime
import io

import pytest
from django.core.management import call_command

from grants.models import DeadlineReminder, GrantApplication
from outbox.models import Message
from tests.conftest import POLICY_DIVISION_EMAIL
from tests.mail import send_outbox

pytestmark = pytest.mark.django_db

D = datetime.date
KARAMATSU = "jimukyoku@karamatsu.example"


@pytest.fixture
def year(current_year, approved, other_approved, notice_settings):
    """令和8年度, its 交付申請 due on 令和8年5月15日; 唐松 has a contact e-mail, 高尾 none."""
    current_year.application_due_on = D(2026, 5, 15)
    current_year.save()
    approved.contact_email = KARAMATSU
    approved.save()
    return current_year


def run(day, *extra):
    out = io.StringIO()
    call_command("send_reminders", "--today", day, *extra, stdout=out)
    send_outbox()
    return out.getvalue()


def test_reminders_go_once_and_a_deadline_met_in_between_gets_no_more(inbox, year, approved):
    output = run("2026-05-08")  # 7 days before
    assert "リマインダーの送ったもの 2件" in output
    assert sorted(tuple(m["to"]) for m in inbox.messages) == sorted([(POLICY_DIVISION_EMAIL,), (KARAMATSU,)])
    to_karamatsu = next(m["message"] for m in inbox.messages if m["to"] == [KARAMATSU])
    body = to_karamatsu.get_body(preferencelist=("plain",)).get_content()
    assert "期限が近づいています: 令和8年度 交付申請書の提出（令和8年5月15日）" in str(to_karamatsu["Subject"])
    assert "唐松まちづくり協議会 御中" in body and "期限: 令和8年5月15日（あと7日）" in body
    assert "高尾" not in body  # one organization's mail names no other
    to_division = next(m["message"] for m in inbox.messages if m["to"] == [POLICY_DIVISION_EMAIL])
    digest = to_division.get_body(preferencelist=("plain",)).get_content()
    assert "唐松まちづくり協議会" in digest and "高尾ふれあい協議会" in digest and "組織にもメールしました" in digest

    assert "リマインダーの送ったもの 0件" in run("2026-05-08")  # the same day again
    assert "リマインダーの送ったもの 0件" in run("2026-05-12")  # a later day of the same stage
    assert len(inbox.messages) == 2 and Message.objects.count() == 2

    GrantApplication.objects.create(
        organization=approved, fiscal_year=year, received_on=D(2026, 5, 13), requested_amount=1_000_000
    )
    run("2026-05-15")  # the day: 唐松 has applied, 高尾 has not
    assert len(inbox.messages) == 3
    assert inbox.messages[-1]["to"] == [POLICY_DIVISION_EMAIL]
    assert "本日が期限です: 高尾ふれあい協議会" in inbox.body() and "唐松" not in inbox.body()
    assert list(DeadlineReminder.objects.values_list("organization__name", "stage").order_by("id")) == [
        ("唐松まちづくり協議会", "before"),
        ("高尾ふれあい協議会", "before"),
        ("高尾ふれあい協議会", "on_day"),
    ]

    run("2026-05-20")  # overdue, once
    run("2026-05-21")
    assert len(inbox.messages) == 4
    assert "期限を過ぎています: 高尾ふれあい協議会" in inbox.body() and "（5日経過）" in inbox.body()


def test_a_run_that_starts_late_sends_only_the_stage_of_the_day(inbox, year):
    run("2026-05-18")
    assert set(DeadlineReminder.objects.values_list("stage", flat=True)) == {"overdue"}
    (to_karamatsu,) = [m for m in inbox.messages if m["to"] == [KARAMATSU]]
    assert "期限を過ぎています" in str(to_karamatsu["message"]["Subject"])
    body = to_karamatsu["message"].get_body(preferencelist=("plain",)).get_content()
    assert "（3日経過）" in body and "お早めに手続きをお願いします" in body


def test_a_changed_deadline_is_a_new_deadline(inbox, year):
    run("2026-05-08")
    year.application_due_on = D(2026, 5, 29)
    year.save()
    run("2026-05-22")  # 7 days before the new date
    assert DeadlineReminder.objects.filter(due_on=D(2026, 5, 29), stage="before").count() == 2
    assert len(inbox.messages) == 4


def test_a_dry_run_shows_what_would_go_and_sends_and_records_nothing(inbox, year):
    output = run("2026-05-08", "--dry-run")
    assert "リマインダーの送るもの 2件" in output and "高尾ふれあい協議会 令和8年度 交付申請書の提出" in output
    assert "（あと7日・7日前）" in output
    assert Message.objects.count() == 0 and DeadlineReminder.objects.count() == 0 and inbox.messages == []


def test_nothing_due_sends_nothing(inbox, year):
    run("2026-04-10")  # more than 7 days before
    assert inbox.messages == [] and DeadlineReminder.objects.count() == 0


def test_the_reminder_is_unique_per_deadline_and_stage(year, approved):
    from django.db import IntegrityError, transaction

    fields = {
        "key": "application:2026:1",
        "due_on": D(2026, 5, 15),
        "stage": "before",
        "organization": approved,
        "title": "t",
        "sent_on": D(2026, 5, 8),
    }
    DeadlineReminder.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineReminder.objects.create(**fields)


def test_an_unreadable_date_is_refused_in_japanese(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today の日付が読めません"):
        call_command("send_reminders", "--today", "yesterday")


def test_the_division_reads_the_reminders_sent_and_cannot_change_them(inbox, year, clerk):
    from django.urls import reverse

    run("2026-05-08")
    html = clerk.get(reverse("admin:grants_deadlinereminder_changelist")).content.decode()
    assert "令和8年5月8日" in html and "令和8年5月15日" in html and "高尾ふれあい協議会" in html
    reminder = DeadlineReminder.objects.first()
    assert clerk.get(reverse("admin:grants_deadlinereminder_add")).status_code == 403
    assert clerk.post(reverse("admin:grants_deadlinereminder_delete", args=[reminder.pk])).status_code == 403
