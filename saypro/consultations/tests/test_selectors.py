from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from saypro.catalog.tests.factories import MembershipFactory
from saypro.consultations import selectors, services
from saypro.consultations.models import Booking
from saypro.consultations.tests.conftest import NOW
from saypro.consultations.tests.factories import make_slot, make_topic


def book(seller, slot, topic, now=NOW):
    return services.book_consultation(
        seller=seller, slot=slot, topic=topic, store=seller.memberships.first().store, now=now
    )


def test_free_slots_leave_out_taken_removed_short_and_too_soon(seller, expert, topic, slot):
    taken = make_slot(expert, NOW + timedelta(days=4))
    book(seller, taken, topic)
    removed = make_slot(expert, NOW + timedelta(days=5))
    services.remove_slot(actor=expert.user, slot=removed, now=NOW)
    make_slot(expert, NOW + timedelta(days=6), minutes=30)  # shorter than the topic
    make_slot(expert, NOW + timedelta(hours=1))  # within the booking notice
    other_topic = make_topic(slug="inbox-setup", minutes=30)

    assert selectors.free_slots(topic=topic, now=NOW) == [slot]
    assert selectors.free_slots(topic=other_topic, now=NOW) == []


def test_slots_are_grouped_by_the_viewers_day(expert):
    late = make_slot(expert, datetime(2026, 12, 3, 21, 30, tzinfo=UTC))  # 4 Dec in Auckland
    early = make_slot(expert, datetime(2026, 12, 3, 8, 0, tzinfo=UTC))
    days = selectors.slots_by_day([early, late], ZoneInfo("Pacific/Auckland"))
    assert [(day.isoformat(), group) for day, group in days] == [
        ("2026-12-03", [early]),
        ("2026-12-04", [late]),
    ]
    assert len(selectors.slots_by_day([early, late], ZoneInfo("UTC"))) == 1


def test_a_sellers_reads_never_load_the_private_notes(seller, expert, topic, slot):
    booking = book(seller, slot, topic)
    services.save_private_notes(actor=expert.user, booking=booking, private_notes="Secret")

    mine = selectors.booking_for_seller(seller, booking.pk)
    assert "private_notes" in mine.get_deferred_fields()
    assert selectors.booking_for_seller(expert.user, booking.pk) is None
    assert selectors.booking_for_office(seller, booking.pk) is None
    assert selectors.booking_for_office(expert.user, booking.pk).private_notes == "Secret"


def test_my_consultations_split_upcoming_and_past_and_hide_moves(seller, expert, topic, slot):
    later = make_slot(expert, slot.starts_at + timedelta(days=1))
    gone = make_slot(expert, slot.starts_at + timedelta(days=2))
    booking = book(seller, slot, topic)
    moved = services.reschedule_consultation(actor=seller, booking=booking, new_slot=later, now=NOW)
    cancelled = book(seller, gone, topic)
    services.cancel_consultation(actor=seller, booking=cancelled, now=NOW)

    mine = selectors.my_consultations(seller, now=NOW)
    assert (mine.upcoming, mine.past) == ([moved], [cancelled])
    experts = selectors.expert_bookings(expert, now=NOW)
    assert (experts.upcoming, experts.past) == ([moved], [cancelled])


def test_engagement_counts_a_quarter(expert, topic):
    start, end = datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    booked_at = datetime(2026, 10, 5, tzinfo=UTC)
    sellers = [MembershipFactory().user for _ in range(3)]
    slots = [make_slot(expert, datetime(2026, 10, 10 + i, 9, tzinfo=UTC)) for i in range(5)]
    held = [book(sellers[0], slots[0], topic, now=booked_at)]
    held.append(book(sellers[0], slots[1], topic, now=booked_at))
    held.append(book(sellers[1], slots[2], topic, now=booked_at))
    missed = book(sellers[2], slots[3], topic, now=booked_at)
    dropped = book(sellers[2], slots[4], topic, now=booked_at)
    for booking in held:
        services.close_consultation(
            actor=expert.user, booking=booking, held=True, now=booking.slot.ends_at
        )
    services.close_consultation(actor=expert.user, booking=missed, held=False, now=end)
    services.cancel_consultation(actor=sellers[2], booking=dropped, now=booked_at)
    # Booked in the quarter but held in the next one, and moved once: still one booking.
    january = make_slot(expert, datetime(2027, 1, 5, 9, tzinfo=UTC))
    next_door = make_slot(expert, datetime(2027, 1, 6, 9, tzinfo=UTC))
    later = book(sellers[1], january, topic, now=booked_at)
    services.reschedule_consultation(
        actor=sellers[1], booking=later, new_slot=next_door, now=booked_at
    )

    assert selectors.engagement(start, end) == selectors.Engagement(
        booked=6, held=3, cancelled=1, no_shows=1, sellers=2
    )
    assert selectors.engagement(end, end + timedelta(days=90)).booked == 0
    assert Booking.objects.count() == 7
