"""The organizations' admin as 総合政策課 uses it, registered in place of organizations.admin's.

organizations sits below staff and grants, so its admin knows neither; this subclass adds what the
apps above give the organization's page: 認可 and 差戻し run as acts with their letters numbered from
the 文書番号簿 (grants.approval_acts), the link to preview and issue that letter, what a revocation
means for this year's grant, and the liaisons' stage proposals inline (staff.admin).
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from grants import approval_acts, register
from organizations import admin as organization_admin
from organizations.models import Organization
from staff.admin import StageChangeInline

LETTER_KINDS = {
    "approve": register.DocumentKind.APPROVAL,
    "return": register.DocumentKind.RETURN,
    "refuse": register.DocumentKind.REFUSAL,
}


class OrganizationAdmin(organization_admin.OrganizationAdmin):
    inlines = [*organization_admin.OrganizationAdmin.inlines, StageChangeInline]
    transition_services = approval_acts.ACTS

    def letter_link(self, organization, transition_name):
        """After 認可 or 差戻し: where to preview and issue the letter, under the number the register gave it."""
        kind = LETTER_KINDS.get(transition_name)
        entry = kind and register.latest_entry(kind=kind, organization=organization)
        if not entry:
            return ""
        return format_html(
            '{}（{}）は文書番号簿から<a href="{}">プレビュー</a>・<a href="{}">発行</a>できます。',
            entry.get_kind_display(),
            entry.text,
            reverse("admin:grants_documentnumber_preview", args=[entry.pk]),
            reverse("admin:grants_documentnumber_issue", args=[entry.pk]),
        )

    def transition_consequences(self, organization, transition_name):
        if transition_name != "revoke":
            return None
        return approval_acts.revocation_consequences(organization)


admin.site.unregister(Organization)
admin.site.register(Organization, OrganizationAdmin)
