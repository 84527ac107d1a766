"""Webinars in the browser: a seller finds an upcoming webinar, registers, downloads its
calendar invite and sees it under "My webinars"; on a phone the session page fits."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from saypro.catalog.tests.factories import MembershipFactory
from saypro.webinars.models import Registration
from saypro.webinars.tests.factories import SessionFactory
from tests.e2e.conftest import sign_in_as

pytestmark = pytest.mark.e2e

TITLE = "Answering reviews live: from one star to a loyal customer"


def test_a_seller_registers_adds_it_to_the_calendar_and_finds_it_in_my_webinars(
    page, live_server, shot
):
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=3)
    SessionFactory(title=TITLE, starts_at=start, capacity=300)
    seller = MembershipFactory(user__first_name="Ayanda").user
    sign_in_as(page, live_server, seller)

    page.goto("/academy/")
    page.get_by_role("navigation", name="Seller education").get_by_role(
        "link", name="Webinars"
    ).click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("300 of 300 seats left")).to_be_visible()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered", exact=True)).to_be_visible()
    shot(page, "registered")
    assert Registration.objects.get(user=seller).status == Registration.Status.REGISTERED

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    path = download_info.value.path()
    [event] = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == TITLE and event.decoded("DTSTART") == start

    page.get_by_role("link", name="My webinars").click()
    expect(page.locator(".webinar-row", has_text=TITLE)).to_contain_text("Registered")
    shot(page, "my-webinars")


def test_the_session_page_fits_a_phone(phone_page, shot):
    session = SessionFactory(title=TITLE, starts_at=timezone.now() + timedelta(days=2))
    phone_page.goto(session.get_absolute_url())
    expect(phone_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    shot(phone_page, "phone-session")


def test_the_host_marks_attendance_by_keyboard_and_adds_the_recording(page, live_server, shot):
    session = SessionFactory(
        title=TITLE, starts_at=timezone.now() - timedelta(hours=2), duration_minutes=60
    )
    came = MembershipFactory(user__first_name="Ayanda", user__last_name="Zulu").user
    missed = MembershipFactory(user__first_name="Pieter", user__last_name="Smit").user
    for person in (came, missed):
        Registration.objects.create(
            session=session, user=person, status="registered", created_at=timezone.now()
        )
    sign_in_as(page, live_server, session.host)

    page.goto("/office/webinars/")
    shot(page, "office-list")
    page.locator("tr", has_text=TITLE).get_by_role("link", name="Host page").click()
    page.get_by_role("checkbox", name="Ayanda Zulu").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save attendance")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Attendance saved: 1 present.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Ayanda Zulu")).to_be_checked()
    page.get_by_label("Recording link").fill("https://video.example.test/answering-reviews")
    page.get_by_role("button", name="Save the recording link").click()
    expect(page.get_by_text("The recording link is saved.")).to_be_visible()
    shot(page, "host-page")
    assert [r.attended for r in Registration.objects.order_by("user__first_name")] == [True, False]

    page.goto("/academy/webinars/past/")
    expect(page.get_by_role("link", name="Watch the recording")).to_have_attribute(
        "href", "https://video.example.test/answering-reviews"
    )
