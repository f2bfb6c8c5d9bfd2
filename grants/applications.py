"""交付申請: what an organization asked for in a fiscal year — the day it was received, its 事業計画
(the annual plan), its 収支予算 by category (grants.categories), the scanned 申請書 — and whether
it meets the requirements of a 交付決定. The decision refers to it, and the 交付決定通知書 cites it
(「令和○年○月○日付けで申請のあった…」, grants.notices.application_reference).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from grants.categories import EXPENSE_CATEGORIES, BudgetCategory
from niimi_portal.lib import uploads
from niimi_portal.lib.history import record_change
from niimi_portal.lib.money import yen
from niimi_portal.lib.refusal import refuse
from niimi_portal.lib.uploads import upload_path
from niimi_portal.lib.wareki import wareki_date
from organizations.approvals import approval_on
from organizations.areas import AreaTree
from organizations.models import AnnualPlan


def application_attachment_path(instance, filename):
    return upload_path("grant-applications", filename)


class GrantApplication(models.Model):
    """交付申請 of one organization for one fiscal year."""

    __module__ = "grants.models"  # where Django and the history (HistoricalGrant…) look for it

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name="地域運営組織",
    )
    fiscal_year = models.ForeignKey(
        "grants.FiscalYear", on_delete=models.PROTECT, related_name="grant_applications", verbose_name="年度"
    )
    received_on = models.DateField("申請書の受付日")
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
    is_demo = models.BooleanField("デモ用のデータ", default=False)
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


class GrantApplicationLine(models.Model):
    """One line of the 収支予算: a category, and for 事業費 the project of the annual plan."""

    __module__ = "grants.models"  # where Django and the history (HistoricalGrant…) look for it

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="lines", verbose_name="交付申請"
    )
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
    amount = models.PositiveIntegerField("金額（円）")
    order = models.PositiveSmallIntegerField("表示順", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "収支予算の行"
        verbose_name_plural = "収支予算"
        ordering = ["application", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="application_line_amount_non_negative",
                violation_error_message="金額は0円以上で入力してください。",
            ),
            models.CheckConstraint(
                condition=(Q(category="project") & Q(project__isnull=False))
                | (~Q(category="project") & Q(project__isnull=True)),
                name="application_line_project_only_for_project_cost",
                violation_error_message="事業費の行には年度計画の事業を選び、ほかの区分では事業を選ばないでください。",
            ),
        ]

    def __str__(self):
        name = self.project.name if self.project_id else self.label
        return f"{self.get_category_display()} {name}".strip()


class GrantApplicationAttachment(models.Model):
    """The scanned 申請書 and its appendices (PDF, JPEG, PNG); served only to 総合政策課."""

    __module__ = "grants.models"  # where Django and the history (HistoricalGrant…) look for it

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="attachments", verbose_name="交付申請"
    )
    file = models.FileField("ファイル", upload_to=application_attachment_path)
    original_name = models.CharField("元のファイル名", max_length=255)
    content_type = models.CharField("種類", max_length=100)
    size = models.PositiveIntegerField("サイズ（バイト）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登録者",
    )
    uploaded_at = models.DateTimeField("登録日時", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "交付申請の添付ファイル"
        verbose_name_plural = "交付申請の添付ファイル"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


# -- services ---------------------------------------------------------------------------------------


@transaction.atomic
def application_record(
    *, organization, fiscal_year, received_on, requested_amount, budget, by=None, notes="", is_demo=False
):
    """Record a received 交付申請 with its 収支予算: `budget` is [(category, project or None, label, yen)].
    The annual plan of the year is linked as its 事業計画."""
    if GrantApplication.objects.filter(organization=organization, fiscal_year=fiscal_year).exists():
        refuse(f"{organization.name}の{fiscal_year.label}の交付申請はすでに受け付けています。")
    if requested_amount is None or requested_amount < 0:
        refuse("交付申請額は0円以上で入力してください。", field="requested_amount")
    if any(amount is None or amount < 0 for *_, amount in budget):
        refuse("収支予算の金額は0円以上で入力してください。", field="budget")
    application = GrantApplication(
        organization=organization,
        fiscal_year=fiscal_year,
        received_on=received_on,
        requested_amount=requested_amount,
        annual_plan=AnnualPlan.objects.filter(organization=organization, fiscal_year=fiscal_year).first(),
        notes=notes,
        is_demo=is_demo,
        recorded_by=by,
    )
    record_change(application, by=by, reason="交付申請の受付")
    application.save()
    GrantApplicationLine.objects.bulk_create(
        GrantApplicationLine(
            application=application, category=category, project=project, label=label, amount=amount, order=i
        )
        for i, (category, project, label, amount) in enumerate(budget)
    )
    return application


@transaction.atomic
def application_attach(*, application, files, by=None):
    """Attach the scanned 申請書 (PDF, JPEG, PNG of at most 10 MB, checked by niimi_portal.lib.uploads)."""
    checked = []
    for upload in files:
        try:
            checked.append(uploads.check_attachment(upload))
        except ValidationError as error:
            refuse(error.messages, field="attachments")
    saved = []
    for upload in checked:
        attachment = GrantApplicationAttachment(
            application=application,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by=by,
        )
        attachment.file.save(upload.storage_name, File(upload.file), save=False)
        record_change(attachment, by=by, reason="交付申請の添付")
        attachment.save()
        saved.append(attachment)
    return saved


@dataclass(frozen=True)
class Requirement:
    label: str
    ok: bool
    detail: str


def application_requirements(application):
    """The checks a clerk reads before deciding: 認可 by the received date, a plan with projects, a
    budget that is present, non-negative and balancing, and the statistics for the 算定."""
    organization, fiscal_year = application.organization, application.fiscal_year
    checks = []
    approved_on = approval_on(organization, application.received_on)
    checks.append(
        Requirement(
            "受付日に認可されている",
            approved_on is not None,
            f"認可日 {wareki_date(approved_on)}"
            if approved_on
            else f"{wareki_date(application.received_on)}の時点で認可されていません。",
        )
    )
    plan = application.annual_plan
    projects = list(plan.projects.all()) if plan else []
    checks.append(
        Requirement(
            "事業計画（年度計画）がある",
            bool(projects),
            f"事業 {len(projects)}件、予算 {yen(sum(p.budget for p in projects))}"
            if projects
            else f"{fiscal_year.label}の年度計画に事業がありません。",
        )
    )
    lines = list(application.lines.all())
    amounts = application.amounts(lines)
    costed = {line.project_id for line in lines if line.project_id}
    uncosted = [p.name for p in projects if p.pk not in costed]
    foreign = [line for line in lines if line.project_id and line.project_id not in {p.pk for p in projects}]
    present = bool(lines) and not uncosted and not foreign
    detail = "事業計画の事業ごとに事業費があります。"
    if not lines:
        detail = "収支予算が入力されていません。"
    elif uncosted:
        detail = f"次の事業の事業費がありません: {'、'.join(uncosted)}"
    elif foreign:
        detail = "年度計画にない事業の事業費があります。"
    checks.append(Requirement("収支予算がある", present, detail))
    expenses = sum(amounts[category] for category in EXPENSE_CATEGORIES)
    income = application.requested_amount + amounts[BudgetCategory.OTHER_INCOME]
    checks.append(
        Requirement(
            "収支が均衡している",
            bool(lines) and expenses == income,
            f"支出 {yen(expenses)}、収入 {yen(income)}（交付申請額 {yen(application.requested_amount)}"
            f" ＋ その他の収入 {yen(amounts[BudgetCategory.OTHER_INCOME])}）",
        )
    )
    region_ids = list(organization.regions.values_list("pk", flat=True))
    figures = AreaTree.load(on=fiscal_year.statistics_reference_date).figures(region_ids)
    stats_ok = bool(region_ids) and not figures.missing
    checks.append(
        Requirement(
            "算定に使う人口・世帯数がある",
            stats_ok,
            f"{wareki_date(fiscal_year.statistics_reference_date)}現在 "
            + (f"{figures.population:,}人・{figures.households:,}世帯" if stats_ok else "の数値が足りません。"),
        )
    )
    return checks


def application_for(organization, fiscal_year):
    return GrantApplication.objects.filter(organization=organization, fiscal_year=fiscal_year).first()
