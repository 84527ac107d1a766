"""One-on-one consultations in the browser: a new seller opens Consultations from the
Academy, picks a topic and a free time (by keyboard on a phone-sized screen too), writes a
note, books, sees it in "My consultations"; the expert sees it, with the note, in their
bookings.
"""

from datetime import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from saypro.accounts.tests.factories import StaffFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.consultations import services
from saypro.consultations.models import Booking, Topic
from tests.e2e.conftest import PHONE, new_page, sign_in_as

pytestmark = pytest.mark.e2e

NOTE = "Our delivery theme keeps rising <and> we are not sure why."


def expert_with_open_slots():
    """An expert on every topic with three hour-long slots in two days (the Academy journey too)."""
    services.load_topics()
    staff = StaffFactory(first_name="Annelie", last_name="Botha")
    expert = services.save_expert(
        actor=staff,
        user=staff,
        bio="Seller success coach.",
        topics=Topic.objects.all(),
        time_zone="Africa/Johannesburg",
        meeting_link="https://meet.saypro.test/annelie",
    )
    tomorrow = (timezone.now() + timezone.timedelta(days=2)).astimezone(expert.zone)
    services.add_weekly_availability(
        actor=staff,
        expert=expert,
        weekday=tomorrow.weekday(),
        start_time=time(9),
        end_time=time(12),
        slot_minutes=60,
    )
    return expert


def test_a_new_seller_books_a_consultation_and_the_expert_sees_it(page, browser, live_server, shot):
    expert = expert_with_open_slots()
    seller = MembershipFactory(
        store__name="Karoo Kitchen", user__first_name="Ayanda", user__last_name="Zulu"
    ).user
    sign_in_as(page, live_server, seller)

    page.goto("/academy/", timeout=30_000)  # the catalog computes recommendations
    page.get_by_role("navigation", name="Seller education").get_by_role(
        "link", name="Consultations"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("One-on-one consultations")
    shot(page, "topics")
    page.get_by_role("link", name="See free times for “Walk through your Insights”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Walk through your Insights")
    expect(page.locator(".slot-picker legend")).to_contain_text("times in Africa/Johannesburg")
    page.locator(".slot-option").first.click()
    page.get_by_label("Note for the expert").fill(NOTE)
    shot(page, "slot-picked")
    page.get_by_role("button", name="Book this time").click()

    expect(page.locator(".consultation-details")).to_contain_text(
        "https://meet.saypro.test/annelie"
    )
    expect(page.locator(".consultation-details")).to_contain_text(NOTE)
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_be_visible()
    shot(page, "confirmation")
    booking = Booking.objects.get()
    assert (booking.seller, booking.note, booking.topic.slug) == (
        seller,
        NOTE,
        "insights-walkthrough",
    )

    page.goto("/academy/consultations/mine/")
    upcoming = page.locator(".consultation-row")
    expect(upcoming).to_have_count(1)
    expect(upcoming).to_contain_text("Walk through your Insights")
    expect(page.locator(".page-head")).to_contain_text("up to 24 hours before")
    shot(page, "my-consultations")

    expert_context, expert_page = new_page(browser, live_server, {"width": 1280, "height": 800})
    sign_in_as(expert_page, live_server, expert.user)
    expert_page.goto("/office/consultations/bookings/")
    row = expert_page.locator(".consultation-row", has_text="Karoo Kitchen")
    expect(row).to_contain_text("Walk through your Insights")
    row.get_by_role("link").click()
    expect(expert_page.locator(".consultation-details")).to_contain_text(NOTE)
    expert_page.get_by_role("textbox", name="Private notes").fill(
        "Check the courier regions first."
    )
    expert_page.get_by_role("button", name="Save notes").click()
    expect(expert_page.get_by_role("textbox", name="Private notes")).to_have_value(
        "Check the courier regions first."
    )
    shot(expert_page, "expert-booking")
    expert_page.get_by_role("link", name="My availability").click()
    booked_row = expert_page.locator("tr", has_text="Karoo Kitchen")
    expect(booked_row).to_contain_text("Walk through your Insights")
    expect(booked_row.get_by_role("button")).to_have_count(0)  # a booked slot cannot be removed
    shot(expert_page, "expert-availability")
    expert_context.close()

    # The seller's page does not show the expert's notes.
    page.goto(booking.get_absolute_url())
    expect(page.locator("body")).not_to_contain_text("courier regions")


def test_booking_by_keyboard_on_a_phone(browser, live_server, migration_data, shot):
    expert_with_open_slots()
    seller = MembershipFactory(store__name="Karoo Kitchen").user
    context, page = new_page(browser, live_server, PHONE)
    sign_in_as(page, live_server, seller)

    page.goto("/academy/consultations/topics/inbox-setup/")
    first = page.locator(".slot-option input").first
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    page.get_by_label("Note for the expert").fill("Weekend replies are slow.")
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-booking")
    page.get_by_role("button", name="Book this time").press("Enter")
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_be_visible()
    shot(page, "phone-confirmation")
    assert Booking.objects.filter(seller=seller).count() == 1
    context.close()
