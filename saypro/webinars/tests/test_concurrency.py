"""Parallel registrations for the last seat on PostgreSQL: one seat, the rest wait."""

import pytest

from saypro.catalog.tests.factories import MembershipFactory
from saypro.core.testing import postgresql_only, run_at_once
from saypro.webinars import services
from saypro.webinars.models import Registration
from saypro.webinars.tests.factories import NOW, SessionFactory

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


def test_many_people_racing_for_the_last_seat_get_one_seat():
    session = SessionFactory(capacity=2)
    first = MembershipFactory().user
    services.register(user=first, session=session, now=NOW)
    racers = [MembershipFactory().user for _ in range(6)]

    results = run_at_once(
        [
            lambda person=person: services.register(user=person, session=session, now=NOW)
            for person in racers
        ]
    )

    assert not [r for r in results if isinstance(r, Exception)]
    statuses = [r.status for r in results]
    assert statuses.count(Registration.Status.REGISTERED) == 1
    assert statuses.count(Registration.Status.WAITLISTED) == 5
    assert session.registrations.filter(status="registered").count() == 2


def test_a_cancel_racing_registrations_never_overfills():
    session = SessionFactory(capacity=1)
    holder = MembershipFactory().user
    services.register(user=holder, session=session, now=NOW)
    racers = [MembershipFactory().user for _ in range(4)]
    calls = [lambda: services.cancel_registration(user=holder, session=session, now=NOW)]
    calls += [
        lambda person=person: services.register(user=person, session=session, now=NOW)
        for person in racers
    ]

    results = run_at_once(calls)

    assert not [r for r in results if isinstance(r, Exception)]
    assert session.registrations.filter(status="registered").count() == 1
    assert session.registrations.filter(status="waitlisted").count() == 3
