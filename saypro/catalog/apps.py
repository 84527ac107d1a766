from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "saypro.catalog"
    label = "catalog"
    verbose_name = "Catalog and orders"
