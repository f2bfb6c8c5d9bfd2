"""The user admin with the two-factor recovery path: an administrator resets another person's second
factor (a lost phone) so they set it up again at their next sign-in. Never their own: a person who
lost their phone asks a second administrator, so one stolen password cannot remove the second factor."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django_otp import devices_for_user, user_has_device

User = get_user_model()


class TwoFactorUserAdmin(UserAdmin):
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
