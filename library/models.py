"""資料室: the city's documents (市報 articles, the handbook, the manual, 様式, its video, related links),
each a PDF kept here or a link to where the city publishes it."""

import uuid
from pathlib import PurePath

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from niimi_portal.lib import dates
from niimi_portal.lib.demo_flag import DemoFlag, demo_flag_field


class LibraryDocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


def document_path(instance, filename):
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"library/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class LibraryDocument(DemoFlag):
    """資料: one publication of the city, or a link to one."""

    class Category(models.TextChoices):
        KOHO = "koho", "市報"
        HANDBOOK = "handbook", "ハンドブック"
        MANUAL = "manual", "運用マニュアル"
        FORM = "form", "様式"
        VIDEO = "video", "動画"
        LINK = "link", "関連リンク"

    title = models.CharField("題名", max_length=200)
    category = models.CharField("分類", max_length=20, choices=Category.choices)
    description = models.TextField("説明", blank=True)
    file = models.FileField("PDFファイル", upload_to=document_path, blank=True)
    external_url = models.URLField("外部リンク", max_length=500, blank=True)
    published_on = dates.DateField("発行日・掲載日", null=True, blank=True)
    order = models.PositiveSmallIntegerField("表示順", default=0)
    is_published = models.BooleanField("公開", default=False)
    is_demo = demo_flag_field(help_text="日付やファイルなど、市の実際の資料ではない部分を含むとき")
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = LibraryDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "資料"
        verbose_name_plural = "資料"
        ordering = ["category", "order", "-published_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(external_url=""),
                name="library_document_has_file_or_link",
                violation_error_message="PDFファイルか外部リンクのどちらかを登録してください。",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def url(self):
        """Where a reader opens it: the PDF through this portal, or the city's own address."""
        return reverse("library:file", args=[self.pk]) if self.file else self.external_url

    @property
    def is_external(self):
        return not self.file
