from django.urls import path

from saypro.insights import views

app_name = "office_insights"

urlpatterns = [
    path("", views.themes, name="themes"),
    path("new/", views.theme_create, name="theme_create"),
    path("<int:pk>/", views.theme_edit, name="theme_edit"),
    path("<int:pk>/active", views.theme_active, name="theme_active"),
]
