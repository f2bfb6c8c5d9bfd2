"""総合政策課 sees every mail the portal sent or could not send, and may queue a given-up one again (再送)."""

from django.contrib import admin, messages

from niimi_portal.lib.admin_display import ClerkDisplayMixin
from outbox.models import Message
from outbox.services import message_resend


@admin.register(Message)
class MessageAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    list_display = ["created_at", "subject", "recipient_list", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    fields = [
        "subject",
        "recipient_list",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "body",
    ]
    readonly_fields = fields

    @admin.display(description="宛先")
    def recipient_list(self, message):
        return "、".join(message.recipients)

    @admin.display(description="本文")
    def body(self, message):
        return message.data.get("body", "")

    def has_add_permission(self, request):
        return False

    @admin.action(description="選んだ「送信できず」のメールを再送する", permissions=["change"])
    def resend(self, request, queryset):
        queued = [message for message in queryset if message_resend(message=message)]
        for message in queued:
            self.log_change(request, message, "再送の待ち行列に戻しました。")
        skipped = len(queryset) - len(queued)
        self.message_user(request, f"{len(queued)}件を送信待ちに戻しました。次の送信の実行で送ります。")
        if skipped:
            self.message_user(
                request, f"{skipped}件は「送信できず」ではないため、再送しませんでした。", messages.WARNING
            )
