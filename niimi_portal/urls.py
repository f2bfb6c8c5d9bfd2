from django.contrib import admin
from django.urls import include, path

from niimi_portal import views

admin.site.site_header = "新見市 小規模多機能自治 管理画面"
admin.site.site_title = "小規模多機能自治 管理画面"
admin.site.index_title = "総合政策課の業務"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("_baseline", views.baseline, name="baseline"),
    path("about/", views.about, name="about"),
    path("search/", views.search, name="search"),
    path("accessibility/", views.accessibility_policy, name="accessibility"),
    path("display/", views.display_settings, name="display_settings"),
    path("", include("organizations.urls")),
    path("", include("grants.urls")),
    path("", include("library.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("workspace/", include("staff.urls")),
]

handler404 = "niimi_portal.views.page_not_found"
handler500 = "niimi_portal.views.server_error"
