from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from organizations.models import (
    FAQ,
    AnnualPlan,
    CaseStudy,
    FuturePlan,
    Organization,
    PlannedProject,
    Region,
    RegionStatistic,
)


class RegionStatisticInline(admin.TabularInline):
    model = RegionStatistic
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "name_kana", "kind", "parent"]
    list_filter = ["kind", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "name_kana"]
    list_select_related = ["parent"]
    prepopulated_fields = {}
    autocomplete_fields = ["parent"]
    inlines = [RegionStatisticInline]


@admin.register(RegionStatistic)
class RegionStatisticAdmin(admin.ModelAdmin):
    list_display = ["region", "reference_date", "population", "households", "source", "is_demo"]
    list_filter = ["reference_date", "is_demo"]
    search_fields = ["region__name", "region__name_kana"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    date_hierarchy = "reference_date"


class FuturePlanInline(admin.StackedInline):
    model = FuturePlan
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_kana", "stage", "approval_status", "approved_on", "is_published"]
    list_filter = ["stage", "approval_status", "is_published"]
    search_fields = ["name", "name_kana", "predecessor"]
    autocomplete_fields = ["regions"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [FuturePlanInline]
    fieldsets = [
        (None, {"fields": ["name", "name_kana", "slug", "regions", "predecessor", "description", "is_published"]}),
        (
            "代表者・連絡先",
            {
                "fields": [
                    "representative_title",
                    "representative_name",
                    "contact_address",
                    "contact_phone",
                    "contact_email",
                ]
            },
        ),
        (
            "段階・認可",
            {
                "fields": [
                    "stage",
                    "approval_status",
                    "applied_on",
                    "approval_number",
                    "approved_on",
                    "status_reason",
                    "established_on",
                ]
            },
        ),
        ("記録", {"fields": ["is_demo", "created_at", "updated_at"]}),
    ]


@admin.register(FuturePlan)
class FuturePlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "start_year", "end_year", "status", "adopted_on"]
    list_filter = ["status"]
    search_fields = ["title", "organization__name", "organization__name_kana"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]


class PlannedProjectInline(admin.TabularInline):
    model = PlannedProject
    extra = 0


@admin.register(AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    list_display = ["organization", "fiscal_year"]
    list_filter = ["fiscal_year"]
    search_fields = ["organization__name", "organization__name_kana"]
    list_select_related = ["organization", "fiscal_year"]
    autocomplete_fields = ["organization"]
    inlines = [PlannedProjectInline]


@admin.register(PlannedProject)
class PlannedProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "field", "budget", "annual_plan"]
    list_filter = ["field", "annual_plan__fiscal_year"]
    search_fields = ["name", "annual_plan__organization__name", "annual_plan__organization__name_kana"]
    list_select_related = ["annual_plan__organization", "annual_plan__fiscal_year"]


@admin.register(FAQ)
class FAQAdmin(admin.ModelAdmin):
    list_display = ["question", "category", "order", "is_published", "updated_at"]
    list_filter = ["category", "is_published"]
    list_editable = ["order", "is_published"]
    search_fields = ["question", "answer"]


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "held_on", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary", "organization__name", "organization__name_kana"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization", "regions"]
    raw_id_fields = ["source_meeting"]
