"""交付申請: what an organization asked for in a fiscal year — the day it was received, its 事業計画
(the annual plan), its 収支予算 by category (grants.categories), the scanned 申請書 — and whether
it meets the requirements of a 交付決定. The decision refers to it, and the 交付決定通知書 cites it
(「令和○年○月○日付けで申請のあった…」, grants.notices.letters.application_reference).

The rules that record and check an application are in grants.applications.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from grants.categories import EXPENSE_CATEGORIES, BudgetCategory
from niimi_portal.lib import dates
from niimi_portal.lib.demo_flag import DemoFlag
from niimi_portal.lib.uploads import StoredUpload, upload_path


def application_attachment_path(instance, filename):
    """Kept for the migrations: the model now stores under StoredUpload.upload_folder."""
    return upload_path("grant-applications", filename)


class GrantApplication(DemoFlag):
    """交付申請 of one organization for one fiscal year."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name="地域運営組織",
    )
    fiscal_year = models.ForeignKey(
        "grants.FiscalYear", on_delete=models.PROTECT, related_name="grant_applications", verbose_name="年度"
    )
    received_on = dates.DateField("申請書の受付日")
    receipt = models.OneToOneField(
        "grants.Receipt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="application",
        verbose_name="受付番号",
    )
    requested_amount = models.PositiveIntegerField("交付申請額（円）")
    annual_plan = models.ForeignKey(
        "organizations.AnnualPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_applications",
        verbose_name="事業計画（年度計画）",
    )
    notes = models.TextField("備考", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="受付者",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "交付申請"
        verbose_name_plural = "交付申請"
        ordering = ["-fiscal_year__year", "organization__name_kana"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"],
                name="unique_application_per_organization_year",
                violation_error_message="この組織・年度の交付申請はすでにあります。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.fiscal_year} 交付申請"

    # -- the 収支予算 ----------------------------------------------------------------------------

    def amounts(self, lines=None):
        """{category: yen} of the budget lines (事業費 summed over the projects)."""
        totals = dict.fromkeys(BudgetCategory, 0)
        for line in self.lines.all() if lines is None else lines:
            totals[BudgetCategory(line.category)] += line.amount
        return totals

    @property
    def expenses(self):
        amounts = self.amounts()
        return sum(amounts[category] for category in EXPENSE_CATEGORIES)

    @property
    def income(self):
        """収入: the grant asked for and the other income."""
        return self.requested_amount + self.amounts()[BudgetCategory.OTHER_INCOME]


class BudgetLine(models.Model):
    """One line of a 収支予算: a category, and for 事業費 the project of the annual plan. The 交付申請's budget
    (GrantApplicationLine) and a 変更申請's revised one (GrantChangeRequestLine) are both made of these."""

    category = models.CharField("区分", max_length=20, choices=BudgetCategory.choices)
    project = models.ForeignKey(
        "organizations.PlannedProject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="事業（事業費のとき）",
    )
    label = models.CharField("内容", max_length=200, blank=True, help_text="会費・参加費など、内訳の名前")
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        abstract = True

    def __str__(self):
        name = self.project.name if self.project_id else self.label
        return f"{self.get_category_display()} {name}".strip()


def budget_line_constraints(prefix):
    """A budget line's rules, named `prefix`_…: the amount is 0円 or more, and only 事業費 names a project."""
    return [
        models.CheckConstraint(
            condition=Q(amount__gte=0),
            name=f"{prefix}_amount_non_negative",
            violation_error_message="金額は0円以上で入力してください。",
        ),
        models.CheckConstraint(
            condition=(Q(category="project") & Q(project__isnull=False))
            | (~Q(category="project") & Q(project__isnull=True)),
            name=f"{prefix}_project_only_for_project_cost",
            violation_error_message="事業費の行には年度計画の事業を選び、ほかの区分では事業を選ばないでください。",
        ),
    ]


class GrantApplicationLine(BudgetLine):
    """One line of the 交付申請's 収支予算."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="lines", verbose_name="交付申請"
    )
    amount = models.PositiveIntegerField("金額（円）")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "収支予算の行"
        verbose_name_plural = "収支予算"
        ordering = ["application", "order", "id"]
        constraints = budget_line_constraints("application_line")


class GrantApplicationAttachment(StoredUpload):
    """The scanned 申請書 and its appendices (PDF, JPEG, PNG); served only to 総合政策課."""

    upload_folder = "grant-applications"

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="attachments", verbose_name="交付申請"
    )

    history = HistoricalRecords()

    class Meta(StoredUpload.Meta):
        verbose_name = "交付申請の添付ファイル"
        verbose_name_plural = "交付申請の添付ファイル"
