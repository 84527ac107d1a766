"""Real concurrent bookers, each on its own database connection (PostgreSQL only)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from saypro.catalog.tests.factories import MembershipFactory
from saypro.consultations import services
from saypro.consultations.models import Booking
from saypro.consultations.tests.factories import make_expert, make_slot, make_topic
from saypro.core.errors import Conflict
from saypro.core.testing import postgresql_only, run_at_once

BOOKERS = 8


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_parallel_bookers_of_one_slot_get_one_booking_and_clear_refusals():
    topic = make_topic()
    expert = make_expert(topics=[topic])
    slot = make_slot(expert, timezone.now() + timedelta(days=3))
    memberships = [MembershipFactory() for _ in range(BOOKERS)]

    results = run_at_once(
        [
            lambda membership=membership: services.book_consultation(
                seller=membership.user, slot=slot, topic=topic, store=membership.store
            )
            for membership in memberships
        ]
    )

    booked = [result for result in results if isinstance(result, Booking)]
    refused = [result for result in results if isinstance(result, Conflict)]
    assert (len(booked), len(refused)) == (1, BOOKERS - 1), results
    assert {error.message for error in refused} == {
        "Someone has just booked this slot; pick another."
    }
    assert Booking.objects.filter(slot=slot, status=Booking.Status.BOOKED).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_one_seller_booking_two_overlapping_slots_at_once_gets_one():
    topic = make_topic(minutes=30)
    first = make_expert(topics=[topic])
    second = make_expert(topics=[topic])
    starts = timezone.now() + timedelta(days=3)
    slots = [make_slot(first, starts), make_slot(second, starts + timedelta(minutes=30))]
    membership = MembershipFactory()

    results = run_at_once(
        [
            lambda slot=slot: services.book_consultation(
                seller=membership.user, slot=slot, topic=topic, store=membership.store
            )
            for slot in slots
        ]
    )

    booked = [result for result in results if isinstance(result, Booking)]
    refused = [result for result in results if isinstance(result, Conflict)]
    assert (len(booked), len(refused)) == (1, 1), results
    assert refused[0].code == "seller_busy"
    assert Booking.objects.filter(seller=membership.user, status=Booking.Status.BOOKED).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_sellers_moving_to_the_same_free_slot_at_once_one_moves():
    topic = make_topic(minutes=30)
    expert = make_expert(topics=[topic])
    starts = timezone.now() + timedelta(days=3)
    target = make_slot(expert, starts)
    bookings = []
    for hours in (2, 4):
        membership = MembershipFactory()
        bookings.append(
            services.book_consultation(
                seller=membership.user,
                slot=make_slot(expert, starts + timedelta(hours=hours)),
                topic=topic,
                store=membership.store,
            )
        )

    results = run_at_once(
        [
            lambda booking=booking: services.reschedule_consultation(
                actor=booking.seller, booking=booking, new_slot=target
            )
            for booking in bookings
        ]
    )

    moved = [result for result in results if isinstance(result, Booking)]
    assert len(moved) == 1, results
    assert Booking.objects.filter(slot=target, status=Booking.Status.BOOKED).count() == 1
    # The one that did not move keeps its original booking.
    assert Booking.objects.filter(status=Booking.Status.BOOKED).count() == 2
