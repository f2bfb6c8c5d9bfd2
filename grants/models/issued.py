"""Every issued document, frozen with its facts and its PDF; a 再発行 or 写 keeps the original's number.

    DocumentNumber ─< IssuedDocument          what the document said and its PDF

The rules that issue them are in grants.issuing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from grants.models.notice_settings import NoticeSettings
from grants.models.register import DocumentKind, DocumentNumber
from niimi_portal.lib import dates


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
    issued_on = dates.DateField("文書の日付")
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
