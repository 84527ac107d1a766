"""Office › Support, under ``/office/support/``."""

from django.urls import path

from saypro.support import views

app_name = "office_support"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("duty/", views.duty, name="duty"),
    path("duty/<int:pk>/remove/", views.remove_shift, name="remove_shift"),
    path("canned/", views.canned_replies, name="canned"),
    path("canned/<int:pk>/", views.canned_replies, name="canned_edit"),
    path("tickets/<str:code>/", views.office_ticket, name="ticket"),
    path("tickets/<str:code>/reply/", views.office_reply, name="reply"),
    path("tickets/<str:code>/note/", views.office_note, name="note"),
    path("tickets/<str:code>/assign/", views.office_assign, name="assign"),
    path("tickets/<str:code>/status/", views.office_status, name="status"),
    path("tickets/<str:code>/priority/", views.office_priority, name="priority"),
]
