from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from niimi_portal.admin_history import ReadOnlyHistoryAdmin
from staff import services
from staff.forms import AttachmentRemoveForm
from staff.models import Assignment, LiaisonOfficer, Meeting, MeetingAttachment, NextStep, StageChange


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["organization", "region"]


@admin.register(LiaisonOfficer)
class LiaisonOfficerAdmin(admin.ModelAdmin):
    list_display = ["name", "name_kana", "department", "title", "phone", "is_active"]
    list_filter = ["is_active", "department"]
    search_fields = ["name", "name_kana", "department"]
    raw_id_fields = ["user"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["officer", "fiscal_year", "organization", "region", "role"]
    list_filter = ["fiscal_year", "role"]
    search_fields = ["officer__name", "officer__name_kana", "organization__name", "region__name"]
    list_select_related = ["officer", "fiscal_year", "organization", "region"]
    autocomplete_fields = ["officer", "organization", "region"]


class NextStepInline(admin.TabularInline):
    model = NextStep
    extra = 0


class MeetingAttachmentInline(admin.TabularInline):
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
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["organization", "from_stage", "to_stage", "changed_on", "recorded_by"]
    list_filter = ["to_stage"]
    search_fields = ["organization__name", "organization__name_kana"]
    list_select_related = ["organization", "recorded_by"]
    raw_id_fields = ["evidence_meeting", "recorded_by"]
