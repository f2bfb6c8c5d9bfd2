"""The money of a 交付決定 after it is made: 変更申請, 請求 and 支払 (概算払, 精算払), 交付決定取消 and 返還.

    GrantDecision ─< GrantChangeRequest   変更申請 (received, then decided by a 変更交付決定)
                  ─< GrantPayment         請求 (claimed) and 支払 (paid): 概算払 in instalments, 精算払
                  ─< GrantRevocation      交付決定取消 (全部 or 一部), with its notice
                  ─< GrantRefund          返還請求 with its 納付期限, and when it was paid back

The rules that change them are in grants.settlement. Every amount that moves has its notice in the 文書番号簿 (`entry`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from grants.categories import EXPENSE_CATEGORIES, BudgetCategory
from grants.models.applications import BudgetLine, budget_line_constraints
from niimi_portal.lib import dates
from niimi_portal.lib.wareki import wareki_date


class GrantChangeRequest(models.Model):
    """変更申請: what the organization asked to change, and the 変更交付決定 that answered it."""

    class Status(models.TextChoices):
        RECEIVED = "received", "受付"
        DECIDED = "decided", "変更交付決定済"

    decision = models.ForeignKey(
        "grants.GrantDecision", on_delete=models.CASCADE, related_name="change_requests", verbose_name="交付決定"
    )
    received_on = dates.DateField("変更申請の受付日")
    requested_amount = models.PositiveIntegerField("申請された変更後の額（円）")
    reason = models.TextField("変更申請の理由")
    status = models.CharField("状況", max_length=10, choices=Status.choices, default=Status.RECEIVED)
    receipt = models.OneToOneField(
        "grants.Receipt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="change_request",
        verbose_name="受付番号",
    )
    entry = models.ForeignKey(
        "grants.DocumentNumber",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="変更交付決定通知書の文書番号",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="受付者",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "変更申請"
        verbose_name_plural = "変更申請"
        ordering = ["decision", "received_on", "id"]

    def __str__(self):
        return f"{self.decision.organization} 変更申請（{wareki_date(self.received_on)}）"

    def amounts(self, lines=None):
        """{category: yen} of the revised 収支予算 (事業費 summed over the projects)."""
        totals = dict.fromkeys(BudgetCategory, 0)
        for line in self.lines.all() if lines is None else lines:
            totals[BudgetCategory(line.category)] += line.amount
        return totals

    @property
    def expenses(self):
        amounts = self.amounts()
        return sum(amounts[category] for category in EXPENSE_CATEGORIES)


class GrantChangeRequestLine(BudgetLine):
    """One line of the 変更申請's revised 収支予算, made like the 交付申請's (GrantApplicationLine). Once the
    変更交付決定 is made, the 実績報告 and the 交付額確定通知書 compare against these lines
    (grants.applications.budget_lines_in_force)."""

    change_request = models.ForeignKey(
        GrantChangeRequest, on_delete=models.CASCADE, related_name="lines", verbose_name="変更申請"
    )
    amount = models.PositiveIntegerField("変更後の金額（円）")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "変更後の収支予算の行"
        verbose_name_plural = "変更後の収支予算"
        ordering = ["change_request", "order", "id"]
        constraints = budget_line_constraints("change_request_line")


class GrantPayment(models.Model):
    """One 請求 of the organization and its 支払 by the city: a 概算払 instalment before the 額の確定,
    or the 精算払 of what the 確定額 leaves unpaid (a payment of the decided amount, not an 追加交付)."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", "概算払"
        FINAL = "final", "精算払"

    decision = models.ForeignKey(
        "grants.GrantDecision", on_delete=models.CASCADE, related_name="payments", verbose_name="交付決定"
    )
    kind = models.CharField("支払の種類", max_length=10, choices=Kind.choices, default=Kind.ADVANCE)
    instalment = models.PositiveSmallIntegerField("回", help_text="この交付決定の何回目の請求か")
    claimed_on = dates.DateField("請求日")
    amount = models.PositiveIntegerField("請求額（円）")
    paid_on = dates.DateField("支払日", null=True, blank=True)
    receipt = models.OneToOneField(
        "grants.Receipt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="payment",
        verbose_name="受付番号",
    )
    entry = models.ForeignKey(
        "grants.DocumentNumber",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="通知書の文書番号",
        help_text="以前の版で精算払に追加交付通知書の番号を取ったときだけ。請求・支払に通知書はありません。",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登録者",
    )
    recorded_at = models.DateTimeField("登録日時", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "請求・支払"
        verbose_name_plural = "請求・支払"
        ordering = ["decision", "instalment"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "instalment"],
                name="unique_payment_instalment_per_decision",
                violation_error_message="この回の請求はすでにあります。",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=1),
                name="payment_amount_positive",
                violation_error_message="請求額は1円以上で入力してください。",
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(paid_on__gte=models.F("claimed_on")),
                name="payment_paid_on_or_after_claim",
                violation_error_message="支払日は請求日以降にしてください。",
            ),
        ]

    def __str__(self):
        return f"{self.decision.organization} 第{self.instalment}回 {self.get_kind_display()}"


class GrantRevocation(models.Model):
    """交付決定取消: the whole decision or part of it, with the 交付決定取消通知書."""

    class Scope(models.TextChoices):
        WHOLE = "whole", "全部"
        PART = "part", "一部"

    decision = models.ForeignKey(
        "grants.GrantDecision", on_delete=models.CASCADE, related_name="revocations", verbose_name="交付決定"
    )
    revoked_on = dates.DateField("取消日")
    scope = models.CharField("取消しの範囲", max_length=10, choices=Scope.choices)
    amount = models.PositiveIntegerField("取り消す額（円）")
    amount_before = models.PositiveIntegerField("取消し前の交付決定額（円）")
    reason = models.TextField("取消しの理由")
    entry = models.ForeignKey(
        "grants.DocumentNumber", on_delete=models.PROTECT, related_name="+", verbose_name="取消通知書の文書番号"
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="取消者",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "交付決定取消"
        verbose_name_plural = "交付決定取消"
        ordering = ["decision", "revoked_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=1) & Q(amount__lte=models.F("amount_before")),
                name="revocation_amount_within_decided",
                violation_error_message="取り消す額は1円以上、交付決定額以下です。",
            ),
        ]

    def __str__(self):
        return f"{self.decision.organization} 交付決定取消（{self.get_scope_display()}）"


class GrantRefund(models.Model):
    """返還請求: what the organization pays back (paid more than the 確定額, or a 取消), by its 納付期限."""

    class Cause(models.TextChoices):
        SETTLEMENT = "settlement", "交付額の確定"
        REVOCATION = "revocation", "交付決定の取消し"

    decision = models.ForeignKey(
        "grants.GrantDecision", on_delete=models.CASCADE, related_name="refunds", verbose_name="交付決定"
    )
    cause = models.CharField("返還の理由", max_length=20, choices=Cause.choices)
    demanded_on = dates.DateField("返還請求日")
    amount = models.PositiveIntegerField("返還請求額（円）")
    due_on = dates.DateField("納付期限")
    returned_on = dates.DateField("納付日", null=True, blank=True)
    entry = models.ForeignKey(
        "grants.DocumentNumber", on_delete=models.PROTECT, related_name="+", verbose_name="返還請求書の文書番号"
    )
    demanded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="請求者",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "返還請求"
        verbose_name_plural = "返還請求"
        ordering = ["decision", "demanded_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=1),
                name="refund_amount_positive",
                violation_error_message="返還請求額は1円以上です。",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gt=models.F("demanded_on")),
                name="refund_due_after_demand",
                violation_error_message="納付期限は返還請求日より後の日にしてください。",
            ),
        ]

    def __str__(self):
        return f"{self.decision.organization} 返還請求 {self.amount:,}円"
