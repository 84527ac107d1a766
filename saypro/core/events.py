"""Append to the event log inside a write, push to live sockets after it commits.

Each person's sockets listen on the channel group ``user_group(user_id)``. The
push carries the event's frame and the recipient's previous event id (see
``saypro.core.models``); a push that fails (the channel layer is down) is
logged and dropped, because the event is already in the table and every
client catches up from there.

Recording is on every live write's path (a message send records two or three
event types), so its statements are written out: building the ORM's
``UPDATE … CASE`` for the mailboxes cost more than running it. A call takes
three statements whatever the number of recipients and event types: lock the
mailboxes and read their last ids, insert the events, move the mailboxes (one
more insert per extra event a person gets in the same call, and two more the
first time someone gets an event at all).
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from saypro.core.models import Event, Mailbox
from saypro.core.sql import placeholders

logger = logging.getLogger(__name__)

PUSH_TYPE = "event.push"

Batch = tuple[str, Mapping[int, dict]]  # (event type, {user_id: data})

# What the ``together()`` block being run in this context holds (None: record at once).
_held: ContextVar[list[Batch] | None] = ContextVar("held_events", default=None)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def record(event_type: str, data_by_user: Mapping[int, dict]) -> None:
    """Append one ``event_type`` event per user (``{user_id: data}``); push them after commit.

    Must run inside the transaction of the change the events describe.
    """
    record_many([(event_type, data_by_user)])


def record_many(batches: Iterable[Batch]) -> None:
    """``record`` for several event types at once: one mailbox lock, read and update.

    Each person's events are appended in the order of ``batches``, exactly as
    if ``record`` were called for each batch in turn. Inside ``together()``
    they are held and recorded at the end of the block.
    """
    batches = [(event_type, data) for event_type, data in batches if data]
    held = _held.get()
    if held is not None:
        held.extend(batches)
    elif batches:
        _append(batches)


@contextmanager
def together() -> Iterator[None]:
    """Record every event the block records in one go, when the block ends without error.

    For a write that records several event types (a send: the message, the
    recipients' notification, the sender's read notifications): each person's
    events keep the order they were recorded in, and the mailboxes are locked
    once, at the end, so they are the write's last locks. An error leaving the
    block records nothing (the transaction is rolled back anyway). Contract: no
    code inside may catch an error from a nested ``atomic`` block and go on,
    since the events recorded in that rolled-back savepoint would still be
    written. A nested ``together()`` joins the outer one.
    """
    if _held.get() is not None:
        yield
        return
    _require_transaction()
    held: list[Batch] = []
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
    if held:
        _append(held)


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Events must be recorded inside the transaction of their change.")


# Locked in user id order (no deadlock between two writers); FOR UPDATE where the
# database has it (SQLite has one writer, whose IMMEDIATE transaction holds the lock).
LOCK_SQL = """
SELECT user_id, last_event_id FROM core_mailbox WHERE user_id IN ({users}) ORDER BY user_id
"""
INSERT_SQL = """
INSERT INTO core_event (user_id, type, data, previous_id, created_at) VALUES {rows} RETURNING id
"""
MOVE_SQL = """
UPDATE core_mailbox SET last_event_id = CASE user_id {cases} END WHERE user_id IN ({users})
"""


def _append(batches: list[Batch]) -> None:
    """Insert the batches' events under the recipients' mailbox locks; push after commit."""
    _require_transaction()
    connection = transaction.get_connection()
    last_ids = _locked_last_ids(connection, sorted({u for _, data in batches for u in data}))
    waiting = [
        (user_id, event_type, data[user_id])
        for event_type, data in batches
        for user_id in sorted(data)
    ]
    events: list[Event] = []
    now = timezone.now()
    while waiting:
        # Each person at most once per statement: their next event links to the id this one gets.
        rows, seen, later = [], set(), []
        for item in waiting:
            (later if item[0] in seen else rows).append(item)
            seen.add(item[0])
        events += _insert(connection, rows, last_ids, now)
        waiting = later
    users = sorted(last_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            MOVE_SQL.format(
                cases=" ".join(["WHEN %s THEN %s"] * len(users)),
                users=placeholders(users),
            ),
            [value for user_id in users for value in (user_id, last_ids[user_id])] + users,
        )
    events.sort(key=lambda event: event.pk)
    handed = _handed.get()  # the commit may come later, outside this call (a group's)
    transaction.on_commit(lambda: _push(events, handed))


def _locked_last_ids(connection, user_ids: list[int]) -> dict[int, int]:
    """``{user_id: last_event_id}`` of the users' mailboxes, locked (created when missing)."""
    sql = LOCK_SQL.format(users=placeholders(user_ids))
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, user_ids)
        last_ids = dict(cursor.fetchall())
        if len(last_ids) < len(user_ids):
            Mailbox.objects.bulk_create(
                [Mailbox(user_id=user_id) for user_id in user_ids if user_id not in last_ids],
                ignore_conflicts=True,
            )
            cursor.execute(sql, user_ids)
            last_ids = dict(cursor.fetchall())
    return last_ids


DATA_FIELD = Event._meta.get_field("data")


def _insert(
    connection, rows: list[tuple[int, str, dict]], last_ids: dict[int, int], now
) -> list[Event]:
    """Insert one event per row (each user once), chained to ``last_ids``, which move on."""
    created_at = connection.ops.adapt_datetimefield_value(now)
    params = []
    for user_id, event_type, data in rows:
        stored = DATA_FIELD.get_db_prep_save(data, connection)
        params += [user_id, event_type, stored, last_ids[user_id], created_at]
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_SQL.format(rows=", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))), params
        )
        # A statement takes its ids in the order of its rows; RETURNING promises no order.
        ids = sorted(row[0] for row in cursor.fetchall())
    events = []
    for pk, (user_id, event_type, data) in zip(ids, rows, strict=True):
        events.append(
            Event(
                pk=pk,
                user_id=user_id,
                type=event_type,
                data=data,
                previous_id=last_ids[user_id],
                created_at=now,
            )
        )
        last_ids[user_id] = pk
    return events


def push(events: Iterable[Event]) -> None:
    """Send committed events to their recipients' sockets; a failure only loses the shortcut.

    Inside ``handing_over()`` (a database thread's call for the event loop) the
    sends are handed to that loop and awaited by the caller there, so the thread
    is free for the next write at once. Elsewhere it is one trip into async code
    for all of them, in order (each trip from sync code can start an event loop
    in a thread of its own).
    """
    _push(events, _handed.get())


def _push(events: Iterable[Event], handed: "Handed | None") -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    events = list(events)
    if handed is not None:
        loop, futures = handed
        futures.append(asyncio.run_coroutine_threadsafe(_send_all(layer, events), loop))
        return
    try:
        async_to_sync(_send_all)(layer, events)
    except Exception:  # e.g. called where an event loop already runs; the table has them
        logger.warning("Live push of %d event(s) failed", len(events), exc_info=True)


# The loop and the sends handed to it, for the sync code run inside ``handing_over()``.
Handed = tuple[asyncio.AbstractEventLoop, list[Future]]
_handed: ContextVar[Handed | None] = ContextVar("handed_pushes", default=None)


@asynccontextmanager
async def handing_over() -> AsyncIterator[None]:
    """Pushes made by sync code awaited inside the block run on this loop; awaited on exit.

    For code that awaits a call in another thread (``core.database_threads``):
    that thread hands its pushes over instead of waiting for this loop, which
    under load is busy with sockets; the caller still has them sent before it
    answers.
    """
    futures: list[Future] = []
    token = _handed.set((asyncio.get_running_loop(), futures))
    try:
        yield
    finally:
        _handed.reset(token)
        for future in futures:
            await asyncio.wrap_future(future)


async def _send_all(layer, events: list[Event]) -> None:
    for event in events:
        try:
            await layer.group_send(
                user_group(event.user_id),
                {"type": PUSH_TYPE, "event": event.frame(), "previous_id": event.previous_id},
            )
        except Exception:  # the event table still has it; clients catch up from there
            logger.warning("Live push of event %s failed", event.pk, exc_info=True)


def events_after(user_id: int, after: int, *, limit: int = 500) -> list[Event]:
    """The user's events with an id above ``after``, oldest first."""
    return list(Event.objects.filter(user_id=user_id, pk__gt=after).order_by("pk")[:limit])


def last_event_id(user_id: int) -> int:
    mailbox = Mailbox.objects.filter(pk=user_id).values_list("last_event_id", flat=True).first()
    return mailbox or 0
