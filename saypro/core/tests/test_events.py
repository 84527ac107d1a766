"""The event log's writes (``saypro.core.events``): chains, batching, statements, holding."""

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saypro.accounts.tests.factories import UserFactory
from saypro.core import database_threads, events
from saypro.core.models import Event, Mailbox

PEOPLE = 3
BATCHES = st.lists(
    st.tuples(
        st.sampled_from(("message.created", "notification.updated", "notification.read")),
        st.sets(st.integers(0, PEOPLE - 1), max_size=PEOPLE),
    ),
    max_size=5,
)


def stream(user) -> list[tuple[str, dict]]:
    """The person's events, oldest first, after checking their chain and their mailbox."""
    chain = list(Event.objects.filter(user=user).order_by("pk"))
    assert [e.previous_id for e in chain] == [0, *(e.pk for e in chain)][: len(chain)]
    last = Mailbox.objects.filter(pk=user.pk).values_list("last_event_id", flat=True).first()
    assert last == (chain[-1].pk if chain else None)
    return [(e.type, e.data) for e in chain]


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=BATCHES, earlier=st.sets(st.integers(0, PEOPLE - 1)))
def test_record_many_appends_what_recording_each_batch_in_turn_appends(batches, earlier):
    """Same streams and unbroken chains, with or without earlier events (a mailbox)."""
    one_by_one, together = UserFactory.create_batch(PEOPLE), UserFactory.create_batch(PEOPLE)
    with transaction.atomic():
        for people in (one_by_one, together):
            events.record("earlier", {people[i].pk: {"n": -1} for i in earlier})
        for number, (event_type, indexes) in enumerate(batches):
            events.record(event_type, {one_by_one[i].pk: {"n": number, "i": i} for i in indexes})
        events.record_many(
            (event_type, {together[i].pk: {"n": number, "i": i} for i in indexes})
            for number, (event_type, indexes) in enumerate(batches)
        )
    for first, second in zip(one_by_one, together, strict=True):
        assert stream(first) == stream(second)


@pytest.mark.django_db
def test_recording_takes_three_statements_and_one_insert_per_extra_event_of_a_person(
    django_assert_num_queries,
):
    people = UserFactory.create_batch(3)
    everyone = {person.pk: {} for person in people}
    # The first event of people without a mailbox: two more (create, lock again).
    with django_assert_num_queries(5):
        events.record("first", everyone)
    with django_assert_num_queries(3):  # lock and read, insert, move the mailboxes
        events.record("second", everyone)
    with django_assert_num_queries(4):  # two events for the first person: two inserts
        events.record_many([("third", everyone), ("fourth", {people[0].pk: {}}), ("none", {})])
    with django_assert_num_queries(0):
        events.record_many([("none", {})])
    assert [t for t, _ in stream(people[0])] == ["first", "second", "third", "fourth"]
    assert [t for t, _ in stream(people[2])] == ["first", "second", "third"]


@pytest.mark.django_db
def test_together_holds_the_events_until_the_block_ends_then_pushes_them_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    buyer, seller = UserFactory.create_batch(2)
    pushed = []
    monkeypatch.setattr(events, "_push", lambda recorded, handed: pushed.append(recorded))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with events.together():
            events.record("message.created", {buyer.pk: {"n": 1}, seller.pk: {"n": 1}})
            with events.together():  # joins the outer block
                events.record("notification.created", {seller.pk: {"n": 2}})
            events.record("notification.read", {buyer.pk: {"n": 3}})
            assert not Event.objects.exists()
        assert stream(buyer) == [("message.created", {"n": 1}), ("notification.read", {"n": 3})]
        assert stream(seller) == [("message.created", {"n": 1}), ("notification.created", {"n": 2})]
    assert len(pushed) == 1
    assert [event.pk for event in pushed[0]] == list(
        Event.objects.order_by("pk").values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_an_error_in_a_together_block_records_nothing(buyer):
    with pytest.raises(ValueError), transaction.atomic(), events.together():
        events.record("message.created", {buyer.pk: {}})
        raise ValueError("the send failed")
    # The error left the block before anything was written; the next call starts afresh.
    assert not Event.objects.exists() and not Mailbox.objects.exists()
    with transaction.atomic():
        events.record("message.created", {buyer.pk: {}})
    assert stream(buyer) == [("message.created", {})]


@pytest.mark.django_db(transaction=True)
def test_events_are_recorded_only_inside_a_transaction(buyer):
    with pytest.raises(RuntimeError):
        events.record("message.created", {buyer.pk: {}})
    with pytest.raises(RuntimeError), events.together():
        pass
    assert not Event.objects.exists()


class FlakyLayer:
    """A channel layer that cannot reach one person's group."""

    def __init__(self, unreachable: int):
        self.unreachable, self.sent = unreachable, []

    async def group_send(self, group: str, message: dict) -> None:
        if group == events.user_group(self.unreachable):
            raise ConnectionError("Redis is restarting")
        self.sent.append((group, message["event"]["id"], message["previous_id"]))


def test_a_failed_push_is_logged_and_the_others_still_go_out_in_order(monkeypatch, caplog):
    layer = FlakyLayer(unreachable=2)
    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)
    batch = [
        Event(pk=pk, user_id=user_id, type="message.created", data={}, previous_id=previous)
        for pk, user_id, previous in [(10, 1, 0), (11, 2, 0), (12, 1, 10), (13, 3, 5)]
    ]
    events.push(batch)
    assert layer.sent == [("user.1", 10, 0), ("user.1", 12, 10), ("user.3", 13, 5)]
    assert [record.getMessage() for record in caplog.records] == ["Live push of event 11 failed"]


def test_a_push_from_a_thread_running_an_event_loop_is_logged_not_raised(monkeypatch, caplog):
    """A commit in a thread whose event loop is running (a browser test's, or async code
    calling a service without a thread) cannot enter async code from sync code: the push is
    dropped with a warning, and the commit that triggered it still succeeds."""
    layer = FlakyLayer(unreachable=0)
    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)
    batch = [Event(pk=10, user_id=1, type="message.created", data={}, previous_id=0)]

    async def commit_in_a_running_loop() -> None:
        events.push(batch)

    asyncio.run(commit_in_a_running_loop())
    assert layer.sent == []
    assert [record.getMessage() for record in caplog.records] == ["Live push of 1 event(s) failed"]


class SlowLayer(FlakyLayer):
    """A layer whose sends wait until ``release`` is set (a busy loop, a slow network)."""

    def __init__(self):
        super().__init__(unreachable=0)
        self.release = asyncio.Event()

    async def group_send(self, group: str, message: dict) -> None:
        await self.release.wait()
        await super().group_send(group, message)


@pytest.mark.django_db  # the database thread may hold a connection from an earlier test
@pytest.mark.parametrize("threads", [0, 1])
def test_a_database_thread_hands_its_pushes_to_the_loop_and_the_caller_awaits_them(
    monkeypatch, settings, threads
):
    """The thread that committed does not wait for the loop (it is free for the next
    write); the caller gets its answer only once the pushes are sent, in order."""
    settings.DATABASE_THREADS = threads
    layer = SlowLayer()
    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)
    writer_done = threading.Event()

    def write() -> None:
        for pk in (1, 2, 3):
            events.push([Event(pk=pk, user_id=1, type="m", data={}, previous_id=pk - 1)])
        writer_done.set()

    async def call_and_release() -> list[int]:
        call = asyncio.ensure_future(database_threads.run(write))
        for _ in range(200):
            if writer_done.is_set():
                break
            await asyncio.sleep(0.01)
        assert writer_done.is_set(), "the writer waited for the loop"
        await asyncio.sleep(0.05)
        assert not call.done() and layer.sent == []  # handed over, waiting for the loop
        layer.release.set()
        await asyncio.wait_for(call, timeout=5)
        return [event_id for _, event_id, _ in layer.sent]

    assert async_to_sync(call_and_release)() == [1, 2, 3]
