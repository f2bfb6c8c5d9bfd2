"""Fiscal years and the 小規模多機能自治一括交付金: rules, integrated subsidies, calculations, decisions."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from grants.categories import BudgetCategory
from grants.payments import SettlementRule
from niimi_portal.lib.uploads import upload_path
from niimi_portal.lib.wareki import current_fiscal_year, fiscal_year_label


class FiscalYearQuerySet(models.QuerySet):
    def current(self):
        """The old spelling of FiscalYear.current(), kept for code written against it."""
        return FiscalYear.current()

    def roster_published(self, today=None):
        """Years whose 地域担当職員名簿 residents may see on `today`: published on or before it."""
        return self.filter(roster_published_on__lte=today or timezone.localdate())


class FiscalYear(models.Model):
    """年度: April 1 to March 31, named by the calendar year it starts in (2026 → 令和8年度)."""

    year = models.PositiveSmallIntegerField("年度（西暦）", unique=True)
    starts_on = models.DateField("開始日")
    statistics_reference_date = models.DateField(
        "統計基準日", help_text="交付額の算定に使う人口・世帯数の基準日（例: 4月1日現在の住民基本台帳）"
    )
    roster_published_on = models.DateField(
        "地域担当職員名簿の公開日",
        null=True,
        blank=True,
        help_text="この日から、この年度の地域担当職員名簿を住民向けのページに載せます。"
        "空欄の間は公開せず、公開済みの前の年度の名簿を載せたままにします。",
    )
    previous_year_edit_until = models.DateField(
        "前年度の記録を編集できる期限",
        null=True,
        blank=True,
        help_text="4月1日を過ぎても、地域担当職員が前年度の担当先の会議記録を登録・変更できる最後の日。"
        "空欄なら4月30日です。猶予を設けないときは開始日の前日（3月31日）にします。",
    )

    objects = FiscalYearQuerySet.as_manager()

    class Meta:
        verbose_name = "年度"
        verbose_name_plural = "年度"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__month=4) & Q(starts_on__day=1),
                name="fiscal_year_starts_on_april_first",
                violation_error_message="年度の開始日は4月1日でなければなりません。",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return fiscal_year_label(self.year)

    @property
    def ends_on(self):
        return datetime.date(self.starts_on.year + 1, 3, 31)

    def contains(self, day):
        return self.starts_on <= day <= self.ends_on

    @property
    def grace_until(self):
        """The last day liaisons may still write last year's records (4月30日 unless the clerk set another)."""
        return self.previous_year_edit_until or default_grace_until(self.year)

    def clean(self):
        super().clean()
        day = self.previous_year_edit_until
        if day and self.starts_on and not (self.starts_on - datetime.timedelta(days=1) <= day <= self.ends_on):
            message = "期限はこの年度の開始日の前日からこの年度の末日までの日付にしてください。"
            raise ValidationError({"previous_year_edit_until": message})

    @classmethod
    def current(cls):
        """This 年度's FiscalYear, or None when the city has not set it up yet."""
        return cls.objects.filter(year=current_fiscal_year()).first()

    @classmethod
    def for_year(cls, year):
        """Get or create the fiscal year starting in `year`, with April 1 as the reference date."""
        april_first = datetime.date(year, 4, 1)
        # A year made here (tests, the demo, scripts) has its roster public from its first day, as before the
        # roster could be held back; the 新年度の準備 screen makes years with the roster not yet published.
        obj, _ = cls.objects.get_or_create(
            year=year,
            defaults={
                "starts_on": april_first,
                "statistics_reference_date": april_first,
                "roster_published_on": april_first,
            },
        )
        return obj


def default_grace_until(year):
    """4月30日 of the fiscal year starting in `year`: the default end of last year's grace period."""
    return datetime.date(year, 4, 30)


class GrantRule(models.Model):
    """交付基準: how a fiscal year's base amount (基本額) is made. Coefficients are data, set by 総合政策課."""

    fiscal_year = models.OneToOneField(
        FiscalYear, on_delete=models.PROTECT, related_name="grant_rule", verbose_name="年度"
    )
    equal_share = models.PositiveIntegerField("均等割（円）", help_text="どの組織にも同額を交付する部分")
    per_capita = models.PositiveIntegerField("人口割 単価（円／人）")
    per_household = models.PositiveIntegerField("世帯割 単価（円／世帯）")
    secretariat_cost = models.PositiveIntegerField("事務局人件費（円）", help_text="役員・事務局の負担への手当")
    rounding_unit = models.PositiveIntegerField(
        "端数処理の単位（円）", default=1000, help_text="基本額をこの単位未満切り捨て（1 なら切り捨てなし）"
    )
    change_cap_percent = models.PositiveSmallIntegerField(
        "激変緩和（前年度比の上限 %）",
        null=True,
        blank=True,
        help_text="前年度の基本額からの増減をこの割合までに抑えます。空欄なら上限なし。",
    )
    cap_exempt_area_change = models.BooleanField(
        "活動区域の変更があった組織には激変緩和を適用しない",
        default=True,
        help_text="区域を広げた・分けた組織の基本額を、前年度の額に縛らずに算定します。",
    )
    merger_keeps_shares = models.BooleanField(
        "合併した組織には合併前の組織の数だけ均等割・事務局人件費を算定する",
        default=True,
        help_text="前年度に別々に算定した組織の活動区域をあわせた組織が、均等割・事務局人件費を失わないようにします。",
    )
    settlement_rule = models.CharField(
        "額の確定の方法",
        max_length=20,
        choices=SettlementRule.choices,
        default=SettlementRule.LESSER_OF_NET,
        help_text="実績報告から確定額を求める方法。交付額確定通知書に記載します。",
    )
    notes = models.TextField("備考", blank=True)
    is_demo = models.BooleanField("デモ用の数値", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "交付基準"
        verbose_name_plural = "交付基準"
        ordering = ["-fiscal_year__year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(equal_share__gte=0)
                & Q(per_capita__gte=0)
                & Q(per_household__gte=0)
                & Q(secretariat_cost__gte=0),
                name="grant_rule_amounts_non_negative",
                violation_error_message="金額は0円以上で入力してください。",
            ),
            models.CheckConstraint(
                condition=Q(rounding_unit__gte=1),
                name="grant_rule_rounding_unit_positive",
                violation_error_message="端数処理の単位は1円以上にしてください。",
            ),
        ]

    def __str__(self):
        return f"{self.fiscal_year.label} 交付基準"


class IntegratedSubsidy(models.Model):
    """一括交付金に統合された既存の補助金."""

    name = models.CharField("補助金名", max_length=100, unique=True)
    former_department = models.CharField("従来の所管課", max_length=100, blank=True)
    description = models.TextField("説明", blank=True)
    order = models.PositiveSmallIntegerField("表示順", default=0)
    is_demo = models.BooleanField("デモ用の架空の補助金", default=False)

    class Meta:
        verbose_name = "統合された既存補助金"
        verbose_name_plural = "統合された既存補助金"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class SubsidyAllocation(models.Model):
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
    is_demo = models.BooleanField("デモ用の数値", default=False)

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


class GrantDecision(models.Model):
    """交付決定 and what follows it: 変更決定, 実績報告, 額の確定."""

    class Status(models.TextChoices):
        DECIDED = "decided", "交付決定"
        CHANGED = "changed", "変更決定"
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
    number = models.PositiveIntegerField("連番", help_text="文書番号簿の番号（年度ごとの通し番号）")
    document_number = models.CharField("文書番号", max_length=50)
    decided_on = models.DateField("決定日")
    amount = models.PositiveIntegerField("交付決定額（円）")
    conditions = models.TextField("交付の条件", blank=True)
    status = models.CharField("状況", max_length=20, choices=Status.choices, default=Status.DECIDED)
    change_reason = models.TextField("変更の理由", blank=True)
    changed_on = models.DateField("変更決定日", null=True, blank=True)
    reported_on = models.DateField("実績報告日", null=True, blank=True)
    spent_amount = models.PositiveIntegerField("実績額（円）", null=True, blank=True)
    settled_on = models.DateField("額の確定日", null=True, blank=True)
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
        permissions = [("decide_grant", "一括交付金を算定・交付決定・変更決定・額の確定できる")]
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
                condition=Q(number__gte=1),
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
        return f"{self.document_number} {self.organization}"

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
    def additional_amount(self):
        """追加交付額: what the 確定額 leaves to pay beyond the payments made (0 until settled)."""
        if self.settled_amount is None:
            return 0
        return max(self.settled_amount - self.paid_amount, 0)

    @property
    def decided_amount(self):
        """The amount first decided, as the 交付決定通知書 states it (a 変更決定 changes `amount`)."""
        return self.calculation.total


def report_attachment_path(instance, filename):
    """Generated name under MEDIA_ROOT (niimi_portal.lib.uploads); kept here for the migrations."""
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


class GrantReportAttachment(models.Model):
    """A PDF, JPEG or PNG attached to a 実績報告 (receipts, photos); served only to 総合政策課."""

    decision = models.ForeignKey(
        GrantDecision, on_delete=models.CASCADE, related_name="report_attachments", verbose_name="交付決定"
    )
    file = models.FileField("ファイル", upload_to=report_attachment_path)
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
        verbose_name = "実績報告の添付ファイル"
        verbose_name_plural = "実績報告の添付ファイル"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


# The document register, notice settings and issued documents live in their own module.
# 交付申請 (issue 16) lives in its own module too.
from grants.applications import (  # noqa: E402, F401
    GrantApplication,
    GrantApplicationAttachment,
    GrantApplicationLine,
)
from grants.documents import (  # noqa: E402, F401
    DocumentNumber,
    DocumentSeries,
    DocumentSeriesKind,
    GrantConditions,
    IssuedDocument,
    NoticeSettings,
)
from grants.payments import (  # noqa: E402, F401
    GrantChangeRequest,
    GrantPayment,
    GrantRefund,
    GrantRevocation,
)
