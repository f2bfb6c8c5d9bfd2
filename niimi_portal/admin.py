from django.contrib import admin

from niimi_portal.models import Disposal


@admin.register(Disposal)
class DisposalAdmin(admin.ModelAdmin):
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
