"""Ticket targets: when a first response and a resolution are due, and how much time is left.

Pure functions (no database), so the rules can be tested on their own.

The clock is 24/7: a target of 4 hours means 4 hours of wall-clock time, nights
and weekends included, because the office covers the desk around the clock.
The first-response clock runs from the moment the ticket is opened until the
first public reply from the office. The resolution clock runs from the moment
the ticket is opened until it is resolved, **except** while the ticket waits
on the seller (and while it sits resolved before a reopen): that time is added
to the resolution due time, so the office is not held to account for the
seller's silence.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings


@dataclass(frozen=True)
class Target:
    first_response: timedelta
    resolution: timedelta


def target_for(priority: str) -> Target:
    """The targets of ``priority`` from ``settings.SUPPORT_TARGETS`` (hours)."""
    hours = settings.SUPPORT_TARGETS[priority]
    return Target(
        first_response=timedelta(hours=hours["first_response_hours"]),
        resolution=timedelta(hours=hours["resolution_hours"]),
    )


def first_response_due(priority: str, opened_at: datetime) -> datetime:
    return opened_at + target_for(priority).first_response


def resolution_due(priority: str, opened_at: datetime, paused: timedelta) -> datetime:
    """Opened + the priority's resolution target + the time the clock stood still so far."""
    return opened_at + target_for(priority).resolution + paused


def time_left(due: datetime, now: datetime, *, paused_at: datetime | None = None) -> timedelta:
    """Time until ``due`` (negative when overdue); frozen at ``paused_at`` while paused."""
    return due - (paused_at if paused_at is not None else now)


def describe(left: timedelta) -> str:
    """'3 h 20 min left' or 'overdue by 1 d 2 h': words, never colour alone."""
    seconds = abs(int(left.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        amount = f"{days} d {hours} h" if hours else f"{days} d"
    elif hours:
        amount = f"{hours} h {minutes} min" if minutes else f"{hours} h"
    elif minutes:
        amount = f"{minutes} min"
    else:
        return "due now" if left.total_seconds() >= 0 else "overdue by under a minute"
    return f"{amount} left" if left.total_seconds() >= 0 else f"overdue by {amount}"
