from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "saypro.rewards"
    label = "rewards"
    verbose_name = "Points, badges and rewards"
