"""Reads: a person's notifications, unread counts, preferences and settings.

Every read takes the acting person and returns only their own rows.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, Max, Q, QuerySet

from saypro.accounts.models import User
from saypro.notifications.models import (
    BUILT_IN_DEFAULTS,
    DefaultPreference,
    EmailDelivery,
    Notification,
    NotificationSettings,
    NotificationType,
    Preference,
)

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
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_totals(user_ids: Iterable[int]) -> dict[int, int]:
    """``{user_id: unread notifications}`` for several people in one query."""
    user_ids = list(user_ids)
    counts = dict(
        Notification.objects.filter(recipient_id__in=user_ids, read_at__isnull=True)
        .values("recipient_id")
        .annotate(total=Count("pk"))
        .values_list("recipient_id", "total")
    )
    return {user_id: counts.get(user_id, 0) for user_id in user_ids}


def default_channels() -> dict[str, str]:
    """Each type's default channel: the office's choice, else the built-in one."""
    channels = dict(BUILT_IN_DEFAULTS)
    channels.update(DefaultPreference.objects.values_list("type", "channel"))
    return channels


def channels_for(user_ids: Iterable[int], notification_type: str) -> dict[int, str]:
    """How each person hears about ``notification_type`` (two queries for any number)."""
    user_ids = list(user_ids)
    chosen = dict(
        Preference.objects.filter(user_id__in=user_ids, type=notification_type).values_list(
            "user_id", "channel"
        )
    )
    default = (
        DefaultPreference.objects.filter(type=notification_type)
        .values_list("channel", flat=True)
        .first()
    ) or BUILT_IN_DEFAULTS[notification_type]
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def preference_grid(user: User) -> list[dict]:
    """Every type with the person's channel and whether it is the default."""
    defaults = default_channels()
    chosen = dict(Preference.objects.filter(user=user).values_list("type", "channel"))
    return [
        {
            "type": value,
            "label": label,
            "channel": chosen.get(value, defaults[value]),
            "default": defaults[value],
            "is_default": value not in chosen,
        }
        for value, label in NotificationType.choices
    ]


def settings_for(user: User) -> NotificationSettings:
    """The person's settings; an unsaved row with the defaults when they set none."""
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
