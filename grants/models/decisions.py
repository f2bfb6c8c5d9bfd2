"""交付決定 and what follows it: 変更交付決定, 実績報告, 額の確定."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from grants.categories import BudgetCategory
from grants.models.calculations import GrantCalculation
from grants.models.register import RESERVED_TEXT
from grants.models.years import FiscalYear
from niimi_portal.lib import dates


class GrantDecision(models.Model):
    """交付決定 and what follows it: 変更交付決定, 実績報告, 額の確定."""

    class Status(models.TextChoices):
        DECIDED = "decided", "交付決定"
        CHANGED = "changed", "変更交付決定"
        REPORTED = "reported", "実績報告済"
        SETTLED = "settled", "額の確定"
        REVOKED = "revoked", "交付決定取消"

    calculation = models.OneToOneField(
        GrantCalculation, on_delete=models.PROTECT, related_name="decision", verbose_name="算定"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="grant_decisions",
        verbose_name="地域運営組織",
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="grant_decisions", verbose_name="年度"
    )
    application = models.ForeignKey(
        "grants.GrantApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="交付申請",
    )
    number = models.PositiveIntegerField(
        "連番", null=True, blank=True, help_text="文書番号簿の番号（年度ごとの通し番号）。決裁の後に付きます"
    )
    document_number = models.CharField("文書番号", max_length=50, blank=True)
    decided_on = dates.DateField("決定日")
    amount = models.PositiveIntegerField("交付決定額（円）")
    conditions = models.TextField("交付の条件", blank=True)
    status = models.CharField("状況", max_length=20, choices=Status.choices, default=Status.DECIDED)
    change_reason = models.TextField("変更の理由", blank=True)
    changed_on = dates.DateField("変更交付決定日", null=True, blank=True)
    reported_on = dates.DateField("実績報告日", null=True, blank=True)
    report_receipt = models.OneToOneField(
        "grants.Receipt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="report_decision",
        verbose_name="実績報告の受付番号",
    )
    spent_amount = models.PositiveIntegerField("実績額（円）", null=True, blank=True)
    settled_on = dates.DateField("額の確定日", null=True, blank=True)
    settled_amount = models.PositiveIntegerField("確定額（円）", null=True, blank=True)
    settlement_number = models.PositiveIntegerField(
        "確定通知の連番", null=True, blank=True, help_text="文書番号簿の番号（確定通知の日付の年度）"
    )
    settlement_document_number = models.CharField("確定通知の文書番号", max_length=50, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="決定者",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "交付決定"
        verbose_name_plural = "交付決定"
        ordering = ["-fiscal_year__year", "number"]
        permissions = [("decide_grant", "一括交付金を算定・交付決定・変更交付決定・額の確定できる")]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "number"],
                name="unique_decision_number_per_year",
                violation_error_message="この年度の通し番号はすでに使われています。",
            ),
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"],
                name="unique_decision_per_organization_year",
                violation_error_message="この組織・年度の交付決定はすでにあります。",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1),
                name="decision_number_positive",
                violation_error_message="通し番号は1以上です。",
            ),
            models.CheckConstraint(
                condition=Q(settled_amount__isnull=True) | Q(settled_amount__lte=F("amount")),
                name="settled_amount_at_most_decided",
                violation_error_message="確定額は交付決定額を超えられません。",
            ),
        ]

    def __str__(self):
        return f"{self.document_number or RESERVED_TEXT} {self.organization}"

    @property
    def status_label(self):
        """The status as the 課 reads it: 「交付決定（一部取消）」 after a partial 取消, which leaves the status
        itself as it was (the decision goes on to its 実績報告 and 確定 with the lowered amount)."""
        label = self.get_status_display()
        if self.status == self.Status.REVOKED or self.pk is None:
            return label
        if any(revocation.scope == "part" for revocation in self.revocations.all()):
            return f"{label}（一部取消）"
        return label

    @property
    def paid_amount(self):
        """支払済額: the sum of the payments the city has made (概算払 and 精算払)."""
        if self.pk is None:
            return 0
        return sum(payment.amount for payment in self.payments.all() if payment.paid_on is not None)

    @property
    def claimed_amount(self):
        """請求額の計: every 請求 received, paid or not."""
        if self.pk is None:
            return 0
        return sum(payment.amount for payment in self.payments.all())

    @property
    def other_income_amount(self):
        """その他の収入 of the 実績報告 (会費, 参加費, 寄付 …), deducted in 額の確定 by the rule."""
        if self.pk is None:
            return 0
        return sum(item.spent for item in self.report_items.all() if item.category == BudgetCategory.OTHER_INCOME)

    @property
    def refund_amount(self):
        """返還額: what was paid beyond the 確定額 (0 until the amount is settled)."""
        if self.settled_amount is None:
            return 0
        return max(self.paid_amount - self.settled_amount, 0)

    @property
    def unpaid_amount(self):
        """精算払の額: what the 確定額 leaves to pay beyond the payments made (0 until settled)."""
        if self.settled_amount is None:
            return 0
        return max(self.settled_amount - self.paid_amount, 0)

    @property
    def decided_amount(self):
        """The amount first decided, as the 交付決定通知書 states it (a 変更交付決定 changes `amount`)."""
        return self.calculation.total
