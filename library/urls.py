from django.urls import path

from library import views

app_name = "library"

urlpatterns = [
    path("documents/", views.document_list, name="list"),
    path("documents/<int:pk>/file/", views.document_file, name="file"),
]
