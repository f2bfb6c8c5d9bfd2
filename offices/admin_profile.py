"""公開ページの変更の提案 (ProfileEdit) in the admin: 総合政策課 reads each beside the page as it is and accepts
(反映) or declines (見送り, with the reason the 事務局 reads), as it does a liaison's proposal."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from niimi_portal.lib.admin_display import ClerkDisplayMixin
from offices import profile
from offices.models import ProfileEdit
from organizations.access import can_run_workflow
from organizations.models import ProposalStatus


@admin.register(ProfileEdit)
class ProfileEditAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    list_display = ["organization", "proposed_at", "proposed_by", "status", "decided_by", "review_link"]
    list_filter = ["status"]
    search_fields = ["organization__name", "organization__name_kana"]
    list_select_related = ["organization", "proposed_by", "decided_by"]
    readonly_fields = [
        "organization",
        *profile.FIELDS,
        "proposed_by",
        "proposed_at",
        "status",
        "decided_by",
        "decided_at",
        "decline_reason",
    ]

    def has_add_permission(self, request):
        return False  # the 事務局 proposes on their own page

    def has_change_permission(self, request, obj=None):
        return False  # decided on the review screen, never edited here

    @admin.display(description="確認")
    def review_link(self, edit):
        label = "反映・見送りを判断する" if edit.status == ProposalStatus.PENDING else "内容を見る"
        return format_html('<a href="{}">{}</a>', reverse("admin:offices_profileedit_review", args=[edit.pk]), label)

    def get_urls(self):
        review = path(
            "<int:pk>/review/", self.admin_site.admin_view(self.review_view), name="offices_profileedit_review"
        )
        return [review, *super().get_urls()]

    def review_view(self, request, pk):
        """The proposal beside the page as it is now; 反映 or 見送り (with a reason)."""
        if not can_run_workflow(request.user):
            raise PermissionDenied
        edit = get_object_or_404(ProfileEdit.objects.select_related("organization", "proposed_by", "decided_by"), pk=pk)
        errors = []
        if request.method == "POST" and edit.status == ProposalStatus.PENDING:
            action = request.POST.get("action")
            try:
                if action == "accept":
                    profile.profile_edit_accept(edit=edit, by=request.user)
                elif action == "decline":
                    profile.profile_edit_decline(edit=edit, by=request.user, reason=request.POST.get("reason"))
                else:
                    raise ValidationError("操作を読み取れませんでした。もう一度お試しください。")
            except ValidationError as refused:
                errors = refused.messages
            else:
                label = "反映しました（公開ページに載りました）" if action == "accept" else "見送りました"
                self.message_user(
                    request,
                    f"{edit.organization}の公開ページの変更の提案を{label}。結果は事務局のページに表示し、メールでも知らせます。",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:offices_profileedit_changelist") + "?status__exact=pending")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"公開ページの変更の提案: {edit.organization}",
            "edit": edit,
            "rows": profile.edit_rows(edit),
            "consent_missing": profile.consent_missing(edit),
            "is_pending": edit.status == ProposalStatus.PENDING,
            "errors": errors,
            "posted_reason": request.POST.get("reason", ""),
        }
        return TemplateResponse(request, "admin/offices/profileedit/review.html", context)
