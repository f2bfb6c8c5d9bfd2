"""The organizations' admin as 総合政策課 uses it, registered in place of organizations.admin's.

organizations sits below staff and grants, so its admin knows neither; this subclass adds what the
apps above give the organization's page: 認可, 差戻し, 不認可 and 認可取消 run as acts with their letters
numbered from the 文書番号簿 (grants.approval_acts), the link to preview and issue that letter, the
弁明の機会 before a 取消 (its 付与通知書 and the 弁明 received), what a revocation means for this year's
grant, and the liaisons' stage proposals inline (staff.admin).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from grants import approval_acts, register
from niimi_portal.lib.dates import WarekiDateField
from niimi_portal.lib.refusal import add_refusal
from niimi_portal.lib.wareki import wareki_date
from organizations import admin as organization_admin
from organizations.access import organization_for_workflow
from organizations.admin_forms import POLITE_ENDING
from organizations.models import Organization
from staff.admin import StageChangeInline

LETTER_KINDS = {
    "approve": register.DocumentKind.APPROVAL,
    "return": register.DocumentKind.RETURN,
    "refuse": register.DocumentKind.REFUSAL,
    "revoke": register.DocumentKind.APPROVAL_REVOCATION,
    "hearing": register.DocumentKind.HEARING,
}


class HearingForm(forms.Form):
    """弁明の機会の付与: the facts (in である調, printed on the 付与通知書), its date, the deadline and number."""

    facts = forms.CharField(
        label="不利益処分の原因となる事実",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="取り消そうとする理由。付与通知書に記載します（である調。例: …のため。）。",
        error_messages={"required": "不利益処分の原因となる事実を入力してください。"},
    )
    notified_on = WarekiDateField(label="通知日", widget=AdminDateWidget, initial=timezone.localdate)
    deadline = WarekiDateField(
        label="弁明書の提出期限",
        widget=AdminDateWidget,
        required=False,
        help_text=(
            f"空欄なら通知日の{approval_acts.HEARING_PERIOD_DAYS}日後（土日・祝日・年末年始にあたるときは次の開庁日）"
            "にします。"
        ),
    )
    number = forms.CharField(
        label="付与通知書の文書番号",
        max_length=50,
        required=False,
        help_text="空欄なら文書番号簿の次の番号を取ります。",
    )

    def clean_facts(self):
        """Printed in an official document, written in である調 (as the 取消's reason)."""
        facts = self.cleaned_data["facts"]
        polite = POLITE_ENDING.search(facts)
        if polite:
            raise forms.ValidationError(
                f"通知書に記載するため、である調で書いてください（「{polite[0]}」→ 例:「…のため。」「…である。」）。"
            )
        return facts


class AnswerForm(forms.Form):
    explained_on = WarekiDateField(label="弁明書の受付日", widget=AdminDateWidget, initial=timezone.localdate)
    explanation = forms.CharField(
        label="弁明の要旨", widget=forms.Textarea(attrs={"rows": 5}), help_text="認可取消通知書に記載します。"
    )


class OrganizationAdmin(organization_admin.OrganizationAdmin):
    inlines = [*organization_admin.OrganizationAdmin.inlines, StageChangeInline]
    transition_services = approval_acts.ACTS

    def letter_link(self, organization, transition_name):
        """After 認可 or 差戻し: where to preview and issue the letter, under the number the register gave it."""
        kind = LETTER_KINDS.get(transition_name)
        entry = kind and register.latest_entry(kind=kind, organization=organization)
        if not entry:
            return ""
        return self._letter_message(entry)

    @staticmethod
    def _letter_message(entry):
        return format_html(
            '{}（{}）は文書番号簿から<a href="{}">プレビュー</a>し、<a href="{}">決裁に回せます</a>'
            "（番号は決裁の後に付きます）。",
            entry.get_kind_display(),
            entry.text_with_year,
            reverse("admin:grants_documentnumber_preview", args=[entry.pk]),
            reverse("admin:grants_documentnumber_issue", args=[entry.pk]),
        )

    def transition_consequences(self, organization, transition_name):
        if transition_name != "revoke":
            return None
        return approval_acts.revocation_consequences(organization)

    def get_urls(self):
        view = self.admin_site.admin_view
        hearing = [
            path("<path:object_id>/hearing/", view(self.hearing_view), name="organizations_organization_hearing"),
            path(
                "<path:object_id>/hearing-answer/",
                view(self.hearing_answer_view),
                name="organizations_organization_hearing_answer",
            ),
        ]
        return [*hearing, *super().get_urls()]

    def workflow_context(self, request, organization):
        """Besides the moves: the 弁明の機会 an approved organization has been given, and the links to give
        it or to record the 弁明 (the 取消 waits for one of them)."""
        context = super().workflow_context(request, organization)
        if not (organization.is_approved and context["may_run_workflow"]):
            return context
        hearing = approval_acts.open_hearing(organization)
        if hearing is None:
            context["workflow_notes"] = ["認可を取り消す前に、弁明の機会を付与します（不利益処分のため）。"]
            context["workflow_links"] = [(self._url("hearing", organization), "弁明の機会の付与")]
            return context
        context["workflow_notes"] = [
            f"弁明の機会: {wareki_date(hearing.notified_on)}に付与（{hearing.notice_entry.text_with_year}）、"
            f"弁明書の提出期限 {wareki_date(hearing.deadline)}、{hearing.explanation_status}"
        ]
        if hearing.explained_on is None:
            context["workflow_links"] = [(self._url("hearing_answer", organization), "弁明書の受付")]
        return context

    @staticmethod
    def _url(name, organization):
        return reverse(f"admin:organizations_organization_{name}", args=[organization.pk])

    def _hearing_page(self, request, organization, form, title, intro, hearing=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{title}: {organization}",
            "step_title": title,
            "organization": organization,
            "hearing": hearing,
            "intro": intro,
            "form": form,
            "media": self.media + form.media if form is not None else self.media,
        }
        return TemplateResponse(request, "admin/organizations/organization/hearing.html", context)

    def _done(self, request, organization, message, entry):
        self.message_user(request, message, messages.SUCCESS)
        if entry is not None:
            self.message_user(request, self._letter_message(entry), messages.INFO)
        return redirect(reverse("admin:organizations_organization_change", args=[organization.pk]))

    def hearing_view(self, request, object_id):
        """弁明の機会の付与 (GET shows the form, POST gives it and numbers the 付与通知書)."""
        organization = organization_for_workflow(request, self, object_id)
        form = HearingForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                hearing = approval_acts.hearing_notify(organization=organization, by=request.user, **form.cleaned_data)
            except ValidationError as refused:
                add_refusal(form, refused)
            else:
                return self._done(
                    request,
                    organization,
                    f"弁明の機会を付与しました（弁明書の提出期限 {wareki_date(hearing.deadline)}）。",
                    hearing.notice_entry,
                )
        intro = (
            "認可の取消しは不利益処分のため、取り消す前に弁明の機会を付与します。付与通知書（処分ではないため"
            "教示はありません）に、予定する処分、その根拠、原因となる事実、弁明書の提出先と提出期限を記載します。"
        )
        return self._hearing_page(request, organization, form, "弁明の機会の付与", intro)

    def hearing_answer_view(self, request, object_id):
        """弁明書の受付: the date and gist of the 弁明 of the organization's open 弁明の機会."""
        organization = organization_for_workflow(request, self, object_id)
        hearing = approval_acts.open_hearing(organization)
        form = AnswerForm(request.POST if request.method == "POST" else None)
        if hearing is None:
            form = None
        elif request.method == "POST" and form.is_valid():
            try:
                approval_acts.hearing_record_explanation(hearing=hearing, by=request.user, **form.cleaned_data)
            except ValidationError as refused:
                add_refusal(form, refused)
            else:
                return self._done(request, organization, "弁明書の受付を記録しました。", None)
        intro = (
            "弁明書を受け付けたら、その日と弁明の要旨を記録します。"
            "弁明を記録すると、提出期限の前でも認可を取り消せます。"
        )
        return self._hearing_page(request, organization, form, "弁明書の受付", intro, hearing)


admin.site.unregister(Organization)
admin.site.register(Organization, OrganizationAdmin)
