"""Office › Webinars, under ``/office/webinars/``."""

from django.urls import path

from saypro.webinars import office_views as views

app_name = "office_webinars"

urlpatterns = [
    path("", views.sessions, name="list"),
    path("new/", views.create_session, name="create"),
    path("<int:pk>/edit/", views.edit_session, name="edit"),
    path("<int:pk>/cancel/", views.cancel_session, name="cancel"),
    path("series/new/", views.create_series, name="create_series"),
    path("series/<int:pk>/edit/", views.edit_series, name="edit_series"),
    path("series/<int:pk>/end/", views.end_series, name="end_series"),
]
