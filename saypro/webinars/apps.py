from django.apps import AppConfig


class WebinarsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "saypro.webinars"
    verbose_name = "Webinars and workshops"
