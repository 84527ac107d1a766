import factory

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import StoreFactory
from saypro.engagement.models import Placement, Prompt, PromptEvent
from saypro.messaging.models import Conversation, Message, Side


class PromptFactory(factory.django.DjangoModelFactory):
    """An office prompt on the product page for anyone signed in."""

    class Meta:
        model = Prompt

    name = factory.Sequence(lambda n: f"Prompt {n}")
    placement = Placement.PRODUCT_PAGE
    title = "Hello {first_name}"
    text = "A word about {store}."
    cta_label = "Have a look"
    cta_link = "/s/{store_slug}/"


class PromptEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromptEvent

    prompt = factory.SubFactory(PromptFactory)
    user = factory.SubFactory(UserFactory)
    kind = PromptEvent.Kind.SHOWN


class ConversationFactory(factory.django.DjangoModelFactory):
    """A conversation row written directly, e.g. with a stored first-response time."""

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
