from django.urls import path

from saypro.rewards import views

app_name = "rewards"

urlpatterns = [
    path("", views.points, name="points"),
    path("<int:pk>/redeem", views.redeem, name="redeem"),
]
