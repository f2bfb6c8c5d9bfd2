"""Areas, 地域運営組織 and their plans, FAQ and case examples."""

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from niimi_portal.lib import dates
from niimi_portal.lib.demo_flag import DemoFlag, demo_flag_field
from niimi_portal.lib.wareki import wareki_date
from organizations.page_texts import DEFAULTS

# The one term for the approval, in public and in the workspace (issue 31): 認可 or 未認可.
APPROVED_LABEL = "認可"
NOT_APPROVED_LABEL = "未認可"


class Region(DemoFlag):
    """地域: a tree of 旧市町 → 小学校区 / 旧小学校区 / 地区 → 大字 → 行政区 (a level may be skipped).

    地区 is the city's plain word for an area it names without saying what kind it is (「唐松・広瀬地区」):
    the portal does not call such an area a 旧小学校区 unless the city does.
    """

    class Kind(models.TextChoices):
        FORMER_TOWN = "town", "旧市町"
        SCHOOL_DISTRICT = "school", "小学校区"
        FORMER_SCHOOL_DISTRICT = "old_school", "旧小学校区"
        AREA = "area", "地区"
        OAZA = "oaza", "大字"
        DISTRICT = "district", "行政区"

    # How deep each kind sits: a child always sits deeper than its parent.
    LEVELS = {"town": 0, "school": 1, "old_school": 1, "area": 1, "oaza": 2, "district": 3}

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
    slug = models.SlugField(
        "ページのアドレス名",
        max_length=120,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="空欄なら名称から作ります。変えても、前のアドレスは新しいアドレスへ転送されます。",
    )
    order = models.PositiveSmallIntegerField(
        "表示順", default=0, help_text="旧市町の並び（新見・大佐・神郷・哲多・哲西）など。小さいほど先"
    )
    # Kept by organizations.area_summary from the tree and the organizations' areas, so public pages read
    # an area's 旧市町 and stage without climbing the tree: never edited by hand.
    town = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="旧市町（自動）",
    )
    # The 旧市町's 表示順 and よみ again, so the city's order of areas can be read from one index.
    town_order = models.PositiveSmallIntegerField("旧市町の表示順（自動）", default=0, editable=False)
    town_kana = models.CharField("旧市町のよみ（自動）", max_length=200, blank=True, editable=False)
    stage_public = models.PositiveSmallIntegerField("段階（公開中の組織・自動）", default=0, editable=False)
    stage_all = models.PositiveSmallIntegerField("段階（すべての組織・自動）", default=0, editable=False)
    is_counted = models.BooleanField("地域数に数える（自動）", default=False, editable=False)

    class Meta:
        verbose_name = "地域"
        verbose_name_plural = "地域"
        ordering = ["order", "name_kana"]
        indexes = [
            models.Index(fields=["kind", "name_kana"], name="region_kind_kana_idx"),
            models.Index(fields=["town_order", "town_kana", "name_kana", "id"], name="region_city_order_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        previous = None
        if self.pk:
            previous = Region.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        if not self.slug:
            self.slug = unique_region_slug(self)
        super().save(*args, **kwargs)
        if previous and previous != self.slug:
            # The old URL keeps working; a path taken back by an area is no longer a redirect.
            RegionSlugRedirect.objects.update_or_create(old_slug=previous, defaults={"region": self})
            RegionSlugRedirect.objects.filter(old_slug=self.slug).delete()

    def get_absolute_url(self):
        return reverse("organizations:region_detail", args=[self.slug])

    @property
    def level(self):
        return self.LEVELS.get(self.kind, 0)

    @property
    def ancestors(self):
        """The areas above this one, the 旧市町 first (one query per level)."""
        chain, region = [], self.parent
        while region is not None and len(chain) < len(self.LEVELS):
            chain.append(region)
            region = region.parent
        return chain[::-1]

    def clean(self):
        super().clean()
        if self.parent_id is None:
            if self.kind and self.kind != self.Kind.FORMER_TOWN:
                raise ValidationError({"parent": "旧市町のほかは、上位の地域を選んでください。"})
            return
        if self.kind == self.Kind.FORMER_TOWN:
            raise ValidationError({"parent": "旧市町には上位の地域はありません。"})
        if self.pk and self.parent_id == self.pk or (self.pk and self.pk in {a.pk for a in self.parent.ancestors}):
            raise ValidationError({"parent": "自分自身やその下の地域を上位の地域にはできません。"})
        if self.kind and self.parent.level >= self.level:
            kind = self.get_kind_display()
            raise ValidationError({"parent": f"{kind}の上位には、{kind}より大きな単位を選んでください。"})


def unique_region_slug(region):
    """A readable Japanese path from the name (大佐田治部), with the parent's name or a number when taken."""
    candidates = [slugify(region.name, allow_unicode=True)]
    if region.parent_id:
        candidates.append(slugify(f"{region.parent.name}-{region.name}", allow_unicode=True))
    taken = Region.objects.exclude(pk=region.pk)
    for candidate in candidates:
        if candidate and not taken.filter(slug=candidate).exists():
            return candidate[:120]
    base = candidates[-1] or "area"
    number = 2
    while taken.filter(slug=f"{base}-{number}").exists():
        number += 1
    return f"{base}-{number}"


class RegionSlugRedirect(models.Model):
    """A URL name an area used to have: /regions/<old>/ sends the visitor to the area's page today."""

    old_slug = models.CharField("以前のページのアドレス名", max_length=120, unique=True)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="old_slugs", verbose_name="地域")

    class Meta:
        verbose_name = "以前のページのアドレス名"
        verbose_name_plural = "以前のページのアドレス名"
        ordering = ["old_slug"]

    def __str__(self):
        return f"{self.old_slug} → {self.region}"


class RegionStatistic(DemoFlag):
    """人口・世帯数 of an area on a reference date (e.g. the 住民基本台帳 of April 1)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="statistics", verbose_name="地域")
    reference_date = dates.DateField("基準日")
    population = models.PositiveIntegerField("人口")
    households = models.PositiveIntegerField("世帯数")
    source = models.CharField("出典", max_length=100, default="住民基本台帳")

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


def of_no_or_a_published_organization(path="organization"):
    """Rows residents may see through their organization: of none (an area's own), or of a published one."""
    return Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__is_published": True})


class OrganizationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def approved(self):
        return self.filter(approval_status=Organization.ApprovalStatus.APPROVED)


class Organization(DemoFlag):
    """地域運営組織: residents of one or more areas deciding and running what the area needs."""

    class Stage(models.IntegerChoices):
        # The city's own names for the three steps (seed: 地域運営組織の設立・活動開始までの流れ).
        MOMENTUM = 1, "① 地域での機運づくり"
        PLANNING = 2, "② 地域の将来計画の策定"
        ESTABLISHED = 3, "③ 地域運営組織の設立・活動開始"

    class ApprovalStatus(models.TextChoices):
        NOT_APPLIED = "not_applied", "未申請"
        APPLIED = "applied", "申請中"
        APPROVED = "approved", "認可"
        RETURNED = "returned", "差戻し"
        REVOKED = "revoked", "取消"

    class NoticeDelivery(models.TextChoices):
        ONLINE = "online", "ポータルとメール"
        POST = "post", "郵送のみ"

    name = models.CharField("名称", max_length=100)
    name_kana = models.CharField("よみ", max_length=200)
    slug = models.SlugField("ページのアドレス名", max_length=120, unique=True)
    regions = models.ManyToManyField(Region, related_name="organizations", verbose_name="活動区域", blank=True)
    predecessor = models.CharField(
        "前身の団体", max_length=100, blank=True, help_text="母体となった地域振興会などがあれば、その名称"
    )
    description = models.TextField("紹介", blank=True, max_length=4000)
    representative_title = models.CharField("代表者の役職", max_length=50, blank=True, default="会長")
    representative_name = models.CharField("代表者名", max_length=100, blank=True)
    contact_address = models.CharField("連絡先住所", max_length=200, blank=True)
    contact_phone = models.CharField("連絡先電話番号", max_length=30, blank=True)
    contact_email = models.EmailField("連絡先メール", blank=True)
    notice_delivery = models.CharField(
        "通知書の受け取り方",
        max_length=10,
        choices=NoticeDelivery.choices,
        default=NoticeDelivery.POST,
        help_text="「ポータルとメール」: 発行した通知書を事務局のページに置き、事務局の各アカウントにメールで知らせます"
        "（PDF はメールに添付しません）。郵送は、どちらでも続けられます。",
    )
    upcoming_events = models.TextField(
        "これからの行事",
        blank=True,
        max_length=4000,
        help_text="1行に1件。組織の事務局が提案し、総合政策課が反映したもの。空欄なら公開ページに表示しません。",
    )
    stage = models.PositiveSmallIntegerField("段階", choices=Stage.choices, default=Stage.MOMENTUM)
    approval_status = models.CharField(
        "認可の状況", max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.NOT_APPLIED
    )
    applied_on = dates.DateField("申請日", null=True, blank=True)
    approval_number = models.CharField(
        "認可番号", max_length=50, blank=True, help_text="認可通知書の文書番号（決裁の後に付きます）"
    )
    approved_on = dates.DateField("認可日", null=True, blank=True)
    status_reason = models.TextField("差戻し・取消の理由", blank=True)
    established_on = dates.DateField("設立日", null=True, blank=True)
    is_published = models.BooleanField("公開", default=False, help_text="公開ページに表示する")
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
                condition=~Q(approval_status="approved") | Q(approved_on__isnull=False),
                name="approved_organization_has_date",
                violation_error_message="認可済みの組織には認可日が必要です。",
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

    def stage_error(self, stage):
        """Why this organization cannot stand at `stage` given its approval, or "" when it can.

        ③ is reached only with the city's 認可; an approved organization stays at ③ until its
        approval is revoked."""
        if stage == self.Stage.ESTABLISHED and not self.is_approved:
            return (
                f"「{self.Stage.ESTABLISHED.label}」にできるのは市の認可を受けた組織だけです"
                f"（現在の認可の状況: {self.get_approval_status_display()}）。認可は総合政策課が行います。"
            )
        if self.is_approved and stage != self.Stage.ESTABLISHED:
            return "認可を受けている組織の段階は戻せません。戻すには先に認可を取り消してください。"
        return ""

    def proposal_error(self, stage):
        """Why a liaison cannot propose `stage`, or "". ③ is the stage of an organization the city has
        approved: the approval itself (総合政策課) moves it to ③, so a liaison never proposes ③ before 認可
        (issue 31: ③ was accepted for an organization still 申請中)."""
        if stage == self.Stage.ESTABLISHED and not self.is_approved:
            return (
                f"「{self.Stage.ESTABLISHED.label}」は市の認可を受けた組織の段階です"
                f"（現在の認可の状況: {self.get_approval_status_display()}）。"
                "認可されると総合政策課が段階を③にしますので、提案は要りません。"
            )
        return self.stage_error(stage)

    def clean(self):
        super().clean()
        error = self.stage_error(self.stage)
        if error:
            raise ValidationError({"stage": [error]})

    @property
    def public_approval_label(self):
        """What residents read of the approval: 認可 or 未認可. 差戻し and 取消 stay with staff."""
        return APPROVED_LABEL if self.is_approved else NOT_APPROVED_LABEL

    @property
    def staff_approval_label(self):
        """The same term for the workspace, with the step behind it: 認可, or 未認可（申請中） and so on."""
        if self.is_approved:
            return APPROVED_LABEL
        return f"{NOT_APPROVED_LABEL}（{self.get_approval_status_display()}）"

    def consented_items(self):
        """The items (PublicationConsent.Item) a current consent covers, as the organization holds them now.
        Reads `current_consents` when prefetched (organizations.public.consents_prefetch)."""
        consents = getattr(self, "current_consents", None)
        if consents is None:
            consents = PublicationConsent.objects.current().filter(organization=self)
        return {consent.item for consent in consents if consent.covers(self)}

    @cached_property
    def published_contact(self):
        """What public pages, printouts and open data may show of its representative and contact."""
        items = self.consented_items()
        named = bool(self.representative_name.strip())
        Item = PublicationConsent.Item
        return PublishedContact(
            representative_title=(self.representative_title.strip() or "代表者") if named else "",
            representative_name=self.representative_name if named and Item.NAME in items else "",
            phone=self.contact_phone if Item.PHONE in items else "",
            email=self.contact_email if Item.EMAIL in items else "",
        )


@dataclass(frozen=True)
class PublishedContact:
    """An organization's representative and contact as residents may see them: a name, a telephone number
    and an e-mail address only with a current consent ("" without); the representative's title whenever a
    representative is named. Without its own telephone or e-mail, pages give the city's contact."""

    representative_title: str
    representative_name: str
    phone: str
    email: str

    @property
    def has_own_contact(self):
        return bool(self.phone or self.email)


def comparable(text, item):
    """`text` as a consent is matched against the organization's field: width and spaces (全角・半角) ignored,
    and the hyphens of a telephone number and the case of an e-mail address."""
    text = "".join(unicodedata.normalize("NFKC", text or "").split())
    if item == PublicationConsent.Item.PHONE:
        return text.replace("-", "")
    return text.lower() if item == PublicationConsent.Item.EMAIL else text


class PublicationConsentQuerySet(models.QuerySet):
    def current(self):
        """Consents not withdrawn. No date decides it (a withdrawal is entered on or after its day), so a
        page cached before cannot outlive a consent: the save that withdraws it renews the page."""
        return self.filter(withdrawn_on__isnull=True)


class PublicationConsent(DemoFlag):
    """掲載の同意: a person's consent to show one item (their name as representative, the organization's
    telephone or e-mail, often a private one) on the public pages, printouts and open data.

    One row per item and person, kept after withdrawal (the record of what was published and why). It
    covers the value consented to: when the organization's field changes (a new 会長, another number) the
    new value is not published until its own consent is recorded.

    Assumption to confirm with the city: the 課 records a consent from the written form (様式) the
    person signs; 口頭 and メール are accepted and noted as such."""

    class Item(models.TextChoices):
        NAME = "representative_name", "代表者の氏名"
        PHONE = "contact_phone", "連絡先の電話番号"
        EMAIL = "contact_email", "連絡先のメールアドレス"

    class Method(models.TextChoices):
        WRITTEN = "written", "書面"
        VERBAL = "verbal", "口頭"
        EMAIL = "email", "メール"
        OTHER = "other", "その他"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="publication_consents", verbose_name="地域運営組織"
    )
    item = models.CharField("同意した項目", max_length=30, choices=Item.choices)
    consented_value = models.CharField(
        "同意を得た掲載内容",
        max_length=200,
        help_text="同意を得た氏名・電話番号・メールアドレス。組織の登録内容と違うとき（代表者の交代など）は掲載しません。",
    )
    given_by = models.CharField("同意した人", max_length=100, help_text="氏名と役職（例: 会長 石井 正男）")
    given_on = dates.DateField("同意日")
    method = models.CharField("同意の方法", max_length=20, choices=Method.choices, default=Method.WRITTEN)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="入力した職員",
    )
    withdrawn_on = dates.DateField(
        "撤回日", null=True, blank=True, help_text="入力して保存すると、その時点で公開ページから外れます。"
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    objects = PublicationConsentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "掲載の同意"
        verbose_name_plural = "掲載の同意"
        ordering = ["organization__name_kana", "item", "-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message="撤回日は同意日より後の日付にしてください。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.get_item_display()}（{self.given_by}）"

    @property
    def is_current(self):
        return self.withdrawn_on is None

    def covers(self, organization):
        """Whether this consent covers what `organization` holds now for its item."""
        value = comparable(getattr(organization, self.item), self.item)
        return self.is_current and bool(value) and value == comparable(self.consented_value, self.item)

    def clean(self):
        super().clean()
        today = timezone.localdate()
        errors = {}
        if self.given_on and self.given_on > today:
            errors["given_on"] = "同意日に先の日付は入力できません。同意を得た日を入力してください。"
        if self.withdrawn_on and self.withdrawn_on > today:
            errors["withdrawn_on"] = "撤回日に先の日付は入力できません。撤回の申出を受けた日を入力してください。"
        if errors:
            raise ValidationError(errors)


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
    adopted_on = dates.DateField("策定日", null=True, blank=True)

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


class FAQCategory(models.Model):
    """よくある質問の分類, named and ordered by the clerks."""

    code = models.SlugField(
        "記号",
        max_length=40,
        unique=True,
        help_text="ページ内リンク（#category-記号）に使う半角英数字。変えないでください",
    )
    name = models.CharField("分類名", max_length=60)
    order = models.PositiveSmallIntegerField("表示順", default=0, help_text="小さいほど先に表示します")

    class Meta:
        verbose_name = "よくある質問の分類"
        verbose_name_plural = "よくある質問の分類"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class FAQ(models.Model):
    """よくある質問."""

    category = models.ForeignKey(
        FAQCategory,
        on_delete=models.PROTECT,
        to_field="code",
        related_name="faqs",
        verbose_name="分類",
    )
    number = models.PositiveSmallIntegerField(
        "市のQ&Aの番号",
        null=True,
        blank=True,
        help_text="市のページ・市報のQ&Aの番号（Q1なら1）。空欄はポータルが補足した質問として表示します",
    )
    question = models.CharField("質問", max_length=300)
    # Caps on the texts residents read (issue 14, finding 5): far above any real answer or article,
    # and the forms say so beside the field rather than a page failing later.
    answer = models.TextField(
        "回答",
        max_length=4000,
        help_text=(
            "書き方: 空行で段落を分ける、「- 」で始まる行は箇条書き、**語** で強調、[リンクの文字](/faq/) でリンク"
        ),
    )
    source = models.ForeignKey(
        "library.LibraryDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="faqs",
        verbose_name="出典（資料室）",
        help_text="市のQ&Aの出典となる市のページ（資料室に登録したもの）",
    )
    order = models.PositiveSmallIntegerField("表示順", default=0)
    is_published = models.BooleanField("公開", default=False)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = FAQQuerySet.as_manager()

    class Meta:
        verbose_name = "よくある質問"
        verbose_name_plural = "よくある質問"
        ordering = ["category__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(number__isnull=False),
                name="unique_city_faq_number",
                violation_error_message="この番号のQ&Aはすでに登録されています。",
            ),
        ]

    def __str__(self):
        return f"Q{self.number} {self.question}" if self.number else self.question

    @property
    def is_city_entry(self):
        """The city's own numbered Q&A; otherwise an entry the portal added."""
        return self.number is not None


class ProposalStatus(models.TextChoices):
    """提案: what a liaison proposes waits for 総合政策課 before it reaches a public page."""

    PENDING = "pending", "確認待ち"
    ACCEPTED = "accepted", "反映"
    DECLINED = "declined", "見送り"


class Proposal(models.Model):
    """What a proposal records beside what it proposes: its status and, once 総合政策課 has decided,
    who decided, when, and why it was declined (the proposer reads the reason)."""

    status = models.CharField(
        "提案の状況", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="判断した職員",
    )
    decided_at = models.DateTimeField("判断日時", null=True, blank=True)
    decline_reason = models.TextField("見送りの理由", blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.DECLINED) | ~Q(decline_reason=""),
                name="%(app_label)s_%(class)s_declined_has_reason",
                violation_error_message="見送りには理由が必要です。",
            ),
        ]


class CaseStudyQuerySet(models.QuerySet):
    def published(self):
        # A liaison's proposal is public only once accepted, whatever the 公開 box says.
        return self.filter(is_published=True).exclude(status__in=[ProposalStatus.PENDING, ProposalStatus.DECLINED])

    def pending_proposals(self):
        return self.filter(status=ProposalStatus.PENDING)

    def public(self):
        """What residents see: published, and not of an organization that is itself unpublished."""
        return self.published().filter(of_no_or_a_published_organization())


class CaseStudy(Proposal, DemoFlag):
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
    slug = models.SlugField("ページのアドレス名", max_length=120, unique=True)
    held_on = dates.DateField("実施日", null=True, blank=True)
    summary = models.CharField("要約", max_length=300)
    body = models.TextField("本文", max_length=20000)
    source_meeting = models.ForeignKey(
        "staff.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_case_studies",
        verbose_name="元になった会議記録",
    )
    is_published = models.BooleanField("公開", default=False)
    # Not every case example is a proposal: one 総合政策課 writes itself has no status.
    status = models.CharField(
        "提案の状況",
        max_length=10,
        choices=ProposalStatus.choices,
        blank=True,
        help_text="地域担当職員からの提案のとき。空欄は総合政策課が登録したもの",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提案者",
    )
    is_demo = demo_flag_field(help_text="日付や内容の細部が架空のとき")
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    objects = CaseStudyQuerySet.as_manager()

    class Meta(Proposal.Meta):
        verbose_name = "取組事例"
        verbose_name_plural = "取組事例"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("organizations:case_detail", args=[self.slug])


class PageBlock(models.Model):
    """A piece of public prose the policy division edits: the home introduction, the 仕組み page, the
    一括交付金 explanation, the stage texts, the accessibility policy. Small sanitised Markdown."""

    key = models.CharField(
        "場所", max_length=40, unique=True, choices=[(key, label) for key, (label, _) in DEFAULTS.items()]
    )
    body = models.TextField(
        "本文",
        help_text="Markdown が使えます: 段落は空行で区切る、**強調**、[リンクの文字](/faq/)、「- 」で始まる箇条書き、"
        "「1. 」で始まる番号付きの箇条書き、「## 」で始まる見出し。HTML は文字のまま表示されます。",
    )
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = "ページの文章"
        verbose_name_plural = "ページの文章"
        ordering = ["key"]

    def __str__(self):
        return self.get_key_display()


def case_photo_path(instance, filename):
    """A name nobody can guess or type: the photo is served only while its case is public."""
    return f"case-photos/{uuid.uuid4().hex}.jpg"


class CaseStudyPhotoQuerySet(models.QuerySet):
    def publishable(self):
        """Photos residents may see: no one can be recognised in it, or the people shown (or their guardians)
        consented and have not withdrawn (issue 32: residents' photos only with a recorded consent)."""
        consented = Q(consent_given_on__isnull=False, consent_withdrawn_on__isnull=True) & ~Q(consent_given_by="")
        return self.filter(Q(shows_people=False) | consented)


class CaseStudyPhoto(models.Model):
    """A photo of a 取組事例, re-encoded for the web (organizations.photos), with its 代替テキスト. A photo in
    which people can be recognised is public only with their recorded consent (掲載の同意)."""

    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="photos", verbose_name="取組事例")
    image = models.FileField("写真", upload_to=case_photo_path)
    width = models.PositiveIntegerField("幅（画素）", default=0, editable=False)
    height = models.PositiveIntegerField("高さ（画素）", default=0, editable=False)
    alt_text = models.CharField(
        "代替テキスト",
        max_length=200,
        help_text="写真が見えない方に読み上げる文。写っているものを短く（例: 公民館で付せんを貼って話し合う住民）",
    )
    caption = models.CharField("説明（写真の下に表示）", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("表示順", default=0)
    shows_people = models.BooleanField(
        "人が写っている",
        default=True,
        help_text="顔や姿から人が分かる写真。同意を記録するまで公開しません。風景や物だけの写真はチェックを外します。",
    )
    consent_given_by = models.CharField(
        "同意した人",
        max_length=200,
        blank=True,
        help_text="写っている人（子どもは保護者）の氏名、または代表して同意した人と役職",
    )
    consent_given_on = dates.DateField("同意日", null=True, blank=True)
    consent_method = models.CharField("同意の方法", max_length=10, choices=PublicationConsent.Method, blank=True)
    consent_withdrawn_on = dates.DateField(
        "撤回日", null=True, blank=True, help_text="撤回の申出があった日。保存した時点で公開をやめます。"
    )

    objects = CaseStudyPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = "取組事例の写真"
        verbose_name_plural = "取組事例の写真"
        ordering = ["case", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text=""),
                name="case_photo_has_alt_text",
                violation_error_message="代替テキストを入力してください。",
            ),
            models.CheckConstraint(
                condition=Q(consent_withdrawn_on__isnull=True)
                | Q(consent_given_on__isnull=False, consent_withdrawn_on__gte=F("consent_given_on")),
                name="case_photo_withdrawn_after_consent",
                violation_error_message="撤回日は同意日以降の日にしてください。",
            ),
        ]

    def __str__(self):
        return self.caption or self.alt_text

    def get_absolute_url(self):
        return reverse("organizations:case_photo", args=[self.case.slug, self.pk])


class SearchPhrase(models.Model):
    """How the site search reads what residents type, edited by the policy division in the admin: a phrase
    to pass over (「とは」「はいくら」), or a word that means a page (名簿 → 地域担当職員名簿) or another
    word (こうふきん → 交付金). Seeded by a data migration with the words residents were seen to type
    (issue 31); the division adds the ones its search log shows."""

    class Kind(models.TextChoices):
        STOP = "stop", "読み飛ばす言葉"
        SYNONYM = "synonym", "言い換え・案内"

    class Target(models.TextChoices):
        ABOUT = "about", "小規模多機能自治の仕組み"
        GRANTS = "grants", "一括交付金のページ"
        ROSTER = "roster", "地域担当職員名簿"
        SCHEDULE = "schedule", "予定"
        CONTACT = "contact", "お問い合わせ先"
        FAQ = "faq", "よくある質問"

    phrase = models.CharField(
        "言葉",
        max_length=50,
        unique=True,
        help_text="住民が入力する言葉。読み飛ばす言葉は、語の終わりにあるときに除いて検索します（例:「はいくら」）。",
    )
    kind = models.CharField("種類", max_length=10, choices=Kind.choices)
    target = models.CharField(
        "案内するページ", max_length=20, choices=Target.choices, blank=True, help_text="検索結果の先頭に出すページ。"
    )
    means = models.CharField(
        "同じ意味の言葉",
        max_length=50,
        blank=True,
        help_text="この言葉でも検索します（例:「こうふきん」に「交付金」）。",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "検索の言い換え"
        verbose_name_plural = "検索の言い換え"
        ordering = ["kind", "phrase"]
        constraints = [
            models.CheckConstraint(
                name="search_phrase_stop_has_no_target",
                condition=Q(kind="stop", target="", means="") | Q(kind="synonym") & (~Q(target="") | ~Q(means="")),
                violation_error_message="読み飛ばす言葉には案内するページも同じ意味の言葉も付けません。"
                "言い換えには、案内するページか同じ意味の言葉のどちらかを入れてください。",
            ),
        ]

    def __str__(self):
        return self.phrase


class AccessLogQuerySet(models.QuerySet):
    def older_than(self, days, *, now=None):
        return self.filter(at__lt=(now or timezone.now()) - timedelta(days=days))


class AccessLog(models.Model):
    """アクセス記録: one row each time a member of staff opened or downloaded personal data (an application
    scan, a payment record, a meeting attachment, a consent record, an organization's contact). Written by
    `organizations.access_log.record_access` from the views that serve those, after their permission
    check (a refused request leaves no row). Never edited; rows older than ACCESS_LOG_RETENTION_DAYS are
    deleted by `manage.py purge_access_log`.

    The user is kept by name as well, so a row still says who it was after the account is removed.
    It lives in the lowest app layer so the staff and grants apps can write to it."""

    class Action(models.TextChoices):
        VIEW = "view", "閲覧"
        DOWNLOAD = "download", "ダウンロード"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="職員",
    )
    username = models.CharField("ユーザー名", max_length=150)
    kind = models.CharField("記録の種類", max_length=50)
    object_type = models.CharField("対象のモデル", max_length=100)
    object_pk = models.CharField("対象のID", max_length=64)
    label = models.CharField("対象", max_length=300)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    at = models.DateTimeField("日時", default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField("接続元IPアドレス", null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = "アクセス記録"
        verbose_name_plural = "アクセス記録"
        ordering = ["-at", "-pk"]
        # Only 課's administrators read the log: no add/change/delete, and not the plain view
        # permission the 総合政策課 group gets for every model of this app (niimi_portal.lib.roles).
        default_permissions = ()
        permissions = [("read_access_log", "アクセス記録を閲覧・出力できる")]

    def __str__(self):
        return f"{self.username} {self.get_action_display()} {self.label}"


class SitePage(DemoFlag):
    """A page every city site has (プライバシーポリシー, 免責事項): the policy division's text, shown once it has
    been checked and published. Small sanitised Markdown, like the page texts (`PageBlock`)."""

    class Kind(models.TextChoices):
        PRIVACY = "privacy", "プライバシーポリシー"
        DISCLAIMER = "disclaimer", "免責事項"

    kind = models.CharField("ページ", max_length=20, choices=Kind, unique=True)
    body = models.TextField(
        "本文",
        max_length=20000,
        help_text="Markdown が使えます（「ページの文章」と同じ書き方）。HTML は文字のまま表示されます。",
    )
    is_published = models.BooleanField(
        "公開", default=False, help_text="内容を課で確かめてから公開します。公開するまでページは表示されません。"
    )
    published_on = dates.DateField("掲載日", help_text="ページに掲載日として表示する日")
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    is_demo = demo_flag_field(help_text="ポータルの例文のままのとき（デモ版では「例文」と表示します）")

    history = HistoricalRecords(excluded_fields=["updated_at"], history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = "サイトの案内ページ"
        verbose_name_plural = "サイトの案内ページ"
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()

    def get_absolute_url(self):
        return reverse(f"city:{self.kind}")


class NoticeQuerySet(models.QuerySet):
    def published(self):
        """What residents see: the notices the policy division has published (the 掲載日 is shown, not waited
        for: a cached page would not notice the day arriving)."""
        return self.filter(is_published=True)


class Notice(DemoFlag):
    """お知らせ: a dated notice from the policy division, listed on the home page and the お知らせ page."""

    title = models.CharField("題名", max_length=200)
    body = models.TextField(
        "本文",
        max_length=20000,
        help_text="Markdown が使えます（「ページの文章」と同じ書き方）。HTML は文字のまま表示されます。",
    )
    published_on = dates.DateField("掲載日", help_text="お知らせに表示する日付。公開は「公開」のチェックで決まります")
    is_published = models.BooleanField(
        "公開", default=False, help_text="内容を課で確かめてから公開します。外すとすべてのページから消えます。"
    )
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    is_demo = demo_flag_field(help_text="ポータルの例文のときや、架空の内容のとき")

    objects = NoticeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = "お知らせ"
        verbose_name_plural = "お知らせ"
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["is_published", "-published_on"], name="notice_published_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("city:notice", args=[self.pk])
