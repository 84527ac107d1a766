import factory

from saypro.accounts.tests.factories import UserFactory
from saypro.engagement.models import Placement, Prompt, PromptEvent


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
