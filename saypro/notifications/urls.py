from django.urls import path

from saypro.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("menu/", views.menu, name="menu"),
    path("<int:pk>/read", views.read, name="read"),
    path("<int:pk>/open", views.open_notification, name="open"),
    path("read-all", views.read_all, name="read_all"),
    path("settings/", views.settings_page, name="settings"),
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
]
