"""Office › Messaging, under ``/office/messaging/``: reported conversations."""

from django.urls import path

from saypro.messaging import views

app_name = "office_messaging"

urlpatterns = [
    path("reports/", views.office_reports, name="reports"),
    path("reports/<int:pk>/", views.office_report, name="report"),
    path("reports/<int:pk>/open", views.office_open_conversation, name="open"),
    path("reports/<int:pk>/resolve", views.office_resolve, name="resolve"),
]
