"""A session for tests: hosted by office staff, starting in two days unless told otherwise."""

from datetime import UTC, datetime, timedelta

import factory

from saypro.accounts.tests.factories import StaffFactory
from saypro.webinars.models import Registration, Session

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    title = factory.Sequence(lambda n: f"Answering reviews live {n}")
    summary = "Real reviews answered live."
    agenda = ["The six habits", "Questions"]
    host = factory.SubFactory(StaffFactory)
    host_name = "Nomvula Dlamini"
    host_role = "Seller success lead"
    starts_at = NOW + timedelta(days=2)
    duration_minutes = 60
    capacity = 2
    join_url = "https://meet.example.test/answering-reviews"
    created_at = NOW - timedelta(days=7)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    status = Registration.Status.REGISTERED
    created_at = NOW
