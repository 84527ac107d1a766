"""The live events this app records (``saypro.core.events``), and their payloads."""

from enum import StrEnum
from typing import TypedDict


class NotificationEvent(StrEnum):
    CREATED = "notification.created"
    UPDATED = "notification.updated"  # coalesced: count + 1, new text
    READ = "notification.read"  # one or all marked read


class NotificationData(TypedDict):
    id: int
    type: str
    type_label: str
    channel: str
    toast: bool
    text: str
    link: str
    count: int
    created_at: str
    updated_at: str
    read_at: str | None


class NotificationPayload(TypedDict):
    notification: NotificationData
    unread_total: int


class ReadPayload(TypedDict):
    ids: list[int]  # empty: all
    unread_total: int
