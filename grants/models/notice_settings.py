"""What every notice prints besides its own facts: the settings in force on a date (施行日) and a
fiscal year's 交付の条件."""

import re

from django.db import models

from grants.models.register import DocumentKind, DocumentNumber
from niimi_portal.lib import dates
from niimi_portal.lib.demo_flag import DemoFlag, demo_flag_field
from niimi_portal.lib.wareki import wareki_date


class NoticeSettingsQuerySet(models.QuerySet):
    def in_force(self, day):
        """The version in force on `day`: the latest 施行日 on or before it (None if there is none)."""
        return self.filter(effective_from__lte=day).order_by("-effective_from").first()


# The field holding each kind's 根拠 (grants.models.register.DocumentKind).
BASIS_FIELDS = {
    DocumentKind.APPROVAL: "approval_basis",
    DocumentKind.RETURN: "return_basis",
    DocumentKind.REFUSAL: "refusal_basis",
    DocumentKind.HEARING: "hearing_basis",
    DocumentKind.APPROVAL_REVOCATION: "approval_revocation_basis",
    DocumentKind.DECISION: "legal_basis",
    DocumentKind.CHANGE: "change_basis",
    DocumentKind.SETTLEMENT: "settlement_basis",
    DocumentKind.REVOCATION: "revocation_basis",
    DocumentKind.REFUND: "refund_basis",
    DocumentKind.ADDITIONAL: "additional_basis",
}
BASIS_FIELDS = {str(kind): name for kind, name in BASIS_FIELDS.items()}

# What some kinds print besides their 根拠: the 取下げ clause of a 交付決定, the 延滞金 of a 返還請求.
EXTRA_FIELDS = {str(DocumentKind.DECISION): ("withdrawal_days",), str(DocumentKind.REFUND): ("late_fee_rate",)}

# Kinds no step numbers any more, kept so that lines an earlier version numbered still print: the 追加交付
# (an earlier version numbered a 精算払 as one; see docs/documents.md). Their settings are asked for only
# while such a line waits in the 文書番号簿.
LEGACY_KINDS = (str(DocumentKind.ADDITIONAL),)

# What every document prints whatever its kind.
GENERAL_FIELDS = ("mayor_title", "mayor_name", "contact", "standard_conditions")


def default_disposition_kinds():
    """The kinds that are 処分 and carry the 教示. Assumption for the city to confirm: 認可 and the
    差戻し (a 補正の求め under 行政手続条例) are not 処分 against the addressee, nor is the 弁明の機会の付与
    (a step before one); 不認可, 認可取消, 交付決定, its 変更, the 額の確定, the 取消し, the 返還命令 and an
    追加交付 (an increase of the grant) are."""
    return [
        str(kind)
        for kind in (
            DocumentKind.REFUSAL,
            DocumentKind.APPROVAL_REVOCATION,
            DocumentKind.DECISION,
            DocumentKind.CHANGE,
            DocumentKind.SETTLEMENT,
            DocumentKind.REVOCATION,
            DocumentKind.REFUND,
            DocumentKind.ADDITIONAL,
        )
    ]


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
    # Each kind of document cites its own article: none falls back to another kind's (a 変更 or 取消 citing
    # the article of the 交付決定 is wrong). Which articles they are is for the city to fill in.
    legal_basis = models.TextField(
        "交付決定の根拠",
        blank=True,
        help_text=(
            "交付決定通知書の本文で引く文。例: 新見市補助金等交付規則第5条及び"
            "新見市小規模多機能自治一括交付金交付要綱第8条の規定により"
        ),
    )
    approval_basis = models.TextField(
        "認可の根拠",
        blank=True,
        help_text="認可通知書の本文で引く文。例: 新見市小規模多機能自治推進要綱第6条の規定により",
    )
    return_basis = models.TextField(
        "補正の求め（差戻し）の根拠",
        blank=True,
        help_text="補正の求め通知書の本文で引く文。例: 新見市行政手続条例第7条の規定により",
    )
    refusal_basis = models.TextField(
        "不認可の根拠",
        blank=True,
        help_text="不認可通知書の本文で引く文。例: 新見市小規模多機能自治推進要綱第6条の規定により",
    )
    hearing_basis = models.TextField(
        "弁明の機会の付与の根拠",
        blank=True,
        help_text="弁明の機会の付与通知書の本文で引く文。例: 新見市行政手続条例第30条の規定により",
    )
    approval_revocation_basis = models.TextField(
        "認可の取消しの根拠",
        blank=True,
        help_text=(
            "認可取消通知書の本文で引く文（付与通知書には予定する処分の根拠として「の規定により」を除いて"
            "印刷します）。例: 新見市小規模多機能自治推進要綱第9条の規定により"
        ),
    )
    change_basis = models.TextField("変更交付決定の根拠", blank=True)
    settlement_basis = models.TextField("額の確定の根拠", blank=True)
    revocation_basis = models.TextField("交付決定の取消しの根拠", blank=True)
    refund_basis = models.TextField("返還請求の根拠", blank=True)
    additional_basis = models.TextField(
        "追加交付の根拠",
        blank=True,
        help_text="以前の版で番号を取った追加交付通知書を印刷するときだけ使います（新しく追加交付の番号を取る手続はありません）",
    )
    disposition_kinds = models.JSONField(
        "教示を付ける文書（処分）",
        default=default_disposition_kinds,
        blank=True,
        help_text="処分に当たる文書の種類。ここにある種類の文書だけに教示を印刷します。",
    )
    withdrawal_days = models.PositiveSmallIntegerField(
        "申請の取下げができる期間（日）",
        null=True,
        blank=True,
        help_text="交付決定通知書に印刷します。例: 15（交付決定の通知を受けた日から起算して15日以内）",
    )
    late_fee_rate = models.DecimalField(
        "延滞金の年率（％）",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="返還請求書に印刷します。例: 10.95",
    )
    appeal_text = models.TextField("教示", blank=True, help_text="処分の通知書の末尾に印刷します")
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

    def basis_for(self, kind):
        """The sentence citing the 規則・要綱 for a kind of document: its own, never another kind's."""
        return str(getattr(self, BASIS_FIELDS[str(kind)]) or "").strip()

    def carries_appeal(self, kind):
        """Whether a kind of document is a 処分, printed with the 教示."""
        return str(kind) in (self.disposition_kinds or [])

    def _problem(self, name):
        field = self._meta.get_field(name)
        value = getattr(self, name)
        value = "" if value is None else str(value).strip()
        if not value:
            return f"「{field.verbose_name}」が空欄です"
        if PLACEHOLDER_PATTERN.search(value):
            return f"「{field.verbose_name}」に仮の値（{PLACEHOLDER_PATTERN.search(value)[0]}）が残っています"
        return None

    def placeholders(self):
        """What every document needs and is blank or a placeholder, each named by its field."""
        return [problem for name in GENERAL_FIELDS if (problem := self._problem(name))]

    def missing_for(self, kind):
        """What a kind of document needs and is missing: the common fields, its own 根拠 and, for a
        処分, the 教示."""
        names = [BASIS_FIELDS[str(kind)], *EXTRA_FIELDS.get(str(kind), ())]
        names += ["appeal_text"] if self.carries_appeal(kind) else []
        return self.placeholders() + [problem for name in names if (problem := self._problem(name))]

    def missing_by_kind(self):
        """{kind label: what it misses} for every kind that cannot be issued yet, the common fields
        under 「すべての文書」. A legacy kind (LEGACY_KINDS) counts only while the register holds a line of it."""
        general = self.placeholders()
        missing = {"すべての文書": general} if general else {}
        legacy_in_use = set(DocumentNumber.objects.filter(kind__in=LEGACY_KINDS).values_list("kind", flat=True))
        for kind, label in DocumentKind.choices:
            if kind in LEGACY_KINDS and kind not in legacy_in_use:
                continue
            own = self.missing_for(kind)[len(general) :]
            if own:
                missing[label] = own
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
