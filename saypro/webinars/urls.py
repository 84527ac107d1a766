"""Webinars and workshops, under ``/academy/webinars/``."""

from django.urls import path

from saypro.webinars import views

app_name = "webinars"

urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("past/", views.past, name="past"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.session, name="session"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/invite.ics", views.invite, name="invite"),
    path("<int:pk>/host/", views.host, name="host"),
    path("<int:pk>/recording/", views.recording, name="recording"),
]
