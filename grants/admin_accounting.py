"""財務会計の連携 in the admin: 債権者の口座 (grants.models.PayeeAccount) and the export of a period's
支出負担行為, 支出命令, 調定 and 収納 (grants.accounting) as CSV and .xlsx.

The export is a GET (it changes nothing but the access log) behind the permission `grants.export_accounting`,
which 総合政策課 holds; a clerk who may only view grants, a liaison and an anonymous visitor are refused.
The lists show each account masked; its change page and the export's 支出命令 rows show it in full, and
each such showing is written to the access log.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import path

from grants import access, accounting
from grants.models import PayeeAccount
from niimi_portal.lib.admin import DemoFlagLast
from niimi_portal.lib.admin_display import ClerkDisplayMixin
from niimi_portal.lib.csv_export import XLSX_CONTENT_TYPE, csv_response, download_response
from niimi_portal.lib.dates import WarekiDateField
from niimi_portal.lib.history import record_change
from niimi_portal.lib.refusal import add_refusal
from organizations.access_log import DOWNLOAD, LoggedChangeViewAdmin, record_access_many

EXPORT = "grants.export_accounting"
ACCESS_LOG_KIND = "債権者の口座"


class PeriodForm(forms.Form):
    date_from = WarekiDateField(label="期間の初日（計上日）", widget=AdminDateWidget)
    date_to = WarekiDateField(label="期間の末日（計上日）", widget=AdminDateWidget)


@admin.register(PayeeAccount)
class PayeeAccountAdmin(DemoFlagLast, LoggedChangeViewAdmin, ClerkDisplayMixin, admin.ModelAdmin):
    access_log_kind = ACCESS_LOG_KIND
    list_display = ["organization", "bank_name", "branch_name", "account_type", "masked_number_display", "is_demo"]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "organization__name_kana", "bank_name"]
    change_list_template = "admin/grants/payeeaccount/change_list.html"

    @admin.display(description="口座番号")
    def masked_number_display(self, obj):
        return obj.masked_number

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        record_change(obj, by=request.user, reason="口座の変更" if change else "口座の登録")
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        can_export = request.user.has_perm(EXPORT)
        extra_context = {**(extra_context or {}), "can_export": can_export}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view(self.accounting_view)
        return [path("accounting/", view, name="grants_payeeaccount_accounting"), *super().get_urls()]

    def accounting_view(self, request):
        """The period's rows on the page (accounts masked), and with `format=csv` or `format=xlsx` the
        download (accounts in full on the 支出命令 rows, logged)."""
        access.require(request, EXPORT)
        form = PeriodForm(request.GET or None)
        entries = None
        if form.is_valid():
            try:
                entries = accounting.accounting_entries(form.cleaned_data["date_from"], form.cleaned_data["date_to"])
            except ValidationError as error:
                add_refusal(form, error)
        kind = request.GET.get("format")
        if entries is not None and kind in ("csv", "xlsx"):
            return self._download(request, form, entries, kind)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "財務会計への連携",
            "form": form,
            "entries": entries,
            "totals": accounting.totals(entries) if entries is not None else None,
            "query": request.GET.urlencode() if entries is not None else "",
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/grants/payeeaccount/accounting.html", context)

    def _download(self, request, form, entries, kind):
        record_access_many(request, accounting.accounts_in_full(entries), DOWNLOAD, kind=ACCESS_LOG_KIND)
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        name = f"財務会計連携_{start:%Y%m%d}-{end:%Y%m%d}"
        if kind == "csv":
            return csv_response(f"{name}.csv", accounting.HEADER, accounting.accounting_rows(entries))
        return download_response(accounting.accounting_xlsx(entries), f"{name}.xlsx", XLSX_CONTENT_TYPE)
