"""年度 and its 交付基準: the fiscal year every record hangs on, and the rule that makes its 基本額."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from niimi_portal.lib import dates
from niimi_portal.lib.demo_flag import DemoFlag
from niimi_portal.lib.wareki import current_fiscal_year, default_grace_until, fiscal_year_label, wareki_date


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
    starts_on = dates.DateField("開始日")
    statistics_reference_date = dates.DateField(
        "統計基準日", help_text="交付額の算定に使う人口・世帯数の基準日（例: 4月1日現在の住民基本台帳）"
    )
    roster_published_on = dates.DateField(
        "地域担当職員名簿の公開日",
        null=True,
        blank=True,
        help_text="この日から、この年度の地域担当職員名簿を住民向けのページに載せます。"
        "空欄の間は公開せず、公開済みの前の年度の名簿を載せたままにします。",
    )
    previous_year_edit_until = dates.DateField(
        "前年度の記録を編集できる期限",
        null=True,
        blank=True,
        help_text="4月1日を過ぎても、地域担当職員が前年度の担当先の会議記録を登録・変更できる最後の日。"
        "空欄なら4月30日です。猶予を設けないときは開始日の前日（3月31日）にします。",
    )
    budget_amount = models.PositiveBigIntegerField(
        "当初予算額（円）",
        null=True,
        blank=True,
        help_text="この年度の一括交付金の当初予算額。補正予算は「補正」に日付ごとに登録します。"
        "空欄の間は予算額との照合をせず、交付決定を断りません（市の確認待ちの運用）。",
    )
    # The 予算科目 the 財務会計 books the grant under (grants.accounting); the city's own codes: 要確認.
    expenditure_account = models.CharField(
        "歳出の予算科目",
        max_length=100,
        blank=True,
        help_text="財務会計への連携データの支出負担行為・支出命令に書く科目。"
        "例: 02-01-06 企画費 18節 負担金補助及び交付金",
    )
    revenue_account = models.CharField(
        "返還金の歳入科目",
        max_length=100,
        blank=True,
        help_text="財務会計への連携データの調定・収納に書く科目。例: 22-05-04 雑入（出納整理期間中の返還は歳出戻入）",
    )

    # 期限 the portal reminds of (grants.deadlines). Blank: the default, marked 要確認 where it shows.
    application_due_on = dates.DateField(
        "交付申請の提出期限",
        null=True,
        blank=True,
        help_text="認可済の組織がこの年度の交付申請を出す期限。空欄なら4月30日（閉庁日なら次の開庁日）とします（要確認）。",
    )
    report_due_on = dates.DateField(
        "実績報告の提出期限",
        null=True,
        blank=True,
        help_text="この年度の交付決定の実績報告を出す期限。空欄なら翌年度の4月30日（閉庁日なら次の開庁日）とします（要確認）。",
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
        try:  # `year` is unique: get() asks without first()'s ORDER BY
            return cls.objects.get(year=current_fiscal_year())
        except cls.DoesNotExist:
            return None

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


class SettlementRule(models.TextChoices):
    """額の確定の方法, stated by the 交付基準 (GrantRule.settlement_rule) and printed on the 確定通知."""

    LESSER_OF_NET = "lesser_net", "交付決定額と（対象経費の実支出額 − その他の収入）のいずれか少ない額"
    LESSER_OF_SPENT = "lesser_spent", "交付決定額と対象経費の実支出額のいずれか少ない額"


def settled_by_rule(rule, *, decided, spent, income):
    """The 確定額 the rule gives: never below 0, never above the decided amount."""
    base = spent - income if rule == SettlementRule.LESSER_OF_NET else spent
    return max(0, min(decided, base))


class GrantRule(DemoFlag):
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


class BudgetRevision(models.Model):
    """補正: a dated change of the year's 一括交付金 budget (増額 positive, 減額 negative)."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="budget_revisions", verbose_name="年度"
    )
    dated = dates.DateField("補正の日", help_text="補正予算が成立した日")
    amount = models.BigIntegerField("補正額（円）", help_text="増額は正の数、減額は負の数（例: -500000）")
    note = models.CharField("摘要", max_length=200, blank=True, help_text="例: 9月補正（第3号）")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "補正"
        verbose_name_plural = "補正"
        ordering = ["fiscal_year", "dated", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0),
                name="budget_revision_amount_not_zero",
                violation_error_message="補正額に0円は入力できません。",
            ),
        ]

    def __str__(self):
        return f"{self.fiscal_year.label} 補正（{wareki_date(self.dated)}）"
