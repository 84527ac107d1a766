"""The notifications API: each person reads and changes only their own, per role."""

import pytest
from django.test import Client

from saypro.accounts.tests.factories import token_client
from saypro.core.testing import assert_error
from saypro.notifications import services
from saypro.notifications.models import Channel, NotificationType, Preference
from saypro.notifications.tests.factories import NotificationFactory

JSON = "application/json"


@pytest.fixture(params=["buyer", "seller", "staff"])
def person(request, db):
    return request.getfixturevalue(request.param)


def test_list_with_unread_count_and_filter(person):
    mine = NotificationFactory.create_batch(3, recipient=person)
    NotificationFactory()  # someone else's
    services.mark_read(user=person, notification=mine[0])
    api = token_client(person)
    body = api.get("/api/v1/notifications").json()
    assert (body["count"], body["unread_count"]) == (3, 2)
    assert [item["id"] for item in body["items"]] == [n.pk for n in reversed(mine)]
    unread = api.get("/api/v1/notifications", {"unread": True}).json()
    assert unread["count"] == 2


def test_mark_read_and_all_read(person):
    one, _ = NotificationFactory.create_batch(2, recipient=person)
    api = token_client(person)
    response = api.post(f"/api/v1/notifications/{one.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    assert api.post("/api/v1/notifications/read-all").json() == {"marked": 1, "unread_count": 0}


def test_someone_elses_notification_is_a_404_and_stays_unread(buyer, seller):
    theirs = NotificationFactory(recipient=seller)
    assert_error(
        token_client(buyer).post(f"/api/v1/notifications/{theirs.pk}/read"), 404, "not_found"
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None


BUYER_TYPES = {
    "message.new",
    "review.answered",
    "engagement.badge_earned",
    "engagement.campaign",
    "order.status",
}


def test_preferences_round_trip_and_bad_input_changes_nothing(request, person):
    api = token_client(person)
    grid = api.get("/api/v1/notifications/preferences").json()
    # A buyer is offered what concerns buyers; a store's team and the office everything.
    role = request.node.callspec.params["person"]
    assert {row["type"] for row in grid} == (
        BUYER_TYPES if role == "buyer" else set(NotificationType.values)
    )
    assert next(r for r in grid if r["type"] == "message.new")["channel"] == "toast"
    bad = api.put(
        "/api/v1/notifications/preferences", {"channels": {"message.new": "fax"}}, content_type=JSON
    )
    assert_error(bad, 422, "invalid_request")
    assert not Preference.objects.exists()
    response = api.put(
        "/api/v1/notifications/preferences",
        {"channels": {"message.new": "digest"}},
        content_type=JSON,
    )
    assert response.status_code == 200
    assert Preference.objects.get(user=person).channel == Channel.DIGEST


def test_settings_round_trip_and_refusal(person):
    api = token_client(person)
    assert api.get("/api/v1/notifications/settings").json() == {
        "time_zone": "Africa/Johannesburg",
        "quiet_hours_start": None,
        "quiet_hours_end": None,
        "digest_frequency": "daily",
    }
    body = {
        "time_zone": "Europe/Berlin",
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "07:00",
        "digest_frequency": "weekly",
    }
    saved = api.put("/api/v1/notifications/settings", body, content_type=JSON).json()
    assert saved == {**body, "quiet_hours_start": "22:00:00", "quiet_hours_end": "07:00:00"}
    refused = api.put(
        "/api/v1/notifications/settings",
        {**body, "quiet_hours_end": None},
        content_type=JSON,
    )
    assert_error(refused, 400, "validation_failed")
    assert api.get("/api/v1/notifications/settings").json()["quiet_hours_end"] == "07:00:00"


def test_quiet_hours_with_a_utc_offset_are_refused_and_nothing_changes(person):
    api = token_client(person)
    before = api.get("/api/v1/notifications/settings").json()
    refused = api.put(
        "/api/v1/notifications/settings",
        {**before, "quiet_hours_start": "20:51:35+07:40", "quiet_hours_end": "06:00"},
        content_type=JSON,
    )
    assert "UTC offset" in assert_error(refused, 400, "validation_failed")["message"]
    assert api.get("/api/v1/notifications/settings").json() == before


def test_anonymous_is_refused(db):
    assert_error(Client().get("/api/v1/notifications"), 401, "not_authenticated")
