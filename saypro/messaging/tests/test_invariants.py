"""Invariants of read state, waits and the event chain under any sequence of actions."""

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.models import StoreMembership
from saypro.catalog.services import add_store_member
from saypro.catalog.tests.factories import MembershipFactory
from saypro.core.errors import Conflict, NotFound
from saypro.core.models import Event, Mailbox
from saypro.messaging import selectors, services
from saypro.messaging.models import Participant, Wait

PEOPLE = ("buyer", "owner", "agent")
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("send"), st.sampled_from(PEOPLE)),
        st.tuples(st.just("read"), st.sampled_from(PEOPLE)),
        st.tuples(st.just("read_some"), st.sampled_from(PEOPLE)),
        st.tuples(st.just("no_response"), st.sampled_from(PEOPLE[1:])),
        st.tuples(st.just("archive"), st.sampled_from(PEOPLE)),
    ),
    max_size=25,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=ACTIONS)
def test_unread_waits_and_event_chains_stay_exact(actions):
    owner_membership = MembershipFactory()
    store = owner_membership.store
    people = {
        "buyer": UserFactory(),
        "owner": owner_membership.user,
        "agent": MembershipFactory(store=store, role="agent").user,
    }
    conversation, _, _ = services.start_conversation(
        people["buyer"], store_id=store.pk, text="Hello"
    )
    for number, (action, who) in enumerate(actions):
        person = people[who]
        if action == "send":
            services.send_message(person, conversation, text=f"Message {number}")
        elif action == "read":
            services.mark_read(person, conversation)
        elif action == "read_some":
            first = conversation.messages.order_by("pk").first()
            services.mark_read(person, conversation, up_to=first.pk)
        elif action == "no_response":
            with contextlib.suppress(Conflict):  # nobody waiting: refused, nothing changes
                services.no_response_needed(person, conversation)
        else:
            services.set_archived(person, conversation, True)

    messages = list(conversation.messages.order_by("pk"))
    for person in people.values():
        state = Participant.objects.get(conversation=conversation, user=person)
        # Unread: messages by others after what they read (their own send reads everything).
        expected = sum(
            1 for m in messages if m.sender_id != person.pk and m.pk > state.last_read_message_id
        )
        assert state.unread == expected
        assert selectors.total_unread([person.pk])[person.pk] == expected
        chain = list(Event.objects.filter(user=person).order_by("pk"))
        assert [e.previous_id for e in chain] == [0] + [e.pk for e in chain[:-1]]
        assert Mailbox.objects.get(pk=person.pk).last_event_id == chain[-1].pk
        delivered = [e.data["id"] for e in chain if e.type == "message.created"]
        assert delivered == [m.pk for m in messages]

    # At most one open wait, and one is open exactly when the buyer spoke last after
    # the last answer or "no response needed".
    waits = list(Wait.objects.filter(conversation=conversation).order_by("pk"))
    open_waits = [w for w in waits if w.outcome == "open"]
    assert len(open_waits) <= 1
    conversation.refresh_from_db()
    assert (conversation.due_at is not None) == bool(open_waits)
    if messages[-1].side == "store":
        assert not open_waits
    for wait in waits:
        assert wait.message.side == "buyer"
        assert wait.due_at > wait.started_at == wait.message.created_at


TOTAL_ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(("send", "read", "archive", "mute", "leave", "join")),
        st.sampled_from(PEOPLE),
        st.sampled_from((0, 1)),  # which of the buyer's two conversations
    ),
    max_size=30,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=TOTAL_ACTIONS)
def test_total_unread_is_the_sum_over_the_rows_each_person_may_see(actions):
    """Across conversations, archive and mute, and an agent leaving and re-joining the team."""
    owners = [MembershipFactory(), MembershipFactory()]
    stores = [membership.store for membership in owners]
    buyer = UserFactory()
    agent = MembershipFactory(store=stores[0], role="agent").user
    people = {"buyer": buyer, "owner": owners[0].user, "agent": agent}
    conversations = [
        services.start_conversation(buyer, store_id=store.pk, text="Hello")[0] for store in stores
    ]
    for number, (action, who, which) in enumerate(actions):
        person, conversation = people[who], conversations[which]
        if action == "leave":
            StoreMembership.objects.filter(user=person, store=stores[0], role="agent").delete()
        elif action == "join" and who == "agent":
            with contextlib.suppress(Conflict):
                add_store_member(actor=owners[0].user, store=stores[0], user=agent, role="agent")
        with contextlib.suppress(NotFound):  # not (or no longer) in that conversation
            if action == "send":
                services.send_message(person, conversation, text=f"Message {number}")
            elif action == "read":
                services.mark_read(person, conversation)
            elif action == "archive":
                services.set_archived(person, conversation, True)
            elif action == "mute":
                services.set_muted(person, conversation, True)

    user_ids = [person.pk for person in people.values()]
    members = set(StoreMembership.objects.values_list("store_id", "user_id"))
    expected = dict.fromkeys(user_ids, 0)
    for row in Participant.objects.filter(user_id__in=user_ids).select_related("conversation"):
        if row.side == "buyer" or (row.conversation.store_id, row.user_id) in members:
            expected[row.user_id] += row.unread
    assert selectors.total_unread(user_ids) == expected
    assert {pk: selectors.total_unread([pk])[pk] for pk in user_ids} == expected
