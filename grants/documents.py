"""Official documents: the 課's register of document numbers (文書番号簿), the notice settings in force
on a date (施行日), and every issued document frozen with its PDF.

    DocumentSeries ─< DocumentSeriesKind      which kinds take their numbers from which series
         │
         └─< DocumentNumber (文書番号簿)       one number: taken or typed from the paper register, or voided
                   │
                   └─< IssuedDocument          what the document said and its PDF; a 再発行 or 写 keeps the number

Imported by grants.models so Django finds the models; the rules that change them are in
grants.register (numbers) and grants.notices (documents).
"""

import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from niimi_portal.lib.wareki import fiscal_year_label, fiscal_year_of, wareki_date


class DocumentKind(models.TextChoices):
    """Every kind of document the portal issues. A new kind is one value here, one template in
    templates/grants/notices/ and one function in grants.notices."""

    APPROVAL = "approval", "認可通知書"
    RETURN = "return", "差戻し通知書"
    DECISION = "decision", "交付決定通知書"
    CHANGE = "change", "変更交付決定通知書"
    SETTLEMENT = "settlement", "交付額確定通知書"
    REVOCATION = "revocation", "交付決定取消通知書"
    REFUND = "refund", "返還請求書"
    ADDITIONAL = "additional", "追加交付通知書"


class DocumentSeries(models.Model):
    """A numbering series of an issuing section, e.g. 「新総政第{番号}号」 shared by all of 総合政策課's
    documents, or one series per kind with its own prefix. Numbers start again at 1 each fiscal year
    unless `resets_each_fiscal_year` is off."""

    section = models.CharField("発行する課", max_length=100, help_text="例: 総合政策課")
    name = models.CharField("名称", max_length=100, help_text="例: 総合政策課 文書番号")
    number_format = models.CharField(
        "文書番号の書式",
        max_length=100,
        help_text=("{番号} が番号になります。例: 新総政第{番号}号。{年度}（令和8年度）、{西暦年}（2026）も使えます。"),
    )
    resets_each_fiscal_year = models.BooleanField("年度ごとに1から", default=True)
    is_demo = models.BooleanField("デモ用の設定", default=False)

    class Meta:
        verbose_name = "文書番号の系列"
        verbose_name_plural = "文書番号の系列"
        ordering = ["section", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["number_format"],
                name="unique_document_series_format",
                violation_error_message="この書式の系列はすでにあります（番号が重ならないよう、系列ごとに書式を変えてください）。",
            ),
            models.CheckConstraint(
                condition=Q(number_format__contains="{番号"),
                name="document_series_format_has_number",
                violation_error_message="書式に {番号} を入れてください。",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.number_format}）"

    def period_of(self, day):
        """The numbering period of a document dated `day`: its fiscal year (2026), or 0 for a series
        that never restarts."""
        return fiscal_year_of(day) if self.resets_each_fiscal_year else 0

    def format(self, number, day):

        year = fiscal_year_of(day)
        # The clerk writes the format with Japanese placeholders: {番号}, {年度} (令和8年度), {西暦年} (2026).
        return self.number_format.format(**{"番号": number, "西暦年": year, "年度": fiscal_year_label(year)})

    def parse(self, text):
        """The number in a text written in this series' format (「新総政第12号」 or just 「12」), or None."""
        text = re.sub(r"\s+", "", str(text or "")).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        if text.isdigit():
            return int(text)
        pattern = re.escape(self.number_format)
        pattern = re.sub(r"\\\{番号(?::[^}]*)?\\\}", r"(?P<number>\\d+)", pattern)
        pattern = re.sub(r"\\\{[^}]+\\\}", ".+?", pattern)
        match = re.fullmatch(pattern, text)
        return int(match["number"]) if match else None


class DocumentSeriesKind(models.Model):
    """A kind of document and the one series it takes its numbers from."""

    series = models.ForeignKey(DocumentSeries, on_delete=models.CASCADE, related_name="kinds", verbose_name="系列")
    kind = models.CharField("文書の種類", max_length=20, choices=DocumentKind.choices)

    class Meta:
        verbose_name = "系列を使う文書の種類"
        verbose_name_plural = "系列を使う文書の種類"
        ordering = ["series", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                name="one_series_per_document_kind",
                violation_error_message="この種類の文書はすでにほかの系列から番号を取ります。",
            )
        ]

    def __str__(self):
        return self.get_kind_display()


class DocumentNumber(models.Model):
    """One line of the 文書番号簿: a number taken by the portal or typed from the 課's paper register,
    with what it was given to. A voided number stays with its reason and is never given again."""

    class Status(models.TextChoices):
        USED = "used", "使用"
        VOIDED = "voided", "欠番（取消）"

    series = models.ForeignKey(DocumentSeries, on_delete=models.PROTECT, related_name="numbers", verbose_name="系列")
    period = models.PositiveSmallIntegerField("年度（西暦）", help_text="番号を数える年度。年度で区切らない系列は 0")
    number = models.PositiveIntegerField("番号")
    text = models.CharField("文書番号", max_length=100)
    kind = models.CharField("文書の種類", max_length=20, choices=DocumentKind.choices)
    dated = models.DateField("文書の日付")
    subject = models.CharField("件名", max_length=200)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document_numbers",
        verbose_name="宛先の組織",
    )
    decision = models.ForeignKey(
        "grants.GrantDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document_numbers",
        verbose_name="交付決定",
    )
    details = models.JSONField(
        "文書の内容", default=dict, blank=True, help_text="番号を取った時点の、文書に書く事柄（差戻しの理由、金額など）"
    )
    typed = models.BooleanField("紙の文書番号簿から入力", default=False)
    status = models.CharField("状況", max_length=10, choices=Status.choices, default=Status.USED)
    void_reason = models.TextField("欠番の理由", blank=True)
    taken_at = models.DateTimeField("採番日時", default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="採番者",
    )

    class Meta:
        verbose_name = "文書番号簿"
        verbose_name_plural = "文書番号簿"
        ordering = ["series", "-period", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "period", "number"],
                name="unique_document_number_per_series_period",
                violation_error_message="この文書番号はすでに使われています。",
            ),
            models.UniqueConstraint(
                fields=["period", "text"],
                name="unique_document_number_text_per_period",
                violation_error_message="この文書番号はすでに使われています。",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="document_number_positive",
                violation_error_message="番号は1以上です。",
            ),
            models.CheckConstraint(
                condition=~Q(status="voided") | ~Q(void_reason=""),
                name="voided_document_number_has_reason",
                violation_error_message="欠番にする理由を入力してください。",
            ),
        ]

    def __str__(self):
        return f"{self.text} {self.subject}"


class NoticeSettingsQuerySet(models.QuerySet):
    def in_force(self, day):
        """The version in force on `day`: the latest 施行日 on or before it (None if there is none)."""
        return self.filter(effective_from__lte=day).order_by("-effective_from").first()


PLACEHOLDER_PATTERN = re.compile(r"○|〇〇|（市長名）|\(市長名\)|（氏名）|XXX|未設定")


class NoticeSettings(models.Model):
    """What every notice prints besides its own facts, edited by 総合政策課 in the admin. Each document
    uses the version whose 施行日 is the latest on or before its date, and keeps a copy of what it printed."""

    effective_from = models.DateField("施行日", unique=True, help_text="この日以降の日付の文書に使います")
    mayor_title = models.CharField("発行者の職名", max_length=50, default="新見市長")
    mayor_name = models.CharField("市長の氏名", max_length=50, blank=True)
    seal_image = models.ImageField(
        "公印の印影",
        upload_to="notice-seals/",
        blank=True,
        help_text="PNG（背景は透明）。氏名の上に重ねて印刷します。空欄なら「（公印省略）」と印刷します。",
    )
    seal_omitted_text = models.CharField("公印を省略するときの表記", max_length=20, default="（公印省略）")
    legal_basis = models.TextField(
        "根拠となる規則・要綱",
        help_text=(
            "交付決定などの本文で引く文。例: 新見市補助金等交付規則第5条及び"
            "新見市小規模多機能自治一括交付金交付要綱第8条の規定により"
        ),
    )
    approval_basis = models.TextField(
        "認可の根拠",
        blank=True,
        help_text="認可通知書の本文で引く文。例: 新見市小規模多機能自治推進要綱第6条の規定により",
    )
    change_basis = models.TextField("変更交付決定の根拠", blank=True, help_text="空欄なら「根拠となる規則・要綱」")
    settlement_basis = models.TextField("額の確定の根拠", blank=True, help_text="空欄なら「根拠となる規則・要綱」")
    revocation_basis = models.TextField(
        "交付決定の取消しの根拠", blank=True, help_text="空欄なら「根拠となる規則・要綱」"
    )
    refund_basis = models.TextField("返還請求の根拠", blank=True, help_text="空欄なら「根拠となる規則・要綱」")
    appeal_text = models.TextField("教示", help_text="処分の通知書（認可を除く）の末尾に印刷します")
    contact = models.CharField("担当", max_length=200, help_text="例: 総務部総合政策課協働推進係（電話 0867-72-6143）")
    standard_conditions = models.TextField(
        "交付の条件（標準）", help_text="1行に1つ。年度ごとの交付の条件がない年度に使います。"
    )
    is_demo = models.BooleanField(
        "デモ用の設定", default=False, help_text="デモの値を含む設定。文書の上部に「デモ」と印刷します。"
    )
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = NoticeSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = "通知書の設定"
        verbose_name_plural = "通知書の設定"
        ordering = ["-effective_from"]

    def __str__(self):

        return f"{wareki_date(self.effective_from)}施行{'（デモ）' if self.is_demo else ''}"

    @property
    def issuer(self):
        return f"{self.mayor_title}　{self.mayor_name}"

    BASIS_FIELDS = {
        "approval": "approval_basis",
        "return": "approval_basis",
        "change": "change_basis",
        "settlement": "settlement_basis",
        "revocation": "revocation_basis",
        "refund": "refund_basis",
    }

    def basis_for(self, kind):
        """The sentence citing the 規則・要綱 for a kind of document: its own, or the general one."""
        own = getattr(self, self.BASIS_FIELDS.get(str(kind), "legal_basis"), "")
        return (own or self.legal_basis).strip()

    def placeholders(self):
        """What must be filled in before a document can be issued, each named by its field."""
        missing = []
        optional = ("approval_basis", "change_basis", "settlement_basis", "revocation_basis", "refund_basis")
        required = ("mayor_title", "mayor_name", "legal_basis", "appeal_text", "contact", "standard_conditions")
        for name in required + optional:
            field = self._meta.get_field(name)
            value = str(getattr(self, name) or "").strip()
            if not value and name in optional:
                continue
            if not value:
                missing.append(f"「{field.verbose_name}」が空欄です")
            elif PLACEHOLDER_PATTERN.search(value):
                missing.append(
                    f"「{field.verbose_name}」に仮の値（{PLACEHOLDER_PATTERN.search(value)[0]}）が残っています"
                )
        return missing


class GrantConditions(models.Model):
    """A fiscal year's 交付の条件, copied into each 交付決定 of that year when it is made."""

    fiscal_year = models.OneToOneField(
        "grants.FiscalYear", on_delete=models.PROTECT, related_name="conditions", verbose_name="年度"
    )
    text = models.TextField("交付の条件", help_text="1行に1つ")
    is_demo = models.BooleanField("デモ用の設定", default=False)

    class Meta:
        verbose_name = "交付の条件（年度ごと）"
        verbose_name_plural = "交付の条件（年度ごと）"
        ordering = ["-fiscal_year__year"]

    def __str__(self):
        return f"{self.fiscal_year} 交付の条件"


class IssuedDocument(models.Model):
    """A document as it was issued: its facts (addressee and representative on the issue date, issuer,
    texts, amounts, number, date) and its PDF bytes. A reprint returns `pdf` as it is; a 再発行 or 写
    is a new row pointing at the original, under the same number, marked on its face."""

    class Copy(models.TextChoices):
        ORIGINAL = "", "原本"
        REISSUE = "reissue", "再発行"
        COPY = "copy", "写"

    entry = models.ForeignKey(
        DocumentNumber, on_delete=models.PROTECT, related_name="documents", verbose_name="文書番号"
    )
    kind = models.CharField("文書の種類", max_length=20, choices=DocumentKind.choices)
    copy = models.CharField("原本・再発行・写", max_length=10, choices=Copy.choices, blank=True, default="")
    original = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies", verbose_name="原本"
    )
    issued_on = models.DateField("文書の日付")
    title = models.CharField("表題", max_length=200)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name="宛先の組織",
    )
    addressee_organization = models.CharField("宛先（組織名）", max_length=200)
    addressee_title = models.CharField("宛先（代表者の職名）", max_length=50, blank=True)
    addressee_name = models.CharField("宛先（代表者の氏名）", max_length=100, blank=True)
    issuer = models.CharField("発行者", max_length=100)
    amount = models.BigIntegerField("金額（円）", null=True, blank=True)
    content = models.JSONField("文書の内容（発行時点の写し）", default=dict)
    settings_version = models.ForeignKey(
        NoticeSettings, on_delete=models.PROTECT, related_name="+", verbose_name="使った通知書の設定"
    )
    pdf = models.BinaryField("PDF")
    pdf_size = models.PositiveIntegerField("PDF のサイズ（バイト）")
    issued_at = models.DateTimeField("発行日時", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="発行者（職員）",
    )

    class Meta:
        verbose_name = "発行した文書"
        verbose_name_plural = "発行した文書"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(copy=""),
                name="one_original_per_document_number",
                violation_error_message="この文書番号の原本はすでに発行されています。",
            ),
            models.CheckConstraint(
                condition=Q(copy="", original__isnull=True) | (~Q(copy="") & Q(original__isnull=False)),
                name="issued_copy_points_to_original",
                violation_error_message="再発行・写には原本が必要です。",
            ),
        ]

    def __str__(self):
        mark = f"（{self.get_copy_display()}）" if self.copy else ""
        return f"{self.entry.text} {self.title}{mark}"


def as_date(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
