from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from niimi_portal.lib.admin import DemoFlagLast
from niimi_portal.lib.admin_display import ClerkDisplayMixin
from niimi_portal.lib.history import ReadOnlyHistoryAdmin
from organizations.access import can_run_workflow
from organizations.models import CaseStudy
from staff import services
from staff.forms import AttachmentRemoveForm
from staff.models import Assignment, LiaisonOfficer, Meeting, MeetingAttachment, NextStep, StageChange
from staff.proposals import pending_proposals


class StageChangeInline(ClerkDisplayMixin, admin.TabularInline):
    """段階の変更 recorded by liaison staff in their workspace, shown on the organization's admin page
    (grants.admin_organizations puts it there), never edited there."""

    model = StageChange
    extra = 0
    max_num = 0
    can_delete = False
    fields = [
        "changed_on",
        "from_stage",
        "to_stage",
        "evidence_meeting",
        "note",
        "recorded_by",
        "recorded_at",
        "status",
        "decided_by",
        "decline_reason",
    ]
    readonly_fields = fields
    verbose_name_plural = "段階の変更の提案（地域担当職員が提案、総合政策課が反映・見送り）"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("recorded_by", "decided_by", "evidence_meeting__organization", "evidence_meeting__region")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssignmentInline(ClerkDisplayMixin, admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["organization", "region"]
    fields = ["fiscal_year", "organization", "region", "role", "department", "title"]


@admin.register(LiaisonOfficer)
class LiaisonOfficerAdmin(DemoFlagLast, ClerkDisplayMixin, admin.ModelAdmin):
    list_display = ["name", "name_kana", "department", "title", "phone", "is_active"]
    list_filter = ["is_active", "department"]
    search_fields = ["name", "name_kana", "department"]
    raw_id_fields = ["user"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    list_display = ["officer", "fiscal_year", "organization", "region", "role", "department", "title"]
    list_filter = ["fiscal_year", "role"]
    search_fields = ["officer__name", "officer__name_kana", "organization__name", "region__name"]
    list_select_related = ["officer", "fiscal_year", "organization", "region"]
    autocomplete_fields = ["officer", "organization", "region"]


class NextStepInline(ClerkDisplayMixin, admin.TabularInline):
    model = NextStep
    extra = 0


class MeetingAttachmentInline(ClerkDisplayMixin, admin.TabularInline):
    model = MeetingAttachment
    extra = 0
    fields = ["download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # files come in through the workspace, where their content is checked

    @admin.display(description="ファイル")
    def download(self, attachment):
        # Attachments are private files: the link goes through the permission-checked view, never MEDIA_URL.
        if attachment.pk is None:
            return ""
        url = reverse("staff:attachment_download", args=[attachment.pk])
        remove = reverse("admin:staff_meeting_attachment_remove", args=[attachment.meeting_id, attachment.pk])
        return format_html(
            '<a href="{}">{}</a>（<a href="{}">削除する<span class="visually-hidden">: {}</span></a>）',
            url,
            attachment.original_name,
            remove,
            attachment.original_name,
        )


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["date", "kind", "status", "organization", "region", "place", "author", "archived_at"]
    list_filter = ["kind", "status", "is_public", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["place", "agenda", "organization__name", "region__name"]
    list_select_related = ["organization", "region", "author"]
    autocomplete_fields = ["organization", "region"]
    raw_id_fields = ["author"]
    date_hierarchy = "date"
    inlines = [NextStepInline, MeetingAttachmentInline]
    actions = ["restore_meetings"]

    def get_urls(self):
        remove = self.admin_site.admin_view(self.attachment_remove_view)
        return [
            path("<int:pk>/attachments/<int:attachment>/remove/", remove, name="staff_meeting_attachment_remove"),
            *super().get_urls(),
        ]

    def attachment_remove_view(self, request, pk, attachment):
        """総合政策課 removes an attachment (a wrong photo of residents) with a reason kept in the history."""
        if not request.user.has_perm("staff.delete_meetingattachment"):
            raise PermissionDenied
        attachment = get_object_or_404(MeetingAttachment.objects.select_related("meeting"), pk=attachment, meeting=pk)
        form = AttachmentRemoveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.attachment_remove(attachment=attachment, by=request.user, reason=form.cleaned_data["reason"])
            self.message_user(request, f"添付ファイル「{attachment.original_name}」を削除しました。", messages.SUCCESS)
            return redirect("admin:staff_meeting_change", pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"添付ファイル「{attachment.original_name}」を削除する",
            "meeting": attachment.meeting,
            "attachment": attachment,
            "form": form,
        }
        return TemplateResponse(request, "admin/staff/meeting/attachment_remove.html", context)

    @admin.action(description="選択した会議記録をアーカイブから復元する", permissions=["change"])
    def restore_meetings(self, request, queryset):
        restored = 0
        for meeting in queryset.filter(archived_at__isnull=False):
            services.meeting_restore(meeting=meeting, by=request.user)
            restored += 1
        if restored:
            self.message_user(request, f"{restored}件の会議記録を復元しました。", messages.SUCCESS)
        else:
            self.message_user(request, "選択した会議記録にアーカイブされたものはありませんでした。", messages.WARNING)


@admin.register(StageChange)
class StageChangeAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    """段階の変更の提案: read here, decided on the one review screen (確認待ちの提案)."""

    list_display = ["organization", "from_stage", "to_stage", "changed_on", "recorded_by", "status", "decided_by"]
    list_filter = ["status", "to_stage"]
    search_fields = ["organization__name", "organization__name_kana"]
    list_select_related = ["organization", "recorded_by", "decided_by"]
    raw_id_fields = ["evidence_meeting", "recorded_by"]
    readonly_fields = ["status", "decided_by", "decided_at", "decline_reason"]
    change_list_template = "admin/staff/stagechange/change_list.html"

    def get_urls(self):
        review = path("review/", self.admin_site.admin_view(self.review_view), name="staff_stagechange_review")
        return [review, *super().get_urls()]

    def review_view(self, request):
        """確認待ちの提案: every pending stage change and case example, oldest first; 反映 or 見送り (with reason)."""
        if not can_run_workflow(request.user):
            raise PermissionDenied
        errors = {}
        if request.method == "POST":
            errors = self._decide(request)
            if not errors:
                return redirect(reverse("admin:staff_stagechange_review"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "確認待ちの提案",
            "proposals": pending_proposals(),
            "errors": errors,
            "posted_reason": request.POST.get("reason", ""),
        }
        return TemplateResponse(request, "admin/staff/review.html", context)

    def _decide(self, request):
        kind, action = request.POST.get("kind"), request.POST.get("action")
        model = {"stage": StageChange, "case": CaseStudy}.get(kind)
        if model is None or action not in {"accept", "decline"}:
            return {"": ["操作を読み取れませんでした。もう一度お試しください。"]}
        proposal = model.objects.filter(pk=request.POST.get("pk")).first()
        if proposal is None:
            return {"": ["提案が見つかりません。画面を読み込み直してください。"]}
        key = f"{kind}-{proposal.pk}"
        try:
            if kind == "stage" and action == "accept":
                services.stage_change_accept(change=proposal, by=request.user)
            elif kind == "stage":
                services.stage_change_decline(change=proposal, by=request.user, reason=request.POST.get("reason"))
            elif action == "accept":
                services.case_study_accept(case=proposal, by=request.user)
            else:
                services.case_study_decline(case=proposal, by=request.user, reason=request.POST.get("reason"))
        except ValidationError as refused:
            return {key: refused.messages}
        label = "反映しました" if action == "accept" else "見送りました"
        self.message_user(
            request,
            f"「{proposal}」の提案を{label}。結果は提案した職員の職員ページに表示し、メールアドレスが登録されていればメールでも知らせます。",
            messages.SUCCESS,
        )
        return {}
