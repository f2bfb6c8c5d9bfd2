from django.contrib import admin

from niimi_portal.admin_history import ReadOnlyHistoryAdmin
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
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


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


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["organization", "from_stage", "to_stage", "changed_on", "recorded_by"]
    list_filter = ["to_stage"]
    search_fields = ["organization__name", "organization__name_kana"]
    list_select_related = ["organization", "recorded_by"]
    raw_id_fields = ["evidence_meeting", "recorded_by"]
