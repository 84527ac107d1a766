"""The support app's live event: one type, its payload says which ticket changed and how."""

from enum import StrEnum
from typing import TypedDict


class SupportEvent(StrEnum):
    TICKET = "support.ticket"


class TicketEventData(TypedDict):
    ticket_id: int
    code: str
    status: str
    action: str  # opened, replied, noted, assigned, status, priority, resolved, closed, reopened
