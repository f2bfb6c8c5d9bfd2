"""The 事務局's accounts in the admin (総合政策課): invited from the organization's page, listed there, removed
there or from the list of accounts (the history keeps who served when).

The organization's admin is grants.admin_organizations'; this subclass, registered in its place, adds the
事務局 panel to its change page and the invite and remove views (offices sits above grants, so it may).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from grants import admin_organizations
from niimi_portal.lib.history import ReadOnlyHistoryAdmin
from niimi_portal.lib.people import display_name
from niimi_portal.lib.refusal import add_refusal
from offices import invitations
from offices.models import OfficeMember
from organizations.models import Organization

INVITE = "offices.add_officemember"
REMOVE = "offices.delete_officemember"


class InviteForm(forms.Form):
    name = forms.CharField(
        label="氏名",
        max_length=100,
        help_text="姓と名の間に空白を入れてください（例: 新見 花子）。",
        error_messages={"required": "氏名を入力してください。"},
    )
    email = forms.EmailField(
        label="メールアドレス",
        help_text="ログインのユーザー名になります。パスワードを設定するリンクをこのアドレスに送ります。",
        error_messages={
            "required": "メールアドレスを入力してください。",
            "invalid": "メールアドレスの形が正しくありません。",
        },
    )
    role = forms.CharField(label="役職", max_length=50, required=False, help_text="事務局長、会計など（任意）")


@admin.register(OfficeMember)
class OfficeMemberAdmin(ReadOnlyHistoryAdmin):
    """Every 事務局 account: who, for which organization, invited when, password set when. New ones come from
    the organization's page (「事務局を招待する」), which sends the mail."""

    list_display = ["organization", "person", "email", "role", "invited_at", "joined_at"]
    list_filter = [("joined_at", admin.EmptyFieldListFilter)]
    search_fields = ["organization__name", "organization__name_kana", "user__email", "user__last_name"]
    list_select_related = ["organization", "user"]
    fields = ["organization", "person", "email", "role", "invited_by", "invited_at", "joined_at"]
    readonly_fields = ["organization", "person", "email", "invited_by", "invited_at", "joined_at"]

    def has_add_permission(self, request):
        return False  # an account is made by the invitation, which sends the link

    @admin.display(description="氏名")
    def person(self, member):
        return display_name(member.user)

    @admin.display(description="メールアドレス", ordering="user__email")
    def email(self, member):
        return member.user.email


class OrganizationAdmin(admin_organizations.OrganizationAdmin):
    change_form_template = "admin/offices/organization/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/office/invite/", view(self.invite_view), name="organizations_organization_invite"),
            path(
                "<path:object_id>/office/<int:member_pk>/remove/",
                view(self.remove_view),
                name="organizations_organization_office_remove",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        members = []
        if str(object_id).isdigit():
            members = OfficeMember.objects.filter(organization_id=object_id).select_related("user", "invited_by")
        extra_context = {
            **(extra_context or {}),
            "office_members": members,
            "may_invite": request.user.has_perm(INVITE),
            "may_remove": request.user.has_perm(REMOVE),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _organization(self, request, object_id, permission):
        if not request.user.has_perm(permission):
            raise PermissionDenied
        organization = self.get_object(request, object_id)
        if organization is None:
            raise PermissionDenied
        return organization

    def _page(self, request, organization, template, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "organization": organization,
            **context,
        }
        return TemplateResponse(request, f"admin/offices/organization/{template}", context)

    def _back(self, organization):
        return redirect(reverse("admin:organizations_organization_change", args=[organization.pk]))

    def invite_view(self, request, object_id):
        """事務局を招待する: GET shows the form, POST makes the account and sends the link."""
        organization = self._organization(request, object_id, INVITE)
        form = InviteForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                member = invitations.member_invite(organization=organization, by=request.user, **form.cleaned_data)
            except ValidationError as refused:
                add_refusal(form, refused)
            else:
                self.message_user(
                    request,
                    f"{display_name(member.user)}さん（{member.user.email}）を{organization}の事務局に招待し、"
                    "案内のメールを送りました。",
                    messages.SUCCESS,
                )
                return self._back(organization)
        return self._page(request, organization, "invite.html", form=form, title=f"事務局を招待する: {organization}")

    def remove_view(self, request, object_id, member_pk):
        """事務局から外す: GET asks for confirmation, POST removes (the account stays for other organizations)."""
        organization = self._organization(request, object_id, REMOVE)
        member = get_object_or_404(OfficeMember.objects.select_related("user"), pk=member_pk, organization=organization)
        if request.method == "POST":
            invitations.member_remove(member=member, by=request.user)
            self.message_user(
                request, f"{display_name(member.user)}さんを{organization}の事務局から外しました。", messages.SUCCESS
            )
            return self._back(organization)
        return self._page(request, organization, "remove.html", member=member, title=f"事務局から外す: {organization}")


admin.site.unregister(Organization)
admin.site.register(Organization, OrganizationAdmin)
