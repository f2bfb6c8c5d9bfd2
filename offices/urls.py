from django.urls import path

from offices import views

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
