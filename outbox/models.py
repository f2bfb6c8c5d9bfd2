"""The outbox: every mail the portal sends is a row here first, written in the transaction of the change
that caused it, and `manage.py send_outbox` delivers it (outbox/services.py)."""

from django.db import models
from django.db.models import Q


class MessageQuerySet(models.QuerySet):
    def due(self, now):
        """送信待ち whose time has come, oldest first."""
        return self.filter(status=Message.Status.QUEUED, next_attempt_at__lte=now).order_by("next_attempt_at", "pk")

    def failed(self):
        return self.filter(status=Message.Status.FAILED)


class Message(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "送信待ち"
        SENDING = "sending", "送信中"
        SENT = "sent", "送信済み"
        FAILED = "failed", "送信できず"

    subject = models.CharField("件名", max_length=998)
    recipients = models.JSONField("宛先", default=list)
    # The EmailMessage as plain data (outbox.services.message_data): from, to, cc, bcc, reply_to, headers
    # (with the Message-ID fixed when queued), body, alternatives and attachments.
    data = models.JSONField("内容")
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField("送信を試みた回数", default=0)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    next_attempt_at = models.DateTimeField("次に送る日時")
    claimed_at = models.DateTimeField("送信を始めた日時", null=True, blank=True)
    sent_at = models.DateTimeField("送信日時", null=True, blank=True)
    last_error = models.TextField("最後のエラー", blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "メール"
        verbose_name_plural = "メール（送信待ち・送信済み・送信できず）"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_message_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outbox_message_sent_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False), name="outbox_message_sending_claimed"
            ),
        ]

    def __str__(self):
        return f"{self.subject}（{self.get_status_display()}）"
