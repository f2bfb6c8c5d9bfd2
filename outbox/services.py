"""Mail through the outbox: store first, send later, retry with back-off, give up after N tries, never twice.

Written here rather than taken from a library (both were checked): django-mailer (pinax) retries every
deferred message at once with `retry_deferred` and never gives one up, and django-post-office retries at a
fixed interval and opens its connection with `get_connection(backend)`, which Django 6.1 refuses once
MAILERS is set, as it is here.

- `OutboxBackend` (outbox/backends.py) is MAILERS["default"]: `send_mail`, `EmailMessage.send`, the
  password reset and `mail_admins` store a row in the caller's transaction, so a rolled-back change
  sends nothing.
- `send_due` (the `send_outbox` command, run every minute by deploy/systemd/niimi-portal-outbox.timer)
  claims due rows with `select_for_update(skip_locked=True)` and marks them 送信中 in one short
  transaction, then sends each through MAILERS[settings.OUTBOX_MAILER]; two runs at once never take the
  same row. A refused or unreachable server puts the row back with a growing delay
  (settings.OUTBOX_RETRY_MINUTES); after settings.OUTBOX_MAX_ATTEMPTS tries it is 送信できず and shows on
  総合政策課's admin dashboard, where `message_resend` (the admin's 再送 action) queues it again.
- At most once: a row left 送信中 by a run that died mid-send may or may not have reached the server, so
  after settings.OUTBOX_SENDING_TIMEOUT_MINUTES it becomes 送信できず for a person to decide, never
  resent by itself. Every message keeps the Message-ID it was given when queued.
"""

import base64
import datetime
import email.utils
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.models import Message

logger = logging.getLogger(__name__)

STALLED_ERROR = "送信中に処理が止まりました。相手に届いたか分からないため、自動では再送しません。"


def message_data(email_message):
    """The EmailMessage as JSON-ready data; attachments given as MIME parts are not supported."""
    headers = dict(email_message.extra_headers)
    if not any(name.lower() == "message-id" for name in headers):
        domain = email.utils.parseaddr(str(email_message.from_email))[1].rpartition("@")[2] or "localhost"
        headers["Message-ID"] = email.utils.make_msgid(domain=domain)
    attachments = []
    for attachment in email_message.attachments:
        if not isinstance(attachment, tuple):
            raise TypeError("送信待ちに入れられるのは (ファイル名, 内容, MIMEタイプ) の添付だけです。")
        filename, content, mimetype = attachment
        if isinstance(content, str):
            attachments.append({"filename": filename, "text": content, "mimetype": mimetype})
        else:
            encoded = base64.b64encode(content).decode("ascii")
            attachments.append({"filename": filename, "base64": encoded, "mimetype": mimetype})
    return {
        "subject": str(email_message.subject),
        "body": email_message.body,
        "from_email": str(email_message.from_email),
        "to": list(email_message.to),
        "cc": list(email_message.cc),
        "bcc": list(email_message.bcc),
        "reply_to": list(email_message.reply_to),
        "headers": headers,
        "alternatives": [list(item) for item in getattr(email_message, "alternatives", [])],
        "attachments": attachments,
    }


def email_from_data(data):
    attachments = [
        (item["filename"], item["text"] if "text" in item else base64.b64decode(item["base64"]), item["mimetype"])
        for item in data["attachments"]
    ]
    return EmailMultiAlternatives(
        data["subject"],
        data["body"],
        data["from_email"],
        data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(item) for item in data["alternatives"]],
        attachments=attachments,
    )


def message_enqueue(email_message):
    """Store one message to be sent by `send_outbox`; None when it has no recipient (nothing to send)."""
    recipients = email_message.recipients()
    if not recipients:
        return None
    return Message.objects.create(
        subject=str(email_message.subject)[:998],
        recipients=list(recipients),
        data=message_data(email_message),
        next_attempt_at=timezone.now(),
    )


def retry_delay(attempts):
    """The wait after the attempts-th failed try: 1, 5, 30, 120 … minutes, the last repeated."""
    minutes = settings.OUTBOX_RETRY_MINUTES
    return datetime.timedelta(minutes=minutes[min(attempts, len(minutes)) - 1])


def give_up_stalled(now):
    """Rows left 送信中 by a run that died: 送信できず, for a person to check (1 query)."""
    limit = now - datetime.timedelta(minutes=settings.OUTBOX_SENDING_TIMEOUT_MINUTES)
    return Message.objects.filter(status=Message.Status.SENDING, claimed_at__lt=limit).update(
        status=Message.Status.FAILED, last_error=STALLED_ERROR
    )


def claim_due(now, limit=100):
    """Take up to `limit` due messages for this run; rows another run holds are skipped, not waited for."""
    with transaction.atomic():
        ids = list(Message.objects.due(now).select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        # The status condition keeps the claim exclusive on SQLite too, which has no row locks.
        Message.objects.filter(pk__in=ids, status=Message.Status.QUEUED).update(
            status=Message.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    claimed = Message.objects.filter(pk__in=ids, status=Message.Status.SENDING, claimed_at=now)
    return list(claimed.order_by("next_attempt_at", "pk"))


def deliver(message, now):
    """Send one claimed message and record the outcome: 'sent', 'retry' or 'failed'."""
    try:
        mailers[settings.OUTBOX_MAILER].send_messages([email_from_data(message.data)])
    except Exception as error:  # noqa: BLE001 — any refusal is recorded on the row; the next one goes on
        logger.warning("メールを送れませんでした（%s回目）: %s: %s", message.attempts, message.subject, error)
        outcome = "failed" if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS else "retry"
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.FAILED if outcome == "failed" else Message.Status.QUEUED,
            next_attempt_at=now + retry_delay(message.attempts),
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        return outcome
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def send_due(now=None, limit=100):
    """One run of `send_outbox`: counts of messages sent, put back to retry, given up."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": give_up_stalled(now)}
    for message in claim_due(now, limit):
        counts[deliver(message, now)] += 1
    keep = now - datetime.timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS)
    Message.objects.filter(status=Message.Status.SENT, sent_at__lt=keep).delete()
    return counts


def message_resend(*, message):
    """再送: a message that was given up is queued again with a fresh count of tries. False if not 送信できず."""
    return bool(
        Message.objects.filter(pk=message.pk, status=Message.Status.FAILED).update(
            status=Message.Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
        )
    )
