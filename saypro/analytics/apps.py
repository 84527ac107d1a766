from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "saypro.analytics"
    verbose_name = "KPIs and targets"

    def ready(self) -> None:
        # Connects the domain rows' save/delete signals that mark rollups dirty.
        from saypro.analytics import signals  # noqa: F401
