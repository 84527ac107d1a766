"""API shapes of support tickets (seller side; the office works in the web pages)."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from saypro.support.models import BODY_MAX_LENGTH, COMMENT_MAX_LENGTH, SUBJECT_MAX_LENGTH

TicketCode = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Z0-9-]+$")]
# Text inputs: no NUL (PostgreSQL refuses it in text); newlines and tabs are fine.
PlainText = r"^[^\x00]*$"


class TicketIn(Schema):
    store: str = Field(
        min_length=1, max_length=140, pattern=r"^[-a-zA-Z0-9_]+$", description="Store slug."
    )
    category: Literal[
        "reviews",
        "messaging",
        "notifications",
        "points-and-badges",
        "improvements",
        "academy",
        "account",
        "other",
    ]
    priority: Literal["urgent", "high", "normal", "low"] = "normal"
    subject: str = Field(max_length=SUBJECT_MAX_LENGTH, pattern=PlainText)
    description: str = Field(max_length=BODY_MAX_LENGTH, pattern=PlainText)


class TicketReplyIn(Schema):
    body: str = Field(max_length=BODY_MAX_LENGTH, pattern=PlainText)


class TicketCloseIn(Schema):
    satisfaction: int = Field(
        ge=1, le=5, strict=True, description="How satisfied with the help, 1–5; a JSON number."
    )
    comment: str = Field("", max_length=COMMENT_MAX_LENGTH, pattern=PlainText)


class TicketMessageOut(Schema):
    id: int
    author: str
    from_office: bool
    body: str
    created_at: datetime
    attachments: list[str] = Field(description="Links to the attachments.")


class TicketOut(Schema):
    code: str
    store: str = Field(description="Store slug.")
    subject: str
    category: str
    priority: str
    status: str = Field(
        description="open, waiting_on_seller, waiting_on_office, resolved or closed."
    )
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    first_response_due: datetime
    resolution_due: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    satisfaction: int | None


class TicketDetailOut(TicketOut):
    messages: list[TicketMessageOut] = Field(description="Oldest first; no internal notes.")


class TicketList(Schema):
    items: list[TicketOut]
    count: int
