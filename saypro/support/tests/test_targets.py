from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saypro.support import targets
from saypro.support.models import CLOCK_RUNNING, Ticket
from saypro.support.services import _set_status

START = datetime(2026, 1, 1, tzinfo=UTC)
# Seconds from START (cheap to generate on a busy machine, and exact).
moments = st.integers(min_value=-(10**8), max_value=10**8).map(
    lambda seconds: START + timedelta(seconds=seconds)
)
durations = st.integers(min_value=0, max_value=30 * 86400).map(lambda s: timedelta(seconds=s))


@pytest.mark.parametrize(
    ("priority", "first", "resolution"),
    [("urgent", 1, 4), ("high", 4, 24), ("normal", 8, 72), ("low", 24, 120)],
)
def test_targets_per_priority(priority, first, resolution):
    assert targets.first_response_due(priority, START) == START + timedelta(hours=first)
    assert targets.resolution_due(priority, START, timedelta(0)) == START + timedelta(
        hours=resolution
    )


def test_paused_time_moves_the_resolution_due_time():
    paused = timedelta(hours=5, minutes=30)
    assert targets.resolution_due("high", START, paused) == START + timedelta(hours=29, minutes=30)


@given(due=moments, now=moments)
def test_time_left_is_due_minus_now(due, now):
    assert targets.time_left(due, now) == due - now


@given(due=moments, paused_at=moments, later=durations)
def test_time_left_is_frozen_while_paused(due, paused_at, later):
    """However long the ticket waits on the seller, the time left does not run down."""
    frozen = targets.time_left(due, paused_at, paused_at=paused_at)
    assert targets.time_left(due, paused_at + later, paused_at=paused_at) == frozen


@given(
    priority=st.sampled_from(["urgent", "high", "normal", "low"]),
    opened=moments,
    paused=durations,
)
def test_first_response_is_always_due_before_resolution(priority, opened, paused):
    assert targets.first_response_due(priority, opened) < targets.resolution_due(
        priority, opened, paused
    )


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(hours=3, minutes=20), "3 h 20 min left"),
        (timedelta(hours=2), "2 h left"),
        (timedelta(minutes=7, seconds=30), "7 min left"),
        (timedelta(days=1, hours=2), "1 d 2 h left"),
        (-timedelta(minutes=45), "overdue by 45 min"),
        (-timedelta(days=2), "overdue by 2 d"),
        (timedelta(seconds=30), "due now"),
        (-timedelta(seconds=30), "overdue by under a minute"),
    ],
)
def test_describe_in_words(left, text):
    assert targets.describe(left) == text


@given(
    priority=st.sampled_from(["urgent", "high", "normal", "low"]),
    steps=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=3 * 86400),
            st.sampled_from(["open", "waiting_on_seller", "waiting_on_office", "resolved"]),
        ),
        max_size=12,
    ),
)
@settings(deadline=None)
def test_the_resolution_due_time_adds_exactly_the_time_spent_off_the_clock(priority, steps):
    """Whatever the path through the statuses, due = opened + target + time not on the clock."""
    ticket = Ticket(
        priority=priority,
        status="open",
        created_at=START,
        first_response_due=targets.first_response_due(priority, START),
        resolution_due=targets.resolution_due(priority, START, timedelta(0)),
    )
    now, stopped = START, timedelta(0)
    for gap, status in steps:
        if ticket.status not in CLOCK_RUNNING:
            stopped += timedelta(seconds=gap)
        now += timedelta(seconds=gap)
        _set_status(ticket, status, now)
    if ticket.status in CLOCK_RUNNING:
        assert ticket.paused_at is None
        assert ticket.resolution_due == targets.resolution_due(priority, START, stopped)
    else:
        # Stopped: the time still to come off the clock is added when it runs again.
        assert ticket.paused_at is not None
        on_clock = (now - START) - stopped
        left = ticket.resolution_left(now + timedelta(days=5)) if ticket.is_active else None
        if left is not None:
            assert left == targets.target_for(priority).resolution - on_clock
