from datetime import timedelta

import factory

from saypro.accounts.tests.factories import UserFactory
from saypro.messaging.models import Conversation, Message, Side, Wait
from saypro.rewards.models import PointsEntry, Reward


class RewardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reward

    name = factory.Sequence(lambda n: f"R{n + 1}0 off your next order")
    description = "A discount code for any product on SayPro."
    cost = 100
    amount_off = 50


class EarnedEntryFactory(factory.django.DjangoModelFactory):
    """Points credited directly (no rule): for balances in tests of redeeming."""

    class Meta:
        model = PointsEntry

    user = factory.SubFactory(UserFactory)
    points = 100
    reason = PointsEntry.Reason.EARNED
    note = "Points for testing"


def wait_in(conversation: Conversation, *, started_at, answered_after=None, member=None) -> Wait:
    """A wait that started at ``started_at``: answered ``answered_after`` later, or open."""
    message = Message.objects.create(
        conversation=conversation,
        sender=conversation.buyer,
        side=Side.BUYER,
        text="Is this in stock?",
        created_at=started_at,
    )
    due = started_at + timedelta(hours=24)
    if answered_after is None:
        return Wait.objects.create(
            conversation=conversation, message=message, started_at=started_at, due_at=due
        )
    ended = started_at + answered_after
    return Wait.objects.create(
        conversation=conversation,
        message=message,
        started_at=started_at,
        due_at=due,
        outcome=Wait.Outcome.ANSWERED,
        ended_at=ended,
        ended_by=member,
        response_seconds=int(answered_after.total_seconds()),
    )
