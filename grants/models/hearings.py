"""弁明の機会: before the 課 revokes an organization's 認可 (a 不利益処分), the organization is told what is
planned and why, and given until a deadline to answer in writing (行政手続法第13条第1項第2号・第30条, and
the city's 行政手続条例 to the same effect: 要確認).

    Organization ─< ApprovalHearing   the 弁明の機会の付与通知書 (notice_entry), the 弁明 if one came, and
                                       the 認可取消通知書 (revocation_entry) once the 認可 is revoked

The rules are in grants.approval_acts (hearing_notify, hearing_record_explanation, organization_revoke).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from niimi_portal.lib import dates
from niimi_portal.lib.wareki import wareki_date


class ApprovalHearing(models.Model):
    """One 弁明の機会 given to an organization before its 認可 is revoked."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="approval_hearings",
        verbose_name="地域運営組織",
    )
    notified_on = dates.DateField("通知日", help_text="弁明の機会の付与通知書の日付")
    deadline = dates.DateField("弁明書の提出期限", help_text="開庁日（土日・祝日・年末年始を除く日）")
    facts = models.TextField("不利益処分の原因となる事実", help_text="取り消そうとする理由。付与通知書に記載します。")
    notice_entry = models.ForeignKey(
        "grants.DocumentNumber",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="付与通知書の文書番号",
    )
    explained_on = dates.DateField("弁明書の受付日", null=True, blank=True, help_text="弁明がなかったときは空欄")
    explanation = models.TextField("弁明の要旨", blank=True)
    revocation_entry = models.ForeignKey(
        "grants.DocumentNumber",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="認可取消通知書の文書番号",
    )
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="通知した職員",
    )
    created_at = models.DateTimeField("登録日時", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "弁明の機会"
        verbose_name_plural = "弁明の機会"
        ordering = ["organization", "-notified_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("notified_on")),
                name="hearing_deadline_after_notice",
                violation_error_message="弁明書の提出期限は通知日より後の日にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(explained_on__isnull=True) | Q(explained_on__gte=models.F("notified_on")),
                name="hearing_explanation_after_notice",
                violation_error_message="弁明書の受付日は通知日以降にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(explained_on__isnull=True) | ~Q(explanation=""),
                name="hearing_explanation_has_gist",
                violation_error_message="弁明書を受け付けたときは、弁明の要旨を入力してください。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} 弁明の機会（{wareki_date(self.notified_on)}通知）"

    @property
    def is_open(self):
        """Still leading to a 取消 (no 認可取消通知書 yet)."""
        return self.revocation_entry_id is None

    @property
    def explanation_status(self):
        """What came of it, in words: 「弁明あり（令和8年11月10日受付）」 or 「弁明なし」 (or 「提出期限前」)."""
        if self.explained_on:
            return f"弁明あり（{wareki_date(self.explained_on)}受付）"
        if timezone.localdate() <= self.deadline:
            return f"提出期限前（{wareki_date(self.deadline)}まで）"
        return "弁明なし"
