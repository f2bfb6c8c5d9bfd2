from django.contrib import admin
from django.urls import include, path, re_path

from niimi_portal import opendata_views, views
from organizations import urls as organization_urls

admin.site.site_header = "新見市 小規模多機能自治 管理画面"
admin.site.site_title = "小規模多機能自治 管理画面"
admin.site.index_title = "総合政策課の業務"

# The open data pages read every app, so their views are the site's; they keep the names they have
# always had in the `organizations` namespace (organizations:open_data, organizations:open_data_file).
organization_pages = [
    *organization_urls.urlpatterns,
    path("open-data/", opendata_views.open_data, name="open_data"),
    re_path(
        r"^open-data/(?P<slug>[a-z]+)\.(?P<extension>csv|json)$", opendata_views.open_data_file, name="open_data_file"
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("_baseline", views.baseline, name="baseline"),
    path("about/", views.about, name="about"),
    path("search/", views.search, name="search"),
    path("accessibility/", views.accessibility_policy, name="accessibility"),
    path("display/", views.display_settings, name="display_settings"),
    path("", include((organization_pages, organization_urls.app_name))),
    path("", include("grants.urls")),
    path("", include("library.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("workspace/", include("staff.urls")),
]

handler404 = "niimi_portal.views.page_not_found"
handler500 = "niimi_portal.views.server_error"
