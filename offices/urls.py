from django.urls import path

from offices import views

app_name = "offices"

# Every page of one organization's 事務局 is under /office/<slug>/ and goes through offices.access.office_view.
urlpatterns = [
    path("", views.start, name="start"),
    path("<slug:slug>/", views.home, name="home"),
]
