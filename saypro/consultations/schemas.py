"""API shapes of consultations: topics, free slots and a seller's bookings."""

from datetime import datetime

from ninja import Field, Schema

from saypro.consultations.models import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from saypro.core.api import BodyId, Slug

# Plain text: no NUL (PostgreSQL refuses it in text); newlines are fine.
PLAIN_TEXT = r"^[^\x00]*$"


class ExpertOut(Schema):
    id: int
    name: str
    bio: str


class TopicOut(Schema):
    slug: str
    title: str
    description: str
    duration_minutes: int
    experts: list[ExpertOut]


class TopicList(Schema):
    items: list[TopicOut]
    count: int


class SlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    expert: ExpertOut


class SlotList(Schema):
    items: list[SlotOut]
    count: int


class BookingIn(Schema):
    slot_id: BodyId
    topic: Slug
    store: Slug = Field(description="The slug of the store it is for; you must work for it.")
    note: str = Field("", max_length=NOTE_MAX_LENGTH, pattern=PLAIN_TEXT)


class RescheduleIn(Schema):
    slot_id: BodyId = Field(description="A free slot of the same expert.")


class CancelIn(Schema):
    reason: str = Field("", max_length=REASON_MAX_LENGTH, pattern=PLAIN_TEXT)


class BookingOut(Schema):
    id: int
    topic: str = Field(description="The topic's slug.")
    store: str = Field(description="The store's slug.")
    status: str = Field(description="booked, cancelled, rescheduled, completed or no_show.")
    starts_at: datetime
    ends_at: datetime
    expert: ExpertOut
    note: str
    meeting_link: str
    rescheduled_from: int | None
    can_change: bool = Field(description="Whether you may still move or cancel it yourself.")


class BookingList(Schema):
    items: list[BookingOut]
    count: int
