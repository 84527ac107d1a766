from django.urls import path

from saypro.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("tokens/<int:token_id>/revoke", views.revoke_token, name="revoke_token"),
]
