from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "saypro.engagement"
    label = "engagement"
    verbose_name = "Engagement"
