"""The whole marketplace loop in a browser: sign up, find, order, ship, deliver, follow."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from saypro.accounts.tests.factories import PASSWORD
from saypro.catalog.models import Order
from saypro.catalog.tests.factories import MembershipFactory, ProductFactory, StoreFactory
from tests.e2e.conftest import log_in, log_out

pytestmark = pytest.mark.e2e

CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")
BUYER_EMAIL = "naledi@example.test"
BUYER_PASSWORD = "green-kettle-on-a-hill-42"


def verification_code(email: str) -> str:
    """The sign-up code allauth mailed to ``email`` (the latest one)."""
    for message in reversed(mail.outbox):
        if email in message.to:
            match = CODE.search(message.body)
            if match:
                return match.group(1)
    subjects = [(message.to, message.subject) for message in mail.outbox]
    raise AssertionError(f"No verification code mailed to {email}; outbox: {subjects}")


def test_buyer_orders_and_store_delivers(page, shot):
    store = StoreFactory(name="Cape Linen Co", slug="cape-linen-co")
    owner = MembershipFactory(store=store, user__email="owner@example.test").user
    ProductFactory(store=store, title="Linen shirt", stock=5)
    ProductFactory(store=store, title="Clay mug", stock=5)

    # A visitor signs up as a buyer.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Shop the SayPro marketplace")
    shot(page, "home")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("First name").fill("Naledi")
    page.get_by_label("Last name").fill("Mokoena")
    page.get_by_label("Email", exact=True).fill(BUYER_EMAIL)
    page.get_by_label("Password", exact=True).fill(BUYER_PASSWORD)
    page.get_by_label("Password (again)").fill(BUYER_PASSWORD)
    shot(page, "signup")
    page.get_by_role("button", name="Sign up").click()

    # Email verification is mandatory, by code.
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/"))
    page.get_by_label("Code").fill(verification_code(BUYER_EMAIL))
    shot(page, "verify-email")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".account-menu summary")).to_contain_text("Naledi")

    # Search in the header, open the product, order it.
    header_search = page.get_by_role("search")
    header_search.get_by_label("Search products").fill("linen shirt")
    header_search.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “linen shirt”")
    results = page.get_by_role("region", name="Products").locator(".product-card")
    expect(results).to_have_count(1)
    shot(page, "search")
    results.get_by_text("Linen shirt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Linen shirt")
    page.get_by_label("Quantity").fill("2")
    shot(page, "product")
    page.get_by_role("button", name="Place order").click()
    expect(page.locator(".messages")).to_contain_text("placed with Cape Linen Co")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Order SP-"))
    number = heading.inner_text().removeprefix("Order ").strip()
    expect(page.locator(".badge")).to_have_text("Placed")
    shot(page, "order-placed")
    log_out(page)

    # The store owner ships and delivers it from the Seller Center.
    log_in(page, owner.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Seller Center").click()
    expect(page).to_have_url(re.compile(r"/seller/cape-linen-co/$"))
    to_ship = page.locator("#to-ship + .table-wrap").locator(f"#order-{number}")
    expect(to_ship).to_contain_text("Naledi Mokoena")
    expect(to_ship.locator(".badge")).to_have_text("Placed")
    shot(page, "seller-center")
    page.get_by_role("navigation", name="Seller Center").get_by_role("link", name="Orders").click()
    row = page.locator(f"#order-{number}")
    expect(row).to_contain_text("2 × Linen shirt")
    row.get_by_role("button", name="Mark shipped").click()
    expect(row.get_by_role("status")).to_have_text(f"Order {number} is now shipped.")
    expect(row.locator(".badge")).to_have_text("Shipped")
    expect(page.locator("#order-counts")).to_contain_text("0 to ship · 1 on the way")
    shot(page, "shipped")
    row.get_by_role("button", name="Mark delivered").click()
    expect(row.get_by_role("status")).to_have_text(f"Order {number} is now delivered.")
    expect(row.locator(".badge")).to_have_text("Delivered")
    expect(row.get_by_role("button")).to_have_count(0)
    expect(page.locator("#order-counts")).to_contain_text("0 on the way · 1 delivered")
    shot(page, "delivered")
    log_out(page)

    # The buyer logs in again and sees it delivered under My orders.
    log_in(page, BUYER_EMAIL, BUYER_PASSWORD)
    page.get_by_role("link", name="My orders").click()
    my_row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number))
    expect(my_row).to_contain_text("Cape Linen Co")
    expect(my_row.locator(".badge")).to_have_text("Delivered")
    shot(page, "my-orders")
    my_row.get_by_role("link", name=number).click()
    expect(page.locator(".timeline li.done")).to_have_count(3)
    shot(page, "order-delivered")

    order = Order.objects.get(number=number)
    assert order.status == Order.Status.DELIVERED
    assert order.buyer.get_full_name() == "Naledi Mokoena"
    subjects = {message.subject for message in mail.outbox if BUYER_EMAIL in message.to}
    assert f"Your order {number} from Cape Linen Co was shipped" in subjects
    assert f"Your order {number} from Cape Linen Co was delivered" in subjects
