"""リマインダーの記録: which reminder of which 期限 went out, so `manage.py send_reminders` sends each one once."""

from django.db import models

from niimi_portal.lib import dates
from niimi_portal.lib.wareki import wareki_date


class DeadlineReminder(models.Model):
    """One reminder sent: a 期限 (grants.deadlines.Deadline.key with its date) at one stage. A deadline whose
    date changes is a new deadline and is reminded again; one met before the next stage gets no more. Kept
    5 years after the 期限 and never while it is open (niimi_portal.retention, RETENTION_YEARS)."""

    class Stage(models.TextChoices):
        BEFORE = "before", "7日前"
        ON_DAY = "on_day", "当日"
        OVERDUE = "overdue", "期限後"

    key = models.CharField("期限", max_length=100, help_text="例: report:12（交付決定12の実績報告）")
    due_on = dates.DateField("期限日")
    stage = models.CharField("段階", max_length=10, choices=Stage.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="deadline_reminders",
        verbose_name="地域運営組織",
    )
    title = models.CharField("件名", max_length=200)
    to_organization = models.BooleanField("組織にも送った", default=False)
    sent_on = dates.DateField("送った日")
    created_at = models.DateTimeField("記録日時", auto_now_add=True)

    class Meta:
        verbose_name = "期限のリマインダー"
        verbose_name_plural = "期限のリマインダー"
        ordering = ["-sent_on", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "due_on", "stage"],
                name="unique_reminder_per_deadline_stage",
                violation_error_message="この期限・段階のリマインダーはすでに送っています。",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{wareki_date(self.due_on)}・{self.get_stage_display()}）"
