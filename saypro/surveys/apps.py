from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "saypro.surveys"
    label = "surveys"
    verbose_name = "Surveys"
