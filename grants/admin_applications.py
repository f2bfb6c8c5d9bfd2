"""The admin of the 交付申請 (received date, 事業計画, 収支予算, scanned 申請書, requirements) and the
per-organization 交付決定 review: choose organizations, see the numbers each will receive, confirm."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from grants import access, budget, register, services
from grants.applications import (
    GrantApplication,
    GrantApplicationAttachment,
    GrantApplicationLine,
    application_attach,
    application_receipt,
    application_requirements,
    applications_requirements,
)
from grants.categories import EXPENSE_CATEGORIES, BudgetCategory
from grants.models import RESERVED_TEXT, DocumentKind, GrantCalculation
from niimi_portal.lib.admin_display import ClerkDisplayMixin
from niimi_portal.lib.dates import WarekiDateField
from niimi_portal.lib.history import ReadOnlyHistoryAdmin
from niimi_portal.lib.money import yen
from niimi_portal.lib.refusal import add_refusal
from niimi_portal.lib.uploads import MultipleFileField, private_download
from niimi_portal.lib.wareki import wareki_date
from organizations.access_log import DOWNLOAD, record_access
from organizations.models import AnnualPlan, PlannedProject


class ApplicationLineInline(ClerkDisplayMixin, admin.TabularInline):
    model = GrantApplicationLine
    fields = ["category", "project", "label", "amount", "order"]
    extra = 0
    autocomplete_fields = ["project"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("project")  # each row's title names its project

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "project":  # the widget reads only the chosen project: no ordering joins
            kwargs["queryset"] = PlannedProject.objects.order_by()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ApplicationAttachmentInline(ClerkDisplayMixin, admin.TabularInline):
    model = GrantApplicationAttachment
    fields = ["download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description="ファイル")
    def download(self, obj):
        url = reverse("admin:grants_grantapplication_attachment", args=[obj.application_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def has_add_permission(self, request, obj=None):
        return False


class ApplicationForm(forms.ModelForm):
    attachments = MultipleFileField(
        label="申請書の写し（PDF・JPEG・PNG）", required=False, help_text="1ファイル10MBまで。複数選べます。"
    )

    class Meta:
        model = GrantApplication
        fields = ["organization", "fiscal_year", "received_on", "requested_amount", "annual_plan", "notes", "is_demo"]

    def __init__(self, *args, **kwargs):
        """The 事業計画 offered (and accepted) are the organization's own plans: the saved organization's,
        or the one sent; a new application, no organization chosen yet, offers every plan."""
        super().__init__(*args, **kwargs)
        organization = (
            self.data.get(self.add_prefix("organization")) if self.is_bound else self.instance.organization_id
        )
        if "annual_plan" in self.fields and str(organization or "").isdigit():
            plans = self.fields["annual_plan"]
            plans.queryset = plans.queryset.filter(organization_id=organization)


def _table(rows, head):
    header = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in head))
    body = format_html_join("", "<tr>" + "<td>{}</td>" * len(head) + "</tr>", rows)
    return format_html('<table class="grant-lines"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', header, body)


class ApplicationChangeList(ChangeList):
    """The changelist, with the requirements of the page's applications checked together (a fixed
    number of queries) instead of one application at a time."""

    def get_results(self, request):
        super().get_results(request)
        checks = applications_requirements(self.result_list)
        for application in self.result_list:
            application.requirements_ok = all(check.ok for check in checks[application.pk])


@admin.register(GrantApplication)
class GrantApplicationAdmin(ReadOnlyHistoryAdmin):
    form = ApplicationForm
    list_display = ["organization", "fiscal_year", "received_on", "requested_yen", "requirements_met", "is_demo"]
    list_filter = ["fiscal_year", "is_demo"]
    search_fields = ["organization__name", "organization__name_kana"]
    list_select_related = ["organization", "fiscal_year"]
    autocomplete_fields = ["organization"]
    inlines = [ApplicationLineInline, ApplicationAttachmentInline]
    readonly_fields = ["receipt_label", "requirements", "budget_summary", "plan_against_decision"]
    fieldsets = [
        (
            "交付申請",
            {
                "fields": [
                    "organization",
                    "fiscal_year",
                    "received_on",
                    "receipt_label",
                    "requested_amount",
                    "annual_plan",
                    "attachments",
                    "notes",
                    "is_demo",
                ]
            },
        ),
        ("要件の確認", {"fields": ["requirements", "budget_summary", "plan_against_decision"]}),
    ]

    @admin.display(description="受付番号")
    def receipt_label(self, obj):
        return str(obj.receipt) if obj and obj.receipt_id else "保存すると受付簿の次の番号を付けます。"

    @admin.display(description="交付申請額", ordering="requested_amount")
    def requested_yen(self, obj):
        return yen(obj.requested_amount)

    @admin.display(description="要件", boolean=True)
    def requirements_met(self, obj):
        return obj.requirements_ok  # ApplicationChangeList

    def get_changelist(self, request, **kwargs):
        return ApplicationChangeList

    def get_object(self, request, object_id, from_field=None):
        """The application with what its title and checks read: organization, year, plan, the budget
        lines and the plan's projects (the requirements, the budget and the plan's budget share them)."""
        if from_field is not None:
            return super().get_object(request, object_id, from_field)
        queryset = (
            self.get_queryset(request)
            .select_related("organization", "fiscal_year", "annual_plan")
            .prefetch_related("lines", "annual_plan__projects")
        )
        try:
            return queryset.get(pk=GrantApplication._meta.pk.to_python(object_id))
        except (GrantApplication.DoesNotExist, ValidationError, ValueError):
            return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "annual_plan":  # each choice is named by its organization and year
            kwargs["queryset"] = AnnualPlan.objects.select_related("organization", "fiscal_year")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="要件の確認")
    def requirements(self, obj):
        if obj is None or obj.pk is None:
            return "保存すると確認します。"
        rows = (
            (check.label, "満たしている" if check.ok else "満たしていない", check.detail)
            for check in application_requirements(obj)
        )
        return _table(rows, ["要件", "結果", "内容"])

    @admin.display(description="収支予算（区分ごと）")
    def budget_summary(self, obj):
        if obj is None or obj.pk is None:
            return "－"
        amounts = obj.amounts()
        rows = [(BudgetCategory(c).label, "支出", yen(amounts[c])) for c in EXPENSE_CATEGORIES]
        rows.append(("一括交付金（交付申請額）", "収入", yen(obj.requested_amount)))
        rows.append((BudgetCategory.OTHER_INCOME.label, "収入", yen(amounts[BudgetCategory.OTHER_INCOME])))
        income = obj.requested_amount + amounts[BudgetCategory.OTHER_INCOME]  # obj.income, obj.expenses
        rows.append(("差引（収入 − 支出）", "", yen(income - sum(amounts[c] for c in EXPENSE_CATEGORIES))))
        return _table(rows, ["区分", "収支", "金額"])

    @admin.display(description="年度計画の予算と交付決定額")
    def plan_against_decision(self, obj):
        if obj is None or obj.pk is None:
            return "－"
        plan_budget = sum(p.budget for p in obj.annual_plan.projects.all()) if obj.annual_plan else 0
        decision = obj.decisions.first()
        calculation = GrantCalculation.objects.filter(
            organization=obj.organization, fiscal_year=obj.fiscal_year
        ).first()
        amount = decision.amount if decision else (calculation.total if calculation else None)
        label = "交付決定額" if decision else "算定額（未決定）"
        if amount is None:
            return f"年度計画の事業費の予算 {yen(plan_budget)}（まだ算定していません）"
        rows = [
            ("年度計画の事業費の予算", yen(plan_budget)),
            ("交付申請額", yen(obj.requested_amount)),
            (label, yen(amount)),
            (f"差（{label} − 交付申請額）", yen(amount - obj.requested_amount)),
        ]
        return _table(rows, ["項目", "金額"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        files = form.cleaned_data.get("attachments") or []
        if files:
            application_attach(application=form.instance, files=files, by=request.user)

    def save_model(self, request, obj, form, change):
        if not change:  # the admin's save is one transaction: the number is taken with the application
            obj.recorded_by = request.user
            obj.receipt = application_receipt(obj.organization, obj.fiscal_year, obj.received_on, by=request.user)
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "<int:pk>/attachments/<int:attachment_pk>/",
                self.admin_site.admin_view(self.attachment_view),
                name="grants_grantapplication_attachment",
            ),
            *super().get_urls(),
        ]

    def attachment_view(self, request, pk, attachment_pk):
        access.require(request, access.DECIDE)
        attachment = get_object_or_404(
            GrantApplicationAttachment.objects.select_related("application"), pk=attachment_pk, application_id=pk
        )
        label = f"{attachment.original_name}（{attachment.application}）"
        record_access(request, attachment, DOWNLOAD, kind="交付申請書の添付ファイル", label=label)
        return private_download(attachment)


# -- the per-organization 交付決定 -------------------------------------------------------------------


class DecideForm(forms.Form):
    """The decision date, and per pending calculation: chosen or not, and a number typed from the
    課's paper register (blank: the register's next)."""

    decided_on = WarekiDateField(label="決定日", widget=AdminDateWidget)

    def __init__(self, *args, calculations, **kwargs):
        super().__init__(*args, **kwargs)
        self.calculations = calculations
        for calc in calculations:
            self.fields[f"choose_{calc.pk}"] = forms.BooleanField(
                label=f"{calc.organization.name}を交付決定する", required=False
            )
            self.fields[f"number_{calc.pk}"] = forms.CharField(
                label=f"{calc.organization.name}の文書番号（紙の文書番号簿で取った番号）",
                max_length=100,
                required=False,
            )

    def choices(self):
        data = self.cleaned_data
        return [
            (calc, data.get(f"number_{calc.pk}", "")) for calc in self.calculations if data.get(f"choose_{calc.pk}")
        ]

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"choose_{calc.pk}") for calc in self.calculations):
            raise ValidationError("交付決定する組織を選んでください。")
        return cleaned


def decide_rows(form, calculations, fiscal_year, day):
    """Each pending calculation with its application, requirements and the number it would receive."""
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    chosen = [calc for calc in calculations if data.get(f"choose_{calc.pk}")] if data else []
    typed = [data.get(f"number_{calc.pk}", "") for calc in chosen]
    numbers = register.numbers_preview(kind=DocumentKind.DECISION, day=day, typed=typed)
    preview = dict(zip([c.pk for c in chosen], numbers, strict=True))
    applications = {
        a.organization_id: a
        for a in GrantApplication.objects.filter(fiscal_year=fiscal_year).select_related("fiscal_year")
    }
    checks = applications_requirements(
        applications[calc.organization_id] for calc in calculations if calc.organization_id in applications
    )
    rows = []
    for calc in calculations:
        application = applications.get(calc.organization_id)
        rows.append(
            {
                "calculation": calc,
                "application": application,
                "checks": checks[application.pk] if application else [],
                "choose": form[f"choose_{calc.pk}"],
                "number": form[f"number_{calc.pk}"],
                "preview": preview.get(calc.pk, ""),
                "chosen": calc.pk in preview,
            }
        )
    return rows


def decide_view(modeladmin, request, pk):
    """GET: the pending calculations with checkboxes. POST step=review: the confirmation page (nothing
    written). POST step=decide: the decisions, all or nothing, refusals beside their fields."""
    fiscal_year = access.fiscal_year_for_officer(request, pk)
    calculations = list(
        GrantCalculation.objects.filter(fiscal_year=fiscal_year, decision__isnull=True)
        .counted()  # an organization whose 認可 is revoked is not offered
        .select_related("organization", "fiscal_year")
        .order_by("organization__name_kana", "organization_id")
    )
    step = request.POST.get("step", "choose") if request.method == "POST" else "choose"
    day = services.default_decision_date(fiscal_year)
    if step == "choose":
        form = DecideForm(initial={"decided_on": day}, calculations=calculations)
    else:
        form = DecideForm(request.POST, calculations=calculations)
        if form.is_valid():
            day = form.cleaned_data["decided_on"]
            if step == "review":
                step = _checked_step(form, fiscal_year, day)
            elif step == "decide":
                try:
                    decided = services.decisions_decide(
                        fiscal_year=fiscal_year, decided_on=day, choices=form.choices(), by=request.user
                    )
                except ValidationError as error:
                    add_refusal(form, error)
                    step = "choose"
                else:
                    numbers = "、".join(d.document_number or RESERVED_TEXT for d in decided)
                    modeladmin.message_user(
                        request, f"{len(decided)}組織の交付を決定しました（{numbers}）。", messages.SUCCESS
                    )
                    return redirect("admin:grants_fiscalyear_grants", fiscal_year.pk)
        else:
            step = "choose"
    rows = decide_rows(form, calculations, fiscal_year, day) if calculations else []
    return _decide_page(modeladmin, request, fiscal_year, form=form, rows=rows, step=step, day=day)


def _checked_step(form, fiscal_year, day):
    """The confirmation ("review") when every chosen row could be decided on `day`; otherwise the
    first screen again ("choose") with each refusal beside its field."""
    try:
        services.decisions_check(fiscal_year=fiscal_year, decided_on=day, choices=form.choices())
    except ValidationError as error:
        add_refusal(form, error)
        return "choose"
    return "review"


def _decide_page(modeladmin, request, fiscal_year, *, form, rows, step, day):
    """The page of decide_view: choosing the organizations (`step` "choose") or confirming them ("review")."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": f"{fiscal_year.label} 交付決定（組織を選ぶ）"
        if step == "choose"
        else f"{fiscal_year.label} 交付決定の確認",
        "fiscal_year": fiscal_year,
        "form": form,
        "rows": rows,
        "chosen_rows": [row for row in rows if row["chosen"]],
        "confirm": step == "review",
        "future_warning": services.decision_date_warning(day) if step == "review" else "",
        "decided_on_label": wareki_date(day),
        "budget": budget.year_budget(fiscal_year),
        "today": services.today(),
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/grants/fiscalyear/decide.html", context)
