"""統合された既存補助金: the subsidies folded into the 一括交付金, and each organization's amount."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from grants.models.years import FiscalYear
from niimi_portal.lib.demo_flag import DemoFlag


class IntegratedSubsidy(DemoFlag):
    """一括交付金に統合された既存の補助金."""

    name = models.CharField("補助金名", max_length=100, unique=True)
    former_department = models.CharField("従来の所管課", max_length=100, blank=True)
    description = models.TextField("説明", blank=True)
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "統合された既存補助金"
        verbose_name_plural = "統合された既存補助金"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class SubsidyAllocation(DemoFlag):
    """An organization's amount of one integrated subsidy in one fiscal year."""

    subsidy = models.ForeignKey(
        IntegratedSubsidy, on_delete=models.PROTECT, related_name="allocations", verbose_name="補助金"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="subsidy_allocations",
        verbose_name="地域運営組織",
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="subsidy_allocations", verbose_name="年度"
    )
    amount = models.PositiveIntegerField("金額（円）")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "既存補助金の配分"
        verbose_name_plural = "既存補助金の配分"
        ordering = ["fiscal_year", "organization", "subsidy__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["subsidy", "organization", "fiscal_year"],
                name="unique_allocation_per_subsidy_organization_year",
                violation_error_message="この組織・年度・補助金の配分はすでに登録されています。",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="allocation_amount_non_negative",
                violation_error_message="金額は0円以上で入力してください。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.fiscal_year} {self.subsidy}"
