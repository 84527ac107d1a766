"""Append to the event log inside a write, push to live sockets after it commits.

Each person's sockets listen on the channel group ``user_group(user_id)``. The
push carries the event's frame and the recipient's previous event id (see
``saypro.core.models``); a push that fails (the channel layer is down) is
logged and dropped, because the event is already in the table and every
client catches up from there.
"""

import logging
from collections.abc import Iterable, Mapping

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import BigIntegerField, Case, Value, When

from saypro.core.models import Event, Mailbox

logger = logging.getLogger(__name__)

PUSH_TYPE = "event.push"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def record(event_type: str, data_by_user: Mapping[int, dict]) -> list[Event]:
    """Append one ``event_type`` event per user (``{user_id: data}``); push them after commit.

    Must run inside the transaction of the change the events describe.
    """
    if not data_by_user:
        return []
    user_ids = sorted(data_by_user)
    mailboxes = _locked_mailboxes(user_ids)
    events = Event.objects.bulk_create(
        Event(
            user_id=user_id,
            type=event_type,
            data=data_by_user[user_id],
            previous_id=mailboxes[user_id].last_event_id,
        )
        for user_id in user_ids
    )
    # One statement for every mailbox (each is locked above, so nobody else moves them).
    Mailbox.objects.filter(pk__in=user_ids).update(
        last_event_id=Case(
            *(When(pk=event.user_id, then=Value(event.pk)) for event in events),
            output_field=BigIntegerField(),
        )
    )
    transaction.on_commit(lambda: push(events))
    return events


def _locked_mailboxes(user_ids: list[int]) -> dict[int, Mailbox]:
    """The users' mailboxes, locked in id order (no deadlock between two writers)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Events must be recorded inside the transaction of their change.")
    locked = {m.pk: m for m in Mailbox.objects.select_for_update().filter(pk__in=user_ids)}
    missing = [user_id for user_id in user_ids if user_id not in locked]
    if missing:
        Mailbox.objects.bulk_create(
            [Mailbox(user_id=user_id) for user_id in missing], ignore_conflicts=True
        )
        locked = {m.pk: m for m in Mailbox.objects.select_for_update().filter(pk__in=user_ids)}
    return locked


def push(events: Iterable[Event]) -> None:
    """Send committed events to their recipients' sockets; a failure only loses the shortcut."""
    layer = get_channel_layer()
    if layer is None:
        return
    send = async_to_sync(layer.group_send)
    for event in events:
        try:
            send(
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
