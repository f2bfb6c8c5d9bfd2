"""The admin of the official documents: the 文書番号簿 (preview, issue, 再発行・写, 欠番, 決裁用の一覧 and
宛名 list), its series, the notice settings by 施行日, each year's 交付の条件, and the issued documents."""

import datetime
import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header

from grants import access, drafts, notices, register
from grants.models import (
    DocumentKind,
    DocumentNumber,
    DocumentSeries,
    DocumentSeriesKind,
    GrantConditions,
    IssuedDocument,
    NoticeSettings,
)
from niimi_portal.lib.admin import DemoFlagLast
from niimi_portal.lib.admin_display import ClerkDisplayMixin
from niimi_portal.lib.csv_export import csv_response
from niimi_portal.lib.money import yen
from niimi_portal.lib.refusal import add_refusal
from niimi_portal.lib.wareki import fiscal_year_label, wareki_date
from organizations.access_log import DOWNLOAD, record_access_many


def pdf_response(content, filename, *, inline=False):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=not inline, filename=filename)
    return response


class DocumentPermissionMixin:
    """Only 総合政策課 (the grant-deciding permission) issues, voids or lists documents."""

    def has_decide_permission(self, request):
        return request.user.has_perm(access.DECIDE)


class SeriesKindInline(ClerkDisplayMixin, admin.TabularInline):
    model = DocumentSeriesKind
    extra = 1


@admin.register(DocumentSeries)
class DocumentSeriesAdmin(DemoFlagLast, ClerkDisplayMixin, admin.ModelAdmin):
    list_display = ["name", "section", "number_format", "kinds_list", "resets_each_fiscal_year", "demo_label"]
    inlines = [SeriesKindInline]

    @admin.display(description="番号を取る文書")
    def kinds_list(self, obj):
        return "・".join(kind.get_kind_display() for kind in obj.kinds.all())

    @admin.display(description="デモ")
    def demo_label(self, obj):
        return "デモ" if obj.is_demo else ""


class VoidForm(forms.Form):
    reason = forms.CharField(
        label="欠番の理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "欠番にする理由を入力してください。"},
    )


def _download_action(description, name, make):
    @admin.action(description=description, permissions=["decide"])
    def action(modeladmin, request, queryset):
        entries = list(
            queryset.select_related("organization", "decision__calculation").order_by("series", "period", "number")
        )
        return make(request, entries)

    action.__name__ = name
    return action


def _approval_list_pdf(request, entries):
    stamp = timezone.localdate().strftime("%Y%m%d")
    return pdf_response(notices.approval_list_pdf(entries), f"決裁用一覧_{stamp}.pdf")


def _approval_list_csv(request, entries):
    stamp = timezone.localdate().strftime("%Y%m%d")
    return csv_response(f"決裁用一覧_{stamp}.csv", notices.APPROVAL_LIST_HEADER, notices.approval_rows(entries))


def _address_list_csv(request, entries):
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = csv_response(f"宛名一覧_{stamp}.csv", notices.ADDRESS_LIST_HEADER, notices.address_rows(entries))
    # The list carries each addressee's representative and contact: one access-log row per organization.
    organizations = list(
        {entry.organization.pk: entry.organization for entry in entries if entry.organization}.values()
    )
    record_access_many(request, organizations, DOWNLOAD, kind="地域運営組織の連絡先（宛名の一覧のCSV）")
    return response


def entry_links(entry):
    """Preview, issue (or reprint as issued) and void: the links of one register line."""
    if entry.status == DocumentNumber.Status.VOIDED:
        return f"欠番: {entry.void_reason}"
    if entry.kind not in notices.LETTERS:
        return ""
    issue = reverse("admin:grants_documentnumber_issue", args=[entry.pk])
    if notices.issued_original(entry) is not None:
        return format_html('<a href="{}">{}</a>', issue, "印刷（発行したとおり）")
    return format_html_join(
        "　",
        '<a href="{}">{}</a>',
        [
            (reverse("admin:grants_documentnumber_preview", args=[entry.pk]), "プレビュー"),
            (issue, "決裁に回す"),
            (reverse("admin:grants_documentnumber_void", args=[entry.pk]), "欠番にする"),
        ],
    )


def issued_text(entry):
    """発行済 or 未発行, in words (欠番 for a voided number)."""
    if entry.status == DocumentNumber.Status.VOIDED:
        return "欠番"
    return "発行済" if notices.issued_original(entry) is not None else "未発行"


def entries_table(entries):
    """Register lines as a small table with links to preview and issue each document."""
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                entry.text_with_year,
                entry.get_kind_display(),
                entry.get_status_display(),
                issued_text(entry),
                entry_links(entry),
            )
            for entry in entries
        ),
    )
    return format_html('<table class="document-numbers"><tbody>{}</tbody></table>', rows) if rows else "－"


def _issue_state(document, draft):
    if document is not None:
        return "発行済"
    if draft is None:
        return "未発行（この操作で決裁に回します）"
    return f"未発行（{draft.waiting_for}）"


def issue_confirm_page(modeladmin, request, *, title, pairs, back_url, preview_url="", download_url=""):
    """The page a GET shows before a document is issued: what will be sent for 決裁 (number, kind, date,
    addressee), a preview link and the POST button; `pairs` are (register line, its issued original or
    None). When every line is issued already, the button is `download_url` (a GET that issues nothing)."""
    states = [(entry, document, drafts.entry_draft(entry) if document is None else None) for entry, document in pairs]
    rows = [
        {
            "number": entry.text_with_year,
            "kind": entry.get_kind_display(),
            "dated": wareki_date(entry.dated),
            "addressee": entry.organization.name if entry.organization_id else entry.subject,
            "state": _issue_state(document, draft),
        }
        for entry, document, draft in states
    ]
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": title,
        "rows": rows,
        "to_issue": sum(document is None for _, document in pairs),
        "to_submit": sum(document is None and draft is None for _, document, draft in states),
        "submit_label": "決裁に回す（起案）",
        "preview_url": preview_url,
        "download_url": download_url,
        "back_url": back_url,
    }
    return TemplateResponse(request, "admin/grants/issue_confirm.html", context)


def submitted_redirect(modeladmin, request, submitted):
    """After 起案: the message and the draft's page (or the 決裁 list, for several)."""
    modeladmin.message_user(
        request,
        f"{len(submitted)}件の文書を決裁に回しました。決裁権者が決裁すると発行されます。",
        messages.SUCCESS,
    )
    if len(submitted) == 1:
        return redirect("admin:grants_documentdraft_decide", submitted[0].pk)
    return redirect("admin:grants_documentdraft_changelist")


class IssuedFilter(admin.SimpleListFilter):
    """To select the documents about to be issued (for the 決裁用の一覧) or those already sent."""

    title = "発行"
    parameter_name = "issued"

    def lookups(self, request, model_admin):
        return [("no", "未発行"), ("yes", "発行済")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(documents__isnull=True, status=DocumentNumber.Status.USED)
        if self.value() == "yes":
            return queryset.filter(documents__isnull=False).distinct()
        return queryset


DETAIL_LABELS = {
    "amount": "金額",
    "before": "変更（取消し）前の額",
    "after": "変更後の額",
    "reason": "理由",
    "changed_on": "変更交付決定日",
    "requested_on": "変更申請の受付日",
    "requested": "申請された額",
    "due_on": "納付期限",
    "cause": "返還の理由",
    "scope": "取消しの範囲",
    "decided": "交付決定額",
    "spent": "対象経費の実支出額",
    "income": "その他の収入",
    "rule": "額の確定の方法",
    "settled": "確定額",
    "paid": "既交付額",
    "cited_number": "返還の原因の通知書の番号",
    "cited_on": "返還の原因の通知書の日付",
}


def _detail_value(value):
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, int):
        return yen(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return wareki_date(datetime.date.fromisoformat(value))
    return value


def details_rows(details):
    """A register line's details as a small table of Japanese names and values."""
    if not details:
        return "－"
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td></tr>',
        ((DETAIL_LABELS.get(key, "その他の項目"), _detail_value(value)) for key, value in details.items()),
    )
    return format_html("<table><tbody>{}</tbody></table>", rows)


@admin.register(DocumentNumber)
class DocumentNumberAdmin(DocumentPermissionMixin, ClerkDisplayMixin, admin.ModelAdmin):
    list_display = ["numbered", "register_year", "dated", "kind", "subject", "status", "typed_text", "issued", "links"]
    list_filter = [IssuedFilter, "kind", "status", "period", "series"]
    search_fields = ["text", "subject", "organization__name"]
    list_select_related = ["organization"]
    fields = [
        "series",
        "period",
        "number",
        "text",
        "kind",
        "dated",
        "subject",
        "organization",
        "decision",
        "details_table",
        "typed",
        "status",
        "void_reason",
        "taken_at",
        "taken_by",
    ]
    readonly_fields = fields
    actions = [
        _download_action("決裁用の一覧（PDF）", "approval_list_pdf", _approval_list_pdf),
        _download_action("決裁用の一覧（CSV・Excel 用）", "approval_list_csv", _approval_list_csv),
        _download_action("宛名の一覧（CSV）", "address_list_csv", _address_list_csv),
    ]

    def has_add_permission(self, request):
        return False  # numbers are taken by the steps that issue documents (approval, decision, …)

    def has_change_permission(self, request, obj=None):
        return False  # a line of the register is never edited; it is voided with a reason

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="文書の内容")
    def details_table(self, obj):
        """What the document states, as the step wrote it, under Japanese names (amounts in yen, dates in 和暦)."""
        return details_rows(obj.details)

    @admin.display(description="文書番号", ordering="text")
    def numbered(self, obj):
        return obj.text_with_year

    @admin.display(description="番号簿の年度", ordering="period")
    def register_year(self, obj):
        """The year of the register the number was counted in (the subject names the grant's year)."""
        return fiscal_year_label(obj.period) if obj.period else "－（年度で区切らない系列）"

    @admin.display(description="番号の取り方")
    def typed_text(self, obj):
        return "紙の文書番号簿から入力" if obj.typed else "ポータルで採番"

    @admin.display(description="発行")
    def issued(self, obj):
        return issued_text(obj)

    @admin.display(description="文書")
    def links(self, obj):
        return entry_links(obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="grants_documentnumber_preview"),
            path("<int:pk>/issue/", view(self.issue_view), name="grants_documentnumber_issue"),
            path("<int:pk>/void/", view(self.void_view), name="grants_documentnumber_void"),
            *super().get_urls(),
        ]

    def _entry(self, request, pk):
        access.require(request, access.DECIDE)
        return get_object_or_404(DocumentNumber, pk=pk)

    def _refused(self, request, error):
        self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
        return redirect("admin:grants_documentnumber_changelist")

    def preview_view(self, request, pk):
        """The document as it would be issued now, marked 「案」, shown in the browser and stored nowhere."""
        entry = self._entry(request, pk)
        try:
            content = notices.document_preview(entry=entry)
        except (ValidationError, notices.NoticeFontError) as error:
            return self._refused(request, error)
        return pdf_response(content, f"案_{entry.text or entry.pk}.pdf", inline=True)

    def issue_view(self, request, pk):
        """POST: send the document for 決裁 (起案; the 決裁権者's approval freezes it, grants.drafts). GET:
        download it as issued, or, while it is not issued yet, the confirmation page with the POST button: a
        link opened by a clerk issues nothing."""
        entry = self._entry(request, pk)
        document = notices.issued_original(entry)
        if request.method == "POST" and document is None:
            try:
                draft = drafts.entry_submit(entry=entry, by=request.user)
            except (ValidationError, notices.NoticeFontError) as error:
                return self._refused(request, error)
            return submitted_redirect(self, request, [draft])
        if document is None and entry.status == DocumentNumber.Status.VOIDED:
            return self._refused(
                request,
                ValidationError(f"文書番号「{entry.text or entry.subject}」は欠番のため、文書を発行できません。"),
            )
        if document is None:
            return issue_confirm_page(
                self,
                request,
                title=f"発行の確認: {entry.text_with_year}",
                pairs=[(entry, None)],
                preview_url=reverse("admin:grants_documentnumber_preview", args=[entry.pk]),
                back_url=reverse("admin:grants_documentnumber_changelist"),
            )
        return pdf_response(notices.stored_pdf(document), notices.document_filename(document))

    def void_view(self, request, pk):
        entry = self._entry(request, pk)
        form = VoidForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                register.number_void(entry=entry, reason=form.cleaned_data["reason"], by=request.user)
            except ValidationError as error:
                add_refusal(form, error)
            else:
                voided = entry.text or entry.subject
                self.message_user(request, f"文書番号「{voided}」を欠番にしました。", messages.SUCCESS)
                return redirect("admin:grants_documentnumber_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": entry,
            "title": f"欠番にする: {entry.text or entry.subject}",
            "step_title": "欠番",
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/grants/documentnumber/void.html", context)


class NoticeSettingsForm(forms.ModelForm):
    disposition_kinds = forms.TypedMultipleChoiceField(
        label="教示を付ける文書（処分）",
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="処分に当たる文書の種類。チェックした種類の文書だけに教示を印刷します。",
    )

    class Meta:
        model = NoticeSettings
        fields = ["disposition_kinds"]  # the admin adds the others from its fieldsets


@admin.register(NoticeSettings)
class NoticeSettingsAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    form = NoticeSettingsForm
    save_as = True  # a new version: open the one in force, change the 施行日 and what changed, 「新規保存」
    list_display = ["effective_from", "issuer_line", "demo_label", "to_fill_in"]
    readonly_fields = ["to_fill_in", "updated_at"]
    fieldsets = [
        (None, {"fields": ["effective_from", "is_demo", "to_fill_in"]}),
        ("発行者・公印", {"fields": ["mayor_title", "mayor_name", "seal_image", "seal_omitted_text"]}),
        (
            "文書ごとの根拠・期間・率（それぞれの文書が自分の根拠を引きます。空欄の種類の文書は発行できません）",
            {
                "fields": [
                    "approval_basis",
                    "return_basis",
                    "refusal_basis",
                    "legal_basis",
                    "withdrawal_days",
                    "change_basis",
                    "settlement_basis",
                    "revocation_basis",
                    "refund_basis",
                    "late_fee_rate",
                    "additional_basis",
                ]
            },
        ),
        ("教示", {"fields": ["disposition_kinds", "appeal_text"]}),
        ("交付の条件・担当", {"fields": ["standard_conditions", "contact"]}),
        ("記録", {"fields": ["updated_at"]}),
    ]

    @admin.display(description="発行者")
    def issuer_line(self, obj):
        return f"{obj.issuer}（デモ）" if obj.is_demo else obj.issuer

    @admin.display(description="デモ")
    def demo_label(self, obj):
        return "デモ（架空の値を含む）" if obj.is_demo else ""

    @admin.display(description="入力が必要な項目")
    def to_fill_in(self, obj):
        """What each kind of document still misses; 「なし」 only when every kind can be issued."""
        if not obj.pk:
            return "－"
        missing = obj.missing_by_kind()
        if not missing:
            return "なし（すべての種類の文書を発行できます）"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}: {}</li>", ((label, "、".join(items)) for label, items in missing.items())),
        )


@admin.register(GrantConditions)
class GrantConditionsAdmin(DemoFlagLast, ClerkDisplayMixin, admin.ModelAdmin):
    list_display = ["fiscal_year", "is_demo"]
    list_select_related = ["fiscal_year"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(DocumentPermissionMixin, ClerkDisplayMixin, admin.ModelAdmin):
    list_display = ["entry", "kind", "copy", "issued_on", "addressee_organization", "amount", "issued_at", "download"]
    list_filter = ["kind", "copy"]
    search_fields = ["entry__text", "addressee_organization", "title"]
    list_select_related = ["entry"]
    exclude = ["pdf", "content", "pdf_size"]
    readonly_fields = [
        "entry",
        "kind",
        "copy",
        "original",
        "issued_on",
        "title",
        "organization",
        "addressee_organization",
        "addressee_title",
        "addressee_name",
        "issuer",
        "amount",
        "settings_version",
        "pdf_size_text",
        "issued_at",
        "issued_by",
        "download",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description="PDF の大きさ")
    def pdf_size_text(self, obj):
        return f"{obj.pdf_size:,}バイト（{obj.pdf_size / 1024:,.0f} KB）"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="PDF")
    def download(self, obj):
        links = [(reverse("admin:grants_issueddocument_pdf", args=[obj.pk]), "印刷（発行したとおり）")]
        if not obj.copy:
            links += [
                (reverse("admin:grants_issueddocument_reissue", args=[obj.pk, "reissue"]), "再発行"),
                (reverse("admin:grants_issueddocument_reissue", args=[obj.pk, "copy"]), "写"),
            ]
        return format_html_join("　", '<a href="{}">{}</a>', links)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/pdf/", view(self.pdf_view), name="grants_issueddocument_pdf"),
            path("<int:pk>/reissue/<str:copy>/", view(self.reissue_view), name="grants_issueddocument_reissue"),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk):
        access.require(request, access.VIEW_DECISIONS)
        document = get_object_or_404(IssuedDocument, pk=pk)
        return pdf_response(notices.stored_pdf(document), notices.document_filename(document))

    def reissue_view(self, request, pk, copy):
        access.require(request, access.DECIDE)
        original = get_object_or_404(IssuedDocument, pk=pk)
        if request.method != "POST" or copy not in (IssuedDocument.Copy.REISSUE, IssuedDocument.Copy.COPY):
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": original,
                "title": f"{IssuedDocument.Copy(copy).label if copy in IssuedDocument.Copy.values else ''}: {original}",
                "copy": copy,
                "label": IssuedDocument.Copy(copy).label if copy in IssuedDocument.Copy.values else "",
            }
            return TemplateResponse(request, "admin/grants/issueddocument/reissue.html", context)
        document = notices.document_reissue(original=original, copy=copy, by=request.user)
        return pdf_response(notices.stored_pdf(document), notices.document_filename(document))
