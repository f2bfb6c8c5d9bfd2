from django.urls import path, re_path

from staff import views

app_name = "staff"

# An assigned place is an organization or, where none exists yet, an area: /organizations/<slug>/ or /regions/<slug>/.
TARGET = r"^(?P<kind>organization|region)s/(?P<slug>[-a-zA-Z0-9_]+)/"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(TARGET + r"$", views.target_detail, name="target"),
    re_path(TARGET + r"meetings/new/$", views.meeting_create, name="meeting_create"),
    path("organizations/<slug:slug>/stage/", views.stage_change, name="stage_change"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/export.csv", views.meeting_export, name="meeting_export"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/archive/", views.meeting_archive, name="meeting_archive"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
]
