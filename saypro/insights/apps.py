from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "saypro.insights"
    label = "insights"
    verbose_name = "Feedback insights"
