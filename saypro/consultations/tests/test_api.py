from datetime import timedelta

import pytest
from django.utils import timezone

from saypro.accounts.tests.factories import token_client
from saypro.consultations import services
from saypro.consultations.models import Booking
from saypro.consultations.tests.factories import make_slot
from saypro.core.testing import assert_error


@pytest.fixture
def soon(expert):
    return make_slot(expert, timezone.now().replace(microsecond=0) + timedelta(days=3))


def test_a_seller_lists_topics_and_slots_then_books(seller, store, topic, expert, soon):
    api = token_client(seller)
    topics = api.get("/api/v1/consultations/topics").json()
    assert [item["slug"] for item in topics["items"]] == [topic.slug]
    assert topics["items"][0]["experts"] == [
        {"id": expert.pk, "name": "Annelie Botha", "bio": "Seller success coach."}
    ]
    slots = api.get(f"/api/v1/consultations/topics/{topic.slug}/slots").json()
    assert [item["id"] for item in slots["items"]] == [soon.pk]

    response = api.post(
        "/api/v1/consultations/bookings",
        {"slot_id": soon.pk, "topic": topic.slug, "store": store.slug, "note": "Themes"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["note"], body["can_change"]) == ("booked", "Themes", True)
    assert "private_notes" not in body
    assert api.get("/api/v1/consultations/bookings").json()["count"] == 1


def test_a_taken_slot_is_a_409_with_the_message(seller, other_seller, store, topic, soon):
    services.book_consultation(
        seller=other_seller, slot=soon, topic=topic, store=other_seller.memberships.first().store
    )
    response = token_client(seller).post(
        "/api/v1/consultations/bookings",
        {"slot_id": soon.pk, "topic": topic.slug, "store": store.slug},
        content_type="application/json",
    )
    error = assert_error(response, 409, "slot_taken")
    assert error["message"] == "Someone has just booked this slot; pick another."


def test_a_buyer_is_refused_and_others_bookings_are_404(buyer, seller, store, topic, soon):
    response = token_client(buyer).post(
        "/api/v1/consultations/bookings",
        {"slot_id": soon.pk, "topic": topic.slug, "store": store.slug},
        content_type="application/json",
    )
    assert_error(response, 403, "permission_denied")
    booking = services.book_consultation(seller=seller, slot=soon, topic=topic, store=store)
    response = token_client(buyer).post(
        f"/api/v1/consultations/bookings/{booking.pk}/cancel", {}, content_type="application/json"
    )
    assert_error(response, 404, "not_found")
    assert Booking.objects.get().is_active


def test_move_and_cancel(seller, store, topic, expert, soon):
    later = make_slot(expert, soon.starts_at + timedelta(days=1))
    booking = services.book_consultation(seller=seller, slot=soon, topic=topic, store=store)
    api = token_client(seller)
    moved = api.post(
        f"/api/v1/consultations/bookings/{booking.pk}/reschedule",
        {"slot_id": later.pk},
        content_type="application/json",
    ).json()
    assert (moved["rescheduled_from"], moved["starts_at"][:16]) == (
        booking.pk,
        later.starts_at.isoformat()[:16],
    )
    cancelled = api.post(
        f"/api/v1/consultations/bookings/{moved['id']}/cancel",
        {"reason": "Busy"},
        content_type="application/json",
    ).json()
    assert cancelled["status"] == "cancelled"
