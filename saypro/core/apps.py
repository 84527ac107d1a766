from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saypro.core"
    label = "core"
    verbose_name = "Core"
