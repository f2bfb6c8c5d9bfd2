from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from niimi_portal.admin_history import ReadOnlyHistoryAdmin
from organizations import exports, services
from organizations.admin_forms import transition_form
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
from organizations.services import TRANSITIONS, TransitionRefused, can_run_workflow
from staff.models import StageChange


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


class StageChangeInline(admin.TabularInline):
    """段階の変更 recorded by liaison staff in their workspace: shown here, never edited here."""

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


class FormerTownFilter(admin.SimpleListFilter):
    """旧町: organizations with at least one area in the chosen former town."""

    title = "旧町"
    parameter_name = "town"

    def lookups(self, request, model_admin):
        return [(str(t.pk), t.name) for t in Region.objects.filter(kind=Region.Kind.FORMER_TOWN).order_by("name_kana")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        town = self.value()
        in_town = Organization.regions.through.objects.filter(
            Q(region_id=town) | Q(region__parent_id=town) | Q(region__parent__parent_id=town)
        )
        return queryset.filter(pk__in=in_town.values("organization_id"))


def organization_for_workflow(request, model_admin, object_id):
    """The organization a workflow page acts on, or PermissionDenied for staff without the custom permission."""
    if not can_run_workflow(request.user):
        raise PermissionDenied
    organization = model_admin.get_object(request, unquote(object_id))
    if organization is None:
        raise Http404("地域運営組織が見つかりません。")
    return organization


WORKFLOW_FIELDS = ["approval_status", "applied_on", "approval_number", "approved_on", "status_reason"]


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "name",
        "name_kana",
        "former_towns",
        "stage",
        "approval_status",
        "applied_on",
        "approved_on",
        "is_published",
    ]
    list_filter = ["stage", "approval_status", FormerTownFilter, "is_published"]
    search_fields = ["name", "name_kana"]
    autocomplete_fields = ["regions"]
    # The approval fields change only through the workflow buttons, so each change is checked and recorded.
    readonly_fields = [*WORKFLOW_FIELDS, "created_at", "updated_at"]
    inlines = [FuturePlanInline, StageChangeInline]
    change_form_template = "admin/organizations/organization/change_form.html"
    change_list_template = "admin/organizations/organization/change_list.html"
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
        ("段階・認可", {"fields": ["stage", *WORKFLOW_FIELDS, "established_on"]}),
        ("記録", {"fields": ["history_change_reason", "is_demo", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return exports.with_regions(super().get_queryset(request))

    @admin.display(description="旧町")
    def former_towns(self, organization):
        return "・".join(exports.former_town_names(organization))

    def get_urls(self):
        opts = self.model._meta
        prefix = f"{opts.app_label}_{opts.model_name}"
        workflow = [
            path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(partial(self.transition_view, name=name)),
                name=f"{prefix}_{name}",
            )
            for name in TRANSITIONS
        ]
        export = path("export/", self.admin_site.admin_view(self.export_view), name=f"{prefix}_export")
        return [export, *workflow, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        organization = self.get_object(request, unquote(object_id))
        if organization is not None:
            extra_context = {**(extra_context or {}), **self.workflow_context(request, organization)}
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_context(self, request, organization):
        may_act = can_run_workflow(request.user)
        return {
            "workflow_buttons": services.allowed_transitions(organization) if may_act else [],
            "may_run_workflow": may_act,
            "missing_requirements": services.missing_requirements(organization)
            if organization.approval_status != Organization.ApprovalStatus.APPROVED
            else [],
        }

    def transition_view(self, request, object_id, name):
        """The confirmation page of one move (GET), and the move itself (POST). The rules are in services.py."""
        organization = organization_for_workflow(request, self, object_id)
        transition = TRANSITIONS[name]
        form = transition_form(name, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.SERVICES[name](organization=organization, by=request.user, **form.cleaned_data)
            except TransitionRefused as refused:
                form.add_error(None, refused)
            else:
                organization.refresh_from_db()
                letter = "差戻し通知書を作成して組織に送付してください（このポータルからはメールを送りません）。"
                self.message_user(
                    request,
                    f"「{organization}」の認可の状況を「{organization.get_approval_status_display()}」にしました。"
                    + (letter if name == "return" else ""),
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:organizations_organization_change", args=[organization.pk]))
            organization.refresh_from_db()
        allowed = transition.allowed_from(organization.approval_status)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{transition.verb}: {organization}",
            "organization": organization,
            "transition": transition,
            "allowed": allowed,
            "refusal": None if allowed else services.refusal_message(organization, transition),
            "missing_requirements": services.missing_requirements(organization) if name == "approve" else [],
            "consequences": services.revocation_consequences(organization) if name == "revoke" else None,
            "form": form,
        }
        return TemplateResponse(request, "admin/organizations/organization/transition_confirm.html", context)

    def export_view(self, request):
        """The list as CSV, with the filters and search of the list page it was clicked on."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            queryset = self.get_queryset(request)
        filename = f"地域運営組織一覧_{timezone.localdate():%Y%m%d}.csv"
        return HttpResponse(
            exports.organizations_csv(queryset),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": content_disposition_header(True, filename)},
        )


@admin.register(FuturePlan)
class FuturePlanAdmin(ReadOnlyHistoryAdmin):
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
    list_display = ["question", "number", "category", "order", "is_published", "updated_at"]
    list_filter = ["category", "is_published"]
    autocomplete_fields = ["source"]
    list_editable = ["order", "is_published"]
    search_fields = ["question", "answer"]


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "held_on", "is_published", "review_status", "proposed_by", "is_demo"]
    list_filter = ["is_published", "review_status", "is_demo"]
    search_fields = ["title", "summary", "organization__name", "organization__name_kana"]
    list_select_related = ["organization", "proposed_by"]
    # A liaison's proposal is decided on the review screen (確認待ちの提案), which records who and when.
    readonly_fields = ["review_status", "proposed_by", "decided_by", "decided_at", "decline_reason"]
    autocomplete_fields = ["organization", "regions"]
    raw_id_fields = ["source_meeting"]
