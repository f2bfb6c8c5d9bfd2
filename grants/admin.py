from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from grants import (
    access,
    admin_accounting,  # noqa: F401 — registers 債権者の口座 and the 財務会計 export
    admin_applications,
    admin_documents,
    admin_drafts,  # noqa: F401 — registers the 決裁 list and the 専決区分
    admin_new_year,
    admin_organizations,  # noqa: F401 — registers the organizations' admin as the 課 uses it
    budget,
    deadlines,
    drafts,
    notices,
    register,
    services,
    year_report,
)
from grants.admin_forms import ChangeAmountForm, ReportForm, SettleForm
from grants.admin_year import YEAR_INLINES, YearStepsMixin
from grants.applications import budget_basis
from grants.calculation import MissingGrantRule, calculate_year
from grants.models import (
    RESERVED_TEXT,
    BudgetRevision,
    DeadlineReminder,
    DocumentDraft,
    DocumentKind,
    FiscalYear,
    GrantCalculation,
    GrantChangeRequest,
    GrantDecision,
    GrantReportAttachment,
    GrantReportItem,
    GrantRule,
    IntegratedSubsidy,
    Receipt,
    SubsidyAllocation,
    number_with_year,
)
from niimi_portal.lib import money
from niimi_portal.lib.admin import DemoFlagLast
from niimi_portal.lib.admin_display import ClerkDisplayMixin
from niimi_portal.lib.csv_export import XLSX_CONTENT_TYPE, csv_response, download_response
from niimi_portal.lib.history import ReadOnlyHistoryAdmin
from niimi_portal.lib.money import yen
from niimi_portal.lib.refusal import add_refusal
from niimi_portal.lib.uploads import private_download
from niimi_portal.lib.wareki import fiscal_year_label, wareki_date
from organizations.access_log import DOWNLOAD, LoggedChangeViewAdmin, record_access


def notices_response(decisions, kind, *, combined, label):
    """The notices as issued on their 決裁, in one PDF or a ZIP (a download never issues one)."""
    decisions = list(decisions)
    name = f"{label}_{notices.KINDS[kind]}"
    if combined:
        return download_response(notices.notices_combined_pdf(decisions, kind), f"{name}.pdf", "application/pdf")
    return download_response(notices.notices_zip(decisions, kind), f"{name}.zip", "application/zip")


def _notice_action(kind, combined):
    """An admin action downloading the notices of the selected fiscal years or decisions."""
    noun = notices.KINDS[kind]
    description = f"{noun}をまとめてダウンロード（{'1つのPDF・印刷用' if combined else 'ZIP'}）"

    @admin.action(description=description, permissions=["decide"])
    def action(modeladmin, request, queryset):
        if queryset.model is FiscalYear:
            decisions = GrantDecision.objects.filter(fiscal_year__in=queryset)
            label = "_".join(str(year) for year in queryset.order_by("year").values_list("year", flat=True))
        else:
            decisions, label = queryset, "選択した交付決定"
        decisions = list(notices.notice_queryset(decisions, kind))
        if not decisions:
            modeladmin.message_user(request, f"{noun}を作れる交付決定がありません。", messages.WARNING)
            return None
        try:
            unissued = [entry for entry, document in _issued_pairs(decisions, kind) if document is None]
            if unissued:
                # Only 決裁 issues a document: a download prints what is issued and never issues one.
                numbers = "、".join(entry.text_with_year for entry in unissued)
                modeladmin.message_user(
                    request,
                    f"未発行の{noun}があります（{numbers}）。交付決定の画面か年度の一括印刷から決裁に回し、"
                    "決裁の後にダウンロードしてください。",
                    messages.ERROR,
                )
                return None
            return notices_response(decisions, kind, combined=combined, label=label)
        except (notices.NoticeFontError, ValidationError) as error:
            modeladmin.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return None

    action.__name__ = f"download_{kind}_{'pdf' if combined else 'zip'}"
    return action


def _issued_pairs(decisions, kind):
    """(register line, its issued original or None) of each decision's notice of `kind`; issues nothing."""
    entries = [notices.decision_entry(decision, kind) for decision in decisions]
    return [(entry, notices.issued_original(entry)) for entry in entries]


def _has_notice(decision, kind):
    return kind == notices.DECISION or decision.settled_on is not None


NOTICE_ACTIONS = [
    _notice_action(notices.DECISION, combined=False),
    _notice_action(notices.DECISION, combined=True),
    _notice_action(notices.SETTLEMENT, combined=False),
    _notice_action(notices.SETTLEMENT, combined=True),
]


class DecidePermissionMixin:
    def has_decide_permission(self, request):
        return request.user.has_perm(access.DECIDE)


class BudgetRevisionInline(ClerkDisplayMixin, admin.TabularInline):
    """補正: dated changes of the year's budget, typed by the 課 as the 議会 passes them."""

    model = BudgetRevision
    fields = ["dated", "amount", "note"]
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(DecidePermissionMixin, ClerkDisplayMixin, admin.ModelAdmin):
    inlines = [BudgetRevisionInline]
    list_display = [
        "year_label",
        "year",
        "starts_on",
        "statistics_reference_date",
        "roster_published_on",
        "grants_link",
        "prepare_link",
    ]
    search_fields = ["year"]
    actions = ["calculate_grants", *NOTICE_ACTIONS]
    change_list_template = "admin/grants/fiscalyear/change_list.html"

    @admin.display(description="新年度の準備")
    def prepare_link(self, obj):
        return format_html('<a href="{}">準備の状況</a>', reverse("admin:grants_fiscalyear_prepare", args=[obj.pk]))

    @admin.display(description="年度", ordering="year")
    def year_label(self, obj):
        return obj.label

    @admin.display(description="一括交付金")
    def grants_link(self, obj):
        return format_html(
            '<a href="{}">算定・交付決定</a>　<a href="{}">組織別の執行状況</a>',
            reverse("admin:grants_fiscalyear_grants", args=[obj.pk]),
            reverse("admin:grants_fiscalyear_report", args=[obj.pk]),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/grants/",
                self.admin_site.admin_view(self.grants_view),
                name="grants_fiscalyear_grants",
            ),
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="grants_fiscalyear_decide",
            ),
            path(
                "<int:pk>/report/",
                self.admin_site.admin_view(self.report_view),
                name="grants_fiscalyear_report",
            ),
            path(
                "<int:pk>/notices/<str:kind>/",
                self.admin_site.admin_view(self.notices_view),
                name="grants_fiscalyear_notices",
            ),
            # 期限 (grants.deadlines): the list, and the bulk 案内・督促 letters as one PDF
            path("deadlines/", self.admin_site.admin_view(self.deadlines_view), name="grants_fiscalyear_deadlines"),
            path(
                "deadlines/letters/<str:kind>/",
                self.admin_site.admin_view(self.deadline_letters_view),
                name="grants_fiscalyear_deadline_letters",
            ),
            # 新年度の準備 (grants.admin_new_year)
            path(
                "new-year/",
                self.admin_site.admin_view(lambda request: admin_new_year.new_year_view(self, request)),
                name="grants_fiscalyear_new_year",
            ),
            path(
                "<int:pk>/prepare/",
                self.admin_site.admin_view(lambda request, pk: admin_new_year.prepare_view(self, request, pk)),
                name="grants_fiscalyear_prepare",
            ),
            path(
                "<int:pk>/rotation/",
                self.admin_site.admin_view(lambda request, pk: admin_new_year.rotation_view(self, request, pk)),
                name="grants_fiscalyear_rotation",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="選択した年度の交付額を算定する（認可済の全組織）", permissions=["decide"])
    def calculate_grants(self, request, queryset):
        for fiscal_year in queryset.order_by("year"):
            self._calculate(request, fiscal_year)
        if queryset.count() == 1:
            return redirect("admin:grants_fiscalyear_grants", queryset.get().pk)
        return None

    def _calculate(self, request, fiscal_year):
        try:
            run = services.grant_calculate_year(fiscal_year=fiscal_year, by=request.user)
        except MissingGrantRule as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            f"{fiscal_year.label}: {len(run.saved)}組織を算定しました（変更なし {len(run.unchanged)}、"
            f"交付決定済のため据え置き {len(run.decided)}）。",
            messages.SUCCESS,
        )
        for message in run.messages:
            self.message_user(request, f"算定できませんでした — {message}", messages.WARNING)

    def notices_view(self, request, pk, kind):
        """All the year's notices of one kind in one PDF, for printing: one click from the dashboard. A GET
        shows what would be issued (or, when all are issued, `?download=1` prints them as issued); only the
        POST sends the missing ones for 決裁 (起案, recording the officer who did); each is issued when the
        決裁権者 approves it."""
        fiscal_year = access.fiscal_year_for_officer(request, pk)
        if kind not in notices.KINDS:
            raise Http404
        decisions = list(notices.notice_queryset(GrantDecision.objects.filter(fiscal_year=fiscal_year), kind))
        back = redirect("admin:grants_fiscalyear_grants", fiscal_year.pk)
        if not decisions:
            self.message_user(request, f"{fiscal_year.label}には{notices.KINDS[kind]}を作れる交付決定がありません。")
            return back
        try:
            pairs = _issued_pairs(decisions, kind)
            if request.method == "POST":
                submitted = [
                    drafts.entry_submit(entry=entry, by=request.user) for entry, document in pairs if document is None
                ]
                if submitted:
                    return admin_documents.submitted_redirect(self, request, submitted)
            if request.GET.get("download") and all(document for _, document in pairs):
                content = notices.documents_combined_pdf([document for _, document in pairs])
                return download_response(content, f"{fiscal_year.label}_{notices.KINDS[kind]}.pdf", "application/pdf")
        except (notices.NoticeFontError, ValidationError) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return back
        return admin_documents.issue_confirm_page(
            self,
            request,
            title=f"{fiscal_year.label} {notices.KINDS[kind]}（全件）の発行の確認",
            pairs=pairs,
            back_url=back.url,
            download_url=f"{request.path}?download=1",
        )

    def deadlines_view(self, request):
        """期限: every deadline not yet met, overdue first; from here the 案内・督促 letters are printed."""
        access.require(request, access.DECIDE)
        today = services.today()
        rows = deadlines.deadline_rows(today)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "期限の一覧",
            "today": today,
            "rows": rows,
            "overdue": sum(1 for row in rows if row["overdue"]),
            "letter_kinds": deadlines.LETTER_KINDS,
            "remind_days": deadlines.REMIND_DAYS_BEFORE,
        }
        return TemplateResponse(request, "admin/grants/fiscalyear/deadlines.html", context)

    def deadline_letters_view(self, request, kind):
        """The 案内 or 督促 letters of today's deadlines, one per organization, in one PDF (a GET: nothing is
        numbered or stored, the letters being 事務連絡)."""
        access.require(request, access.DECIDE)
        if kind not in deadlines.LETTER_KINDS:
            raise Http404
        today = services.today()
        try:
            content = deadlines.letters_pdf(kind, today)
        except (notices.NoticeFontError, ValidationError) as error:
            # Said on the 期限 page itself (whatever the day's deadlines, the answer is that page, not a redirect).
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return self.deadlines_view(request)
        name = f"{wareki_date(today)}_{deadlines.LETTER_KINDS[kind]}.pdf"
        return download_response(content, name, "application/pdf")

    def report_view(self, request, pk):
        """報告: the year's grants per organization (grants.year_report), on the page or, with `?format=`,
        as .xlsx or CSV. Reading it needs only the permission to view decisions (監査 may read it too)."""
        fiscal_year = access.fiscal_year_for_officer(request, pk, access.VIEW_DECISIONS)
        name = f"{fiscal_year.label}_組織別の執行状況"
        kind = request.GET.get("format")
        if kind == "csv":
            return csv_response(f"{name}.csv", year_report.HEADER, year_report.report_rows(fiscal_year))
        if kind == "xlsx":
            return download_response(year_report.report_xlsx(fiscal_year), f"{name}.xlsx", XLSX_CONTENT_TYPE)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{fiscal_year.label} 組織別の執行状況",
            "fiscal_year": fiscal_year,
            "report": year_report.year_report(fiscal_year),
            "labels": [label for _, label in year_report.COLUMNS],
            "today": services.today(),
        }
        return TemplateResponse(request, "admin/grants/fiscalyear/report.html", context)

    def decide_view(self, request, pk):
        """交付決定, organization by organization, with a confirmation step (grants.admin_applications)."""
        return admin_applications.decide_view(self, request, pk)

    def grants_view(self, request, pk):
        """The review table of a fiscal year: each organization's lines, total, the effect of 激変緩和 and
        the change from last year. Deciding is on its own page (decide_view), one organization or more."""
        fiscal_year = access.fiscal_year_for_officer(request, pk)
        if request.method == "POST" and request.POST.get("step") == "calculate":
            self._calculate(request, fiscal_year)
            return redirect(request.path)
        calculations = list(
            GrantCalculation.objects.filter(fiscal_year=fiscal_year)
            .select_related("organization", "decision")
            .prefetch_related("decision__revocations")
            .order_by("organization__name_kana", "organization_id")
        )
        counted = set(GrantCalculation.objects.filter(fiscal_year=fiscal_year).counted().values_list("pk", flat=True))
        try:
            live = calculate_year(fiscal_year)
            missing, rule_missing = live.missing, ""
            changes = {grant.organization.pk: grant for grant in live.grants}
        except MissingGrantRule as error:
            missing, rule_missing, changes = (), str(error), {}
        pending = [c for c in calculations if not hasattr(c, "decision") and c.organization.is_approved]
        rows = [_review_row(calc, changes.get(calc.organization_id), calc.pk in counted) for calc in calculations]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{fiscal_year.label} 一括交付金の算定・交付決定",
            "fiscal_year": fiscal_year,
            "rows": rows,
            "counted_count": len(counted),
            "total": sum(c.total for c in calculations if c.pk in counted),
            "missing": missing,
            "rule_missing": rule_missing,
            "pending": pending,
            "rule": GrantRule.objects.filter(fiscal_year=fiscal_year).first(),
            "cap_total": sum(row["cap_effect"] for row in rows),
            "budget": budget.year_budget(fiscal_year),
            "revisions": fiscal_year.budget_revisions.order_by("dated", "pk"),
            "today": services.today(),
        }
        return TemplateResponse(request, "admin/grants/fiscalyear/grants.html", context)


def _review_row(calc, grant=None, counted=True):
    """A calculation's row, with why 激変緩和 or the merger rule did or did not apply (from `grant`,
    today's calculation of the same organization); `counted`: in the year's total (not revoked)."""
    notes = []
    if grant is not None and grant.area_changed:
        notes.append("活動区域の変更あり")
    if grant is not None and grant.merged_from > 1:
        notes.append(f"前年度の{grant.merged_from}組織の区域をあわせた組織")
    change = None if calc.previous_total is None else calc.total - calc.previous_total
    percent = None
    if change is not None and calc.previous_total:
        percent = round(change * 100 / calc.previous_total, 1)
    cap_effect = sum(line["amount"] for line in calc.lines if line["label"] == "激変緩和")
    return {
        "calculation": calc,
        "cap_effect": cap_effect,
        "change_notes": notes,
        "uncapped_base": calc.base_amount - cap_effect,
        "decision": getattr(calc, "decision", None),
        "change": change,
        "percent": percent,
        "counted": counted,
    }


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyHistoryAdmin):
    """受付簿: read only; each line is written by the step that records what arrived (grants.receipts)."""

    list_display = ["year_label", "number_label", "received_on", "kind", "organization", "subject", "recorded_by"]
    list_filter = ["year", "kind"]
    search_fields = ["organization__name", "organization__name_kana", "subject"]
    list_select_related = ["organization", "recorded_by"]
    fields = [
        "year_label",
        "number_label",
        "received_on",
        "kind",
        "organization",
        "subject",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = fields

    @admin.display(description="年度", ordering="year")
    def year_label(self, obj):
        return fiscal_year_label(obj.year)

    @admin.display(description="受付番号", ordering="number")
    def number_label(self, obj):
        return obj.label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    """期限のリマインダー: read only; each row is written by `manage.py send_reminders` (grants.deadlines) when
    it queues a reminder, and keeps it from going twice."""

    list_display = ["sent_on", "organization", "title", "due_on", "stage", "to_organization"]
    list_filter = ["stage", "to_organization"]
    search_fields = ["organization__name", "organization__name_kana", "title"]
    list_select_related = ["organization"]
    fields = ["sent_on", "organization", "title", "due_on", "stage", "to_organization", "key"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GrantRule)
class GrantRuleAdmin(DemoFlagLast, ReadOnlyHistoryAdmin):
    list_display = [
        "fiscal_year",
        "equal_share",
        "per_capita",
        "per_household",
        "secretariat_cost",
        "rounding_unit",
        "change_cap_percent",
        "cap_exempt_area_change",
        "merger_keeps_shares",
    ]
    list_select_related = ["fiscal_year"]


@admin.register(IntegratedSubsidy)
class IntegratedSubsidyAdmin(DemoFlagLast, ClerkDisplayMixin, admin.ModelAdmin):
    list_display = ["name", "former_department", "order"]
    search_fields = ["name", "former_department"]


@admin.register(SubsidyAllocation)
class SubsidyAllocationAdmin(DemoFlagLast, ReadOnlyHistoryAdmin):
    list_display = ["organization", "fiscal_year", "subsidy", "amount"]
    list_filter = ["fiscal_year", "subsidy"]
    search_fields = ["organization__name", "organization__name_kana", "subsidy__name"]
    list_select_related = ["organization", "fiscal_year", "subsidy"]
    autocomplete_fields = ["organization"]


def lines_table(lines):
    """A snapshot's lines as a small HTML table (stored figures, never recomputed)."""
    rows = format_html_join(
        "",
        '<tr><td>{}</td><td>{}</td><td style="text-align:right">{}円</td></tr>',
        ((line["label"], line.get("basis", ""), money.yen_number(line["amount"])) for line in lines),
    )
    return format_html('<table class="grant-lines"><tbody>{}</tbody></table>', rows)


@admin.register(GrantCalculation)
class GrantCalculationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["organization", "fiscal_year", "base_amount", "subsidy_amount", "total", "calculated_at"]
    list_filter = ["fiscal_year"]
    search_fields = ["organization__name", "organization__name_kana"]
    list_select_related = ["organization", "fiscal_year"]
    fields = [
        "organization",
        "fiscal_year",
        "breakdown",
        "base_amount",
        "subsidy_amount",
        "total",
        "previous_total",
        "calculated_at",
        "calculated_by",
    ]
    readonly_fields = fields

    @admin.display(description="内訳（算定時点の写し）")
    def breakdown(self, obj):
        return lines_table(obj.lines)

    def has_add_permission(self, request):
        return False  # calculations are made by 算定, never typed in

    def has_change_permission(self, request, obj=None):
        return False  # a stored snapshot is never edited; 算定 replaces it until it is decided


class ReportItemInline(ClerkDisplayMixin, admin.TabularInline):
    model = GrantReportItem
    fields = ["name", "field", "budget", "spent"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decision__organization")  # each row's name

    def has_add_permission(self, request, obj=None):
        return False


class ReportAttachmentInline(ClerkDisplayMixin, admin.TabularInline):
    model = GrantReportAttachment
    fields = ["download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description="ファイル")
    def download(self, obj):
        url = reverse("admin:grants_grantdecision_attachment", args=[obj.decision_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(GrantDecision)
class GrantDecisionAdmin(LoggedChangeViewAdmin, YearStepsMixin, DecidePermissionMixin, ReadOnlyHistoryAdmin):
    access_log_kind = "支払記録"

    def access_log_label(self, decision):
        # The page lists the decision's payments inline; logged only when there is one to see.
        return f"{decision}の支払記録" if decision.payments.exists() else None

    list_display = [
        "number_text",
        "organization",
        "fiscal_year",
        "decided_on",
        "current_yen",
        "paid_yen",
        "status_text",
        "demo_label",
    ]
    list_filter = ["fiscal_year", "status"]
    search_fields = ["document_number", "organization__name", "organization__name_kana"]
    list_select_related = ["organization", "fiscal_year"]
    change_form_template = "admin/grants/grantdecision/change_form.html"
    actions = NOTICE_ACTIONS
    inlines = [ReportItemInline, ReportAttachmentInline, *YEAR_INLINES]
    fieldsets = [
        (
            "交付決定",
            {
                "fields": [
                    "organization",
                    "fiscal_year",
                    "number_text",
                    "decided_on",
                    "application_link",
                    "decided_yen",
                    "current_yen",
                    "paid_yen",
                    "status_text",
                    "demo_label",
                    "breakdown",
                ]
            },
        ),
        ("交付の条件", {"fields": ["conditions"]}),
        ("変更交付決定", {"fields": ["changed_on", "change_reason"]}),
        ("実績報告", {"fields": ["reported_on", "report_receipt", "budget_basis_text", "spent_yen", "income_yen"]}),
        (
            "額の確定",
            {
                "fields": [
                    "settlement_rule",
                    "settlement_number_text",
                    "settled_on",
                    "settled_yen",
                    "refund",
                    "additional",
                ]
            },
        ),
        ("文書（文書番号簿）", {"fields": ["documents"]}),
        ("記録", {"fields": ["number", "calculation", "decided_by"]}),
    ]
    readonly_fields = [field for _, options in fieldsets for field in options["fields"]]

    def get_queryset(self, request):
        # 支払済額 in the list: the payments of every row in one query.
        return super().get_queryset(request).prefetch_related("payments", "revocations")

    @admin.display(description="文書番号", ordering="number")
    def number_text(self, obj):
        """「令和8年度 新総政第1号」: the number with the year of the register it was counted in."""
        return number_with_year(obj.document_number, obj.decided_on) or RESERVED_TEXT

    @admin.display(description="確定通知の文書番号")
    def settlement_number_text(self, obj):
        if obj.settled_on is None:
            return "－"
        return number_with_year(obj.settlement_document_number, obj.settled_on) or RESERVED_TEXT

    @admin.display(description="この交付決定の文書")
    def documents(self, obj):
        """Every line of the register given to this decision, with its preview and its issued PDF."""
        return admin_documents.entries_table(obj.document_numbers.order_by("dated", "pk"))

    @admin.display(description="交付申請")
    def application_link(self, obj):
        """The application the decision rests on, and its annual plan's budget against the amount."""
        application = obj.application
        if application is None:
            return "－（交付申請の登録がない交付決定）"
        plan = sum(p.budget for p in application.annual_plan.projects.all()) if application.annual_plan else 0
        url = reverse("admin:grants_grantapplication_change", args=[application.pk])
        return format_html(
            '<a href="{}">{}受付</a>　交付申請額 {}、年度計画の事業費の予算 {}（交付決定額との差 {}）',
            url,
            wareki_date(application.received_on),
            yen(application.requested_amount),
            yen(plan),
            yen(obj.amount - plan),
        )

    @admin.display(description="状況")
    def status_text(self, obj):
        return obj.status_label

    @admin.display(description="交付決定時の内訳")
    def breakdown(self, obj):
        return lines_table(obj.calculation.lines)

    @admin.display(description="交付決定額（当初）")
    def decided_yen(self, obj):
        return yen(obj.decided_amount)

    @admin.display(description="交付決定額（現在）")
    def current_yen(self, obj):
        return yen(obj.amount)

    @admin.display(description="実績報告の予算欄")
    def budget_basis_text(self, obj):
        """Which 収支予算 the report's 予算 column is read against, and whether it falls short of the
        decided amount (grants.applications.budget_basis)."""
        return budget_basis(obj).detail

    @admin.display(description="対象経費の実支出額")
    def spent_yen(self, obj):
        return yen(obj.spent_amount)

    @admin.display(description="その他の収入")
    def income_yen(self, obj):
        return yen(obj.other_income_amount) if obj.reported_on else "－"

    @admin.display(description="デモ")
    def demo_label(self, obj):
        """The demo's organizations and every amount of their grant year are invented."""
        return "デモ（架空の組織・金額）" if obj.organization.is_demo else ""

    @admin.display(description="支払済額")
    def paid_yen(self, obj):
        """The payments made (概算払, 精算払), always beside the decided amount."""
        return yen(obj.paid_amount)

    @admin.display(description="額の確定の方法（交付基準）")
    def settlement_rule(self, obj):
        return services.settlement_rule(obj).label

    @admin.display(description="精算払額")
    def additional(self, obj):
        return yen(obj.unpaid_amount) if obj.settled_amount is not None else "－"

    @admin.display(description="確定額")
    def settled_yen(self, obj):
        return yen(obj.settled_amount)

    @admin.display(description="返還額（支払済額 − 確定額）")
    def refund(self, obj):
        return yen(obj.refund_amount) if obj.settled_amount is not None else "－"

    def has_add_permission(self, request):
        return False  # decisions come from 交付決定 on the fiscal year's page

    def has_change_permission(self, request, obj=None):
        return False  # money moves only through the lifecycle steps, each with its own page

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/notice/<str:kind>/", view(self.notice_view), name="grants_grantdecision_notice"),
            path("<int:pk>/change-amount/", view(self.change_amount_view), name="grants_grantdecision_change_amount"),
            path("<int:pk>/report/", view(self.report_view), name="grants_grantdecision_report"),
            path("<int:pk>/settle/", view(self.settle_view), name="grants_grantdecision_settle"),
            path(
                "<int:pk>/attachments/<int:attachment_pk>/",
                view(self.attachment_view),
                name="grants_grantdecision_attachment",
            ),
            *self.year_urls(),
            *super().get_urls(),
        ]

    @staticmethod
    def _issued(decision, kind):
        """Whether the decision's notice of `kind` is issued: the button says 印刷 instead of 発行."""
        entry = register.latest_entry(kind=kind, decision=decision)
        return entry is not None and notices.issued_original(entry) is not None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        decision = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "can_decide": self.has_decide_permission(request)}
        if decision is not None:
            Status = GrantDecision.Status
            # One 「変更交付決定」 at a time: while a 変更申請 waits, the one answering it (year_links).
            waiting = decision.change_requests.filter(status=GrantChangeRequest.Status.RECEIVED).exists()
            extra_context.update(
                can_change=decision.status in (Status.DECIDED, Status.CHANGED) and not waiting,
                can_report=decision.status in (Status.DECIDED, Status.CHANGED),
                can_settle=decision.status == Status.REPORTED,
                is_settled=decision.settled_amount is not None,
                year_links=self.year_links(decision),
                decision_issued=self._issued(decision, DocumentKind.DECISION),
                settlement_issued=self._issued(decision, DocumentKind.SETTLEMENT),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    # -- downloads ------------------------------------------------------------------------------

    def notice_view(self, request, pk, kind):
        """The decision's notice of `kind`: `?preview=1` shows the draft (stored nowhere); a GET downloads it
        as issued or, before it is issued, shows the confirmation page; only the POST sends it for 決裁
        (起案), and the 決裁権者's approval issues it (grants.drafts). Sending needs the deciding permission,
        as every step of the 交付決定 does (not the view permission)."""
        decision = access.decision_for_officer(request, pk)
        if kind not in notices.KINDS or not _has_notice(decision, kind):
            self.message_user(request, "この交付決定にはその通知書がありません。", messages.ERROR)
            return redirect("admin:grants_grantdecision_change", decision.pk)
        try:
            entry = notices.decision_entry(decision, kind)
            if request.GET.get("preview"):
                return admin_documents.pdf_response(
                    notices.document_preview(entry=entry), f"案_{entry.text or entry.pk}.pdf", inline=True
                )
            document = notices.issued_original(entry)
            if request.method == "POST" and document is None:
                draft = drafts.entry_submit(entry=entry, by=request.user)
                return admin_documents.submitted_redirect(self, request, [draft])
        except (notices.NoticeFontError, ValidationError) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return redirect("admin:grants_grantdecision_change", decision.pk)
        if document is None:
            return admin_documents.issue_confirm_page(
                self,
                request,
                title=f"{notices.KINDS[kind]}の発行の確認: {decision}",
                pairs=[(entry, None)],
                preview_url=f"{request.path}?preview=1",
                back_url=reverse("admin:grants_grantdecision_change", args=[decision.pk]),
            )
        return download_response(
            notices.stored_pdf(document), notices.notice_filename(decision, kind), "application/pdf"
        )

    def attachment_view(self, request, pk, attachment_pk):
        decision = access.decision_for_officer(request, pk, access.VIEW_DECISIONS)
        attachment = get_object_or_404(GrantReportAttachment, pk=attachment_pk, decision=decision)
        label = f"{attachment.original_name}（{decision}）"
        record_access(request, attachment, DOWNLOAD, kind="実績報告の添付ファイル", label=label)
        return private_download(attachment)

    # -- the lifecycle steps --------------------------------------------------------------------

    def _step(self, request, decision, form, title, run, done):
        """Render a step's form; on a valid POST run the service, refusing with the error beside the form.
        `done` is the success message, or a function making it from what the service returned."""
        if request.method == "POST" and form.is_valid():
            try:
                result = run(form.cleaned_data)
            except ValidationError as error:
                add_refusal(form, error)
            else:
                self.message_user(request, done(result) if callable(done) else done, messages.SUCCESS)
                return redirect("admin:grants_grantdecision_change", decision.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": decision,
            "title": f"{title}: {decision}",
            "step_title": title,
            # 「支払を登録する」, not 「支払の登録を登録する」
            "submit_label": f"{title.removesuffix('の登録')}を登録する",
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/grants/grantdecision/step.html", context)

    def change_amount_view(self, request, pk):
        decision = access.decision_for_officer(request, pk)
        form = ChangeAmountForm(
            request.POST or None, initial={"amount": decision.amount, "changed_on": services.today()}
        )
        return self._step(
            request,
            decision,
            form,
            "変更交付決定",
            lambda data: self._change_or_draft(decision, request.user, data),
            lambda result: (
                "変更交付決定を起案しました。決裁されると交付決定額が変わり、通知書に文書番号が付きます。"
                if isinstance(result, DocumentDraft)
                else "交付決定額を変更しました（紙の文書番号簿の番号で決裁済み）。"
            ),
        )

    @staticmethod
    def _change_or_draft(decision, by, data):
        """A number typed from the paper register means the 決裁 was done on paper: the change takes effect
        now. Otherwise the change is drafted (起案) and takes effect on 決裁 (grants.drafts)."""
        if (data.get("document_number") or "").strip():
            return services.decision_change(decision=decision, by=by, **data)
        return drafts.change_draft_submit(
            decision=decision, amount=data["amount"], reason=data["reason"], changed_on=data["changed_on"], by=by
        )

    def report_view(self, request, pk):
        decision = access.decision_for_officer(request, pk)
        projects = services.planned_projects_for(decision)
        form = ReportForm(
            request.POST or None,
            request.FILES or None,
            projects=projects,
            initial={"reported_on": services.today()},
        )
        return self._step(
            request,
            decision,
            form,
            "実績報告",
            lambda data: services.decision_report(
                decision=decision,
                reported_on=data["reported_on"],
                spending=form.spending(),
                personnel=data["personnel"],
                operating=data["operating"],
                other_income=data["other_income"],
                attachments=data["attachments"],
                by=request.user,
            ),
            lambda decision: f"実績報告を登録しました（{decision.report_receipt}）。",
        )

    def settle_view(self, request, pk):
        decision = access.decision_for_officer(request, pk)
        form = SettleForm(
            request.POST or None,
            initial={"settled_amount": services.suggested_settlement(decision), "settled_on": services.today()},
        )
        return self._step(
            request,
            decision,
            form,
            "額の確定",
            lambda data: services.decision_settle(decision=decision, by=request.user, **data),
            "交付額を確定しました。",
        )
