"""API shapes of webinars and workshops and a person's registration."""

from datetime import datetime

from ninja import Field, Schema


class WebinarOut(Schema):
    id: int
    title: str
    format: str = Field(description="webinar or workshop.")
    summary: str
    agenda: list[str]
    presenter: str
    presenter_role: str
    starts_at: datetime = Field(description="UTC.")
    ends_at: datetime = Field(description="UTC.")
    capacity: int
    seats_left: int
    waiting: int = Field(description="People on the waiting list.")
    status: str = Field(description="scheduled or cancelled.")
    recording_url: str | None = Field(description="After the session, once the host adds it.")
    page_url: str
    invite_url: str = Field(description="The calendar invite (.ics).")
    my_status: str | None = Field(
        description="registered, waitlisted, or null; always null for visitors."
    )


class WebinarList(Schema):
    items: list[WebinarOut]
    count: int


class WebinarRegistrationOut(Schema):
    webinar_id: int
    status: str = Field(description="registered, waitlisted or cancelled.")
    waiting_position: int | None = Field(description="1 = first in line; null with a seat.")
    created_at: datetime = Field(description="Also the place on the waiting list.")
    join_url: str | None = Field(
        description="With a seat, from 15 minutes before the start until the end."
    )
