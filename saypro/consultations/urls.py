"""Sellers' consultation pages, under ``/academy/consultations/``."""

from django.urls import path

from saypro.consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.topics, name="topics"),
    path("mine/", views.mine, name="mine"),
    path("topics/<slug:slug>/", views.topic, name="topic"),
    path("<int:pk>/", views.booking, name="booking"),
    path("<int:pk>/calendar.ics", views.calendar, name="calendar"),
    path("<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
