"""The header bell on every page: the unread count and the last event id for the socket."""

from saypro.core import events
from saypro.notifications import selectors


def bell(request):
    """Two small queries for a logged-in person; nothing for visitors.

    ``bell_last_event_id`` lets ``static/js/notifications.js`` open the shared
    socket from exactly where this page's counts were read.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "bell_unread": selectors.unread_count(user),
        "bell_last_event_id": events.last_event_id(user.pk),
    }
