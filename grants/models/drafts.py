"""起案 → 決裁 → 施行: a document drafted by a clerk, approved (or returned) by the 決裁権者 of its kind,
and only then numbered from the 文書番号簿 and frozen (「番号は決裁の後」).

    ApprovalRoute (専決区分)      which level approves each kind of document (課長・部長・市長)
    DocumentDraft (起案)          one draft: what the document will say, who drafted it, who decided it;
                                   once approved it points at its line of the 文書番号簿 (and so its PDF)

The rules that submit, approve, reject and redraft are in grants.drafts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from grants.models.register import DocumentKind, DocumentNumber
from niimi_portal.lib import dates


class ApprovalLevel(models.TextChoices):
    """The 決裁権者 of a kind of document, lowest first. Each level is one permission of DocumentDraft
    (`grants.approve_<level>`); a higher level may approve what a lower one may (上位者の決裁、要確認)."""

    SECTION_CHIEF = "section_chief", "課長"
    DIRECTOR = "director", "部長"
    MAYOR = "mayor", "市長"


# The order of the levels, lowest first, and the permission each one is held as.
LEVEL_ORDER = [ApprovalLevel.SECTION_CHIEF, ApprovalLevel.DIRECTOR, ApprovalLevel.MAYOR]
LEVEL_PERMISSIONS = {level: f"grants.approve_{level.value}" for level in LEVEL_ORDER}

# 専決区分 used while the 課 has not set a kind in 「専決区分」 (ApprovalRoute). 要確認: these follow a
# common pattern of 事務決裁規程 (処分 that decide rights or money by 部長, 認可・取消・返還命令 by 市長,
# a request that is not a 処分 by 課長); the city's own 事務決裁規程 decides.
DEFAULT_LEVELS = {
    DocumentKind.APPROVAL: ApprovalLevel.MAYOR,
    DocumentKind.RETURN: ApprovalLevel.SECTION_CHIEF,
    DocumentKind.REFUSAL: ApprovalLevel.MAYOR,
    DocumentKind.HEARING: ApprovalLevel.MAYOR,
    DocumentKind.APPROVAL_REVOCATION: ApprovalLevel.MAYOR,
    DocumentKind.DECISION: ApprovalLevel.DIRECTOR,
    DocumentKind.CHANGE: ApprovalLevel.DIRECTOR,
    DocumentKind.SETTLEMENT: ApprovalLevel.DIRECTOR,
    DocumentKind.REVOCATION: ApprovalLevel.MAYOR,
    DocumentKind.REFUND: ApprovalLevel.MAYOR,
    DocumentKind.ADDITIONAL: ApprovalLevel.DIRECTOR,
}


class ApprovalRouteQuerySet(models.QuerySet):
    def level_for(self, kind):
        """The level that approves documents of `kind`: the 課's setting, else the default (要確認)."""
        route = self.filter(kind=kind).first()
        return ApprovalLevel(route.level) if route else DEFAULT_LEVELS.get(kind, ApprovalLevel.MAYOR)


class ApprovalRoute(models.Model):
    """専決区分: who approves a kind of document. Edited by the 課 in the admin; a kind without a row
    uses DEFAULT_LEVELS (要確認)."""

    kind = models.CharField("文書の種類", max_length=20, choices=DocumentKind.choices, unique=True)
    level = models.CharField("決裁権者", max_length=20, choices=ApprovalLevel.choices)
    note = models.CharField("根拠（事務決裁規程の条項など）", max_length=200, blank=True)

    objects = ApprovalRouteQuerySet.as_manager()

    class Meta:
        verbose_name = "専決区分"
        verbose_name_plural = "専決区分"
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_level_display()}"


class DocumentDraftQuerySet(models.QuerySet):
    def waiting(self):
        """Drafts waiting for 決裁, oldest first (the 決裁 list)."""
        return self.filter(status=DocumentDraft.Status.SUBMITTED).order_by("submitted_at", "pk")


class DocumentDraft(models.Model):
    """起案: a document of `kind` dated `dated` for `organization` (and `decision`), with `details` as
    number_take would record them. It has no number until the 決裁権者 approves it; then `entry` is its
    line of the 文書番号簿 and the issued PDF hangs from that line.

    A draft of a document whose act was recorded before it (the 交付決定 and the other acts: see
    grants.drafts) has its `entry` from the start (`numbered_by_act`): a line the act reserved without a
    number, which 決裁 numbers and freezes (or one typed from the paper register, which 決裁 only freezes)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "決裁待ち"
        REJECTED = "rejected", "差戻し（起案者が修正）"
        APPROVED = "approved", "決裁済（施行）"

    kind = models.CharField("文書の種類", max_length=20, choices=DocumentKind.choices)
    level = models.CharField(
        "決裁権者", max_length=20, choices=ApprovalLevel.choices, help_text="起案・再起案の時点の専決区分"
    )
    dated = dates.DateField("文書の日付")
    subject = models.CharField("件名", max_length=200)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="document_drafts",
        verbose_name="宛先の組織",
    )
    decision = models.ForeignKey(
        "grants.GrantDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document_drafts",
        verbose_name="交付決定",
    )
    details = models.JSONField("文書の内容", default=dict, blank=True)
    status = models.CharField("状況", max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="起案者"
    )
    drafted_at = models.DateTimeField("起案日時", default=timezone.now)
    submitted_at = models.DateTimeField("決裁に回した日時", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="決裁者（差戻しを含む）",
    )
    decided_at = models.DateTimeField("決裁日時（差戻しを含む）", null=True, blank=True)
    reject_reason = models.TextField("差戻しの理由", blank=True)
    numbered_by_act = models.BooleanField(
        "手続の記録の後に起案",
        default=False,
        help_text="手続（交付決定など）を記録した後に起案した文書。番号は決裁の後に付きます（紙の文書番号簿から入力した番号を除く）",
    )
    entry = models.OneToOneField(
        DocumentNumber,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="draft",
        verbose_name="文書番号",
    )
    history = HistoricalRecords()

    objects = DocumentDraftQuerySet.as_manager()

    class Meta:
        verbose_name = "起案・決裁"
        verbose_name_plural = "起案・決裁"
        ordering = ["submitted_at", "pk"]
        permissions = [
            (f"approve_{ApprovalLevel.SECTION_CHIEF.value}", "課長専決の文書を決裁できる"),
            (f"approve_{ApprovalLevel.DIRECTOR.value}", "部長専決の文書を決裁できる"),
            (f"approve_{ApprovalLevel.MAYOR.value}", "市長決裁の文書を決裁できる"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(entry__isnull=False, decided_by__isnull=False),
                name="approved_draft_has_number_and_approver",
                violation_error_message="決裁済の起案には文書番号と決裁者が必要です。",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
                name="rejected_draft_has_reason",
                violation_error_message="差戻しの理由を入力してください。",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.subject}（{self.get_status_display()}）"

    @property
    def waiting_for(self):
        """「課長の決裁待ち」, or the status in words once decided."""
        if self.status == self.Status.SUBMITTED:
            return f"{self.get_level_display()}の決裁待ち"
        return self.get_status_display()
