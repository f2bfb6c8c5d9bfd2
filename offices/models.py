"""The organizations' own 事務局 online (/office/): who serves an organization's 事務局, what they send to
総合政策課 (交付申請, 変更申請, 請求, 実績報告) from a draft kept on the server, the 補正 the clerk asks for,
and the edits of their public page they propose.

    Organization ─< OfficeMember           a person of the 事務局 (invited by the 課; one person may serve two)
                 ─< Submission             one form of the grant year: draft → sent → (補正 → sent)* → accepted
                       ─< SubmissionVersion  what was sent each time, kept as it was (JSON of the form)
                       ─< FieldComment       the clerk's 補正 comment on one field of one version
                       ─< SubmissionAttachment  receipts, photos, scanned papers (re-encoded on upload)
                 ─< ProfileEdit            a proposed edit of the public page, reviewed like a liaison's proposal

The rules that change them are in offices.services; who may see what in offices.access.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from grants.models import Receipt
from niimi_portal.lib.uploads import StoredUpload
from organizations.models import Proposal


class OfficeMember(models.Model):
    """A person of an organization's 事務局 with an account on the portal. The 課 invites them by e-mail
    (a one-time link to set a password); the row goes when the 課 removes them, and its history stays."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="office_members",
        verbose_name="地域運営組織",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="office_memberships",
        verbose_name="アカウント",
    )
    role = models.CharField("役職", max_length=50, blank=True, help_text="事務局長、会計など（任意）")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="招待した職員",
    )
    invited_at = models.DateTimeField("招待日時", default=timezone.now)
    joined_at = models.DateTimeField("パスワード設定日時", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "事務局のアカウント"
        verbose_name_plural = "事務局のアカウント"
        ordering = ["organization__name_kana", "invited_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                name="unique_office_member",
                violation_error_message="この人はすでにこの組織の事務局に登録されています。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} 事務局 {self.user.get_username()}"


class Submission(models.Model):
    """One form of the grant year that an organization's 事務局 fills in and sends: its draft (saved as they
    type), each version sent, and what the clerk made of it. `data` holds the form as the 事務局 last left it;
    once accepted, the record the clerk's step made is linked (no re-typing)."""

    Kind = Receipt.Kind  # 交付申請, 変更申請, 請求, 実績報告: the kinds of the 受付簿

    class Status(models.TextChoices):
        DRAFT = "draft", "下書き"
        SENT = "sent", "提出済（受付待ち）"
        CORRECTION = "correction", "補正の依頼あり"
        ACCEPTED = "accepted", "受理"
        WITHDRAWN = "withdrawn", "取下げ"

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name="地域運営組織",
    )
    fiscal_year = models.ForeignKey(
        "grants.FiscalYear", on_delete=models.PROTECT, related_name="submissions", verbose_name="年度"
    )
    kind = models.CharField("書類", max_length=20, choices=Kind.choices)
    status = models.CharField("状況", max_length=12, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField("入力内容", default=dict, blank=True)
    saved_at = models.DateTimeField("下書きの保存日時", default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="保存した人",
    )
    receipt = models.OneToOneField(
        "grants.Receipt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submission",
        verbose_name="受付番号",
    )
    accepted_at = models.DateTimeField("受理日時", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="受理した職員",
    )
    # What the clerk's step made of it, once accepted (one of them, by kind).
    application = models.OneToOneField(
        "grants.GrantApplication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submission",
        verbose_name="交付申請",
    )
    change_request = models.OneToOneField(
        "grants.GrantChangeRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submission",
        verbose_name="変更申請",
    )
    payment = models.OneToOneField(
        "grants.GrantPayment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submission",
        verbose_name="請求",
    )
    decision = models.ForeignKey(
        "grants.GrantDecision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name="交付決定",
        help_text="変更申請・請求・実績報告の対象",
    )

    history = HistoricalRecords(excluded_fields=["data", "saved_at"])

    class Meta:
        verbose_name = "事務局からの提出"
        verbose_name_plural = "事務局からの提出"
        ordering = ["-saved_at", "-id"]
        constraints = [
            # One form of each kind in the making at a time: a draft is found again on any device.
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "kind"],
                condition=Q(status__in=["draft", "sent", "correction"]),
                name="one_open_submission_per_kind",
                violation_error_message="この書類はすでに作成中か提出済みです。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.fiscal_year} {self.get_kind_display()}"

    @property
    def is_editable(self):
        """The 事務局 may change it: a draft, or a form sent back for 補正."""
        return self.status in (self.Status.DRAFT, self.Status.CORRECTION)

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()


class SubmissionVersion(models.Model):
    """What the 事務局 sent, each time, exactly as sent."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions", verbose_name="提出")
    number = models.PositiveSmallIntegerField("版")
    data = models.JSONField("提出した内容")
    sent_at = models.DateTimeField("提出日時", default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提出した人",
    )

    class Meta:
        verbose_name = "提出の版"
        verbose_name_plural = "提出の版"
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"],
                name="unique_submission_version",
                violation_error_message="この版はすでにあります。",
            ),
        ]

    def __str__(self):
        return f"{self.submission} 第{self.number}版"


class FieldComment(models.Model):
    """The clerk's 補正 comment on one field of a version sent ("" for the whole form): the 事務局 reads it
    beside that field."""

    version = models.ForeignKey(
        SubmissionVersion, on_delete=models.CASCADE, related_name="comments", verbose_name="提出の版"
    )
    field = models.CharField("項目", max_length=100, blank=True, help_text="空欄は書類全体への補正")
    comment = models.TextField("補正の内容", max_length=2000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="職員",
    )
    written_at = models.DateTimeField("日時", default=timezone.now)

    class Meta:
        verbose_name = "補正の依頼"
        verbose_name_plural = "補正の依頼"
        ordering = ["version", "id"]

    def __str__(self):
        return f"{self.version} {self.field or '全体'}"


class SubmissionAttachment(StoredUpload):
    """A receipt, photo or scanned paper sent with a form (checked and re-encoded by niimi_portal.lib.uploads);
    served only to the organization's 事務局 and to 総合政策課."""

    upload_folder = "office-submissions"

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="attachments", verbose_name="提出"
    )
    label = models.CharField("説明", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta(StoredUpload.Meta):
        verbose_name = "提出の添付ファイル"
        verbose_name_plural = "提出の添付ファイル"


class ProfileEdit(Proposal):
    """An edit of the organization's public page proposed by its 事務局: 総合政策課 reviews it like a
    liaison's proposal, and only an accepted one reaches residents. It holds the whole page as proposed (the
    form starts from the page as it is), so an emptied field takes that part off the page (offices.profile)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="profile_edits",
        verbose_name="地域運営組織",
    )
    description = models.TextField("紹介", blank=True, max_length=4000)
    contact_phone = models.CharField("連絡先電話番号", max_length=30, blank=True)
    contact_email = models.EmailField("連絡先メール", blank=True)
    plan_summary = models.TextField("今年度の計画の概要", blank=True, max_length=4000)
    events = models.TextField("これからの行事", blank=True, max_length=4000, help_text="1行に1件")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提案者",
    )
    proposed_at = models.DateTimeField("提案日時", default=timezone.now)

    history = HistoricalRecords()

    class Meta(Proposal.Meta):
        verbose_name = "公開ページの変更の提案"
        verbose_name_plural = "公開ページの変更の提案"
        ordering = ["-proposed_at"]
        constraints = [
            *Proposal.Meta.constraints,
            # One proposal waits at a time: proposing again while it waits replaces it (offices.profile).
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status="pending"),
                name="one_pending_profile_edit",
                violation_error_message="この組織の公開ページの変更の提案は、すでに確認待ちです。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} 公開ページの変更の提案"
