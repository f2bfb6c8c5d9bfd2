"""受付簿: what arrives from the organizations, each under a 受付番号 counted per fiscal year of its 受付日."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from niimi_portal.lib import dates
from niimi_portal.lib.wareki import fiscal_year_label


class Receipt(models.Model):
    """One line of the 受付簿: a 交付申請, 変更申請, 請求 or 実績報告 as the clerk records its receipt."""

    class Kind(models.TextChoices):
        APPLICATION = "application", "交付申請"
        CHANGE_REQUEST = "change_request", "変更申請"
        CLAIM = "claim", "請求"
        REPORT = "report", "実績報告"

    year = models.PositiveSmallIntegerField("年度（西暦）", help_text="受付日の年度。受付番号はこの年度ごとの通し番号")
    number = models.PositiveIntegerField("受付番号")
    kind = models.CharField("受け付けた書類", max_length=20, choices=Kind.choices)
    received_on = dates.DateField("受付日")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="地域運営組織"
    )
    subject = models.CharField("件名", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="受付者",
    )
    recorded_at = models.DateTimeField("登録日時", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "受付簿"
        verbose_name_plural = "受付簿"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                name="unique_receipt_number_per_year",
                violation_error_message="この年度の受付番号はすでに使われています。",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="receipt_number_positive",
                violation_error_message="受付番号は1以上です。",
            ),
        ]

    def __str__(self):
        return f"{fiscal_year_label(self.year)} {self.label}"

    @property
    def label(self):
        return f"受付第{self.number}号"
