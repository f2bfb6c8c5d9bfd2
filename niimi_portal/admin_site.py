"""The city's admin site: Django's AdminSite with the portal's own titles, made the default site the way
Django documents it ("Overriding the default admin site": an AdminConfig whose `default_site` names it,
in INSTALLED_APPS instead of django.contrib.admin), so `admin.site` and `@admin.register` reach it."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class NiimiAdminSite(AdminSite):
    site_header = "新見市 小規模多機能自治 管理画面"
    site_title = "小規模多機能自治 管理画面"
    index_title = "総合政策課の業務"


class NiimiAdminConfig(AdminConfig):
    default_site = "niimi_portal.admin_site.NiimiAdminSite"
