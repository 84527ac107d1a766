from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "saypro.notifications"
    label = "notifications"
    verbose_name = "Notifications"
