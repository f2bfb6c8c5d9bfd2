from django.conf import settings
from django.db import models

from niimi_portal.lib import dates
from niimi_portal.lib.wareki import wareki_date


class Reading(models.Model):
    """ふりがな: the analyzer's reading of one piece of public text, stored when the text is saved (or
    first shown), so that no page has to wait for the analyzer to read a text the city has already
    published. `key` is the digest of the piece, the markup FORMAT and the analyzer's version
    (niimi_portal.lib.furigana); a text that changes is a new piece, and an old one is simply not asked for."""

    key = models.CharField("鍵", max_length=64, primary_key=True)
    pieces = models.JSONField("読み")

    class Meta:
        verbose_name = "ふりがなの読み"
        verbose_name_plural = "ふりがなの読み"

    def __str__(self):
        return self.key


class Disposal(models.Model):
    """廃棄の記録: one record disposed of (deleted, or its personal content removed) by `apply_retention` after
    its retention period. Holds no personal data itself: the kind of record, its number and the day its
    period was counted from (niimi_portal.retention)."""

    class Action(models.TextChoices):
        DELETED = "deleted", "削除"
        ANONYMISED = "anonymised", "個人に関する内容を消去"

    record_type = models.CharField("記録の種類", max_length=40)
    object_pk = models.CharField("記録の番号", max_length=40)
    label = models.CharField("記録", max_length=200)
    counted_from = models.DateField("保存期間の起算の基準日")
    action = models.CharField("処理", max_length=20, choices=Action)
    disposed_at = models.DateTimeField("廃棄日時", auto_now_add=True)

    class Meta:
        verbose_name = "廃棄の記録"
        verbose_name_plural = "廃棄の記録"
        ordering = ["-disposed_at", "record_type", "object_pk"]
        constraints = [
            models.UniqueConstraint(fields=["record_type", "object_pk"], name="disposal_once_per_record"),
        ]

    def __str__(self):
        return self.label


class Disclosure(models.Model):
    """本人開示: a person asked for everything the portal holds about them (個人情報保護法 の開示請求); an
    administrator records the request and produces the ZIP (niimi_portal/disclosure.py) from its page."""

    person_name = models.CharField("開示を請求した人の氏名", max_length=100)
    phone = models.CharField("電話番号（連絡先として登録されていれば）", max_length=30, blank=True)
    email = models.EmailField("メールアドレス（登録されていれば）", blank=True)
    received_on = dates.DateField("開示請求の受付日")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="記録した職員"
    )
    produced_at = models.DateTimeField("最後に作った日時", null=True, blank=True)
    record_count = models.PositiveIntegerField("見つかった記録の数", null=True, blank=True)

    class Meta:
        verbose_name = "本人開示"
        verbose_name_plural = "本人開示"
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"{self.person_name}（{wareki_date(self.received_on)}受付）"


class ContentChange(models.Model):
    """When the content behind one page-cache tag last changed (niimi_portal.updated): a page's 更新日 is the
    latest of the tags it shows. Written by the portal on every save that renews a tag; no personal data."""

    tag = models.CharField("タグ", max_length=120, unique=True)
    changed_at = models.DateTimeField("変更日時")

    class Meta:
        verbose_name = "内容の更新日時"
        verbose_name_plural = "内容の更新日時"

    def __str__(self):
        return self.tag
