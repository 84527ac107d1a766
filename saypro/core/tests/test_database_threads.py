"""Grouped writes (``database_threads.run_together``): one transaction, a savepoint per call."""

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync
from django.db import DatabaseError, connections, transaction
from django.db.utils import ConnectionHandler

from saypro.accounts.tests.factories import UserFactory
from saypro.core import database_threads, events
from saypro.core.models import Event, Mailbox

# The calls run on the database thread, with its own connection: they see committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _one_writer(settings):
    settings.DATABASE_THREADS = 1


@pytest.fixture
def grouping():
    if connections["default"].vendor != "sqlite":
        pytest.skip("calls share a transaction only with one writer (SQLite)")


def run_while_the_writer_is_busy(calls) -> list:
    """Start each call of ``calls`` while the writer is held by another, then let it go.

    The outcome of each call, in order: its result or the exception it raised.
    """
    busy, release = threading.Event(), threading.Event()

    def hold() -> None:
        busy.set()
        release.wait(5)

    async def main() -> list:
        holding = asyncio.ensure_future(database_threads.run(hold))
        while not busy.is_set():
            await asyncio.sleep(0.005)
        waiting = [asyncio.ensure_future(database_threads.run_together(call)) for call in calls]
        await asyncio.sleep(0.05)  # every call is queued behind the held writer
        release.set()
        await holding
        return await asyncio.gather(*waiting, return_exceptions=True)

    return async_to_sync(main)()


def outer_block() -> int:
    """Which transaction the caller is in (the outermost atomic block's identity)."""
    return id(transaction.get_connection().atomic_blocks[0])


def test_waiting_calls_share_one_transaction_and_run_in_order(grouping):
    users = [UserFactory() for _ in range(4)]

    def create_mailbox(user):
        def call():
            Mailbox.objects.create(user=user, last_event_id=user.pk)
            return user.pk, outer_block()

        return call

    outcomes = run_while_the_writer_is_busy([create_mailbox(user) for user in users])
    assert [user_id for user_id, _ in outcomes] == [user.pk for user in users]
    assert len({block for _, block in outcomes}) == 1
    assert Mailbox.objects.filter(user__in=users).count() == 4


def test_a_failing_call_undoes_only_its_own_writes(grouping):
    first, second, third = (UserFactory() for _ in range(3))

    def create(user, fail=False):
        def call():
            Mailbox.objects.create(user=user)
            if fail:
                raise ValueError(f"no mailbox for {user.pk}")
            return user.pk

        return call

    outcomes = run_while_the_writer_is_busy([create(first), create(second, True), create(third)])
    assert outcomes[0] == first.pk and outcomes[2] == third.pk
    assert isinstance(outcomes[1], ValueError)
    assert set(Mailbox.objects.values_list("user_id", flat=True)) == {first.pk, third.pk}


def test_when_the_groups_commit_fails_each_call_runs_again_alone(grouping):
    users = [UserFactory() for _ in range(3)]
    attempts = []

    def create(user, break_the_commit=False):
        def call():
            attempts.append(user.pk)
            connection = transaction.get_connection()
            if break_the_commit and connection.in_atomic_block and len(attempts) == 1:
                commit = connection.commit

                def failing_commit():
                    connection.commit = commit
                    raise DatabaseError("disk I/O error")

                connection.commit = failing_commit
            Mailbox.objects.create(user=user)
            return user.pk, outer_block() if connection.in_atomic_block else None

        return call

    calls = [create(users[0], break_the_commit=True), create(users[1]), create(users[2])]
    outcomes = run_while_the_writer_is_busy(calls)
    assert outcomes == [(user.pk, None) for user in users]  # the second runs: no group
    assert attempts == [user.pk for user in users] * 2
    assert Mailbox.objects.filter(user__in=users).count() == 3  # once each, the failed try undone


class HeldLayer:
    """A channel layer whose sends wait for ``release``."""

    def __init__(self):
        self.sent: list[int] = []
        self.release = asyncio.Event()

    async def group_send(self, group: str, message: dict) -> None:
        await self.release.wait()
        self.sent.append(message["event"]["id"])


def test_each_caller_answers_after_its_own_events_are_pushed(monkeypatch, grouping):
    layer = HeldLayer()
    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)
    users = [UserFactory() for _ in range(3)]

    def record(user):
        return lambda: events.record("message.created", {user.pk: {"n": user.pk}})

    async def main() -> list[int]:
        calls = [asyncio.ensure_future(database_threads.run_together(record(u))) for u in users]
        await asyncio.sleep(0.3)
        assert not any(call.done() for call in calls)  # stored, but not pushed yet
        layer.release.set()
        await asyncio.wait_for(asyncio.gather(*calls), timeout=5)
        return layer.sent

    sent = async_to_sync(main)()
    stored = list(Event.objects.filter(user__in=users).order_by("pk").values_list("pk", flat=True))
    assert sent == stored and len(stored) == 3


def test_without_one_writer_a_call_is_its_own_transaction(settings):
    settings.DATABASE_THREADS = 2
    users = [UserFactory() for _ in range(3)]

    def create(user):
        def call():
            connection = transaction.get_connection()
            assert not connection.in_atomic_block
            Mailbox.objects.create(user=user)
            return user.pk

        return call

    assert run_while_the_writer_is_busy([create(user) for user in users]) == [u.pk for u in users]


def test_deciding_whether_to_group_makes_no_connection_object_on_the_event_loop(monkeypatch):
    """Django keeps connection objects per asyncio context on the event loop: asking one for
    its vendor there built a new one (and its helpers) for every request."""
    made_on = []
    create_connection = ConnectionHandler.create_connection

    def counted(self, alias):
        made_on.append(threading.get_ident())
        return create_connection(self, alias)

    monkeypatch.setattr(ConnectionHandler, "create_connection", counted)

    async def main() -> tuple[int, list]:
        calls = [database_threads.run_together(lambda: 1) for _ in range(3)]
        return threading.get_ident(), await asyncio.gather(*calls)

    loop_thread, results = async_to_sync(main)()

    assert results == [1, 1, 1]
    assert loop_thread not in made_on
