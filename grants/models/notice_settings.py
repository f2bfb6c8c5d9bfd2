"""What every notice prints besides its own facts: the settings in force on a date (施行日) and a
fiscal year's 交付の条件."""

import re

from django.db import models

from niimi_portal.lib import dates
from niimi_portal.lib.demo_flag import DemoFlag, demo_flag_field
from niimi_portal.lib.wareki import wareki_date


class NoticeSettingsQuerySet(models.QuerySet):
    def in_force(self, day):
        """The version in force on `day`: the latest 施行日 on or before it (None if there is none)."""
        return self.filter(effective_from__lte=day).order_by("-effective_from").first()


PLACEHOLDER_PATTERN = re.compile(r"○|〇〇|（市長名）|\(市長名\)|（氏名）|XXX|未設定")


class NoticeSettings(DemoFlag):
    """What every notice prints besides its own facts, edited by 総合政策課 in the admin. Each document
    uses the version whose 施行日 is the latest on or before its date, and keeps a copy of what it printed."""

    effective_from = dates.DateField("施行日", unique=True, help_text="この日以降の日付の文書に使います")
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
    is_demo = demo_flag_field(help_text="デモの値を含む設定。文書の上部に「デモ」と印刷します。")
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


class GrantConditions(DemoFlag):
    """A fiscal year's 交付の条件, copied into each 交付決定 of that year when it is made."""

    fiscal_year = models.OneToOneField(
        "grants.FiscalYear", on_delete=models.PROTECT, related_name="conditions", verbose_name="年度"
    )
    text = models.TextField("交付の条件", help_text="1行に1つ")

    class Meta:
        verbose_name = "交付の条件（年度ごと）"
        verbose_name_plural = "交付の条件（年度ごと）"
        ordering = ["-fiscal_year__year"]

    def __str__(self):
        return f"{self.fiscal_year} 交付の条件"
