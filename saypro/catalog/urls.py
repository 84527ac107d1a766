from django.urls import path

from saypro.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
]
