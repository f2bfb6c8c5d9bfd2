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
