"""地域担当職員, their assignments, and what they record: meetings, next steps, attachments, stage changes."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from niimi_portal.lib import dates
from niimi_portal.lib.demo_flag import DemoFlag
from niimi_portal.lib.uploads import StoredUpload, upload_path
from niimi_portal.lib.wareki import current_fiscal_year, wareki_date
from organizations.models import Organization, Proposal, ProposalStatus, of_no_or_a_published_organization


class LiaisonOfficer(DemoFlag):
    """地域担当職員: a city employee who, beside their regular job, looks after one or two areas."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_officer",
        verbose_name="ログインユーザー",
    )
    name = models.CharField("氏名", max_length=100)
    name_kana = models.CharField("よみ", max_length=200)
    # The officer's 所属/職名 now: what a new assignment starts from. Each year's roster reads the
    # assignment's own copy, so a 人事異動 changes the coming years, never a past roster.
    department = models.CharField("現在の所属", max_length=100)
    title = models.CharField("現在の職名", max_length=50, blank=True)
    phone = models.CharField("電話番号", max_length=30, blank=True)
    email = models.EmailField("メール", blank=True)
    is_active = models.BooleanField("在任中", default=True)

    class Meta:
        verbose_name = "地域担当職員"
        verbose_name_plural = "地域担当職員"
        ordering = ["name_kana"]

    def __str__(self):
        return self.name


class AssignmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(fiscal_year__year=current_fiscal_year())

    def public(self):
        """Assignments residents see on the roster: of an area, or of a published organization."""
        return self.filter(of_no_or_a_published_organization())


def post_clash_message(officer, fiscal_year, post):
    """The refusal of a second 所属・職名 for `officer` in `fiscal_year` (`post`: the one already given)."""
    return (
        f"{officer.name}の{fiscal_year.label}の所属・職名は、ほかの担当では「{' '.join(filter(None, post))}」です。"
        "同じ年度の担当は同じ所属・職名にしてください。"
    )


class Assignment(models.Model):
    """担当: an officer looks after one organization or one area in one fiscal year."""

    class Role(models.TextChoices):
        MAIN = "main", "主担当"
        SUB = "sub", "副担当"

    officer = models.ForeignKey(
        LiaisonOfficer, on_delete=models.CASCADE, related_name="assignments", verbose_name="地域担当職員"
    )
    fiscal_year = models.ForeignKey(
        "grants.FiscalYear", on_delete=models.PROTECT, related_name="assignments", verbose_name="年度"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name="地域運営組織",
    )
    region = models.ForeignKey(
        "organizations.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name="地域",
        help_text="組織がまだない地域を担当するとき",
    )
    role = models.CharField("担当区分", max_length=10, choices=Role.choices, default=Role.MAIN)
    department = models.CharField(
        "所属", max_length=100, blank=True, help_text="この年度の所属。空欄なら職員の現在の所属・職名を写します。"
    )
    title = models.CharField("職名", max_length=50, blank=True, help_text="この年度の職名")
    ended = models.BooleanField(
        "この年度で終える",
        default=False,
        help_text="4月の担当替えで「担当を終える」と決めた担当です。次の年度には引き継ぎません。",
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "担当"
        verbose_name_plural = "担当"
        ordering = ["-fiscal_year__year", "officer__name_kana"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(region__isnull=True))
                | (Q(organization__isnull=True) & Q(region__isnull=False)),
                name="assignment_has_organization_xor_region",
                violation_error_message="担当先は地域運営組織か地域のどちらか一方を選んでください。",
            ),
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"],
                condition=Q(role="main"),
                name="one_main_liaison_per_organization_per_year",
                violation_error_message="この組織のこの年度の主担当はすでに決まっています。",
            ),
            models.UniqueConstraint(
                fields=["region", "fiscal_year"],
                condition=Q(role="main"),
                name="one_main_liaison_per_region_per_year",
                violation_error_message="この地域のこの年度の主担当はすでに決まっています。",
            ),
            models.UniqueConstraint(
                fields=["officer", "fiscal_year", "organization"],
                name="unique_officer_organization_year",
                violation_error_message="この職員はこの年度すでにこの組織の担当です。",
            ),
            models.UniqueConstraint(
                fields=["officer", "fiscal_year", "region"],
                name="unique_officer_region_year",
                violation_error_message="この職員はこの年度すでにこの地域の担当です。",
            ),
        ]

    def __str__(self):
        return f"{self.fiscal_year} {self.target} {self.get_role_display()} {self.officer}"

    def save(self, *args, **kwargs):
        # An assignment made without a 所属 takes the officer's current 所属 and 職名 for its year.
        if self.officer_id:
            self.department, self.title = self.post()
        super().save(*args, **kwargs)

    def post(self):
        """(所属, 職名) this assignment gives its officer for the year: as typed, or with no 所属 typed,
        the officer's current ones."""
        if self.department:
            return self.department, self.title
        return self.officer.department, self.title or self.officer.title

    @property
    def target(self):
        return self.organization or self.region


class MeetingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def public(self, since=None):
        """Meetings residents see on the 予定 page and feed, from `since` (today by default) on: marked
        public, not archived, not of an unpublished organization."""
        since = since or timezone.localdate()
        return self.active().filter(of_no_or_a_published_organization(), is_public=True, date__gte=since)


class Meeting(models.Model):
    """会議記録: what happened at a study session, workshop or board meeting in an area."""

    class Kind(models.TextChoices):
        STUDY = "study", "勉強会"
        WORKSHOP = "workshop", "ワークショップ"
        PREPARATORY = "preparatory", "設立準備会"
        BOARD = "board", "役員会"
        CARE = "care", "小地域ケア会議"
        OTHER = "other", "その他"

    class Status(models.TextChoices):
        PLANNED = "planned", "予定"
        HELD = "held", "実施済"

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name="地域運営組織",
    )
    region = models.ForeignKey(
        "organizations.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name="地域",
    )
    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    status = models.CharField("状況", max_length=10, choices=Status.choices, default=Status.HELD)
    date = dates.DateField("開催日")
    start_time = models.TimeField("開始時刻", null=True, blank=True)
    end_time = models.TimeField("終了時刻", null=True, blank=True)
    place = models.CharField("場所", max_length=200)
    attendees = models.PositiveIntegerField("参加者数", null=True, blank=True)
    attendees_residents = models.PositiveIntegerField("うち住民", null=True, blank=True)
    attendees_council = models.PositiveIntegerField("うち社会福祉協議会", null=True, blank=True)
    attendees_coordinator = models.PositiveIntegerField("うち生活支援コーディネーター", null=True, blank=True)
    attendees_city = models.PositiveIntegerField("うち市職員", null=True, blank=True)
    other_organizations = models.CharField("参加した他団体", max_length=300, blank=True)
    agenda = models.TextField("議題", blank=True)
    summary = models.TextField("内容（内部記録）", blank=True)
    decisions = models.TextField("決定事項", blank=True)
    is_public = models.BooleanField("公開の予定として掲載", default=False, help_text="住民向けの「予定」に載せる")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name="記録者",
    )
    archived_at = models.DateTimeField("アーカイブ日時", null=True, blank=True)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "会議記録"
        verbose_name_plural = "会議記録"
        ordering = ["-date", "-start_time", "-id"]
        indexes = [
            models.Index(fields=["author", "-date"], name="meeting_author_date_idx"),
            models.Index(fields=["organization", "-date"], name="meeting_organization_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | Q(region__isnull=False),
                name="meeting_has_organization_or_region",
                violation_error_message="会議の対象となる組織か地域を選んでください。",
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True) | Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="meeting_ends_after_start",
                violation_error_message="終了時刻は開始時刻より後にしてください。",
            ),
        ]

    def __str__(self):
        return f"{wareki_date(self.date)} {self.get_kind_display()} {self.target}"

    @property
    def target(self):
        return self.organization or self.region


class NextStep(models.Model):
    """次の一歩: who does what by when, decided at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="next_steps", verbose_name="会議")
    description = models.CharField("内容", max_length=300)
    owner = models.CharField("担当", max_length=100)
    due_date = dates.DateField("期限")
    is_done = models.BooleanField("完了", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "次の取組"
        verbose_name_plural = "次の取組"
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.description

    @property
    def is_overdue(self):
        return not self.is_done and self.due_date < timezone.localdate()


def attachment_path(instance, filename):
    """Kept for the migrations: the model now stores under StoredUpload.upload_folder."""
    return upload_path("meeting-attachments", filename)


class MeetingAttachment(StoredUpload):
    """A PDF, JPEG or PNG attached to a meeting; served only through a permission-checked view."""

    upload_folder = "meeting-attachments"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name="会議")

    class Meta(StoredUpload.Meta):
        verbose_name = "添付ファイル"
        verbose_name_plural = "添付ファイル"


PENDING_STAGE_CHANGE_ERROR = (
    "この組織には確認待ちの段階の変更の提案がすでにあります。総合政策課が反映するか見送るまで、次の提案はできません。"
)


class StageChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ProposalStatus.PENDING)

    def pending_error(self, organization):
        """Why a new proposal for `organization` must wait (its open one, named), or ""."""
        open_one = self.pending().filter(organization=organization).first()
        if open_one is None:
            return ""
        return (
            f"{PENDING_STAGE_CHANGE_ERROR}（確認待ち: {open_one.get_from_stage_display()} → "
            f"{open_one.get_to_stage_display()}、変更日 {wareki_date(open_one.changed_on)}）"
        )


class StageChange(Proposal):
    """段階の変更の提案: a move between ①②③ proposed by a liaison, with the meeting that evidences it.
    The organization's stage changes only when 総合政策課 accepts it (反映)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="stage_changes",
        verbose_name="地域運営組織",
    )
    from_stage = models.PositiveSmallIntegerField("変更前の段階", choices=Organization.Stage.choices)
    to_stage = models.PositiveSmallIntegerField("変更後の段階", choices=Organization.Stage.choices)
    changed_on = dates.DateField("変更日")
    evidence_meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="stage_changes", verbose_name="根拠となる会議"
    )
    note = models.TextField("補足", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="記録者"
    )
    recorded_at = models.DateTimeField("記録日時", auto_now_add=True)

    objects = StageChangeQuerySet.as_manager()

    class Meta(Proposal.Meta):
        verbose_name = "段階の変更の提案"
        verbose_name_plural = "段階の変更の提案"
        ordering = ["-changed_on", "-id"]
        constraints = [
            *Proposal.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(from_stage=F("to_stage")),
                name="stage_change_moves",
                violation_error_message="変更前と変更後の段階が同じです。",
            ),
            # Two open proposals for one organization (②→① and ②→③) would contradict each other (issue 31).
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status=ProposalStatus.PENDING),
                name="one_pending_stage_change_per_organization",
                violation_error_message=PENDING_STAGE_CHANGE_ERROR,
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.get_from_stage_display()} → {self.get_to_stage_display()}"
