"""The seller's support pages, under ``/support/``."""

from django.urls import path

from saypro.support import views

app_name = "support"

urlpatterns = [
    path("", views.my_tickets, name="mine"),
    path("new/", views.new_ticket, name="new"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<str:code>/", views.ticket, name="ticket"),
    path("<str:code>/reply/", views.reply, name="reply"),
    path("<str:code>/close/", views.close, name="close"),
    path("<str:code>/reopen/", views.reopen, name="reopen"),
]
