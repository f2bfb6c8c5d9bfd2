"""The 課's register of document numbers (文書番号簿): the numbering series, which kinds of document
take their numbers from which series, and every number taken.

    DocumentSeries ─< DocumentSeriesKind      which kinds take their numbers from which series
         │
         └─< DocumentNumber (文書番号簿)       one number: taken or typed from the paper register, or voided

The rules that take and void numbers are in grants.register.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from niimi_portal.lib import dates
from niimi_portal.lib.demo_flag import DemoFlag
from niimi_portal.lib.wareki import fiscal_year_label, fiscal_year_of


class DocumentKind(models.TextChoices):
    """Every kind of document the portal issues. A new kind is one value here, one template in
    templates/grants/notices/ and one function in grants.notices.letters."""

    APPROVAL = "approval", "認可通知書"
    RETURN = "return", "補正の求め通知書"  # the 差戻し: a 補正の求め, not a 処分
    REFUSAL = "refusal", "不認可通知書"
    HEARING = "hearing", "弁明の機会の付与通知書"  # before a 認可取消: not a 処分
    APPROVAL_REVOCATION = "approval_revocation", "認可取消通知書"
    DECISION = "decision", "交付決定通知書"
    CHANGE = "change", "変更交付決定通知書"
    SETTLEMENT = "settlement", "交付額確定通知書"
    REVOCATION = "revocation", "交付決定取消通知書"
    REFUND = "refund", "返還請求書"
    ADDITIONAL = "additional", "追加交付通知書"


class DocumentSeries(DemoFlag):
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
    with what it was given to. A voided number stays with its reason and is never given again.

    A number is taken only after 決裁 (「番号は決裁の後」): an act recorded in the portal reserves its line
    (RESERVED, no number, no text) and the 決裁 of its document gives it the next number
    (grants.register.number_assign). A number typed from the paper register was given after a 決裁 on
    paper, so its line is USED at once. A reserved line voided before its 決裁 never had a number, and
    stays voided without one."""

    class Status(models.TextChoices):
        RESERVED = "reserved", "決裁待ち（番号は決裁の後）"
        USED = "used", "使用"
        VOIDED = "voided", "欠番（取消）"

    series = models.ForeignKey(DocumentSeries, on_delete=models.PROTECT, related_name="numbers", verbose_name="系列")
    period = models.PositiveSmallIntegerField("年度（西暦）", help_text="番号を数える年度。年度で区切らない系列は 0")
    number = models.PositiveIntegerField("番号", null=True, blank=True, help_text="決裁の後に付きます")
    text = models.CharField("文書番号", max_length=100, blank=True)
    kind = models.CharField("文書の種類", max_length=20, choices=DocumentKind.choices)
    dated = dates.DateField("文書の日付")
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
                condition=~Q(text=""),
                name="unique_document_number_text_per_period",
                violation_error_message="この文書番号はすでに使われています。",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1),
                name="document_number_positive",
                violation_error_message="番号は1以上です。",
            ),
            models.CheckConstraint(
                condition=~Q(status="reserved") | Q(number__isnull=True, text=""),
                name="reserved_document_number_has_no_number",
                violation_error_message="決裁待ちの行には、番号を付けられません（番号は決裁の後）。",
            ),
            models.CheckConstraint(
                condition=~Q(status="used") | (Q(number__isnull=False) & ~Q(text="")),
                name="used_document_number_has_number",
                violation_error_message="使用の行には文書番号が必要です。",
            ),
            models.CheckConstraint(
                condition=~Q(status="voided") | ~Q(void_reason=""),
                name="voided_document_number_has_reason",
                violation_error_message="欠番にする理由を入力してください。",
            ),
        ]

    def __str__(self):
        return f"{self.text_with_year} {self.subject}"

    @property
    def is_reserved(self):
        """Whether the line waits for the 決裁 that gives it its number."""
        return self.status == self.Status.RESERVED

    @property
    def text_with_year(self):
        """The number with the year it was counted in: 「令和9年度 新総政第1号」 (numbers restart each
        fiscal year, so the number alone is ambiguous); 「決裁待ち（番号は決裁の後）」 before its 決裁."""
        if self.is_reserved:
            return RESERVED_TEXT
        return number_with_year(self.text, self.dated) if self.period else self.text


# What a list or a page shows where a reserved line's number will be.
RESERVED_TEXT = DocumentNumber.Status.RESERVED.label


def number_with_year(text, day):
    """「令和9年度 新総政第1号」: a document number with the fiscal year of its date, "" for no number."""
    return f"{fiscal_year_label(fiscal_year_of(day))} {text}" if text and day else (text or "")
