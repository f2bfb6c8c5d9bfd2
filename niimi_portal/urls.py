from django.contrib import admin
from django.urls import include, path, re_path

from niimi_portal import city_pages, opendata_views, public_views, two_factor_views, views
from organizations import views as organization_views

# The `organizations` namespace, in one list: the organizations app's own pages (areas, organizations, FAQ,
# case examples) and the site's pages that read several apps (an area's or an organization's page and its
# plan summary, which name liaison staff; the roster; the 予定; open data). The site's keep the names they
# have always had (organizations:region_detail, organizations:open_data, …). `regions/find/` comes before
# `regions/<slug>/`.
organization_pages = [
    path("regions/", organization_views.region_list, name="region_list"),
    path("regions/find/", organization_views.region_find, name="region_find"),
    path("regions/<str:slug>/", public_views.region_detail, name="region_detail"),
    path("organizations/", organization_views.organization_list, name="organization_list"),
    path("organizations/<slug:slug>/", public_views.organization_detail, name="organization_detail"),
    path("faq/", organization_views.faq_list, name="faq"),
    path("cases/", organization_views.case_list, name="case_list"),
    path("cases/<slug:slug>/", organization_views.case_detail, name="case_detail"),
    path("cases/<slug:slug>/photos/<int:pk>.jpg", organization_views.case_photo, name="case_photo"),
    path("liaisons/", public_views.liaison_roster, name="liaison_roster"),
    path("liaisons/roster.pdf", public_views.liaison_roster_pdf, name="liaison_roster_pdf"),
    path("organizations/<slug:slug>/plan.pdf", public_views.organization_plan_pdf, name="organization_plan_pdf"),
    path("schedule/", public_views.schedule_page, name="schedule"),
    path("schedule.ics", public_views.schedule_ics, name="schedule_ics"),
    path("open-data/", opendata_views.open_data, name="open_data"),
    re_path(
        r"^open-data/(?P<slug>[a-z]+)\.(?P<extension>csv|json)$", opendata_views.open_data_file, name="open_data_file"
    ),
]


# The pages every city site has (niimi_portal.city_pages).
city_pages_urls = [
    path("notices/", city_pages.notice_list, name="notices"),
    path("notices/<int:pk>/", city_pages.notice_detail, name="notice"),
    path("privacy/", city_pages.site_page, {"kind": "privacy"}, name="privacy"),
    path("disclaimer/", city_pages.site_page, {"kind": "disclaimer"}, name="disclaimer"),
    path("sitemap/", city_pages.sitemap_page, name="sitemap"),
    path("sitemap.xml", city_pages.sitemap_xml, name="sitemap_xml"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("_baseline", views.baseline, name="baseline"),
    path("about/", views.about, name="about"),
    path("search/", views.search, name="search"),
    path("accessibility/", views.accessibility_policy, name="accessibility"),
    path("display/", views.display_settings, name="display_settings"),
    path("", include((organization_pages, "organizations"))),
    path("", include((city_pages_urls, "city"))),
    path("", include("grants.urls")),
    path("", include("library.urls")),
    path("accounts/two-factor/", two_factor_views.setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("workspace/", include("staff.urls")),
    path("office/", include("offices.urls")),
]

handler404 = "niimi_portal.views.page_not_found"
handler500 = "niimi_portal.views.server_error"
