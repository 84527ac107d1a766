from datetime import timedelta

import pytest

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.webinars import selectors
from saypro.webinars.models import Registration
from saypro.webinars.tests.factories import NOW, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_engagement_counts_the_quarter_exactly():
    start, end = NOW - timedelta(days=30), NOW + timedelta(days=30)
    held = SessionFactory(starts_at=NOW - timedelta(days=1), capacity=10)
    other = SessionFactory(starts_at=NOW - timedelta(days=2), capacity=10)
    SessionFactory(starts_at=NOW - timedelta(days=3), status="cancelled")
    outside = SessionFactory(starts_at=NOW - timedelta(days=40))
    seller = MembershipFactory().user
    RegistrationFactory(session=held, user=seller, attended=True)
    RegistrationFactory(session=other, user=seller, attended=True)  # same seller twice
    RegistrationFactory(session=held, user=MembershipFactory().user, attended=False)
    RegistrationFactory(session=held, user=UserFactory(is_staff=True), attended=True)  # staff
    RegistrationFactory(session=held, user=MembershipFactory().user, status="waitlisted")
    RegistrationFactory(session=outside, user=MembershipFactory().user, attended=True)

    result = selectors.engagement(start, end)

    assert result == selectors.Engagement(
        sessions_held=2,
        registrations=4,
        attendees=3,
        sellers_attending=1,
        attendance_rate=0.75,
    )
    assert selectors.engagement(end, end + timedelta(days=1)).attendance_rate is None


def test_waiting_position_follows_registration_time():
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session, user=UserFactory())
    late = RegistrationFactory(
        session=session,
        user=UserFactory(),
        status="waitlisted",
        created_at=NOW + timedelta(minutes=2),
    )
    early = RegistrationFactory(
        session=session,
        user=UserFactory(),
        status="waitlisted",
        created_at=NOW + timedelta(minutes=1),
    )
    assert selectors.waiting_position(early) == 1 and selectors.waiting_position(late) == 2


def test_upcoming_includes_running_sessions_and_past_the_ended(settings):
    running = SessionFactory(starts_at=NOW - timedelta(minutes=30), duration_minutes=60)
    ended = SessionFactory(starts_at=NOW - timedelta(hours=2), duration_minutes=60)
    later = SessionFactory(starts_at=NOW + timedelta(days=1))
    assert list(selectors.upcoming_sessions(now=NOW)) == [running, later]
    assert list(selectors.past_sessions(now=NOW)) == [ended]
    assert selectors.session_by_id(later.pk).registered_count == 0
    assert Registration.objects.count() == 0
