from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "saypro.messaging"
    label = "messaging"
    verbose_name = "Messaging"
