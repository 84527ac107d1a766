from datetime import UTC, datetime, time, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saypro.accounts.tests.factories import StaffFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.consultations import services
from saypro.consultations.models import Booking, Expert, Slot, Topic, WeeklyAvailability
from saypro.consultations.tests.conftest import NOW
from saypro.consultations.tests.factories import make_expert, make_slot, make_topic
from saypro.core.errors import (
    ApplicationError,
    Conflict,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from saypro.notifications.models import Notification
from saypro.surveys.models import Audience, Invitation, Trigger
from saypro.surveys.tests.factories import SurveyFactory

TYPE = "academy.consultation_reminder"


def state() -> dict[str, list[dict]]:
    """Every consultation row and every notification, to show a refusal changed nothing."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Topic, Expert, WeeklyAvailability, Slot, Booking, Notification)
    }


def book(seller, slot, topic, *, store=None, note="", now=NOW) -> Booking:
    store = store or seller.memberships.first().store
    return services.book_consultation(
        seller=seller, slot=slot, topic=topic, store=store, note=note, now=now
    )


# --- Loading topics ------------------------------------------------------------------------------


def test_load_topics_creates_the_shipped_six_and_keeps_the_office_switch(db, staff):
    report = services.load_topics()
    assert (report.created, report.updated) == (6, 0)
    inbox = Topic.objects.get(slug="inbox-setup")
    services.set_topic_active(actor=staff, topic=inbox, active=False)

    assert services.load_topics() == services.TopicsReport(0, 6)
    inbox.refresh_from_db()
    assert not inbox.is_active
    insights = Topic.objects.get(slug="insights-walkthrough")
    assert insights.duration_minutes == 45
    assert insights.articles[0] == {
        "slug": "seller-insights-page",
        "title": insights.articles[0]["title"],
    }


def test_only_office_staff_switch_topics(topic, seller):
    with pytest.raises(PermissionDenied):
        services.set_topic_active(actor=seller, topic=topic, active=False)
    topic.refresh_from_db()
    assert topic.is_active


# --- Booking -------------------------------------------------------------------------------------


def test_a_seller_books_a_free_slot_and_both_sides_are_told(seller, store, slot, topic, expert):
    booking = book(seller, slot, topic, note="  Our delivery theme is  rising. <b>help</b> ")

    assert booking.status == Booking.Status.BOOKED
    assert (booking.seller, booking.store, booking.topic, booking.slot) == (
        seller,
        store,
        topic,
        slot,
    )
    assert booking.note == "Our delivery theme is  rising. <b>help</b>"
    assert booking.meeting_link == "https://meet.example/annelie"
    assert booking.reminded_day_before_at is None
    texts = dict(Notification.objects.filter(type=TYPE).values_list("recipient", "text"))
    assert texts == {
        seller.pk: "Booked: “Walk through your Insights” with Annelie Botha, "
        "Fri 4 Dec, 10:00 (Africa/Johannesburg)",
        expert.user_id: "New consultation: “Walk through your Insights” with Cape Linen Co, "
        "Fri 4 Dec, 10:00 (Africa/Johannesburg)",
    }


def test_a_taken_slot_is_refused_clearly_and_nothing_changes(seller, other_seller, slot, topic):
    book(seller, slot, topic)
    before = state()

    with pytest.raises(Conflict) as refused:
        book(other_seller, slot, topic)

    assert refused.value.message == "Someone has just booked this slot; pick another."
    assert refused.value.code == "slot_taken"
    assert state() == before


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("anonymous", NotAuthenticated),
        ("buyer", PermissionDenied),
        ("staff", PermissionDenied),
        ("other_seller", PermissionDenied),  # a seller, but not of the store booked for
        ("expert", PermissionDenied),
    ],
)
def test_only_members_of_the_store_book(who, error, request, store, slot, topic):
    person = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    person = getattr(person, "user", person)  # the expert fixture is their profile
    before = state()

    with pytest.raises(error):
        services.book_consultation(seller=person, slot=slot, topic=topic, store=store, now=NOW)

    assert state() == before


@pytest.mark.parametrize(
    ("starts_in", "refused"),
    [
        (timedelta(hours=-1), True),  # in the past
        (timedelta(hours=1, minutes=59), True),  # within the 2-hour booking notice
        (timedelta(hours=2), False),
    ],
)
def test_the_booking_notice(starts_in, refused, seller, expert, topic):
    slot = make_slot(expert, NOW + starts_in)
    if refused:
        with pytest.raises(ValidationFailed, match="at least 2 hours ahead"):
            book(seller, slot, topic)
        assert not Booking.objects.exists()
    else:
        # Booked within the day: the confirmation stands in for the day-before reminder.
        assert book(seller, slot, topic).reminded_day_before_at == NOW


def test_refusals_for_the_slot_and_topic(seller, expert, topic, slot):
    short = make_slot(expert, NOW + timedelta(days=4), minutes=30)
    with pytest.raises(ValidationFailed, match="needs 45 minutes; this slot has 30"):
        book(seller, short, topic)

    other_topic = make_topic(slug="inbox-setup", minutes=30)
    with pytest.raises(ValidationFailed, match="does not take"):
        book(seller, slot, other_topic)

    services.remove_slot(actor=expert.user, slot=slot, now=NOW)
    with pytest.raises(Conflict, match="no longer offered"):
        book(seller, slot, topic)

    topic.is_active = False
    topic.save()
    with pytest.raises(NotFound):
        book(seller, short, topic)

    with pytest.raises(ValidationFailed, match="1000 characters"):
        book(seller, make_slot(expert, NOW + timedelta(days=5)), other_topic, note="x" * 1001)
    assert not Booking.objects.exists()


def test_a_seller_cannot_hold_two_consultations_at_once(seller, topic, expert, slot):
    colleague = make_expert(topics=[topic], user=StaffFactory(email="nadia@example.test"))
    overlapping = make_slot(colleague, slot.starts_at + timedelta(minutes=30))
    book(seller, slot, topic)

    with pytest.raises(Conflict) as refused:
        book(seller, overlapping, topic)

    assert refused.value.code == "seller_busy"
    assert Booking.objects.count() == 1


# --- Reschedule ----------------------------------------------------------------------------------


def test_reschedule_moves_the_booking_in_one_step(seller, other_seller, expert, topic, slot):
    later = make_slot(expert, slot.starts_at + timedelta(days=1))
    booking = book(seller, slot, topic, note="Bring the numbers")

    moved = services.reschedule_consultation(actor=seller, booking=booking, new_slot=later, now=NOW)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.RESCHEDULED
    assert (moved.slot, moved.status, moved.rescheduled_from) == (
        later,
        Booking.Status.BOOKED,
        booking,
    )
    assert moved.note == "Bring the numbers"
    # The old slot is free again: another seller can take it.
    assert book(other_seller, slot, topic).status == Booking.Status.BOOKED
    assert Notification.objects.filter(recipient=expert.user, text__startswith="Moved:").exists()


def test_a_refused_reschedule_keeps_the_old_booking(seller, other_seller, expert, topic, slot):
    later = make_slot(expert, slot.starts_at + timedelta(days=1))
    book(other_seller, later, topic)
    booking = book(seller, slot, topic)
    before = state()

    with pytest.raises(Conflict, match="Someone has just booked"):
        services.reschedule_consultation(actor=seller, booking=booking, new_slot=later, now=NOW)

    assert state() == before


def test_reschedule_rules(seller, other_seller, expert, topic, slot, staff):
    booking = book(seller, slot, topic)
    colleague = make_expert(topics=[topic], user=StaffFactory())
    elsewhere = make_slot(colleague, slot.starts_at + timedelta(days=1))
    later = make_slot(expert, slot.starts_at + timedelta(days=1))
    before = state()

    with pytest.raises(ValidationFailed, match="same expert"):
        services.reschedule_consultation(actor=seller, booking=booking, new_slot=elsewhere, now=NOW)
    with pytest.raises(PermissionDenied):
        services.reschedule_consultation(
            actor=other_seller, booking=booking, new_slot=later, now=NOW
        )
    too_late = slot.starts_at - timedelta(hours=23)
    with pytest.raises(Conflict, match="contact support"):
        services.reschedule_consultation(
            actor=seller, booking=booking, new_slot=later, now=too_late
        )
    assert state() == before

    # Office staff may move it any time.
    moved = services.reschedule_consultation(
        actor=staff, booking=booking, new_slot=later, now=too_late
    )
    assert moved.slot == later


# --- Cancel --------------------------------------------------------------------------------------


def test_the_seller_cancels_up_to_24_hours_before(seller, expert, topic, slot):
    booking = book(seller, slot, topic)
    before = state()

    with pytest.raises(Conflict) as refused:
        services.cancel_consultation(
            actor=seller, booking=booking, now=slot.starts_at - timedelta(hours=23, minutes=59)
        )
    assert "contact support" in refused.value.message
    assert state() == before

    services.cancel_consultation(
        actor=seller,
        booking=booking,
        reason="Stock count",
        now=slot.starts_at - timedelta(hours=24),
    )
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by, booking.cancel_reason) == (
        Booking.Status.CANCELLED,
        seller,
        "Stock count",
    )
    assert Notification.objects.get(recipient=expert.user, text__startswith="Cancelled").text == (
        "Cancelled by Cape Linen Co: “Walk through your Insights”, Fri 4 Dec, 10:00 "
        "(Africa/Johannesburg)"
    )


@pytest.mark.parametrize("actor", ["expert", "staff"])
def test_the_office_cancels_any_time_with_a_reason(actor, request, seller, expert, topic, slot):
    person = expert.user if actor == "expert" else request.getfixturevalue("staff")
    booking = book(seller, slot, topic)
    late = slot.starts_at - timedelta(minutes=30)

    with pytest.raises(ValidationFailed, match="Say why"):
        services.cancel_consultation(actor=person, booking=booking, reason=" ", now=late)

    services.cancel_consultation(actor=person, booking=booking, reason="Expert is ill", now=late)
    assert Notification.objects.filter(
        recipient=seller, text__endswith="Reason: Expert is ill"
    ).exists()


@pytest.mark.parametrize("who", ["buyer", "other_seller", "agent"])
def test_others_cannot_cancel(who, request, seller, slot, topic):
    booking = book(seller, slot, topic)
    before = state()
    with pytest.raises(PermissionDenied):
        services.cancel_consultation(
            actor=request.getfixturevalue(who), booking=booking, reason="x", now=NOW
        )
    assert state() == before


def test_a_cancelled_booking_cannot_be_cancelled_again(seller, slot, topic):
    booking = book(seller, slot, topic)
    services.cancel_consultation(actor=seller, booking=booking, now=NOW)
    with pytest.raises(Conflict, match="no longer booked"):
        services.cancel_consultation(actor=seller, booking=booking, now=NOW)


# --- Held, no-show, private notes -----------------------------------------------------------------


def test_only_the_expert_closes_a_consultation_after_it_starts(
    seller, staff, expert, topic, slot, django_capture_on_commit_callbacks
):
    survey = SurveyFactory(trigger=Trigger.CONSULTATION_HELD, audience=Audience.SELLERS)
    booking = book(seller, slot, topic)
    started = slot.starts_at + timedelta(minutes=5)
    before = state()

    for actor in (seller, staff):
        with pytest.raises(PermissionDenied):
            services.close_consultation(actor=actor, booking=booking, held=True, now=started)
    with pytest.raises(Conflict, match="not started"):
        services.close_consultation(actor=expert.user, booking=booking, held=True, now=NOW)
    assert state() == before

    with django_capture_on_commit_callbacks(execute=True):
        services.close_consultation(
            actor=expert.user,
            booking=booking,
            held=True,
            private_notes="Shy on pricing",
            now=started,
        )

    booking.refresh_from_db()
    assert (booking.status, booking.closed_at, booking.private_notes) == (
        Booking.Status.COMPLETED,
        started,
        "Shy on pricing",
    )
    invitation = Invitation.objects.get(user=seller)
    assert (invitation.survey, invitation.subject) == (survey, booking)
    assert booking.survey_label() == "About your consultation “Walk through your Insights”"


def test_a_no_show_asks_no_survey(seller, expert, topic, slot, django_capture_on_commit_callbacks):
    SurveyFactory(trigger=Trigger.CONSULTATION_HELD, audience=Audience.SELLERS)
    booking = book(seller, slot, topic)
    with django_capture_on_commit_callbacks(execute=True):
        services.close_consultation(
            actor=expert.user, booking=booking, held=False, now=slot.ends_at
        )
    assert Booking.objects.get().status == Booking.Status.NO_SHOW
    assert not Invitation.objects.exists()


def test_private_notes_are_the_experts_alone(seller, staff, expert, topic, slot):
    booking = book(seller, slot, topic)
    for actor in (seller, staff):
        with pytest.raises(PermissionDenied):
            services.save_private_notes(actor=actor, booking=booking, private_notes="x")
    services.save_private_notes(actor=expert.user, booking=booking, private_notes=" Needs help ")
    assert Booking.objects.get().private_notes == "Needs help"


# --- Availability ---------------------------------------------------------------------------


def test_weekly_availability_makes_slots_in_the_experts_zone(expert):
    # 1 Dec 2026 is a Tuesday; Johannesburg is UTC+2 all year.
    services.add_weekly_availability(
        actor=expert.user,
        expert=expert,
        weekday=2,  # Wednesday
        start_time=time(9, 0),
        end_time=time(11, 30),
        slot_minutes=60,
        now=NOW,
    )
    starts = list(Slot.objects.values_list("starts_at", flat=True))
    assert len(starts) == 2 * 4  # two whole hours fit, four Wednesdays in four weeks
    assert starts[:2] == [
        datetime(2026, 12, 2, 7, 0, tzinfo=UTC),
        datetime(2026, 12, 2, 8, 0, tzinfo=UTC),
    ]
    assert services.extend_availability(expert=expert, now=NOW) == 0  # nothing twice

    # A removed slot is not made again; the window rolls forward a week later.
    services.remove_slot(actor=expert.user, slot=Slot.objects.first(), now=NOW)
    assert services.extend_availability(expert=expert, now=NOW) == 0
    assert services.extend_availability(expert=expert, now=NOW + timedelta(days=7)) == 2


def test_availability_refusals(expert, seller, topic):
    services.add_weekly_availability(
        actor=expert.user,
        expert=expert,
        weekday=2,
        start_time=time(9),
        end_time=time(12),
        slot_minutes=60,
        now=NOW,
    )
    before = state()
    with pytest.raises(PermissionDenied):
        services.add_slot(
            actor=seller, expert=expert, starts_at=NOW + timedelta(days=2), minutes=60, now=NOW
        )
    with pytest.raises(Conflict, match="overlaps your Wednesday 09:00–12:00"):
        services.add_weekly_availability(
            actor=expert.user,
            expert=expert,
            weekday=2,
            start_time=time(11),
            end_time=time(13),
            slot_minutes=60,
            now=NOW,
        )
    with pytest.raises(Conflict, match="overlaps your slot on Wed 2 Dec at 10:00"):
        services.add_slot(
            actor=expert.user,
            expert=expert,
            starts_at=datetime(2026, 12, 2, 8, 30, tzinfo=UTC),
            minutes=30,
            now=NOW,
        )
    with pytest.raises(ValidationFailed, match="future"):
        services.add_slot(actor=expert.user, expert=expert, starts_at=NOW, minutes=60, now=NOW)
    with pytest.raises(ValidationFailed, match="shorter than one 90-minute slot"):
        services.add_weekly_availability(
            actor=expert.user,
            expert=expert,
            weekday=3,
            start_time=time(9),
            end_time=time(10),
            slot_minutes=90,
            now=NOW,
        )
    booked = Slot.objects.first()
    booking = book(seller, booked, topic)
    before = state()
    with pytest.raises(Conflict, match="cancel the booking first"):
        services.remove_slot(actor=expert.user, slot=booked, now=NOW)
    assert state() == before

    # Stopping the window frees its future slots, but the booked one stays.
    pattern = WeeklyAvailability.objects.get()
    assert services.remove_weekly_availability(actor=expert.user, pattern=pattern, now=NOW) == 11
    assert list(Slot.objects.filter(removed_at=None)) == [booked]
    booking.refresh_from_db()
    assert booking.is_active


def test_a_one_off_slot(expert):
    slot = services.add_slot(
        actor=expert.user, expert=expert, starts_at=NOW + timedelta(days=1), minutes=45, now=NOW
    )
    assert slot.minutes == 45


@pytest.mark.parametrize("year", [NOW.year + 2, 9999])
def test_a_one_off_slot_more_than_a_year_ahead_is_refused(expert, year):
    """A mistyped year is caught; in 9999 the slot's end would overflow ``datetime``."""
    far = NOW.replace(year=year, month=12, day=31, hour=23, minute=30)
    with pytest.raises(ValidationFailed, match="within the next year") as error:
        services.add_slot(actor=expert.user, expert=expert, starts_at=far, minutes=90, now=NOW)
    assert error.value.details == {"field": "starts_at"}
    assert not Slot.objects.exists()


def test_save_expert_is_for_office_staff(staff, seller, topic):
    with pytest.raises(PermissionDenied):
        services.save_expert(
            actor=seller,
            user=seller,
            bio="",
            topics=[topic],
            time_zone="UTC",
            meeting_link="https://x.example",
        )
    with pytest.raises(ValidationFailed, match="not a time zone"):
        services.save_expert(
            actor=staff,
            user=staff,
            bio="",
            topics=[topic],
            time_zone="Mars/Base",
            meeting_link="https://x.example",
        )
    expert = services.save_expert(
        actor=staff,
        user=staff,
        bio=" Coach ",
        topics=[topic],
        time_zone="Europe/London",
        meeting_link="https://x.example/room",
    )
    assert (expert.bio, list(expert.topics.all())) == ("Coach", [topic])
    assert not Expert.objects.filter(user=seller).exists()


# --- Reminders -----------------------------------------------------------------------------------


def test_reminders_24_hours_and_1_hour_before_each_once(seller, topic, slot):
    book(seller, slot, topic)
    starts = slot.starts_at

    assert services.send_reminders(now=starts - timedelta(hours=25)) == 0
    assert services.send_reminders(now=starts - timedelta(hours=23)) == 1
    assert services.send_reminders(now=starts - timedelta(hours=22)) == 0
    assert services.send_reminders(now=starts - timedelta(minutes=59)) == 1
    assert services.send_reminders(now=starts - timedelta(minutes=30)) == 0
    assert services.send_reminders(now=starts + timedelta(minutes=1)) == 0

    texts = list(
        Notification.objects.filter(recipient=seller, type=TYPE)
        .order_by("pk")
        .values_list("text", flat=True)
    )
    assert [text.split(":")[0] for text in texts] == [
        "Booked",
        "Tomorrow",
        "Starting within the hour",
    ]


def test_a_cancelled_booking_is_not_reminded(seller, topic, slot):
    booking = book(seller, slot, topic)
    services.cancel_consultation(actor=seller, booking=booking, now=NOW)
    assert services.send_reminders(now=slot.starts_at - timedelta(minutes=30)) == 0


# --- The invariant -----------------------------------------------------------------------------


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["book", "cancel", "reschedule"]),
        st.integers(min_value=0, max_value=2),  # which seller
        st.integers(min_value=0, max_value=3),  # which slot
    ),
    max_size=25,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=ACTIONS)
def test_no_sequence_leaves_a_slot_with_two_active_bookings(db, actions):
    Booking.objects.all().delete()
    Slot.objects.all().delete()
    Expert.objects.all().delete()
    Topic.objects.all().delete()
    topic = make_topic(minutes=30)
    expert = make_expert(topics=[topic])
    slots = [
        make_slot(expert, NOW + timedelta(days=2, minutes=45 * i), minutes=30) for i in range(4)
    ]
    sellers = [MembershipFactory().user for _ in range(3)]
    for action, who, where in actions:
        seller, slot = sellers[who], slots[where]
        mine = Booking.objects.filter(seller=seller, status=Booking.Status.BOOKED).first()
        try:
            if action == "book":
                book(seller, slot, topic)
            elif action == "cancel" and mine is not None:
                services.cancel_consultation(actor=seller, booking=mine, now=NOW)
            elif action == "reschedule" and mine is not None:
                services.reschedule_consultation(actor=seller, booking=mine, new_slot=slot, now=NOW)
        except ApplicationError:
            pass
        for each in slots:
            assert each.bookings.filter(status=Booking.Status.BOOKED).count() <= 1
        if action == "reschedule" and mine is not None:
            # Either moved (old one rescheduled, a successor booked) or untouched.
            mine.refresh_from_db()
            assert mine.status in (Booking.Status.BOOKED, Booking.Status.RESCHEDULED)
            if mine.status == Booking.Status.RESCHEDULED:
                assert mine.rescheduled_to.status == Booking.Status.BOOKED


def test_anonymous_is_refused_everywhere(slot, topic, store):
    anonymous = AnonymousUser()
    with pytest.raises(NotAuthenticated):
        services.book_consultation(seller=anonymous, slot=slot, topic=topic, store=store, now=NOW)
    with pytest.raises(NotAuthenticated):
        services.add_slot(actor=anonymous, expert=slot.expert, starts_at=NOW, minutes=60, now=NOW)


def test_a_buyer_is_refused_with_a_message(buyer, slot, topic, store):
    with pytest.raises(PermissionDenied, match="Consultations are for sellers"):
        services.book_consultation(seller=buyer, slot=slot, topic=topic, store=store, now=NOW)
    assert not Booking.objects.exists()
