"""/api/v1 endpoints for sellers' consultations: topics, free slots, book, move, cancel.

The same services as the pages; a seller sees only their own bookings (another
person's id is a 404), and never the expert's private notes.
"""

from django.http import HttpRequest
from ninja import Router, Status

from saypro.consultations import selectors, services
from saypro.consultations.models import Booking, Expert
from saypro.consultations.schemas import (
    BookingIn,
    BookingList,
    BookingOut,
    CancelIn,
    RescheduleIn,
    SlotList,
    TopicList,
)
from saypro.core.api import AUTH, ERRORS, Id, Slug
from saypro.core.errors import NotFound

router = Router(tags=["consultations"], auth=AUTH)


def _expert(expert: Expert) -> dict:
    return {"id": expert.pk, "name": expert.name, "bio": expert.bio}


def _booking(booking: Booking) -> dict:
    return {
        "id": booking.pk,
        "topic": booking.topic.slug,
        "store": booking.store.slug,
        "status": booking.status,
        "starts_at": booking.slot.starts_at,
        "ends_at": booking.slot.ends_at,
        "expert": _expert(booking.slot.expert),
        "note": booking.note,
        "meeting_link": booking.meeting_link,
        "rescheduled_from": booking.rescheduled_from_id,
        "can_change": selectors.can_change(booking),
    }


def _topic(slug: str):
    topic = selectors.topic_for(slug)
    if topic is None:
        raise NotFound("No bookable topic with this slug.")
    return topic


def _slot(slot_id: int):
    slot = selectors.slot_for_booking(slot_id)
    if slot is None:
        raise NotFound("No slot with this id.")
    return slot


def _own(request: HttpRequest, booking_id: int) -> Booking:
    booking = selectors.booking_for_seller(request.auth, booking_id)
    if booking is None:
        raise NotFound("No consultation with this id among yours.")
    return booking


@router.get("/consultations/topics", response={200: TopicList, **ERRORS})
def list_topics(request: HttpRequest):
    """Bookable topics with the experts who take them."""
    topics = list(selectors.active_topics())
    items = [
        {
            "slug": topic.slug,
            "title": topic.title,
            "description": topic.description,
            "duration_minutes": topic.duration_minutes,
            "experts": [_expert(expert) for expert in topic.experts.all()],
        }
        for topic in topics
    ]
    return {"items": items, "count": len(items)}


@router.get("/consultations/topics/{slug}/slots", response={200: SlotList, **ERRORS})
def free_slots(request: HttpRequest, slug: Slug):
    """Free slots for the topic, soonest first (UTC)."""
    slots = selectors.free_slots(topic=_topic(slug))
    items = [
        {
            "id": slot.pk,
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "expert": _expert(slot.expert),
        }
        for slot in slots
    ]
    return {"items": items, "count": len(items)}


@router.get("/consultations/bookings", response={200: BookingList, **ERRORS})
def my_bookings(request: HttpRequest):
    """Your consultations: upcoming first (soonest first), then past and cancelled."""
    mine = selectors.my_consultations(request.auth)
    items = [_booking(booking) for booking in [*mine.upcoming, *mine.past]]
    return {"items": items, "count": len(items)}


@router.post("/consultations/bookings", response={201: BookingOut, **ERRORS})
def book(request: HttpRequest, body: BookingIn):
    """Book a free slot; 409 with "Someone has just booked this slot" when it was taken."""
    store = selectors.store_by_slug(body.store)
    if store is None:
        raise NotFound("No store with this slug.")
    booking = services.book_consultation(
        seller=request.auth,
        slot=_slot(body.slot_id),
        topic=_topic(body.topic),
        store=store,
        note=body.note,
    )
    return Status(201, _booking(selectors.booking_for_seller(request.auth, booking.pk)))


@router.post(
    "/consultations/bookings/{booking_id}/reschedule", response={200: BookingOut, **ERRORS}
)
def reschedule(request: HttpRequest, booking_id: Id, body: RescheduleIn):
    """Move to another free slot of the same expert (up to 24 hours before the start)."""
    moved = services.reschedule_consultation(
        actor=request.auth, booking=_own(request, booking_id), new_slot=_slot(body.slot_id)
    )
    return _booking(selectors.booking_for_seller(request.auth, moved.pk))


@router.post("/consultations/bookings/{booking_id}/cancel", response={200: BookingOut, **ERRORS})
def cancel(request: HttpRequest, booking_id: Id, body: CancelIn):
    """Cancel (up to 24 hours before the start; later, contact support)."""
    booking = services.cancel_consultation(
        actor=request.auth, booking=_own(request, booking_id), reason=body.reason
    )
    return _booking(selectors.booking_for_seller(request.auth, booking.pk))
