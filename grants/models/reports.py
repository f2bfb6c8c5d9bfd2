"""実績報告: its lines by budget category and its attached receipts and photos."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from grants.categories import BudgetCategory
from grants.models.decisions import GrantDecision
from niimi_portal.lib.uploads import StoredUpload, upload_path


def report_attachment_path(instance, filename):
    """Kept for the migrations: the model now stores under StoredUpload.upload_folder."""
    return upload_path("grant-reports", filename)


class GrantReportItem(models.Model):
    """実績報告の 1 行: by the categories of the 収支予算 (grants.categories): 事務局人件費, 運営経費,
    事業費 (one line per project of the annual plan) and その他の収入."""

    decision = models.ForeignKey(
        GrantDecision, on_delete=models.CASCADE, related_name="report_items", verbose_name="交付決定"
    )
    category = models.CharField("区分", max_length=20, choices=BudgetCategory.choices, default=BudgetCategory.PROJECT)
    project = models.ForeignKey(
        "organizations.PlannedProject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="事業",
    )
    name = models.CharField("項目", max_length=200, help_text="報告時点の事業名（事業費）または区分名の写し")
    field = models.CharField("分野", max_length=50, blank=True)
    budget = models.PositiveIntegerField("予算（円）")
    spent = models.PositiveIntegerField("実績額（円）")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "実績報告の項目"
        verbose_name_plural = "実績報告の項目"
        ordering = ["decision", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(category=BudgetCategory.PROJECT) & Q(project__isnull=False))
                | (~Q(category=BudgetCategory.PROJECT) & Q(project__isnull=True)),
                name="report_item_project_only_for_project_costs",
                violation_error_message="事業費の行には事業を、それ以外の行には事業なしを指定してください。",
            ),
            models.UniqueConstraint(
                fields=["decision", "category"],
                condition=~Q(category=BudgetCategory.PROJECT),
                name="unique_report_item_per_category",
                violation_error_message="この区分の実績はすでに報告されています。",
            ),
            models.UniqueConstraint(
                fields=["decision", "project"],
                name="unique_report_item_per_project",
                violation_error_message="この事業の実績はすでに報告されています。",
            ),
            models.CheckConstraint(
                condition=Q(spent__gte=0) & Q(budget__gte=0),
                name="report_item_amounts_non_negative",
                violation_error_message="金額は0円以上で入力してください。",
            ),
        ]

    def __str__(self):
        return f"{self.decision} {self.name}"


class GrantReportAttachment(StoredUpload):
    """A PDF, JPEG or PNG attached to a 実績報告 (receipts, photos); served only to 総合政策課."""

    upload_folder = "grant-reports"

    decision = models.ForeignKey(
        GrantDecision, on_delete=models.CASCADE, related_name="report_attachments", verbose_name="交付決定"
    )

    history = HistoricalRecords()

    class Meta(StoredUpload.Meta):
        verbose_name = "実績報告の添付ファイル"
        verbose_name_plural = "実績報告の添付ファイル"
