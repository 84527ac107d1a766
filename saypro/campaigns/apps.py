from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "saypro.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"
