from django.contrib import admin

from library.forms import LibraryDocumentForm
from library.models import LibraryDocument
from niimi_portal.lib.admin_display import ClerkDisplayMixin


@admin.register(LibraryDocument)
class LibraryDocumentAdmin(ClerkDisplayMixin, admin.ModelAdmin):
    form = LibraryDocumentForm
    list_display = ["title", "category", "published_on", "order", "is_published", "is_demo"]
    list_filter = ["category", "is_published", "is_demo"]
    list_editable = ["order", "is_published"]
    search_fields = ["title", "description"]  # also what the FAQ's source field searches
    fieldsets = [
        (None, {"fields": ["title", "category", "description", "published_on", "order"]}),
        ("資料の場所（どちらか一方）", {"fields": ["file", "external_url"]}),
        ("公開", {"fields": ["is_published", "is_demo"]}),
    ]
