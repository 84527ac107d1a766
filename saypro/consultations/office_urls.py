"""Office › Consultations, under ``/office/consultations/``: the experts' pages."""

from django.urls import path

from saypro.consultations import views

app_name = "office_consultations"

urlpatterns = [
    path("", views.office_availability, name="availability"),
    path("weekly/", views.office_add_weekly, name="add_weekly"),
    path("weekly/<int:pk>/remove/", views.office_remove_weekly, name="remove_weekly"),
    path("slots/", views.office_add_slot, name="add_slot"),
    path("slots/<int:pk>/remove/", views.office_remove_slot, name="remove_slot"),
    path("topics/<int:pk>/active/", views.office_topic_active, name="topic_active"),
    path("bookings/", views.office_bookings, name="bookings"),
    path("bookings/<int:pk>/", views.office_booking, name="booking"),
    path("bookings/<int:pk>/notes/", views.office_notes, name="notes"),
    path("bookings/<int:pk>/cancel/", views.office_cancel, name="cancel"),
]
