from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "saypro.knowledge"
    verbose_name = "Knowledge base"
