"""Seller Center › Inbox, under ``/seller/<store slug>/inbox/``."""

from django.urls import path

from saypro.messaging import views

app_name = "seller_inbox"

urlpatterns = [
    path("", views.seller_inbox, name="inbox"),
    path("<int:pk>/", views.seller_conversation, name="conversation"),
    path("<int:pk>/no-response-needed", views.no_response_needed, name="no_response_needed"),
    path("quick-replies/", views.quick_replies, name="quick_replies"),
    path("quick-replies/<int:pk>/", views.quick_reply_edit, name="quick_reply"),
    path("quick-replies/<int:pk>/delete", views.quick_reply_delete, name="quick_reply_delete"),
]
