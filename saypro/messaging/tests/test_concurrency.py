"""Concurrent sends on PostgreSQL: no lost update, no duplicate, each person's events in
commit order with an unbroken chain, and no deadlock between conversations."""

import pytest

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.core.models import Event
from saypro.core.testing import postgresql_only, run_at_once
from saypro.messaging import services
from saypro.messaging.models import Conversation, Message, Participant

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


def test_parallel_senders_in_many_conversations_of_one_store(settings):
    settings.MESSAGING_RATE_LIMITS = {"send": "1000/m", "start": "1000/m"}
    membership = MembershipFactory()
    store, owner = membership.store, membership.user
    agent = MembershipFactory(store=store, role="agent").user
    buyers = UserFactory.create_batch(4)
    conversations = [
        services.start_conversation(buyer, store_id=store.pk, text="Hi")[0] for buyer in buyers
    ]

    def burst(person, conversation, tag):
        return lambda: [
            services.send_message(person, conversation, text=f"{tag} {n}", client_id=f"{tag}-{n}")
            for n in range(5)
        ]

    calls = [
        burst(b, c, f"b{i}") for i, (b, c) in enumerate(zip(buyers, conversations, strict=True))
    ]
    calls += [burst(owner, c, f"o{i}") for i, c in enumerate(conversations)]
    calls += [burst(agent, conversations[0], "a")]
    results = run_at_once(calls)
    assert not [r for r in results if isinstance(r, Exception)]

    assert Message.objects.count() == 4 + 4 * 5 + 4 * 5 + 5
    for conversation in Conversation.objects.all():
        assert conversation.message_count == conversation.messages.count()
        assert conversation.last_message == conversation.messages.order_by("pk").last()
    for person in [owner, agent, *buyers]:
        chain = list(Event.objects.filter(user=person).order_by("pk"))
        assert [e.previous_id for e in chain] == [0] + [e.pk for e in chain[:-1]]
        created = {e.data["id"] for e in chain if e.type == "message.created"}
        visible = Message.objects.filter(conversation__participants__user=person)
        assert created == set(visible.values_list("pk", flat=True))
    for state in Participant.objects.all():
        others_after_read = state.conversation.messages.exclude(sender=state.user).filter(
            pk__gt=state.last_read_message_id
        )
        assert state.unread == others_after_read.count()


def test_concurrent_retries_of_one_client_id_create_one_message(settings):
    settings.MESSAGING_RATE_LIMITS = {"send": "1000/m", "start": "1000/m"}
    buyer = UserFactory()
    store = MembershipFactory().store
    conversation = services.start_conversation(buyer, store_id=store.pk, text="Hi")[0]
    results = run_at_once(
        [
            lambda: services.send_message(buyer, conversation, text="Same", client_id="retry-1")
            for _ in range(6)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert len({message.pk for message, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert conversation.messages.filter(client_id="retry-1").count() == 1
