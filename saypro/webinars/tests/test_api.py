from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory, token_client
from saypro.catalog.tests.factories import MembershipFactory
from saypro.core.testing import assert_error
from saypro.webinars.models import Registration
from saypro.webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return SessionFactory(starts_at=timezone.now() + timedelta(days=2), capacity=1)


def test_the_list_and_a_session_are_public(session):
    SessionFactory(starts_at=timezone.now() - timedelta(days=2))  # past: not listed
    body = Client().get("/api/v1/webinars").json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == session.pk and item["seats_left"] == 1 and item["my_status"] is None
    assert item["invite_url"] == f"/academy/webinars/{session.pk}/invite.ics"
    assert Client().get(f"/api/v1/webinars/{session.pk}").json()["title"] == session.title
    assert_error(Client().get("/api/v1/webinars/999999"), 404, "not_found")


def test_register_wait_and_cancel(session):
    first, second = (token_client(MembershipFactory().user) for _ in range(2))
    seat = first.post(f"/api/v1/webinars/{session.pk}/registration")
    assert seat.status_code == 200 and seat.json()["status"] == "registered"
    assert seat.json()["join_url"] is None  # two days early
    again = first.post(f"/api/v1/webinars/{session.pk}/registration").json()
    assert again["created_at"] == seat.json()["created_at"]
    waiting = second.post(f"/api/v1/webinars/{session.pk}/registration").json()
    assert waiting["status"] == "waitlisted" and waiting["waiting_position"] == 1
    assert first.get(f"/api/v1/webinars/{session.pk}").json()["my_status"] == "registered"

    cancelled = first.delete(f"/api/v1/webinars/{session.pk}/registration")
    assert cancelled.json()["status"] == "cancelled"
    assert second.get("/api/v1/webinars").json()["items"][0]["my_status"] == "registered"
    assert_error(first.delete(f"/api/v1/webinars/{session.pk}/registration"), 404, "not_found")


def test_buyers_are_refused_and_visitors_must_log_in(session):
    response = token_client(UserFactory()).post(f"/api/v1/webinars/{session.pk}/registration")
    assert_error(response, 403, "permission_denied")
    assert Client().post(f"/api/v1/webinars/{session.pk}/registration").status_code == 401
    assert not Registration.objects.exists()
