"""/api/v1 endpoints for a person's notifications, preferences and settings.

Everyone signed in has a notification centre; each person only ever reads
and changes their own (another person's notification is a 404).
"""

from django.http import HttpRequest
from ninja import Query, Router

from saypro.core.api import AUTH, ERRORS, Id
from saypro.core.errors import NotFound
from saypro.notifications import selectors, services
from saypro.notifications.schemas import (
    NotificationFilters,
    NotificationList,
    NotificationOut,
    PreferenceOut,
    PreferencesIn,
    ReadAllOut,
    SettingsBody,
)
from saypro.notifications.serializers import notification_data

router = Router(tags=["notifications"], auth=AUTH)


@router.get("/notifications", response={200: NotificationList, **ERRORS})
def list_notifications(request: HttpRequest, filters: Query[NotificationFilters]):
    """The person's notifications, most recently changed first, with their unread count."""
    rows = selectors.notifications_for(request.auth, unread_only=filters.unread)
    return {
        "items": [
            notification_data(row) for row in rows[filters.offset : filters.offset + filters.limit]
        ],
        "count": rows.count(),
        "unread_count": selectors.unread_count(request.auth),
    }


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS})
def mark_read(request: HttpRequest, notification_id: Id):
    notification = selectors.notification_for(request.auth, notification_id)
    if notification is None:
        raise NotFound(f"No notification {notification_id} among yours.")
    return notification_data(services.mark_read(user=request.auth, notification=notification))


@router.post("/notifications/read-all", response={200: ReadAllOut, **ERRORS})
def mark_all_read(request: HttpRequest):
    marked = services.mark_all_read(user=request.auth)
    return {"marked": marked, "unread_count": selectors.unread_count(request.auth)}


@router.get("/notifications/preferences", response={200: list[PreferenceOut], **ERRORS})
def get_preferences(request: HttpRequest):
    """Every notification type with the person's channel and the default."""
    return selectors.preference_grid(request.auth)


@router.put("/notifications/preferences", response={200: list[PreferenceOut], **ERRORS})
def set_preferences(request: HttpRequest, body: PreferencesIn):
    return services.set_preferences(user=request.auth, channels=body.channels)


def _settings_out(row) -> dict:
    return {
        "time_zone": row.time_zone,
        "quiet_hours_start": row.quiet_hours_start,
        "quiet_hours_end": row.quiet_hours_end,
        "digest_frequency": row.digest_frequency,
    }


@router.get("/notifications/settings", response={200: SettingsBody, **ERRORS})
def get_settings(request: HttpRequest):
    return _settings_out(selectors.settings_for(request.auth))


@router.put("/notifications/settings", response={200: SettingsBody, **ERRORS})
def set_settings(request: HttpRequest, body: SettingsBody):
    return _settings_out(services.set_settings(user=request.auth, **body.dict()))
