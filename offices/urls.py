from django.urls import path

from offices import page_views, views

app_name = "offices"

# Every page of one organization's 事務局 is under /office/<slug>/ and goes through offices.access.office_view.
urlpatterns = [
    path("", views.start, name="start"),
    path("<slug:slug>/", views.home, name="home"),
]

# -- the public page's edits and the forms' attachments (offices.page_views) ---------------------------------
urlpatterns += [
    path("<slug:slug>/page/", page_views.profile_edit, name="profile"),
    path(
        "<slug:slug>/submissions/<int:pk>/attachments/",
        page_views.submission_attachments,
        name="submission_attachments",
    ),
    path("<slug:slug>/attachments/<int:pk>/", page_views.attachment_download, name="attachment_download"),
    path("<slug:slug>/attachments/<int:pk>/label/", page_views.attachment_label, name="attachment_label"),
    path("<slug:slug>/attachments/<int:pk>/remove/", page_views.attachment_remove, name="attachment_remove"),
]
