"""API shapes of notifications. ``NotificationOut`` mirrors ``serializers.notification_data``."""

from datetime import datetime, time
from typing import Literal

from ninja import Field, Schema

from saypro.notifications.models import Channel, DigestFrequency, NotificationType

ChannelName = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
TypeName = Literal[tuple(NotificationType.values)]  # type: ignore[valid-type]


class NotificationOut(Schema):
    id: int
    type: str
    type_label: str
    channel: str
    toast: bool
    text: str
    link: str = Field(description="A site path to the notification's subject.")
    count: int = Field(description="How many notifications were coalesced into this one.")
    created_at: datetime
    updated_at: datetime
    read_at: datetime | None


class NotificationList(Schema):
    items: list[NotificationOut]
    count: int
    unread_count: int


class NotificationFilters(Schema):
    unread: bool = Field(False, description="Only unread ones.")
    limit: int = Field(24, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class ReadAllOut(Schema):
    marked: int
    unread_count: int


class PreferenceOut(Schema):
    type: str
    label: str
    channel: str
    default: str
    is_default: bool


class PreferencesIn(Schema):
    channels: dict[TypeName, ChannelName] = Field(
        description="Channel per notification type; types left out keep theirs."
    )


class SettingsBody(Schema):
    time_zone: str = Field(max_length=64, description="IANA time zone, e.g. Africa/Johannesburg.")
    quiet_hours_start: time | None = Field(None, description="Local time; both or neither.")
    quiet_hours_end: time | None = None
    digest_frequency: Literal[tuple(DigestFrequency.values)] = "daily"  # type: ignore[valid-type]
