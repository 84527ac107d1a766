"""Reads: a person's notifications, unread counts, preferences and settings.

Every read takes the acting person and returns only their own rows.
"""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Max, Q, QuerySet

from saypro.accounts.models import User
from saypro.catalog.selectors import is_seller_or_office
from saypro.core.sql import columns, instances, placeholders
from saypro.notifications.models import (
    BUILT_IN_DEFAULTS,
    TEAM_TYPES,
    DefaultPreference,
    EmailDelivery,
    Notification,
    NotificationSettings,
    NotificationType,
    Preference,
)
from saypro.notifications.tokens import DIGEST, read_unsubscribe_token

MENU_SIZE = 8


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The person's notifications, the most recently changed first."""
    rows = Notification.objects.filter(recipient=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-updated_at", "-pk")


def latest_for(user: User, *, limit: int = MENU_SIZE) -> list[Notification]:
    return list(notifications_for(user)[:limit])


def notification_for(user: User, notification_id: int) -> Notification | None:
    return Notification.objects.filter(recipient=user, pk=notification_id).first()


def unread_count(user: User) -> int:
    return unread_totals([user.pk])[user.pk]


# ``unread_totals`` and ``channels_for`` run on every message sent (the ``message.new``
# notification). Written out, they skip the ORM's query building, which cost several
# times running them (as ``messaging.selectors.total_unread``).
UNREAD_TOTALS_SQL = """
SELECT recipient_id, COUNT(*) FROM notifications_notification
WHERE read_at IS NULL AND recipient_id IN ({users})
GROUP BY recipient_id
"""


def unread_totals(user_ids: Iterable[int]) -> dict[int, int]:
    """``{user_id: unread notifications}`` for several people in one query."""
    user_ids = list(user_ids)
    if not user_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(UNREAD_TOTALS_SQL.format(users=placeholders(user_ids)), user_ids)
        counts = dict(cursor.fetchall())
    return {user_id: counts.get(user_id, 0) for user_id in user_ids}


OPEN_TO_COALESCE_SQL = f"""
SELECT {columns(Notification, "n")} FROM notifications_notification n
WHERE n.recipient_id IN ({{users}}) AND n.coalesce_key = %s AND n.read_at IS NULL
    AND n.created_at >= %s
ORDER BY n.created_at
"""


def open_to_coalesce(
    user_ids: list[int], coalesce_key: str, *, since: datetime
) -> list[Notification]:
    """Unread notifications with this key created since ``since``, oldest first, locked.

    Locked (``FOR UPDATE`` where the database has it; SQLite's write
    transaction holds the whole database) until the caller's transaction ends.
    """
    sql = OPEN_TO_COALESCE_SQL.format(users=placeholders(user_ids))
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    since = connection.ops.adapt_datetimefield_value(since)
    return instances(Notification, sql, [*user_ids, coalesce_key, since])


UNREAD_ABOUT_SQL = """
SELECT id FROM notifications_notification
WHERE recipient_id = %s AND subject_type_id = %s AND subject_id = %s AND read_at IS NULL
"""


def unread_about(user: User, subject_type_id: int, subject_id: int) -> list[int]:
    """The ids of the person's unread notifications about one subject (on every send)."""
    with connection.cursor() as cursor:
        cursor.execute(UNREAD_ABOUT_SQL, [user.pk, subject_type_id, subject_id])
        return [row[0] for row in cursor.fetchall()]


def default_channels() -> dict[str, str]:
    """Each type's default channel: the office's choice, else the built-in one."""
    channels = dict(BUILT_IN_DEFAULTS)
    channels.update(DefaultPreference.objects.values_list("type", "channel"))
    return channels


# The person's own choices, then the office's default (``type`` is unique there): the
# row with no user id.
CHANNELS_SQL = """
SELECT user_id, channel FROM notifications_preference
WHERE type = %s AND user_id IN ({users})
UNION ALL
SELECT NULL, channel FROM notifications_defaultpreference WHERE type = %s
"""


def channels_for(user_ids: Iterable[int], notification_type: str) -> dict[int, str]:
    """How each person hears about ``notification_type`` (one query for any number)."""
    user_ids = list(user_ids)
    if not user_ids:
        return {}
    notification_type = str(notification_type)  # a ``NotificationType`` is bound as its value
    with connection.cursor() as cursor:
        cursor.execute(
            CHANNELS_SQL.format(users=placeholders(user_ids)),
            [notification_type, *user_ids, notification_type],
        )
        chosen = dict(cursor.fetchall())
    default = chosen.pop(None, None) or BUILT_IN_DEFAULTS[notification_type]
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def preference_grid(user: User, *, every_type: bool = False) -> list[dict]:
    """Each type with the person's channel and whether it is the default: the types that
    concern them (a buyer outside any store team hears nothing of ``TEAM_TYPES``), or
    ``every_type``."""
    defaults = default_channels()
    chosen = dict(Preference.objects.filter(user=user).values_list("type", "channel"))
    shown = every_type or is_seller_or_office(user)
    return [
        {
            "type": value,
            "label": label,
            "channel": chosen.get(value, defaults[value]),
            "default": defaults[value],
            "is_default": value not in chosen,
        }
        for value, label in NotificationType.choices
        if shown or value not in TEAM_TYPES
    ]


def settings_for(user: User | AnonymousUser) -> NotificationSettings:
    """The person's settings; an unsaved row with the defaults when they set none (or, for an
    anonymous visitor, cannot have any)."""
    if not user.is_authenticated:
        return NotificationSettings()
    return NotificationSettings.objects.filter(user=user).first() or NotificationSettings(user=user)


def settings_by_user(user_ids: Iterable[int]) -> dict[int, NotificationSettings]:
    user_ids = list(user_ids)
    found = {row.user_id: row for row in NotificationSettings.objects.filter(user_id__in=user_ids)}
    return {
        user_id: found.get(user_id) or NotificationSettings(user_id=user_id) for user_id in user_ids
    }


def last_digest_at(user_ids: Iterable[int]) -> dict[int, datetime]:
    """When each person's latest digest email was made (people with none are absent)."""
    rows = (
        EmailDelivery.objects.filter(
            recipient_id__in=list(user_ids), kind=EmailDelivery.Kind.DIGEST
        )
        .values("recipient_id")
        .annotate(latest=Max("created_at"))
    )
    return {row["recipient_id"]: row["latest"] for row in rows}


def digest_due(user_ids: Iterable[int] | None = None) -> QuerySet[Notification]:
    """Digest-channel notifications not yet in a digest and not read in the meantime."""
    rows = Notification.objects.filter(
        Q(channel="digest") & Q(digest__isnull=True) & Q(read_at__isnull=True)
    )
    if user_ids is not None:
        rows = rows.filter(recipient_id__in=list(user_ids))
    return rows


def unsubscribe_target(token: str) -> tuple[User, str] | None:
    """``(person, type)`` an unsubscribe token stands for, or None when it no longer works.

    A token is signed, so it is ours; it still stops working when its person was
    deactivated or its type is not one we send (any more). The page that asks and
    the one-click unsubscribe both use this, so they agree on which links work.
    """
    found = read_unsubscribe_token(token)
    if found is None:
        return None
    user_id, notification_type = found
    if notification_type != DIGEST and notification_type not in NotificationType.values:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return (user, notification_type) if user is not None else None
