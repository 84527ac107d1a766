"""Messaging rows written directly (no services, no events): for other apps' tests that need
conversations, messages and waits as data, e.g. a stored first-response time."""

from datetime import timedelta

import factory
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import StoreFactory
from saypro.messaging.models import Conversation, Message, Side, Wait


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    buyer = factory.SubFactory(UserFactory)
    store = factory.SubFactory(StoreFactory)
    topic = factory.Sequence(lambda n: f"test:{n}")


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    sender = factory.SelfAttribute("conversation.buyer")
    side = Side.BUYER
    text = "Is it still available?"
    fingerprint = factory.Sequence(lambda n: f"fingerprint-{n}")
    created_at = factory.LazyFunction(timezone.now)


class WaitFactory(factory.django.DjangoModelFactory):
    """A buyer's wait; ``on_time`` True/False makes it answered before/after its due time."""

    class Meta:
        model = Wait
        exclude = ("on_time",)

    conversation = factory.SubFactory(ConversationFactory)
    message = factory.SubFactory(
        MessageFactory, conversation=factory.SelfAttribute("..conversation")
    )
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    due_at = factory.LazyAttribute(lambda wait: wait.started_at + timedelta(hours=24))
    on_time = True
    outcome = Wait.Outcome.ANSWERED
    ended_at = factory.LazyAttribute(
        lambda wait: wait.started_at + timedelta(hours=2 if wait.on_time else 30)
    )
