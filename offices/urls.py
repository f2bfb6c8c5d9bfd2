from django.urls import path

from offices import form_views, page_views, views

app_name = "offices"

# Every page of one organization's 事務局 is under /office/<slug>/ and goes through offices.access.office_view;
# the invitation's link (welcome) is the one page for someone not yet signed in.
urlpatterns = [
    path("", views.start, name="start"),
    path("welcome/<uidb64>/<token>/", views.welcome, name="welcome"),
    path("<slug:slug>/", views.home, name="home"),
    path("<slug:slug>/documents/", views.documents, name="documents"),
    path("<slug:slug>/documents/<int:pk>/pdf/", views.document_pdf, name="document_pdf"),
]

# -- the forms of the grant year (offices.form_views): 交付申請, 変更申請, 請求, 実績報告 -----------------------
urlpatterns += [
    path("<slug:slug>/forms/<str:kind>/", form_views.form_page, name="form"),
    path("<slug:slug>/forms/<str:kind>/draft/", form_views.form_draft, name="form_draft"),
    path("<slug:slug>/forms/<str:kind>/carry-over/", form_views.form_carry_over, name="form_carry_over"),
    path("<slug:slug>/forms/<str:kind>/sent/<int:pk>/", form_views.form_done, name="form_done"),
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
