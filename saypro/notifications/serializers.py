"""The JSON shape of a notification, shared by live events and the API."""

from saypro.notifications.models import Channel, Notification


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def notification_data(notification: Notification) -> dict:
    return {
        "id": notification.pk,
        "type": notification.type,
        "type_label": notification.get_type_display(),
        "channel": notification.channel,
        "toast": notification.channel == Channel.TOAST,
        "text": notification.text,
        "link": notification.link,
        "count": notification.count,
        "created_at": _iso(notification.created_at),
        "updated_at": _iso(notification.updated_at),
        "read_at": _iso(notification.read_at),
    }
