"""Office › Surveys, under ``/office/surveys/``."""

from django.urls import path

from saypro.surveys import views

app_name = "office_surveys"

urlpatterns = [
    path("", views.office_surveys, name="list"),
    path("new/", views.office_create, name="create"),
    path("<int:pk>/", views.office_results, name="results"),
    path("<int:pk>/edit/", views.office_edit, name="edit"),
    path("<int:pk>/responses.csv", views.office_export, name="export"),
]
