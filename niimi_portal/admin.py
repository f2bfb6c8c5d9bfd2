"""The site's own admin: 廃棄の記録 and 本人開示 (issue 32), and the user admin with the two-factor recovery
path: an administrator resets another person's second factor (a lost phone) so they set it up again at their
next sign-in. Never their own: a person who lost their phone asks a second administrator, so one stolen
password cannot remove the second factor."""

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, user_has_device

from niimi_portal.disclosure import zip_bytes as disclosure_zip
from niimi_portal.lib.admin_display import ClerkDisplayMixin
from niimi_portal.models import Disclosure, Disposal

User = get_user_model()


class TwoFactorUserAdmin(ClerkDisplayMixin, UserAdmin):
    actions = ["reset_two_factor"]
    list_display = [*UserAdmin.list_display, "two_factor"]

    @admin.display(description="2段階認証", boolean=True)
    def two_factor(self, user):
        return user_has_device(user)

    def has_reset_two_factor_permission(self, request):
        return request.user.is_superuser

    @admin.action(description="選択したユーザーの2段階認証をリセットする", permissions=["reset_two_factor"])
    def reset_two_factor(self, request, queryset):
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(
                request,
                "ご自身の2段階認証はリセットできません。ほかの管理者に依頼してください。どのユーザーもリセットしていません。",
                messages.ERROR,
            )
            return
        reset = []
        for user in queryset:
            for device in devices_for_user(user, confirmed=None):
                device.delete()
            self.log_change(request, user, "2段階認証をリセット（次のログインで設定し直し）")
            reset.append(user.get_username())
        self.message_user(request, f"2段階認証をリセットしました: {'、'.join(reset)}", messages.SUCCESS)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, TwoFactorUserAdmin)


def show_as_clerk(model):
    """Register `model` again with its library's own admin plus ClerkDisplayMixin (unregister, then register,
    as the admin documents), so its dates read in 和暦 like every other admin page."""
    library_admin = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(library_admin.__name__, (ClerkDisplayMixin, library_admin), {}))


# The libraries' admins registered before this module (groups, sign-in attempts, second-factor devices).
for registered in [model for model in apps.get_models() if admin.site.is_registered(model) and model is not User]:
    show_as_clerk(registered)


@admin.register(Disposal)
class DisposalAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    """廃棄の記録: written only by `apply_retention`; the 課 reads it, nobody edits or deletes it."""

    list_display = ["label", "record_type", "action", "counted_from", "disposed_at"]
    list_filter = ["record_type", "action"]
    search_fields = ["label", "object_pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Disclosure)
class DisclosureAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    """本人開示: an administrator (superuser) records a request, then produces the ZIP by a POST from its page.
    The 課's clerks do not see it: it reaches every record about a person."""

    list_display = ["person_name", "received_on", "produced_at", "record_count"]
    fields = ["person_name", "phone", "email", "received_on", "requested_by", "produced_at", "record_count"]
    readonly_fields = ["requested_by", "produced_at", "record_count"]
    change_form_template = "admin/niimi_portal/disclosure/change_form.html"

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.requested_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        produce = self.admin_site.admin_view(require_POST(self.produce_view))
        return [path("<int:pk>/zip/", produce, name="niimi_portal_disclosure_zip"), *super().get_urls()]

    def produce_view(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        disclosure = get_object_or_404(Disclosure, pk=pk)
        content, count = disclosure_zip(disclosure)
        disclosure.produced_at, disclosure.record_count = timezone.now(), count
        disclosure.save(update_fields=["produced_at", "record_count"])
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = content_disposition_header(True, f"本人開示_{disclosure.pk}.zip")
        response["Cache-Control"] = "private, no-store"
        return response
