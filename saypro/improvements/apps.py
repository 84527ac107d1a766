from django.apps import AppConfig


class ImprovementsConfig(AppConfig):
    name = "saypro.improvements"
    label = "improvements"
    verbose_name = "Improvement plans"
