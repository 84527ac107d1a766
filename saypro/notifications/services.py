"""Every write of notifications, preferences, settings and notification emails.

``notify`` (and ``notify_many``, its batch form for one event with several
recipients) is what other apps call, inside their own transaction, after the
change the notification is about:

1. The person's channel for the type (``selectors.channels_for``): ``off``
   writes nothing.
2. Coalescing: an unread notification with the same ``coalesce_key`` created
   within ``COALESCE_WINDOW`` is updated (``count`` + 1, the new text and
   link, ``updated_at``; ``created_at`` kept) instead of adding another.
3. A live event per recipient, ``notification.created`` or
   ``notification.updated``, with the notification and the unread total
   (``saypro.core.events.record``: pushed after commit).
4. ``email`` channel: an ``EmailDelivery`` row, sent by a task after commit,
   or, when the person is in quiet hours in their time zone, at the end of
   them (``send_due_emails``). ``digest``: collected by ``send_digests``.

Emails are rows first: ``deliver_email`` claims a row with a conditional
update (so a retry and the periodic sweep never send it twice at once),
counts the attempt, sends, and records the outcome; a failure is logged,
kept in ``last_error`` and retried (Huey's retries, then the sweep) until
``MAX_ATTEMPTS``, then marked failed.
"""

import logging
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from saypro.accounts.models import User
from saypro.core import events
from saypro.core.effects import enqueue_on_commit
from saypro.core.errors import NotFound, ValidationFailed
from saypro.core.sql import placeholders
from saypro.core.timezones import validate_time_zone
from saypro.notifications import emails, selectors, tasks
from saypro.notifications.events import NotificationEvent
from saypro.notifications.models import (
    TEXT_MAX_LENGTH,
    Channel,
    DigestFrequency,
    EmailDelivery,
    Notification,
    NotificationSettings,
    NotificationType,
    Preference,
)
from saypro.notifications.serializers import notification_data
from saypro.notifications.tokens import DIGEST

logger = logging.getLogger(__name__)

COALESCE_WINDOW = timedelta(minutes=10)
MAX_ATTEMPTS = 4  # the first try and Huey's three retries
RETRY_SWEEP_AFTER = timedelta(minutes=10)  # the sweep leaves a failed row to Huey this long
STALE_SENDING = timedelta(minutes=15)  # a worker died mid-send: try again
ERROR_MAX_LENGTH = 2000


# --- Notify ----------------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    text = " ".join((text or "").replace("\x00", "").split())
    if not text:
        raise ValueError("A notification needs a text.")
    if len(text) > TEXT_MAX_LENGTH:
        text = text[: TEXT_MAX_LENGTH - 1].rstrip() + "…"
    return text


def _clean_link(link: str) -> str:
    if not link.startswith("/") or link.startswith("//"):
        raise ValueError(f"A notification links to a site path, not {link!r}.")
    return link


def notify(
    recipient: User,
    type: str,
    *,
    subject: models.Model | None,
    text: str,
    link: str,
    coalesce_key: str | None = None,
    now: datetime | None = None,
) -> Notification | None:
    """Tell ``recipient`` about ``subject``; the notification, or None when they turned it off."""
    return notify_many(
        [recipient.pk],
        type,
        subject=subject,
        text=text,
        link=link,
        coalesce_key=coalesce_key,
        now=now,
    ).get(recipient.pk)


# Part of the caller's transaction when there is one (a message send): no savepoint of its
# own, so an error here undoes the caller's change too, and a send runs two statements fewer.
@transaction.atomic(savepoint=False)
def notify_many(
    recipient_ids: Iterable[int],
    type: str,
    *,
    subject: models.Model | None,
    text: str,
    link: str,
    coalesce_key: str | None = None,
    now: datetime | None = None,
) -> dict[int, Notification]:
    """``notify`` for several people at once, in a fixed number of queries.

    The same ``coalesce_key`` is used for every recipient (coalescing is per
    person). Returns ``{user_id: notification}`` for those who get one.
    """
    notification_type = NotificationType(type)
    text, link = _clean_text(text), _clean_link(link)
    now = now or timezone.now()
    channels = {
        user_id: channel
        for user_id, channel in selectors.channels_for(set(recipient_ids), type).items()
        if channel != Channel.OFF
    }
    if not channels:
        return {}
    updated: dict[int, Notification] = {}
    if coalesce_key:
        open_rows = selectors.open_to_coalesce(
            list(channels), coalesce_key, since=now - COALESCE_WINDOW
        )
        for row in open_rows:
            updated[row.recipient_id] = row  # the latest wins
        _coalesce(list(updated.values()), channels, text=text, link=link, now=now)
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    created = Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            type=notification_type,
            channel=channel,
            subject_type=subject_type,
            subject_id=subject.pk if subject is not None else None,
            text=text,
            link=link,
            coalesce_key=coalesce_key or "",
            created_at=now,
            updated_at=now,
        )
        for user_id, channel in sorted(channels.items())
        if user_id not in updated
    )
    totals = selectors.unread_totals(channels)
    events.record_many(
        (
            event_type,
            {
                row.recipient_id: {
                    "notification": notification_data(row),
                    "unread_total": totals[row.recipient_id],
                }
                for row in rows
            },
        )
        for event_type, rows in (
            (NotificationEvent.CREATED, created),
            (NotificationEvent.UPDATED, list(updated.values())),
        )
    )
    _queue_emails([row for row in created if row.channel == Channel.EMAIL], now)
    return {row.recipient_id: row for row in [*created, *updated.values()]}


# One statement per channel (in practice one): the same values for every row but the
# count, which the database increments. Written out: building the ORM's ``update`` cost
# several times running the statement.
COALESCE_SQL = """
UPDATE notifications_notification
SET count = count + 1, text = %s, link = %s, updated_at = %s, channel = %s
WHERE id IN ({ids})
"""


def _coalesce(
    rows: list[Notification], channels: dict[int, str], *, text: str, link: str, now: datetime
) -> None:
    """Count one more into each of these locked rows, with the new text, link and channel."""
    by_channel: dict[str, list[int]] = {}
    for row in rows:
        row.count += 1
        row.text, row.link, row.updated_at = text, link, now
        row.channel = channels[row.recipient_id]
        by_channel.setdefault(row.channel, []).append(row.pk)
    updated_at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for channel, ids in by_channel.items():
            cursor.execute(
                COALESCE_SQL.format(ids=placeholders(ids)),
                [text, link, updated_at, str(channel), *ids],
            )


def _queue_emails(rows: list[Notification], now: datetime) -> None:
    if not rows:
        return
    settings_of = selectors.settings_by_user(row.recipient_id for row in rows)
    for row in rows:
        send_after = quiet_until(settings_of[row.recipient_id], now) or now
        delivery = EmailDelivery.objects.create(
            recipient_id=row.recipient_id,
            kind=EmailDelivery.Kind.NOTIFICATION,
            notification=row,
            send_after=send_after,
            created_at=now,
        )
        if send_after <= now:
            enqueue_on_commit(tasks.send_email, delivery.pk)


def quiet_until(settings: NotificationSettings, now: datetime) -> datetime | None:
    """When the person's quiet hours end (UTC), if ``now`` falls in them; else None.

    Quiet hours are local wall-clock times in the person's time zone, ``start``
    included and ``end`` excluded; a start after the end spans midnight
    (22:00–07:00). Equal or missing times mean no quiet hours.
    """
    start, end = settings.quiet_hours_start, settings.quiet_hours_end
    if start is None or end is None or start == end:
        return None
    zone = ZoneInfo(settings.time_zone)
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    end_day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)


# --- Read state ------------------------------------------------------------------------------


def _record_read(user: User, ids: list[int]) -> None:
    events.record(
        NotificationEvent.READ,
        {user.pk: {"ids": ids, "unread_total": selectors.unread_count(user)}},
    )


@transaction.atomic
def mark_read(
    *, user: User, notification: Notification, now: datetime | None = None
) -> Notification:
    """Mark one of the person's notifications read (idempotent)."""
    if notification.recipient_id != user.pk:
        raise NotFound("Notification not found.")
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
    notification.refresh_from_db(fields=["read_at"])
    if changed:
        _record_read(user, [notification.pk])
    return notification


@transaction.atomic
def mark_all_read(*, user: User, now: datetime | None = None) -> int:
    """Mark every unread notification of the person read; how many were unread."""
    changed = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
    if changed:
        _record_read(user, [])
    return changed


@transaction.atomic(savepoint=False)  # as ``notify_many``
def mark_subject_read(*, user: User, subject: models.Model, now: datetime | None = None) -> int:
    """The person saw ``subject`` itself (read the conversation): its notifications are read."""
    subject_type = ContentType.objects.get_for_model(subject)
    ids = selectors.unread_about(user, subject_type.pk, subject.pk)
    if ids:
        Notification.objects.filter(pk__in=ids).update(read_at=now or timezone.now())
        _record_read(user, ids)
    return len(ids)


# --- Preferences and settings ----------------------------------------------------------------


@transaction.atomic
def set_preferences(*, user: User, channels: Mapping[str, str]) -> list[dict]:
    """Set the person's channel for each type given; returns the whole grid."""
    for notification_type, channel in channels.items():
        if notification_type not in NotificationType.values:
            raise ValidationFailed(
                f"“{notification_type}” is not a notification type.",
                code="unknown_type",
                details={"field": "channels", "type": notification_type},
            )
        if channel not in Channel.values:
            raise ValidationFailed(
                f"“{channel}” is not a channel: use one of {', '.join(Channel.values)}.",
                code="unknown_channel",
                details={"field": notification_type},
            )
    for notification_type, channel in channels.items():
        Preference.objects.update_or_create(
            user=user, type=notification_type, defaults={"channel": channel}
        )
    return selectors.preference_grid(user)


@transaction.atomic
def set_settings(
    *,
    user: User,
    time_zone: str,
    quiet_hours_start: time | None,
    quiet_hours_end: time | None,
    digest_frequency: str,
) -> NotificationSettings:
    """Set the person's time zone, quiet hours (both or neither) and digest frequency."""
    try:
        validate_time_zone(time_zone)
    except Exception as error:
        raise ValidationFailed(
            f"“{time_zone}” is not a time zone (e.g. Africa/Johannesburg).",
            details={"field": "time_zone"},
        ) from error
    if (quiet_hours_start is None) != (quiet_hours_end is None):
        raise ValidationFailed(
            "Give both the start and the end of your quiet hours, or neither.",
            details={
                "field": "quiet_hours_end" if quiet_hours_end is None else "quiet_hours_start"
            },
        )
    for field, value in (
        ("quiet_hours_start", quiet_hours_start),
        ("quiet_hours_end", quiet_hours_end),
    ):
        if value is not None and value.tzinfo is not None:
            raise ValidationFailed(
                "Quiet hours are times of day in your own time zone: give them without a UTC "
                "offset, e.g. 22:00.",
                details={"field": field},
            )
    if quiet_hours_start is not None and quiet_hours_start == quiet_hours_end:
        raise ValidationFailed(
            "Quiet hours must end at a different time than they start.",
            details={"field": "quiet_hours_end"},
        )
    if digest_frequency not in DigestFrequency.values:
        raise ValidationFailed(
            "The digest is sent daily or weekly.", details={"field": "digest_frequency"}
        )
    row, _ = NotificationSettings.objects.update_or_create(
        user=user,
        defaults={
            "time_zone": time_zone,
            "quiet_hours_start": quiet_hours_start,
            "quiet_hours_end": quiet_hours_end,
            "digest_frequency": digest_frequency,
        },
    )
    return row


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, list[str]]:
    """Turn emails of the token's type off (in-app only); ``(user, types changed)``.

    No login: the signed token is the permission. A digest token moves every
    type the person gets by digest to in-app. Idempotent.
    """
    found = selectors.unsubscribe_target(token)
    if found is None:
        raise NotFound("This unsubscribe link is not valid. Change your emails in your settings.")
    user, notification_type = found
    if notification_type == DIGEST:
        grid = selectors.preference_grid(user, every_type=True)
        types = [row["type"] for row in grid if row["channel"] == Channel.DIGEST]
    else:
        channel = selectors.channels_for([user.pk], notification_type)[user.pk]
        types = [notification_type] if channel in (Channel.EMAIL, Channel.DIGEST) else []
    for changed in types:
        Preference.objects.update_or_create(
            user=user, type=changed, defaults={"channel": Channel.IN_APP}
        )
    return user, types


# --- Email -----------------------------------------------------------------------------------


def deliver_email(*, delivery_id: int, now: datetime | None = None) -> str | None:
    """Send one pending, due email; its new status, or None when it was not ours to send.

    Raises the sending error after recording it, so the task is retried.
    """
    now = now or timezone.now()
    claimed = EmailDelivery.objects.filter(
        pk=delivery_id, status=EmailDelivery.Status.PENDING, send_after__lte=now
    ).update(status=EmailDelivery.Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    if not claimed:
        return None
    delivery = EmailDelivery.objects.select_related("recipient", "notification").get(pk=delivery_id)
    rows = EmailDelivery.objects.filter(pk=delivery_id)
    try:
        message = emails.build(delivery)
        if message is None:
            rows.update(status=EmailDelivery.Status.SKIPPED, last_error="Nothing left to send.")
            return EmailDelivery.Status.SKIPPED
        message.send()
    except Exception as error:
        final = delivery.attempts >= MAX_ATTEMPTS
        status = EmailDelivery.Status.FAILED if final else EmailDelivery.Status.PENDING
        rows.update(status=status, last_error=f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH])
        log = logger.error if final else logger.warning
        log(
            "Email %s (attempt %s of %s) failed: %s",
            delivery_id,
            delivery.attempts,
            MAX_ATTEMPTS,
            error,
        )
        raise
    rows.update(status=EmailDelivery.Status.SENT, sent_at=timezone.now(), last_error="")
    return EmailDelivery.Status.SENT


def send_due_emails(*, now: datetime | None = None) -> int:
    """Enqueue every pending email that is due: quiet hours over, or a retry Huey lost.

    A row that failed recently is left to Huey's own retry for
    ``RETRY_SWEEP_AFTER``; one stuck in "sending" (its worker died) for
    ``STALE_SENDING`` is pending again.
    """
    now = now or timezone.now()
    EmailDelivery.objects.filter(
        status=EmailDelivery.Status.SENDING, last_attempt_at__lt=now - STALE_SENDING
    ).update(status=EmailDelivery.Status.PENDING)
    due = list(
        EmailDelivery.objects.filter(status=EmailDelivery.Status.PENDING, send_after__lte=now)
        .filter(Q(attempts=0) | Q(last_attempt_at__lt=now - RETRY_SWEEP_AFTER))
        .order_by("send_after", "pk")
        .values_list("pk", flat=True)[:500]
    )
    for delivery_id in due:
        tasks.send_email(delivery_id)
    return len(due)


DIGEST_TIME = time(6, 0)  # local wall-clock time of digests; weekly ones on Mondays


def digest_due_since(settings: NotificationSettings, now: datetime) -> datetime:
    """The person's latest scheduled digest time at or before ``now`` (UTC).

    06:00 in their time zone, every day for a daily digest, on Mondays for a
    weekly one. A digest is due when none was made since that instant.
    """
    zone = ZoneInfo(settings.time_zone)
    local = now.astimezone(zone)
    weekly = settings.digest_frequency == DigestFrequency.WEEKLY
    day = local.date() - timedelta(days=local.weekday() if weekly else 0)
    due = datetime.combine(day, DIGEST_TIME, tzinfo=zone)
    if due > local:
        due = datetime.combine(day - timedelta(days=7 if weekly else 1), DIGEST_TIME, tzinfo=zone)
    return due.astimezone(UTC)


def send_digests(*, now: datetime | None = None) -> int:
    """Gather each person's digest-channel notifications into one email; how many digests.

    Runs hourly; a person's digest is made once their local 06:00 (daily, or
    Mondays for weekly) has passed and no digest was made for them since, so a
    missed run catches up at the next. Each digest is its own transaction: rows
    are linked to their ``EmailDelivery`` so none is sent twice; read ones are
    left out (seen).
    """
    now = now or timezone.now()
    user_ids = set(
        selectors.digest_due().filter(created_at__lte=now).values_list("recipient_id", flat=True)
    )
    settings_of = selectors.settings_by_user(user_ids)
    last_digest = selectors.last_digest_at(user_ids)
    sent = 0
    for user_id in sorted(user_ids):
        person = settings_of[user_id]
        made = last_digest.get(user_id)
        if made is not None and made >= digest_due_since(person, now):
            continue
        with transaction.atomic():
            items = selectors.digest_due([user_id]).filter(created_at__lte=now).select_for_update()
            ids = list(items.values_list("pk", flat=True))
            if not ids:
                continue
            send_after = quiet_until(person, now) or now
            delivery = EmailDelivery.objects.create(
                recipient_id=user_id,
                kind=EmailDelivery.Kind.DIGEST,
                send_after=send_after,
                created_at=now,
            )
            Notification.objects.filter(pk__in=ids).update(digest=delivery)
            if send_after <= now:
                enqueue_on_commit(tasks.send_email, delivery.pk)
        sent += 1
    return sent
