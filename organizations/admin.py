import base64
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header

from niimi_portal.lib.admin import DemoFlagLast
from niimi_portal.lib.admin_display import ClerkDisplayMixin
from niimi_portal.lib.csv_export import csv_response
from niimi_portal.lib.history import ReadOnlyHistoryAdmin
from niimi_portal.lib.markdown import render_markdown
from niimi_portal.lib.refusal import add_refusal
from niimi_portal.lib.wareki import fiscal_year_label, wareki_date
from organizations import exports, imports, services
from organizations.access import can_run_workflow, organization_for_workflow
from organizations.access_log import DOWNLOAD, LoggedChangeViewAdmin, record_access_many
from organizations.admin_forms import transition_form
from organizations.models import (
    FAQ,
    AccessLog,
    AnnualPlan,
    CaseStudy,
    CaseStudyPhoto,
    FAQCategory,
    FuturePlan,
    Notice,
    Organization,
    PageBlock,
    PlannedProject,
    PublicationConsent,
    Region,
    RegionSlugRedirect,
    RegionStatistic,
    SearchPhrase,
    SitePage,
)
from organizations.photos import web_photo
from organizations.public import former_town_names
from organizations.services import TRANSITIONS
from organizations.site_texts import DRAFTS, REVIEW_POINTS


class RegionStatisticInline(DemoFlagLast, ClerkDisplayMixin, admin.TabularInline):
    model = RegionStatistic
    extra = 0


class ImportForm(forms.Form):
    file = forms.FileField(
        label="ファイル（.csv か .xlsx）",
        required=False,
        help_text="1行目は見出し。列は上の表のとおりです。",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


MAX_IMPORT_BYTES = 20 * 1024 * 1024


class AreaFileAdminMixin:
    """読み込み (upload → preview with a dry run → save) and 書き出し in the same columns, for the areas
    (kind "areas") or their population and households ("statistics"). See organizations.imports."""

    import_kind = ""
    change_list_template = "admin/organizations/area_file_change_list.html"

    def get_urls(self):
        info = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name=f"{info}_import"),
            path("export/<str:form>/", self.admin_site.admin_view(self.export_file_view), name=f"{info}_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"import_kind_label": imports.KIND_LABELS[self.import_kind], **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def import_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        result, payload, filename = None, "", ""
        if request.method == "POST":
            content, filename = self._uploaded(request, form)
            if content is not None:
                save = request.POST.get("action") == "save"
                try:
                    result = imports.import_table(content, filename, kind=self.import_kind, dry_run=not save)
                except imports.ImportFileError as error:
                    form.add_error("file", str(error))
                else:
                    if result.saved:
                        counts = f"新規 {result.created:,}、更新 {result.updated:,}"
                        self.message_user(
                            request, f"{len(result.rows):,}行を読み込みました（{counts}）。", messages.SUCCESS
                        )
                        opts = self.model._meta
                        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
                    if result.ok:
                        payload = base64.b64encode(content).decode()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{imports.KIND_LABELS[self.import_kind]}の読み込み",
            "form": form,
            "result": result,
            "preview": [
                (number, [values.get(column, "") for column in imports.COLUMNS[self.import_kind]])
                for number, values in (result.rows[:20] if result else [])
            ],
            "columns": imports.COLUMNS[self.import_kind],
            "payload": payload,
            "filename": filename,
        }
        return TemplateResponse(request, "admin/organizations/area_file_import.html", context)

    def _uploaded(self, request, form):
        """The file's bytes and name: uploaded now, or carried from the preview to the save."""
        if request.POST.get("payload") and request.POST.get("filename"):
            try:
                return base64.b64decode(request.POST["payload"], validate=True), request.POST["filename"]
            except ValueError:
                form.add_error("file", "ファイルをもう一度選んでください。")
                return None, ""
        upload = request.FILES.get("file")
        if upload is None:
            form.add_error("file", "読み込むファイルを選んでください。")
            return None, ""
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", "ファイルが大きすぎます。20MBまでにしてください。")
            return None, ""
        return upload.read(), upload.name

    def export_file_view(self, request, form):
        if not self.has_view_permission(request) or form not in ("csv", "xlsx"):
            raise PermissionDenied
        day = imports.parse_date(request.GET.get("date", "")) if request.GET.get("date") else None
        if form == "csv":
            response = HttpResponse(imports.export_csv(self.import_kind, day), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                imports.export_xlsx(self.import_kind, day),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        name = f"{imports.KIND_LABELS[self.import_kind]}.{form}"
        response["Content-Disposition"] = content_disposition_header(True, name)
        response["Cache-Control"] = "private, no-store"
        return response


class RegionSlugRedirectInline(ClerkDisplayMixin, admin.TabularInline):
    model = RegionSlugRedirect
    extra = 0
    verbose_name_plural = "以前のページのアドレス名（新しいアドレスへ転送されます）"


@admin.register(Region)
class RegionAdmin(DemoFlagLast, AreaFileAdminMixin, ClerkDisplayMixin, admin.ModelAdmin):
    import_kind = "areas"
    list_display = ["name", "name_kana", "kind", "parent"]  # the URL name (slug) is on each area's page
    list_filter = ["kind", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "name_kana", "slug"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [RegionStatisticInline, RegionSlugRedirectInline]


class ReferenceDateFilter(admin.SimpleListFilter):
    """基準日: each 基準日 the statistics were taken on, in 和暦 (令和8年4月1日), newest first."""

    title = "基準日"
    parameter_name = "reference_date"

    def lookups(self, request, model_admin):
        days = model_admin.get_queryset(request).order_by("-reference_date").values_list("reference_date", flat=True)
        return [(day.isoformat(), wareki_date(day)) for day in days.distinct()]

    def queryset(self, request, queryset):
        return queryset.filter(reference_date=self.value()) if self.value() else queryset


@admin.register(RegionStatistic)
class RegionStatisticAdmin(DemoFlagLast, AreaFileAdminMixin, ClerkDisplayMixin, admin.ModelAdmin):
    import_kind = "statistics"
    list_display = ["region", "reference_date", "population_count", "household_count", "source", "is_demo"]
    list_filter = [ReferenceDateFilter, "is_demo"]
    search_fields = ["region__name", "region__name_kana"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]

    @admin.display(description="人口", ordering="population")
    def population_count(self, obj):
        return f"{obj.population:,}人"

    @admin.display(description="世帯数", ordering="households")
    def household_count(self, obj):
        return f"{obj.households:,}世帯"


class FuturePlanInline(ClerkDisplayMixin, admin.StackedInline):
    model = FuturePlan
    extra = 0


CONSENT_FIELDS = ["item", "consented_value", "given_by", "given_on", "method", "withdrawn_on", "entered_by", "is_demo"]


class PublicationConsentInline(ClerkDisplayMixin, admin.TabularInline):
    """掲載の同意 on the organization's page: a withdrawal is entered (撤回日), a consent never deleted."""

    model = PublicationConsent
    extra = 0
    fields = CONSENT_FIELDS
    readonly_fields = ["entered_by"]
    verbose_name_plural = "掲載の同意（代表者の氏名・連絡先の電話番号とメールアドレスは、同意があるものだけ公開します）"


def mark_entered_by(request, consents):
    """The staff user entering a new consent is recorded with it."""
    for consent in consents:
        if consent.pk is None:
            consent.entered_by = request.user


class FormerTownFilter(admin.SimpleListFilter):
    """旧市町: organizations with at least one area in the chosen former town."""

    title = "旧市町"
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


WORKFLOW_FIELDS = ["approval_status", "applied_on", "approval_number", "approved_on", "status_reason"]


@admin.register(Organization)
class OrganizationAdmin(LoggedChangeViewAdmin, ReadOnlyHistoryAdmin):
    """地域運営組織 and their approval workflow. The apps above extend it: grants.admin_organizations
    registers a subclass in its place whose 認可 and 差戻し number their letters from the 文書番号簿,
    with the liaisons' stage proposals shown inline."""

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
    inlines = [PublicationConsentInline, FuturePlanInline]
    # name → the function that runs the move (organizations.services' own; a subclass may give others).
    transition_services = services.SERVICES
    access_log_kind = "地域運営組織の代表者・連絡先"  # the page shows them (and the consents inline)
    change_form_template = "admin/organizations/organization/change_form.html"
    change_list_template = "admin/organizations/organization/change_list.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_kana",
                    "slug",
                    "regions",
                    "predecessor",
                    "description",
                    "upcoming_events",
                    "is_published",
                ]
            },
        ),
        (
            "代表者・連絡先",
            {
                "fields": [
                    "representative_title",
                    "representative_name",
                    "contact_address",
                    "contact_phone",
                    "contact_email",
                    "notice_delivery",
                ]
            },
        ),
        ("段階・認可", {"fields": ["stage", *WORKFLOW_FIELDS, "established_on"]}),
        ("記録", {"fields": ["history_change_reason", "is_demo", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return exports.with_regions(super().get_queryset(request))

    def save_formset(self, request, form, formset, change):
        if formset.model is PublicationConsent:
            mark_entered_by(request, [consent_form.instance for consent_form in formset.forms])
        super().save_formset(request, form, formset, change)

    @admin.display(description="旧市町")
    def former_towns(self, organization):
        return "・".join(former_town_names(organization))

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
                self.transition_services[name](organization=organization, by=request.user, **form.cleaned_data)
            except ValidationError as refused:
                add_refusal(form, refused)
            else:
                organization.refresh_from_db()
                letter = "補正の求め通知書を作成して組織に送付してください（このポータルからはメールを送りません）。"
                self.message_user(
                    request,
                    f"「{organization}」の認可の状況を「{organization.get_approval_status_display()}」にしました。"
                    + (letter if name == "return" else ""),
                    messages.SUCCESS,
                )
                letter_link = self.letter_link(organization, name)
                if letter_link:
                    self.message_user(request, letter_link, messages.INFO)
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
            "consequences": self.transition_consequences(organization, name),
            "form": form,
        }
        return TemplateResponse(request, "admin/organizations/organization/transition_confirm.html", context)

    def letter_link(self, organization, transition_name):
        """What the message after a move links to (the letter to send); nothing here."""
        return ""

    def transition_consequences(self, organization, transition_name):
        """What the confirmation page says follows the move; nothing here."""
        return None

    def export_view(self, request):
        """The list as CSV, with the filters and search of the list page it was clicked on."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            queryset = self.get_queryset(request)
        filename = f"地域運営組織一覧_{timezone.localdate():%Y%m%d}.csv"
        response = csv_response(filename, *exports.organizations_table(queryset))
        # The list carries each organization's representative and contact: one access-log row for each.
        listed = queryset.prefetch_related(None).only("pk", "name")
        record_access_many(request, listed, DOWNLOAD, kind="地域運営組織の連絡先（一覧のCSV）")
        return response


@admin.register(PublicationConsent)
class PublicationConsentAdmin(LoggedChangeViewAdmin, ReadOnlyHistoryAdmin):
    """Every consent of every organization, with its history (who changed what, when)."""

    list_display = ["organization", "item", "given_by", "given_on", "method", "withdrawn_on", "entered_by"]
    list_filter = ["item", "method", ("withdrawn_on", admin.EmptyFieldListFilter), "is_demo"]
    search_fields = ["organization__name", "organization__name_kana", "given_by"]
    list_select_related = ["organization", "entered_by"]
    autocomplete_fields = ["organization"]
    fields = ["organization", *CONSENT_FIELDS, "history_change_reason"]
    readonly_fields = ["entered_by"]
    access_log_kind = "掲載の同意"

    def save_model(self, request, obj, form, change):
        mark_entered_by(request, [obj])
        super().save_model(request, obj, form, change)


@admin.register(FuturePlan)
class FuturePlanAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "organization", "period", "status", "adopted_on"]

    @admin.display(description="計画期間", ordering="start_year")
    def period(self, obj):
        return f"{fiscal_year_label(obj.start_year)}～{fiscal_year_label(obj.end_year)}"

    list_filter = ["status"]
    search_fields = ["title", "organization__name", "organization__name_kana"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]


class PlannedProjectInline(ClerkDisplayMixin, admin.TabularInline):
    model = PlannedProject
    extra = 0


@admin.register(AnnualPlan)
class AnnualPlanAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    list_display = ["organization", "fiscal_year"]
    list_filter = ["fiscal_year"]
    search_fields = ["organization__name", "organization__name_kana"]
    list_select_related = ["organization", "fiscal_year"]
    autocomplete_fields = ["organization"]
    inlines = [PlannedProjectInline]


@admin.register(PlannedProject)
class PlannedProjectAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    list_display = ["name", "field", "budget", "annual_plan"]
    list_filter = ["field", "annual_plan__fiscal_year"]
    search_fields = ["name", "annual_plan__organization__name", "annual_plan__organization__name_kana"]
    list_select_related = ["annual_plan__organization", "annual_plan__fiscal_year"]


@admin.register(FAQ)
class FAQAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    list_display = ["question", "number", "category", "order", "is_published", "updated_at"]
    list_filter = ["category", "is_published"]
    list_select_related = ["category"]
    autocomplete_fields = ["source"]
    list_editable = ["order", "is_published"]
    # Each row of the list is a small form (order, published): 50 rows a page keep it quick (1,000 questions
    # took 160–240 ms at Django's 100 a page).
    list_per_page = 50
    search_fields = ["question", "answer"]


class CaseStudyPhotoForm(forms.ModelForm):
    """A new photo is checked like a meeting attachment and re-encoded for the web before it is stored."""

    class Meta:
        model = CaseStudyPhoto
        fields = [
            "image",
            "alt_text",
            "caption",
            "order",
            "shows_people",
            "consent_given_by",
            "consent_given_on",
            "consent_method",
            "consent_withdrawn_on",
        ]
        widgets = {"image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,.jpg,.jpeg,.png"})}

    def clean(self):
        """A consent is recorded whole (who, when, how), never dated in the future, and withdrawn after it was given."""
        data = super().clean()
        today = timezone.localdate()
        for name in ("consent_given_on", "consent_withdrawn_on"):
            if data.get(name) and data[name] > today:
                self.add_error(name, "先の日付は入力できません。")
        if data.get("consent_given_on") or data.get("consent_given_by"):
            for name, message in [
                ("consent_given_by", "同意した人を入力してください。"),
                ("consent_given_on", "同意日を入力してください。"),
                ("consent_method", "同意の方法を選んでください。"),
            ]:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        if (
            data.get("consent_withdrawn_on")
            and not data.get("consent_given_on")
            and "consent_given_on" not in self.errors
        ):
            self.add_error("consent_withdrawn_on", "同意の記録がない写真は撤回できません。")
        return data

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and image is not getattr(self.instance, "image", None) and hasattr(image, "content_type"):
            content, self._width, self._height = web_photo(image)
            return content
        return image

    def save(self, commit=True):
        photo = super().save(commit=False)
        if hasattr(self, "_width"):
            photo.width, photo.height = self._width, self._height
        if commit:
            photo.save()
        return photo


class CaseStudyPhotoInline(ClerkDisplayMixin, admin.StackedInline):
    model = CaseStudyPhoto
    form = CaseStudyPhotoForm
    extra = 1
    verbose_name_plural = (
        "写真（JPEG・PNG、10MBまで。公開用に縮小し、撮影情報は取り除きます。"
        "人が写っている写真は、写っている人の同意を記録するまで公開しません）"
    )


@admin.register(CaseStudy)
class CaseStudyAdmin(DemoFlagLast, ClerkDisplayMixin, admin.ModelAdmin):
    inlines = [CaseStudyPhotoInline]
    list_display = ["title", "organization", "held_on", "is_published", "status", "proposed_by", "is_demo"]
    list_filter = ["is_published", "status", "is_demo"]
    search_fields = ["title", "summary", "organization__name", "organization__name_kana"]
    list_select_related = ["organization", "proposed_by"]
    # A liaison's proposal is decided on the review screen (確認待ちの提案), which records who and when.
    readonly_fields = ["status", "proposed_by", "decided_by", "decided_at", "decline_reason"]
    autocomplete_fields = ["organization", "regions"]
    raw_id_fields = ["source_meeting"]


@admin.register(PageBlock)
class PageBlockAdmin(ReadOnlyHistoryAdmin):
    """The policy division's public prose: edit, 「プレビュー」 to see it as residents will (nothing is
    saved), then save; every save is kept in the history (who, when, before → after)."""

    list_display = ["key", "updated_at"]
    fields = ["key", "body", "history_change_reason"]
    change_form_template = "admin/organizations/pageblock/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "key"] if obj else readonly

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 14, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_preview" in request.POST:
            return self._preview(request, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _preview(self, request, object_id, form_url, extra_context):
        """The form as typed, with the text rendered above it; nothing saved."""
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is None and object_id:
            raise Http404
        if not (self.has_change_permission(request, obj) if obj else self.has_add_permission(request)):
            raise PermissionDenied
        form = self.get_form(request, obj, change=obj is not None)(request.POST, instance=obj)
        form.is_valid()
        fieldsets = self.get_fieldsets(request, obj)
        admin_form = helpers.AdminForm(
            form, list(fieldsets), {}, self.get_readonly_fields(request, obj), model_admin=self
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"プレビュー: {obj}" if obj else "ページの文章を追加（プレビュー）",
            "subtitle": None,
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preferred_app_label": self.opts.app_label,
            "preview_html": render_markdown(request.POST.get("body", "")),
            **(extra_context or {}),
        }
        return self.render_change_form(
            request, context, add=obj is None, change=obj is not None, obj=obj, form_url=form_url
        )


@admin.register(FAQCategory)
class FAQCategoryAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    """The clerks name and order the FAQ's categories; a category still holding questions cannot be deleted."""

    list_display = ["name", "order"]  # the code is a key for the program, not for the clerks
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(SearchPhrase)
class SearchPhraseAdmin(ReadOnlyHistoryAdmin):
    """The words residents type and how the site search reads them (a save makes the cached search pages stale;
    the history keeps who changed which word)."""

    list_display = ["phrase", "kind", "target", "means"]
    list_filter = ["kind", "target"]
    search_fields = ["phrase", "means"]


@admin.register(AccessLog)
class AccessLogAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    """アクセス記録, read-only, for the 課's administrators only: superusers and those given
    「アクセス記録を閲覧・出力できる」 (organizations.read_access_log), which the 総合政策課 group does not
    carry. Filter by date and user; export the selected rows as CSV."""

    list_display = ["at", "username", "action", "kind", "label", "ip_address"]
    list_filter = ["action", "kind", "username"]
    search_fields = ["username", "label"]
    date_hierarchy = "at"
    fields = ["at", "user", "username", "action", "kind", "object_type", "object_pk", "label", "ip_address"]
    readonly_fields = fields
    actions = ["export_csv"]

    def has_read_access_log_permission(self, request):
        return request.user.is_active and request.user.has_perm("organizations.read_access_log")

    def has_module_permission(self, request):
        return self.has_read_access_log_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.has_read_access_log_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # rows go only when their retention period has passed (manage.py purge_access_log)

    @admin.action(description="選択したアクセス記録をCSVで書き出す", permissions=["read_access_log"])
    def export_csv(self, request, queryset):
        header = ["日時", "ユーザー名", "操作", "記録の種類", "対象のモデル", "対象のID", "対象", "接続元IPアドレス"]
        rows = (
            [
                timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                row.username,
                row.get_action_display(),
                row.kind,
                row.object_type,
                row.object_pk,
                row.label,
                row.ip_address or "",
            ]
            for row in queryset.order_by("at", "pk")
        )
        return csv_response(f"アクセス記録_{timezone.localdate():%Y%m%d}.csv", header, rows)


@admin.register(SitePage)
class SitePageAdmin(DemoFlagLast, ReadOnlyHistoryAdmin):
    """プライバシーポリシー・免責事項: a new page starts from the portal's draft; beside the text, the points the
    city must confirm (要確認) before publishing — shown here, never on the public page."""

    list_display = ["kind", "is_published", "published_on", "updated_at", "is_demo"]
    list_filter = ["is_published"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "kind"] if obj else readonly

    def get_fieldsets(self, request, obj=None):
        kinds = [obj.kind] if obj else list(DRAFTS)
        points = [(SitePage.Kind(kind).label, point) for kind in kinds for point in REVIEW_POINTS[kind]]
        description = format_html(
            "公開する前に、次の点を課で確かめてください（この欄は管理画面にだけ表示します）。<ul>{}</ul>",
            format_html_join("", "<li>{}: {}</li>", points),
        )
        return [(None, {"fields": self.get_fields(request, obj), "description": description})]

    def get_changeform_initial_data(self, request):
        """A new page starts from the portal's draft of its kind (the first kind not yet written)."""
        initial = super().get_changeform_initial_data(request)
        written = set(SitePage.objects.values_list("kind", flat=True))
        kind = initial.get("kind") or next((k for k in DRAFTS if k not in written), SitePage.Kind.PRIVACY)
        return {"kind": kind, "body": DRAFTS.get(kind, ""), "published_on": timezone.localdate(), **initial}


@admin.register(Notice)
class NoticeAdmin(DemoFlagLast, ReadOnlyHistoryAdmin):
    """お知らせ: published ones are listed on the home page and the お知らせ page; unpublishing one takes it off every
    page at once (the cached pages included)."""

    list_display = ["title", "published_on", "is_published", "updated_at", "is_demo"]
    list_filter = ["is_published", "is_demo"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_on"

    def get_changeform_initial_data(self, request):
        return {"published_on": timezone.localdate(), **super().get_changeform_initial_data(request)}
