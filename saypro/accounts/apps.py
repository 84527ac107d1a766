from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "saypro.accounts"
    label = "accounts"
    verbose_name = "Accounts"
