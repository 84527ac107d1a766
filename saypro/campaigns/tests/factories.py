from datetime import timedelta

import factory
from django.utils import timezone

from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.campaigns.models import Campaign, CampaignMember, Segment, Variant
from saypro.catalog.tests.factories import StoreFactory
from saypro.messaging.models import Conversation, Message, Side, Wait


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    name = factory.Sequence(lambda n: f"Segment {n}")
    rules = factory.LazyFunction(dict)
    created_by = factory.SubFactory(StaffFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    segment = factory.SubFactory(SegmentFactory)
    channel = Campaign.Channel.BANNER
    holdout_percent = 10
    created_by = factory.SelfAttribute("segment.created_by")


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    campaign = factory.SubFactory(CampaignFactory)
    label = "A"
    title = "Answer faster this week"
    body = "Buyers who hear back **within a day** buy more."
    cta_label = "Open your inbox"
    cta_path = "/messages/"
    weight = 100


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignMember

    campaign = factory.SubFactory(CampaignFactory)
    user = factory.SubFactory(UserFactory)
    group = CampaignMember.Group.A


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    buyer = factory.SubFactory(UserFactory)
    store = factory.SubFactory(StoreFactory)
    topic = factory.Sequence(lambda n: f"topic-{n}")


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    sender = factory.SelfAttribute("conversation.buyer")
    side = Side.BUYER
    text = "Is it in stock?"
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
