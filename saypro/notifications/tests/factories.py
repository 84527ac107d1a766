import factory

from saypro.accounts.tests.factories import UserFactory
from saypro.notifications.models import Channel, Notification, NotificationType


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    type = NotificationType.REVIEW_NEW
    channel = Channel.IN_APP
    text = factory.Sequence(lambda n: f"Notification {n}")
    link = "/notifications/"
