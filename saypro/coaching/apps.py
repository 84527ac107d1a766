from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "saypro.coaching"
    label = "coaching"
    verbose_name = "Response coach"
