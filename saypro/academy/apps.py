from django.apps import AppConfig


class AcademyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "saypro.academy"
    verbose_name = "Seller Academy"
