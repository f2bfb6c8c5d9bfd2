"""交付額算定: the stored snapshot of a grant's breakdown."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from grants.models.years import FiscalYear


class GrantCalculationQuerySet(models.QuerySet):
    def counted(self):
        """The calculations in the year's totals and its decision list: not those of an organization whose
        認可 is revoked (before a decision), nor those whose decision is wholly revoked (全部取消)."""
        return self.exclude(decision__isnull=True, organization__approval_status="revoked").exclude(
            decision__status="revoked"
        )


class GrantCalculation(models.Model):
    """交付額算定: a stored snapshot of every line, so a notice reads the same after the rule changes."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="grant_calculations",
        verbose_name="地域運営組織",
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="grant_calculations", verbose_name="年度"
    )
    lines = models.JSONField("内訳", default=list, help_text="[{label, basis, amount}, …] 算定時点の写し")
    base_amount = models.PositiveIntegerField("基本額（円）")
    subsidy_amount = models.PositiveIntegerField("統合補助金額（円）")
    total = models.PositiveIntegerField("交付額（円）")
    previous_total = models.PositiveIntegerField("前年度交付額（円）", null=True, blank=True)
    region_ids = models.JSONField(
        "活動区域（算定時点）", default=list, blank=True, help_text="翌年度の算定が区域の変更・合併を知るための写し"
    )
    calculated_at = models.DateTimeField("算定日時", default=timezone.now)
    calculated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="算定者",
    )

    history = HistoricalRecords()

    objects = GrantCalculationQuerySet.as_manager()

    class Meta:
        verbose_name = "交付額算定"
        verbose_name_plural = "交付額算定"
        ordering = ["-fiscal_year__year", "organization__name_kana"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"],
                name="unique_calculation_per_organization_year",
                violation_error_message="この組織・年度の算定はすでにあります。",
            ),
            models.CheckConstraint(
                condition=Q(total=F("base_amount") + F("subsidy_amount")),
                name="calculation_total_is_base_plus_subsidies",
                violation_error_message="交付額は基本額と統合補助金額の合計でなければなりません。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.fiscal_year} 算定"
