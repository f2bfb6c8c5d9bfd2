"""Areas, 地域運営組織 and their plans, FAQ and case examples."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from niimi_portal.wareki import wareki_date


class Region(models.Model):
    """地域: a 旧町, a 小学校区 or 旧小学校区, or a 大字 inside them."""

    class Kind(models.TextChoices):
        FORMER_TOWN = "town", "旧町"
        SCHOOL_DISTRICT = "school", "小学校区"
        FORMER_SCHOOL_DISTRICT = "old_school", "旧小学校区"
        OAZA = "oaza", "大字"

    kind = models.CharField("種別", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上位の地域",
    )
    name = models.CharField("名称", max_length=100)
    name_kana = models.CharField("よみ", max_length=200, help_text="ひらがなで入力（並び順・ふりがなに使います）")
    slug = models.SlugField("URL 名", max_length=120, unique=True, allow_unicode=False)
    is_demo = models.BooleanField("デモ用のデータ", default=False)

    class Meta:
        verbose_name = "地域"
        verbose_name_plural = "地域"
        ordering = ["name_kana"]
        indexes = [models.Index(fields=["kind", "name_kana"], name="region_kind_kana_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:region_detail", args=[self.slug])

    @property
    def former_town(self):
        """The 旧町 this area lies in (itself when it is one)."""
        region = self
        while region is not None and region.kind != self.Kind.FORMER_TOWN:
            region = region.parent
        return region


class RegionStatistic(models.Model):
    """人口・世帯数 of an area on a reference date (e.g. the 住民基本台帳 of April 1)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="statistics", verbose_name="地域")
    reference_date = models.DateField("基準日")
    population = models.PositiveIntegerField("人口")
    households = models.PositiveIntegerField("世帯数")
    source = models.CharField("出典", max_length=100, default="住民基本台帳")
    is_demo = models.BooleanField("デモ用の数値", default=False)

    class Meta:
        verbose_name = "人口・世帯数"
        verbose_name_plural = "人口・世帯数"
        ordering = ["region__name_kana", "-reference_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "reference_date"],
                name="unique_statistic_per_region_and_date",
                violation_error_message="この地域・基準日の人口・世帯数はすでに登録されています。",
            ),
            models.CheckConstraint(
                condition=Q(population__gte=0) & Q(households__gte=0),
                name="statistic_counts_non_negative",
                violation_error_message="人口・世帯数は0以上です。",
            ),
        ]

    def __str__(self):
        return f"{self.region} {wareki_date(self.reference_date)}"


class OrganizationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def approved(self):
        return self.filter(approval_status=Organization.ApprovalStatus.APPROVED)


class Organization(models.Model):
    """地域運営組織: residents of one or more areas deciding and running what the area needs."""

    class Stage(models.IntegerChoices):
        MOMENTUM = 1, "① 機運づくり"
        PLANNING = 2, "② 将来計画の策定"
        ESTABLISHED = 3, "③ 設立・活動開始"

    class ApprovalStatus(models.TextChoices):
        NOT_APPLIED = "not_applied", "未申請"
        APPLIED = "applied", "申請中"
        APPROVED = "approved", "認可"
        RETURNED = "returned", "差戻し"
        REVOKED = "revoked", "取消"

    name = models.CharField("名称", max_length=100)
    name_kana = models.CharField("よみ", max_length=200)
    slug = models.SlugField("URL 名", max_length=120, unique=True)
    regions = models.ManyToManyField(Region, related_name="organizations", verbose_name="活動区域", blank=True)
    predecessor = models.CharField(
        "前身の団体", max_length=100, blank=True, help_text="母体となった地域振興会などがあれば、その名称"
    )
    description = models.TextField("紹介", blank=True)
    representative_title = models.CharField("代表者の役職", max_length=50, blank=True, default="会長")
    representative_name = models.CharField("代表者名", max_length=100, blank=True)
    contact_address = models.CharField("連絡先住所", max_length=200, blank=True)
    contact_phone = models.CharField("連絡先電話番号", max_length=30, blank=True)
    contact_email = models.EmailField("連絡先メール", blank=True)
    stage = models.PositiveSmallIntegerField("段階", choices=Stage.choices, default=Stage.MOMENTUM)
    approval_status = models.CharField(
        "認可の状況", max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.NOT_APPLIED
    )
    applied_on = models.DateField("申請日", null=True, blank=True)
    approval_number = models.CharField("認可番号", max_length=50, blank=True)
    approved_on = models.DateField("認可日", null=True, blank=True)
    status_reason = models.TextField("差戻し・取消の理由", blank=True)
    established_on = models.DateField("設立日", null=True, blank=True)
    is_published = models.BooleanField("公開", default=False, help_text="公開ページに表示する")
    is_demo = models.BooleanField("デモ用のデータ", default=False)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = OrganizationQuerySet.as_manager()
    # Reasons for a return or a revocation can be long; `updated_at` only repeats the history's own time.
    history = HistoricalRecords(
        m2m_fields=[regions],
        excluded_fields=["updated_at"],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        verbose_name = "地域運営組織"
        verbose_name_plural = "地域運営組織"
        ordering = ["name_kana"]
        permissions = [("approve_organization", "地域運営組織を認可・差戻し・取消できる")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(approval_status="approved") | (Q(approved_on__isnull=False) & ~Q(approval_number="")),
                name="approved_organization_has_number_and_date",
                violation_error_message="認可済みの組織には認可番号と認可日が必要です。",
            ),
            models.UniqueConstraint(
                fields=["approval_number"],
                condition=~Q(approval_number=""),
                name="unique_approval_number",
                violation_error_message="この認可番号はほかの組織に使われています。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:organization_detail", args=[self.slug])

    @property
    def is_approved(self):
        return self.approval_status == self.ApprovalStatus.APPROVED


class FuturePlan(models.Model):
    """地域の将来計画: the vision an organization is built around."""

    class Status(models.TextChoices):
        DRAFT = "draft", "策定中"
        ADOPTED = "adopted", "策定済"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="future_plans", verbose_name="地域運営組織"
    )
    title = models.CharField("計画名", max_length=200)
    vision = models.TextField("目指す将来像")
    issues = models.TextField("地域の課題")
    goals = models.TextField("目標・取組")
    start_year = models.PositiveSmallIntegerField("計画期間（開始年度・西暦）")
    end_year = models.PositiveSmallIntegerField("計画期間（終了年度・西暦）")
    status = models.CharField("状況", max_length=20, choices=Status.choices, default=Status.DRAFT)
    adopted_on = models.DateField("策定日", null=True, blank=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = "地域の将来計画"
        verbose_name_plural = "地域の将来計画"
        ordering = ["organization__name_kana", "-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="future_plan_period_in_order",
                violation_error_message="計画期間の終了年度は開始年度以降にしてください。",
            ),
        ]

    def __str__(self):
        return self.title


class AnnualPlan(models.Model):
    """年度計画: the projects an organization runs in one fiscal year, which the grant pays for."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="annual_plans", verbose_name="地域運営組織"
    )
    fiscal_year = models.ForeignKey(
        "grants.FiscalYear", on_delete=models.PROTECT, related_name="annual_plans", verbose_name="年度"
    )
    summary = models.TextField("概要", blank=True)

    class Meta:
        verbose_name = "年度計画"
        verbose_name_plural = "年度計画"
        ordering = ["organization__name_kana", "-fiscal_year__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"],
                name="unique_annual_plan_per_organization_year",
                violation_error_message="この組織・年度の年度計画はすでにあります。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.fiscal_year}"


class PlannedProject(models.Model):
    """年度計画の事業, each in a 分野 and with its budget in whole yen."""

    class Field(models.TextChoices):
        COMMUNITY = "community", "地域振興"
        ELDERLY = "elderly", "高齢者支援"
        WELFARE = "welfare", "福祉活動"
        CHILDCARE = "childcare", "子育て支援"
        DISASTER = "disaster", "防災"
        CRIME = "crime", "防犯"
        TRAFFIC = "traffic", "交通安全"
        ENVIRONMENT = "environment", "環境保全"
        CULTURE = "culture", "文化・交流"
        OTHER = "other", "その他"

    annual_plan = models.ForeignKey(
        AnnualPlan, on_delete=models.CASCADE, related_name="projects", verbose_name="年度計画"
    )
    field = models.CharField("分野", max_length=20, choices=Field.choices)
    name = models.CharField("事業名", max_length=200)
    description = models.TextField("内容", blank=True)
    budget = models.PositiveIntegerField("予算（円）")
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "事業"
        verbose_name_plural = "事業"
        ordering = ["annual_plan", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="planned_project_budget_non_negative",
                violation_error_message="予算は0円以上で入力してください。",
            ),
        ]

    def __str__(self):
        return self.name


class FAQQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class FAQ(models.Model):
    """よくある質問."""

    class Category(models.TextChoices):
        SYSTEM = "system", "仕組み・考え方"
        ORGANIZATION = "organization", "地域運営組織"
        LIAISON = "liaison", "地域担当職員"
        GRANT = "grant", "一括交付金"

    category = models.CharField("分類", max_length=20, choices=Category.choices)
    question = models.CharField("質問", max_length=300)
    answer = models.TextField("回答")
    order = models.PositiveSmallIntegerField("表示順", default=0)
    is_published = models.BooleanField("公開", default=False)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = FAQQuerySet.as_manager()

    class Meta:
        verbose_name = "よくある質問"
        verbose_name_plural = "よくある質問"
        ordering = ["category", "order", "id"]

    def __str__(self):
        return self.question


class CaseStudyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class CaseStudy(models.Model):
    """取組事例: an organization's activity told to residents. Written for the public, never internal notes."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="case_studies",
        verbose_name="地域運営組織",
    )
    regions = models.ManyToManyField(Region, related_name="case_studies", blank=True, verbose_name="地域")
    title = models.CharField("題名", max_length=200)
    slug = models.SlugField("URL 名", max_length=120, unique=True)
    held_on = models.DateField("実施日", null=True, blank=True)
    summary = models.CharField("要約", max_length=300)
    body = models.TextField("本文")
    source_meeting = models.ForeignKey(
        "staff.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_case_studies",
        verbose_name="元になった会議記録",
    )
    is_published = models.BooleanField("公開", default=False)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        verbose_name = "取組事例"
        verbose_name_plural = "取組事例"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("organizations:case_detail", args=[self.slug])
