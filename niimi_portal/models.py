from django.db import models


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
