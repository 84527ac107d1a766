from django.urls import path

from saypro.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.new_conversation, name="new"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("<int:pk>/send", views.send, name="send"),
    path("<int:pk>/state", views.change_state, name="state"),
    path("<int:pk>/report", views.report, name="report"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("cards/<int:pk>/", views.open_card, name="card"),
]
