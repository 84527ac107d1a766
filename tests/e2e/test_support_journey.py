"""A seller opens a support ticket that an office person answers, both live, in two browsers.

Runs on the messaging journeys' own ASGI server (``asgi_server``: uvicorn and a
file copy of the test database), because the live updates come over the
WebSocket that ``live_server`` (WSGI only) cannot serve.
"""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from saypro.accounts.tests.factories import StaffFactory
from saypro.catalog.tests.factories import MembershipFactory, StoreFactory
from saypro.support import services
from saypro.support.models import Status, Ticket
from tests.e2e.conftest import PHONE
from tests.e2e.test_messaging_journey import asgi_server, open_page  # noqa: F401 (fixtures)
from tests.e2e.test_phone import problems_on

pytestmark = pytest.mark.e2e
HOURS_8 = timedelta(hours=8)


@pytest.fixture
def desk(db):
    store = StoreFactory(name="Cape Linen Co", slug="cape-linen-co")
    seller = MembershipFactory(
        store=store, user__email="owner@example.test", user__first_name="Lerato"
    ).user
    office = StaffFactory(email="office@example.test", first_name="Annelie", last_name="Botha")
    return SimpleNamespace(store=store, seller=seller, office=office)


def wait_until_live(page) -> None:
    expect(page.locator("[data-live-events]")).to_have_attribute("data-connection", "open")


def test_seller_opens_a_ticket_the_office_answers_live(desk, open_page, shot):  # noqa: F811
    services.load_canned_replies()
    # The office person is on the desk: new tickets reach whoever is on duty live.
    now = timezone.now()
    services.add_shift(
        desk.office, staff=desk.office, starts_at=now - timedelta(hours=1), ends_at=now + HOURS_8
    )

    # The office keeps the queue open: nothing in it yet.
    office = open_page(desk.office)
    office.goto("/office/support/")
    expect(office.get_by_role("heading", name="Nothing in the queue")).to_be_visible()
    wait_until_live(office)

    # The seller opens a ticket from the support hub.
    seller = open_page(desk.seller)
    seller.goto("/support/")
    seller.get_by_role("link", name="New ticket").click()
    seller.get_by_label("What is it about?").select_option("reviews")
    seller.get_by_label("Priority").select_option("high")
    seller.get_by_label("Subject").fill("A buyer's review isn't showing")
    seller.get_by_label("Describe the problem").fill(
        "Naledi says she reviewed the linen shirt yesterday, but I can't see it anywhere."
    )
    shot(seller, "seller-new-ticket")
    seller.get_by_role("button", name="Open ticket").click()
    expect(seller.get_by_role("heading", level=1)).to_have_text("A buyer's review isn't showing")
    expect(seller.locator(".ticket-facts .ticket-status")).to_have_text("Open")
    wait_until_live(seller)
    shot(seller, "seller-ticket-open")

    # It appears in the office queue without a reload, with its first-response target.
    row = office.locator(".support-queue tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("A buyer's review isn't showing")
    expect(row).to_contain_text(re.compile(r"First response: 3 h 5\d min left"))
    expect(row).to_contain_text("On time")
    shot(office, "office-queue-live")

    # The office takes it and answers with a canned reply, edited before sending.
    row.get_by_role("link", name="A buyer's review isn't showing").click()
    office.get_by_role("button", name="Assign to me").click()
    expect(office.locator(".messages")).to_contain_text("The ticket is yours.")
    office.get_by_label("Canned reply").select_option(
        label="My buyer's review isn't showing (reviews)"
    )
    office.get_by_role("button", name="Insert").click()
    reply_box = office.get_by_label("Your reply")
    expect(reply_box).to_have_value(re.compile(r"^Thanks for getting in touch\. A review is held"))
    expect(reply_box).to_be_focused()
    reply_box.press("End")
    reply_box.type(" I checked: Naledi's review was held for a phone number; it is published now.")
    shot(office, "office-canned-reply-edited")
    office.get_by_role("button", name="Send to seller").click()
    expect(office.locator(".messages")).to_contain_text("Reply sent to the seller.")

    # The seller's open page shows the answer live, and the new status.
    answer = seller.locator(".ticket-message.office")
    expect(answer).to_have_count(1)
    expect(answer).to_contain_text("it is published now.")
    expect(seller.locator(".ticket-facts .ticket-status")).to_have_text("Waiting on seller")
    shot(seller, "seller-sees-answer-live")

    # The office resolves; the seller's page offers the rating without a reload.
    office.get_by_label("Status").select_option(label="Resolved")
    office.get_by_role("button", name="Set status").click()
    expect(office.locator(".messages")).to_contain_text("Status: Resolved.")
    expect(seller.get_by_role("heading", name="Is everything sorted?")).to_be_visible()
    expect(seller.locator("[data-support-reply]")).to_be_hidden()

    seller.get_by_label("5 — very").check()
    seller.get_by_label("Anything we could do better?").fill("Quick and clear, thank you!")
    shot(seller, "seller-rates")
    seller.get_by_role("button", name="Close with my rating").click()
    expect(seller.get_by_role("heading", name="Closed")).to_be_visible()
    expect(seller.locator(".ticket-close")).to_contain_text("You rated the help 5 of 5.")
    shot(seller, "seller-closed")

    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.satisfaction, ticket.assignee) == (
        Status.CLOSED,
        5,
        desk.office,
    )
    assert ticket.first_response_met() is True

    # The ticket page on a phone: nothing overflows.
    phone = open_page(desk.seller, viewport=PHONE)
    phone.goto(ticket.get_absolute_url())
    assert problems_on(phone, "the ticket page") == []
    shot(phone, "seller-ticket-phone")

    # And the office's queue and rota on a phone.
    office_phone = open_page(desk.office, viewport=PHONE)
    for path, name in (("/office/support/", "queue"), ("/office/support/duty/", "rota")):
        office_phone.goto(path)
        assert problems_on(office_phone, f"the office {name}") == []
        shot(office_phone, f"office-{name}-phone")
