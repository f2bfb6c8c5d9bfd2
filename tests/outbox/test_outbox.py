"""Mail through the outbox, against a real SMTP server (tests/mail.py): stored first, sent once by
`send_outbox`, retried with back-off when the server refuses or is down, given up after N tries and shown
on 総合政策課's dashboard, 再送 from the admin."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from outbox.models import Message
from outbox.services import STALLED_ERROR, claim_due, deliver, send_due
from tests.mail import free_port, send_outbox, smtp_mailers, start_smtp_server

pytestmark = pytest.mark.django_db

FAILED_LIST = "/admin/outbox/message/?status__exact=failed"


def mail(subject="お知らせ", to="jimu@example.invalid"):
    return send_mail(subject, "本文です。", None, [to])


@pytest.fixture
def server_down(settings):
    """The delivery mailer points at a port where nothing listens (the mail server is down)."""
    settings.MAILERS = {
        "default": {"BACKEND": "outbox.backends.OutboxBackend"},
        "delivery": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        },
    }


class Refusing:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        return "554 5.7.1 Message refused"


def test_mail_is_stored_and_not_sent_before_the_command_then_sent_once(inbox):
    assert mail() == 1
    message = Message.objects.get()
    assert (message.status, message.recipients, inbox.messages) == ("queued", ["jimu@example.invalid"], [])
    send_outbox()
    assert inbox.subjects() == ["お知らせ"] and inbox.body().strip() == "本文です。"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1) and message.sent_at is not None
    assert inbox.messages[0]["message"]["Message-ID"] == message.data["headers"]["Message-ID"]
    send_outbox()
    assert len(inbox.messages) == 1


def test_a_rolled_back_transaction_queues_nothing(inbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail()
        assert Message.objects.count() == 1
        raise RuntimeError("the change is rolled back")
    assert not Message.objects.exists()
    send_outbox()
    assert inbox.messages == []


def test_html_alternative_and_attachment_survive_the_queue(inbox):
    email = EmailMultiAlternatives("通知書", "本文", None, ["jimu@example.invalid"], cc=["kakari@example.invalid"])
    email.attach_alternative("<p>本文</p>", "text/html")
    email.attach("通知書.pdf", b"%PDF-1.7 demo", "application/pdf")
    email.send()
    send_outbox()
    received = inbox.messages[0]
    assert received["to"] == ["jimu@example.invalid", "kakari@example.invalid"]
    assert received["message"].get_body(preferencelist=("html",)).get_content().strip() == "<p>本文</p>"
    attachment = next(received["message"].iter_attachments())
    assert (attachment.get_filename(), attachment.get_content()) == ("通知書.pdf", b"%PDF-1.7 demo")


def test_a_down_server_is_retried_with_growing_delays_then_given_up(server_down):
    mail()
    now = timezone.now()
    delays = []
    for _ in range(4):
        assert send_due(now=now) == {"sent": 0, "retry": 1, "failed": 0}
        message = Message.objects.get()
        assert message.status == "queued" and "Connection" in message.last_error
        assert send_due(now=message.next_attempt_at - datetime.timedelta(seconds=1)) == {
            "sent": 0,
            "retry": 0,
            "failed": 0,
        }
        delays.append(message.next_attempt_at - now)
        now = message.next_attempt_at
    assert delays == [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120)]
    assert send_due(now=now) == {"sent": 0, "retry": 0, "failed": 1}
    assert Message.objects.get().status == "failed" and Message.objects.get().attempts == 5
    assert send_due(now=now + datetime.timedelta(days=1)) == {"sent": 0, "retry": 0, "failed": 0}


def test_a_refusing_server_puts_the_message_back_for_later(settings):
    controller, inbox = start_smtp_server()
    controller.handler = Refusing()
    settings.MAILERS = smtp_mailers(controller)
    try:
        mail()
        send_outbox()
    finally:
        controller.stop()
    message = Message.objects.get()
    assert (message.status, message.attempts) == ("queued", 1) and "554" in message.last_error
    assert message.next_attempt_at > timezone.now() and inbox.messages == []


def test_a_message_claimed_by_one_run_is_not_sent_by_another(inbox):
    mail()
    now = timezone.now()
    [claimed] = claim_due(now)  # run A has taken it and is about to send
    assert claim_due(now) == []
    send_outbox()  # run B
    assert inbox.messages == []
    assert deliver(claimed, now) == "sent"
    send_outbox()
    assert len(inbox.messages) == 1


def test_a_send_that_stalled_is_given_up_not_resent(inbox):
    mail()
    now = timezone.now()
    claim_due(now)  # the run died after claiming: the server may or may not have the message
    assert send_due(now=now + datetime.timedelta(minutes=14)) == {"sent": 0, "retry": 0, "failed": 0}
    assert send_due(now=now + datetime.timedelta(minutes=16)) == {"sent": 0, "retry": 0, "failed": 1}
    message = Message.objects.get()
    assert (message.status, message.last_error) == ("failed", STALLED_ERROR)
    assert inbox.messages == []


def test_sent_mail_is_deleted_after_the_keeping_period(inbox, settings):
    mail()
    send_outbox()
    assert send_due(now=timezone.now() + datetime.timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS - 1))["sent"] == 0
    assert Message.objects.exists()
    send_due(now=timezone.now() + datetime.timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS + 1))
    assert not Message.objects.exists()


def test_the_dashboard_shows_given_up_mail_and_the_clerk_resends_it(clerk, server_down, settings):
    mail("交付決定のお知らせ")
    Message.objects.update(attempts=settings.OUTBOX_MAX_ATTEMPTS - 1)
    assert "送信できなかったメール" not in clerk.get("/admin/").text
    send_outbox()
    page = clerk.get("/admin/").text
    assert "1件</strong>のメールを、決めた回数試しても送れませんでした" in page and FAILED_LIST in page
    listing = clerk.get(FAILED_LIST).text
    assert "交付決定のお知らせ" in listing and "送信できず" in listing and "再送する" in listing

    controller, inbox = start_smtp_server()
    settings.MAILERS = smtp_mailers(controller)
    message = Message.objects.get()
    clerk.get(FAILED_LIST, {"action": "resend", "_selected_action": [message.pk]})
    assert Message.objects.get().status == "failed"  # a GET changes nothing
    response = clerk.post(FAILED_LIST, {"action": "resend", "_selected_action": [message.pk]}, follow=True)
    assert "1件を送信待ちに戻しました" in response.text
    assert (Message.objects.get().status, Message.objects.get().attempts) == ("queued", 0)
    assert LogEntry.objects.get().get_change_message() == "再送の待ち行列に戻しました。"
    send_outbox()
    controller.stop()
    assert inbox.subjects() == ["交付決定のお知らせ"]
    assert "送信できなかったメール" not in clerk.get("/admin/").text


def test_only_the_policy_division_sees_and_resends_mail(
    client, server_down, assigned_liaison, policy_officer, django_user_model
):
    mail()
    message = Message.objects.get()
    Message.objects.update(status="failed")
    post = {"action": "resend", "_selected_action": [message.pk]}
    client.force_login(assigned_liaison)  # liaisons never enter the admin
    assert client.post(FAILED_LIST, post).status_code == 302
    client.force_login(django_user_model.objects.create_user("other", is_staff=True))
    assert client.post(FAILED_LIST, post).status_code == 403
    assert Message.objects.get().status == "failed"
    client.force_login(policy_officer)
    assert client.get(f"/admin/outbox/message/{message.pk}/change/").status_code == 200
    assert client.get("/admin/outbox/message/add/").status_code == 403
    assert client.post(f"/admin/outbox/message/{message.pk}/delete/").status_code == 403
    client.post(FAILED_LIST, post)
    assert Message.objects.get().status == "queued"


def test_the_database_refuses_a_sent_message_without_its_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(subject="x", data={}, next_attempt_at=timezone.now(), status="sent")
