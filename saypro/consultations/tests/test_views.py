import re
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from saypro.accounts.tests.factories import StaffFactory
from saypro.consultations import services
from saypro.consultations.models import Booking, Expert, Slot, WeeklyAvailability
from saypro.consultations.tests.factories import make_slot
from saypro.knowledge.loading import load_content as load_knowledge
from saypro.notifications.models import NotificationSettings

SECRET = "Seller seemed unsure about refunds"


@pytest.fixture
def soon(expert):
    """A free hour three days from now (real time: the pages use the clock)."""
    return make_slot(expert, timezone.now().replace(microsecond=0) + timedelta(days=3))


@pytest.fixture
def booking(seller, store, soon, topic, expert):
    booking = services.book_consultation(
        seller=seller, slot=soon, topic=topic, store=store, note="Our <b>delivery</b> theme"
    )
    services.save_private_notes(actor=expert.user, booking=booking, private_notes=SECRET)
    return booking


def test_topics_page_lists_topics_with_their_experts(client, topic, expert):
    response = client.get(reverse("consultations:topics"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Walk through your Insights" in page and "Annelie Botha" in page
    assert "Log in" in page  # anonymous visitors are told how to book


def test_anonymous_visitors_can_read_a_topic_and_are_asked_to_log_in(client, topic, expert, soon):
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert topic.title in page and "Annelie Botha" in page
    assert f"/accounts/login/?next={topic.get_absolute_url()}" in page.replace("%2F", "/")


def test_the_booking_page_shows_free_slots_in_the_viewers_zone(client, seller, topic, soon):
    NotificationSettings.objects.create(user=seller, time_zone="Asia/Tokyo")
    client.force_login(seller)
    response = client.get(topic.get_absolute_url())
    page = response.content.decode()
    local = soon.starts_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{local:%H:%M}–" in page
    assert "times in Asia/Tokyo" in page
    assert f'value="{soon.pk}"' in page


def test_a_seller_books_through_the_page(client, seller, store, topic, soon):
    client.force_login(seller)
    response = client.post(
        topic.get_absolute_url(), {"slot": soon.pk, "store": store.pk, "note": "Help with themes"}
    )
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == booking.get_absolute_url()
    confirmation = client.get(booking.get_absolute_url()).content.decode()
    assert "https://meet.example/annelie" in confirmation
    assert "Add to calendar" in confirmation
    ics = client.get(reverse("consultations:calendar", kwargs={"pk": booking.pk}))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"SUMMARY:SayPro consultation: Walk through your Insights" in ics.content


def test_a_slot_taken_meanwhile_is_refused_on_the_page(client, seller, other_seller, topic, soon):
    services.book_consultation(
        seller=other_seller, slot=soon, topic=topic, store=other_seller.memberships.first().store
    )
    client.force_login(seller)
    response = client.post(
        topic.get_absolute_url(), {"slot": soon.pk, "store": seller.memberships.first().store.pk}
    )
    assert response.status_code == 409
    assert "Someone has just booked this slot; pick another." in response.content.decode()
    assert Booking.objects.count() == 1


def test_booking_without_a_time_says_so_in_the_fields_style(client, seller, store, topic, soon):
    """The slot picker is a fieldset; its error sits in a .field so it is styled as one."""
    client.force_login(seller)
    response = client.post(topic.get_absolute_url(), {"store": store.pk})
    assert response.status_code == 400
    assert re.search(
        r'<div class="field">\s*<ul class="errors" id="id_slot_error"><li>Pick a time.</li></ul>',
        response.content.decode(),
    )
    assert not Booking.objects.exists()


def test_the_calendar_file_of_a_cancelled_booking_cancels_the_event(client, seller, booking):
    client.force_login(seller)
    url = reverse("consultations:calendar", kwargs={"pk": booking.pk})
    before = client.get(url).content.decode()
    assert "STATUS:CONFIRMED\r\nSEQUENCE:0\r\n" in before
    services.cancel_consultation(actor=seller, booking=booking)
    after = client.get(url).content.decode()
    assert "STATUS:CANCELLED\r\nSEQUENCE:1\r\n" in after
    uid = f"UID:consultation-{booking.pk}@saypro"
    assert uid in before and uid in after


def test_a_buyer_sees_no_booking_form_and_cannot_post(client, buyer, topic, soon):
    client.force_login(buyer)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Book this time" not in page and "Consultations are for sellers" in page
    response = client.post(topic.get_absolute_url(), {"slot": soon.pk, "store": 1})
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_the_seller_never_sees_the_private_notes(client, seller, booking):
    client.force_login(seller)
    for url in (
        booking.get_absolute_url(),
        reverse("consultations:mine"),
        reverse("consultations:reschedule", kwargs={"pk": booking.pk}),
        reverse("consultations:calendar", kwargs={"pk": booking.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    # Their own note is shown escaped.
    assert (
        "Our &lt;b&gt;delivery&lt;/b&gt; theme"
        in client.get(booking.get_absolute_url()).content.decode()
    )


def test_the_expert_sees_note_store_and_private_notes(client, booking, expert):
    client.force_login(expert.user)
    page = client.get(reverse("office_consultations:booking", kwargs={"pk": booking.pk}))
    text = page.content.decode()
    assert SECRET in text and "Cape Linen Co" in text and "Our &lt;b&gt;delivery" in text
    listing = client.get(reverse("office_consultations:bookings")).content.decode()
    assert "Walk through your Insights" in listing


@pytest.mark.parametrize("who", ["seller", "buyer", "other_seller"])
def test_office_pages_are_refused_to_non_staff(client, request, who, booking):
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("office_consultations:availability"),
        reverse("office_consultations:bookings"),
        reverse("office_consultations:booking", kwargs={"pk": booking.pk}),
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["buyer", "other_seller", "staff"])
def test_others_cannot_open_a_sellers_booking(client, request, who, booking):
    client.force_login(request.getfixturevalue(who))
    assert client.get(booking.get_absolute_url()).status_code == 404
    client.post(reverse("consultations:cancel", kwargs={"pk": booking.pk}))
    assert Booking.objects.get(pk=booking.pk).is_active


def test_the_seller_cancels_and_moves_from_the_pages(client, seller, booking, expert):
    later = make_slot(expert, booking.slot.starts_at + timedelta(days=1))
    client.force_login(seller)
    response = client.post(
        reverse("consultations:reschedule", kwargs={"pk": booking.pk}), {"slot": later.pk}
    )
    moved = Booking.objects.get(status=Booking.Status.BOOKED)
    assert response["Location"] == moved.get_absolute_url() and moved.slot == later

    client.post(reverse("consultations:cancel", kwargs={"pk": moved.pk}), {"reason": "Busy"})
    moved.refresh_from_db()
    assert moved.status == Booking.Status.CANCELLED


@pytest.mark.parametrize("who", ["seller", "expert"])
def test_a_too_long_cancel_reason_is_refused_not_dropped(client, who, booking):
    """The reason was once dropped silently and the booking cancelled without it."""
    if who == "seller":
        client.force_login(booking.seller)
        url = reverse("consultations:cancel", kwargs={"pk": booking.pk})
    else:
        client.force_login(booking.slot.expert.user)
        url = reverse("office_consultations:cancel", kwargs={"pk": booking.pk})
    response = client.post(url, {"reason": "x" * 501})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Keep the reason to 500 characters (it has 501)." in page
    assert "Walk through your Insights" in page  # the booking page, as it stands
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED and booking.cancel_reason == ""


def test_the_expert_must_say_why_when_cancelling(client, booking, expert):
    client.force_login(expert.user)
    response = client.post(reverse("office_consultations:cancel", kwargs={"pk": booking.pk}))
    assert response.status_code == 400
    assert "Say why, for the seller" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED and booking.cancelled_at is None


def test_a_one_off_slot_in_year_9999_is_refused_with_a_message(client, expert):
    client.force_login(expert.user)
    response = client.post(
        reverse("office_consultations:add_slot"),
        {"day": "9999-12-31", "start_time": "23:30", "minutes": 90},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Pick a time within the next year." in page
    assert 'value="9999-12-31"' in page  # the form comes back as typed, to fix
    assert not Slot.objects.exists()


def test_a_one_off_slot_without_a_time_is_refused_next_to_the_field(client, expert):
    client.force_login(expert.user)
    response = client.post(
        reverse("office_consultations:add_slot"), {"day": "2030-01-01", "minutes": 60}
    )
    assert response.status_code == 400
    assert 'id="id_once_start_time_error"' in response.content.decode()
    assert not Slot.objects.exists()


def test_an_overlapping_one_off_slot_is_refused(client, expert, soon):
    client.force_login(expert.user)
    local = soon.starts_at.astimezone(expert.zone)
    response = client.post(
        reverse("office_consultations:add_slot"),
        {"day": f"{local:%Y-%m-%d}", "start_time": f"{local:%H:%M}", "minutes": 30},
    )
    assert response.status_code == 409
    assert "This overlaps your slot on" in response.content.decode()
    assert Slot.objects.get() == soon


def test_late_cancel_explains_the_notice_rule(client, seller, store, topic, expert):
    slot = make_slot(expert, timezone.now() + timedelta(hours=5))
    booking = services.book_consultation(seller=seller, slot=slot, topic=topic, store=store)
    client.force_login(seller)
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "contact support" in page and "Cancel consultation" not in page
    response = client.post(reverse("consultations:cancel", kwargs={"pk": booking.pk}))
    assert response.status_code == 409
    assert "contact support" in response.content.decode()
    booking.refresh_from_db()
    assert booking.is_active and booking.cancelled_at is None


def test_the_expert_publishes_weekly_time_and_removes_a_slot(client, expert):
    client.force_login(expert.user)
    client.post(
        reverse("office_consultations:add_weekly"),
        {"weekday": 2, "start_time": "09:00", "end_time": "11:00", "slot_minutes": 60},
    )
    assert WeeklyAvailability.objects.count() == 1
    # Four weeks ahead hold three Wednesdays after today's window, four before it.
    assert Slot.objects.count() >= 6
    assert {
        (start.weekday(), start.hour)
        for start in (slot.starts_at.astimezone(expert.zone) for slot in Slot.objects.all())
    } == {(2, 9), (2, 10)}
    page = client.get(reverse("office_consultations:availability")).content.decode()
    assert "Wednesday 09:00–11:00" in page
    # The weekly and the one-off forms both ask for a start time: each label names its own box.
    ids = re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(ids)
    assert '<label for="id_start_time">From</label>' in page
    assert '<label for="id_once_start_time">At</label>' in page
    slot = Slot.objects.first()
    client.post(reverse("office_consultations:remove_slot", kwargs={"pk": slot.pk}))
    slot.refresh_from_db()
    assert slot.removed_at is not None


@pytest.mark.parametrize(
    ("data", "status", "reason"),
    [
        ({"weekday": 2, "end_time": "11:00", "slot_minutes": 60}, 400, "This field is required."),
        (
            {"weekday": 2, "start_time": "11:00", "end_time": "09:00", "slot_minutes": 60},
            400,
            "The end comes after the start.",
        ),
        (
            {"weekday": 1, "start_time": "10:00", "end_time": "12:00", "slot_minutes": 60},
            409,
            "This overlaps your",
        ),
    ],
)
def test_refused_weekly_time_comes_back_with_the_reason(client, expert, data, status, reason):
    services.add_weekly_availability(
        actor=expert.user,
        expert=expert,
        weekday=1,
        start_time=time(9),
        end_time=time(11),
        slot_minutes=60,
    )
    slots = Slot.objects.count()
    client.force_login(expert.user)
    response = client.post(reverse("office_consultations:add_weekly"), data)
    assert response.status_code == status
    assert reason in response.content.decode()
    assert WeeklyAvailability.objects.count() == 1 and Slot.objects.count() == slots


def test_a_booked_slot_cannot_be_removed(client, booking, expert):
    client.force_login(expert.user)
    response = client.post(
        reverse("office_consultations:remove_slot", kwargs={"pk": booking.slot_id})
    )
    assert response.status_code == 409
    assert "This slot is booked: cancel the booking first" in response.content.decode()
    booking.slot.refresh_from_db()
    assert booking.slot.removed_at is None
    assert Booking.objects.get(pk=booking.pk).is_active


def test_staff_become_experts_on_the_page(client, topic):
    staff = StaffFactory()
    client.force_login(staff)
    assert (
        "Become an expert"
        in client.get(reverse("office_consultations:availability")).content.decode()
    )
    client.post(
        reverse("office_consultations:availability"),
        {
            "bio": "I read review answers.",
            "topics": [topic.pk],
            "time_zone": "Africa/Johannesburg",
            "meeting_link": "https://meet.example/me",
        },
    )
    assert Expert.objects.get(user=staff).topics.get() == topic


def test_the_expert_marks_held_with_notes(
    client, booking, expert, django_capture_on_commit_callbacks
):
    Slot.objects.filter(pk=booking.slot_id).update(
        starts_at=timezone.now() - timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(minutes=50),
    )
    client.force_login(expert.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("office_consultations:notes", kwargs={"pk": booking.pk}),
            {"private_notes": "Went well", "outcome": "held"},
        )
    booking.refresh_from_db()
    assert (booking.status, booking.private_notes) == (Booking.Status.COMPLETED, "Went well")


def test_marking_held_before_the_start_is_refused_and_keeps_the_typed_notes(
    client, booking, expert
):
    client.force_login(expert.user)
    response = client.post(
        reverse("office_consultations:notes", kwargs={"pk": booking.pk}),
        {"private_notes": "Typed before the call", "outcome": "held"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "It has not started yet." in page and "Typed before the call" in page
    booking.refresh_from_db()
    assert (booking.status, booking.private_notes) == (Booking.Status.BOOKED, SECRET)


def test_a_colleague_cannot_write_the_experts_notes(client, booking, staff):
    client.force_login(staff)
    response = client.post(
        reverse("office_consultations:notes", kwargs={"pk": booking.pk}),
        {"private_notes": "Not mine to write", "outcome": ""},
    )
    assert response.status_code == 403
    assert "Only the expert who takes this consultation can do that." in response.content.decode()
    booking.refresh_from_db()
    assert booking.private_notes == SECRET


def test_office_switches_a_topic_off_and_sellers_no_longer_see_it(client, topic, staff, seller):
    client.force_login(staff)
    client.post(reverse("office_consultations:topic_active", kwargs={"pk": topic.pk}))
    topic.refresh_from_db()
    assert not topic.is_active
    client.force_login(seller)
    assert client.get(topic.get_absolute_url()).status_code == 404
    client.post(reverse("office_consultations:topic_active", kwargs={"pk": topic.pk}))
    topic.refresh_from_db()
    assert not topic.is_active  # a seller's post is a 404 and changes nothing


def test_list_pages_query_a_fixed_number_of_times(
    client, seller, store, topic, expert, django_assert_max_num_queries
):
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    for index in range(5):
        slot = make_slot(expert, start + timedelta(hours=index * 2))
        if index < 3:
            services.book_consultation(seller=seller, slot=slot, topic=topic, store=store)
    client.force_login(seller)
    for url in (
        reverse("consultations:topics"),
        topic.get_absolute_url(),
        reverse("consultations:mine"),
    ):
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200
    client.force_login(expert.user)
    for url in (
        reverse("office_consultations:bookings"),
        reverse("office_consultations:availability"),
    ):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


def test_the_booking_links_the_articles_to_read_first(client, seller, booking):
    load_knowledge()
    client.force_login(seller)
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "Before you meet" in page
    assert reverse("knowledge:article", args=["seller-insights-page"]) in page


def test_the_booking_leaves_out_reading_that_is_not_published(client, seller, booking):
    client.force_login(seller)  # no knowledge base loaded: nothing to read first
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "Before you meet" not in page
