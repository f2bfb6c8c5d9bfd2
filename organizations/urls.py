from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("regions/", views.region_list, name="region_list"),
    path("regions/find/", views.region_find, name="region_find"),
    path("regions/<str:slug>/", views.region_detail, name="region_detail"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("faq/", views.faq_list, name="faq"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<slug:slug>/", views.case_detail, name="case_detail"),
    path("cases/<slug:slug>/photos/<int:pk>.jpg", views.case_photo, name="case_photo"),
    path("liaisons/", views.liaison_roster, name="liaison_roster"),
    path("liaisons/roster.pdf", views.liaison_roster_pdf, name="liaison_roster_pdf"),
    path("organizations/<slug:slug>/plan.pdf", views.organization_plan_pdf, name="organization_plan_pdf"),
    path("schedule/", views.schedule_page, name="schedule"),
    path("schedule.ics", views.schedule_ics, name="schedule_ics"),
]
