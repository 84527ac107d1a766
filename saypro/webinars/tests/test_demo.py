"""The webinars part of the demo: past sessions with attendance, upcoming ones, a series."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from saypro.catalog import demo as catalog_demo
from saypro.surveys.models import Response
from saypro.webinars import demo, selectors
from saypro.webinars.models import Registration, Series, Session

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)
SERIES_DAY = datetime(2026, 4, 14, 10, 30, tzinfo=UTC)  # a second Tuesday: the series' day
DURATION = re.compile(r"\b([\w-]+)[\s-](minute|hour)s?\b", re.IGNORECASE)
pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)
    return demo.load_demo_webinars(seed=1, now=NOW)


def test_past_and_upcoming_sessions_from_the_shipped_descriptions(report):
    assert report.created and report.past == demo.PAST_SESSIONS and report.series == 1
    past = list(selectors.past_sessions(now=NOW))
    assert len(past) == demo.PAST_SESSIONS
    assert all(s.recording_url and s.attended_count for s in past)
    assert {s.host.email for s in Session.objects.all()} == {catalog_demo.ACCOUNTS["office"].email}
    assert Response.objects.exists()


def test_upcoming_has_a_nearly_full_a_full_one_and_the_owner_registered(report):
    one_offs = [s for s in selectors.upcoming_sessions(now=NOW) if s.series_id is None]
    assert len(one_offs) == len(demo.UPCOMING_DAYS)
    full, nearly = one_offs[1], one_offs[2]
    assert full.registered_count == full.capacity and full.waiting_count == demo.FULL_WAITING
    assert nearly.capacity - nearly.registered_count == demo.NEARLY_FULL_LEFT
    owner = Registration.objects.get(user__email=catalog_demo.ACCOUNTS["owner"].email)
    assert owner.session == one_offs[0] and owner.status == Registration.Status.REGISTERED
    assert Series.objects.get().sessions.filter(starts_at__gt=NOW).count() >= 3


def test_old_confirmations_are_read_and_not_emailed(report):
    from saypro.notifications.models import EmailDelivery, Notification

    old = Notification.objects.filter(
        type="academy.webinar_reminder", created_at__lt=NOW - demo.READ_AFTER
    )
    assert old.exists() and not old.filter(read_at__isnull=True).exists()
    assert not EmailDelivery.objects.filter(notification__in=old, status="pending").exists()


def test_loading_again_adds_nothing(report):
    again = demo.load_demo_webinars(seed=2, now=NOW)
    assert not again.created and again.past == report.past
    assert again.registrations == report.registrations


@pytest.mark.parametrize("days", demo.UPCOMING_DAYS)
def test_no_webinar_is_listed_twice_at_one_time(days):
    """Whichever upcoming one-off lands on the series' day, no title is listed twice at a time."""
    now = SERIES_DAY - timedelta(days=days)
    catalog_demo.load_demo(seed=1, scale="tiny", now=now)
    demo.load_demo_webinars(seed=1, now=now)
    slots = Counter(Session.objects.values_list("title", "starts_at"))
    assert [slot for slot, count in slots.items() if count > 1] == []


def _stated_minutes(text: str) -> list[int | None]:
    """Every duration the text states, in minutes; None for one not in digits ("Forty-five")."""
    return [
        int(amount) * (60 if unit.lower() == "hour" else 1) if amount.isdigit() else None
        for amount, unit in DURATION.findall(text)
    ]


def test_no_description_states_another_duration(report):
    wrong = {
        (session.title, session.duration_minutes, stated)
        for session in Session.objects.all()
        for stated in _stated_minutes(session.summary)
        if stated != session.duration_minutes
    }
    assert wrong == set()
