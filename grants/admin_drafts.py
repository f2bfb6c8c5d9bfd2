"""The admin of 起案 → 決裁 → 施行: the 決裁 list (what waits for which 決裁権者, oldest first), each draft's
page (its preview marked 「案」, 決裁 and 差戻し for the 決裁権者, 再起案 for the 課), and the 専決区分.

Every step is a POST with the CSRF token behind its permission; a GET only shows the draft or its PDF
(the preview, or the issued document once approved)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from grants import access, drafts, notices
from grants.admin_documents import pdf_response
from grants.models import ApprovalRoute, DocumentDraft
from niimi_portal.lib.admin_display import ClerkDisplayMixin
from niimi_portal.lib.dates import WarekiDateField
from niimi_portal.lib.history import ReadOnlyHistoryAdmin
from niimi_portal.lib.people import display_name
from niimi_portal.lib.refusal import add_refusal
from niimi_portal.lib.wareki import wareki_date

VIEW = "grants.view_documentdraft"


def _rekeyed(error):
    """A refusal of the act's service, keyed by the redraft form's fields (amount → after, date → dated)."""
    names = {"amount": "after", "changed_on": "dated"}
    keyed = {}
    for field, items in error.update_error_dict({}).items():
        keyed.setdefault(names.get(field, field), []).extend(items)
    return ValidationError(keyed)


@admin.register(ApprovalRoute)
class ApprovalRouteAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    """専決区分: the 課 sets who approves each kind (a kind without a row uses the default, 要確認)."""

    list_display = ["kind", "level", "note"]
    list_editable = ["level", "note"]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="差戻しの理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "差戻しの理由を入力してください。"},
    )


class RedraftForm(forms.Form):
    """再起案: the date and subject, and the details a clerk corrects (the amount and reason of a 変更)."""

    dated = WarekiDateField(label="文書の日付")
    subject = forms.CharField(label="件名", max_length=200)

    DETAIL_FIELDS = {
        "after": lambda: forms.IntegerField(label="変更後の交付決定額（円）", min_value=0),
        "reason": lambda: forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3})),
    }

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, **kwargs)
        if draft.numbered_by_act:
            # Its words come from its register line: nothing to edit here, only to send again.
            self.fields.clear()
            return
        for key, make in self.DETAIL_FIELDS.items():
            if key in draft.details:
                self.fields[key] = make()

    def details(self):
        return {key: self.cleaned_data[key] for key in self.DETAIL_FIELDS if key in self.cleaned_data}


class WaitingFilter(admin.SimpleListFilter):
    """The 決裁 list opens on what waits for 決裁."""

    title = "状況"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("waiting", "決裁待ち"), ("rejected", "差戻し"), ("approved", "決裁済"), ("all", "すべて")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or "waiting") == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or "waiting"
        status = {"waiting": "submitted", "rejected": "rejected", "approved": "approved"}.get(value)
        return queryset.filter(status=status) if status else queryset


@admin.register(DocumentDraft)
class DocumentDraftAdmin(ReadOnlyHistoryAdmin):
    list_display = ["subject", "kind", "waiting", "dated", "drafted_by", "submitted_at", "numbered", "open_link"]
    list_filter = [WaitingFilter, "level", "kind"]
    list_select_related = ["drafted_by", "entry"]
    ordering = ["submitted_at", "pk"]  # oldest first
    search_fields = ["subject", "organization__name"]

    def has_add_permission(self, request):
        return False  # a draft comes from the step that drafts the act (e.g. 変更交付決定)

    def has_change_permission(self, request, obj=None):
        return False  # corrected by 再起案 after a 差戻し, never edited in place

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="決裁", ordering="level")
    def waiting(self, obj):
        return obj.waiting_for

    @admin.display(description="文書番号")
    def numbered(self, obj):
        return obj.entry.text_with_year if obj.entry_id else "－（決裁の後に採番）"

    @admin.display(description="操作")
    def open_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:grants_documentdraft_decide", args=[obj.pk]), "開く")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", view(self.decide_view), name="grants_documentdraft_decide"),
            path("<int:pk>/preview/", view(self.preview_view), name="grants_documentdraft_preview"),
            path("<int:pk>/approve/", view(self.approve_view), name="grants_documentdraft_approve"),
            path("<int:pk>/reject/", view(self.reject_view), name="grants_documentdraft_reject"),
            path("<int:pk>/redraft/", view(self.redraft_view), name="grants_documentdraft_redraft"),
            *super().get_urls(),
        ]

    def _draft(self, request, pk):
        access.require(request, VIEW)
        return get_object_or_404(
            DocumentDraft.objects.select_related("organization", "decision", "entry", "drafted_by", "decided_by"),
            pk=pk,
        )

    def _page(self, request, draft, *, reject_form=None, redraft_form=None, status=200):
        approvable = draft.status == DocumentDraft.Status.SUBMITTED and drafts.may_approve(request.user, draft.level)
        redraftable = draft.status == DocumentDraft.Status.REJECTED and request.user.has_perm(access.DECIDE)
        document = notices.issued_original(draft.entry) if draft.entry_id else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": draft,
            "title": f"起案・決裁: {draft.subject}",
            "rows": [
                ("文書の種類", draft.get_kind_display()),
                ("宛先", draft.organization.name),
                ("文書の日付", wareki_date(draft.dated)),
                ("状況", draft.waiting_for),
                ("起案者", f"{display_name(draft.drafted_by)}（{wareki_date(draft.drafted_at.date())}）"),
                ("決裁に回した日", wareki_date(draft.submitted_at.date())),
                (
                    "決裁者",
                    f"{display_name(draft.decided_by)}（{wareki_date(draft.decided_at.date())}）"
                    if draft.decided_by_id
                    else "－",
                ),
                ("文書番号", draft.entry.text_with_year if draft.entry_id else "－（決裁の後に採番）"),
            ],
            "reject_reason": draft.reject_reason,
            "approvable": approvable,
            "redraftable": redraftable,
            "reject_form": reject_form or (RejectForm() if approvable else None),
            "redraft_form": redraft_form or (self._redraft_form(draft) if redraftable else None),
            "document": document,
        }
        return TemplateResponse(request, "admin/grants/documentdraft/decide.html", context, status=status)

    @staticmethod
    def _redraft_form(draft, data=None):
        initial = {"dated": draft.dated, "subject": draft.subject, **draft.details}
        return RedraftForm(data, draft=draft, initial=initial)

    def decide_view(self, request, pk):
        """GET: the draft, its preview link and the forms its reader may post. Changes nothing."""
        return self._page(request, self._draft(request, pk))

    def preview_view(self, request, pk):
        """The draft's PDF marked 「案」 without a number (stored nowhere); once approved, the issued PDF."""
        draft = self._draft(request, pk)
        document = notices.issued_original(draft.entry) if draft.entry_id else None
        if document is not None:
            return pdf_response(notices.stored_pdf(document), notices.document_filename(document))
        try:
            content = drafts.draft_preview(draft=draft)
        except (ValidationError, notices.NoticeFontError) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return redirect("admin:grants_documentdraft_decide", draft.pk)
        return pdf_response(content, f"案_{draft.get_kind_display()}.pdf", inline=True)

    def approve_view(self, request, pk):
        """POST by a 決裁権者 of the draft's level: 決裁, numbering and freezing. A GET shows the draft."""
        draft = self._draft(request, pk)
        if request.method != "POST":
            return self._page(request, draft)
        if not drafts.may_approve(request.user, draft.level):
            raise PermissionDenied
        try:
            document = drafts.draft_approve(draft=draft, by=request.user)
        except (ValidationError, notices.NoticeFontError) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
        else:
            self.message_user(
                request, f"決裁しました。文書番号 {document.entry.text_with_year} で発行しました。", messages.SUCCESS
            )
        return redirect("admin:grants_documentdraft_decide", draft.pk)

    def reject_view(self, request, pk):
        """POST by a 決裁権者 of the draft's level: 差戻し with the reason (required, shown beside the field)."""
        draft = self._draft(request, pk)
        if request.method != "POST":
            return self._page(request, draft)
        if not drafts.may_approve(request.user, draft.level):
            raise PermissionDenied
        form = RejectForm(request.POST)
        if form.is_valid():
            try:
                drafts.draft_reject(draft=draft, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_refusal(form, error)
            else:
                self.message_user(request, "起案者に差し戻しました。", messages.SUCCESS)
                return redirect("admin:grants_documentdraft_decide", draft.pk)
        return self._page(request, draft, reject_form=form)

    def redraft_view(self, request, pk):
        """POST by the 課 (the deciding permission): the corrected draft goes to 決裁 again."""
        draft = self._draft(request, pk)
        if request.method != "POST":
            return self._page(request, draft)
        access.require(request, access.DECIDE)
        form = self._redraft_form(draft, request.POST)
        if form.is_valid():
            try:
                drafts.draft_redraft(
                    draft=draft,
                    by=request.user,
                    day=form.cleaned_data.get("dated"),
                    subject=form.cleaned_data.get("subject"),
                    details=form.details(),
                )
            except ValidationError as error:
                add_refusal(form, _rekeyed(error))
            else:
                self.message_user(request, "修正して、決裁に回しました。", messages.SUCCESS)
                return redirect("admin:grants_documentdraft_decide", draft.pk)
        return self._page(request, draft, redraft_form=form)
