"""Automated accessibility checks: axe-core (bundled in axe-playwright-python, nothing
downloaded) finds no violation of any impact on the main pages of each role.

axe catches what a person with a screen reader trips over first: list items
outside lists, landmarks with the same name, headings that skip a level,
fields without labels, contrast. It does not replace the keyboard and phone
journeys (test_keyboard.py, test_phone.py); it covers the pages they do not.
"""

from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe

from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.catalog.models import Order
from saypro.catalog.tests.factories import (
    MembershipFactory,
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    StoreFactory,
)
from saypro.messaging import services as messaging
from saypro.reviews.tests.factories import ReviewFactory
from tests.e2e.conftest import sign_in_as

pytestmark = pytest.mark.e2e


def violations(page, axe: Axe, url: str) -> list[str]:
    """axe's findings on ``url``, one line each: rule, impact, how many, the first element."""
    response = page.goto(url)
    assert response.status < 400, f"{url} answered {response.status}"
    found = axe.run(page).response["violations"]
    return [
        f"{url}: {rule['id']} ({rule['impact']}, {len(rule['nodes'])}×) "
        f"at {rule['nodes'][0]['target']}: {rule['help']}"
        for rule in found
    ]


@pytest.fixture
def world(transactional_db):
    """A store with an owner, a buyer's delivered order and review, and a conversation; made
    before the browser starts (the messaging services push to sockets through async_to_sync,
    which Playwright's running event loop forbids)."""
    store = StoreFactory(name="Karoo Pottery", slug="karoo-pottery")
    owner = MembershipFactory(store=store, user__first_name="Nandi").user
    buyer = UserFactory(first_name="Thandi")
    product = ProductFactory(store=store, title="Speckled clay mug", stock=5)
    order = OrderFactory(store=store, buyer=buyer, status=Order.Status.DELIVERED)
    item = OrderItemFactory(order=order, product=product)
    ReviewFactory(order_item=item, rating=2, title="Chipped", body="The glaze chipped in a week.")
    conversation, _, _ = messaging.start_conversation(
        buyer, store_id=store.pk, product_id=product.pk, text="Is the mug dishwasher safe?"
    )
    messaging.send_message(owner, conversation, text="Yes, Thandi: it is glazed inside and out.")
    return SimpleNamespace(
        store=store,
        owner=owner,
        buyer=buyer,
        product=product,
        order=order,
        conversation=conversation,
    )


def test_the_main_pages_of_each_role_have_no_accessibility_violations(world, page, live_server):
    store, order, conversation = world.store, world.order, world.conversation
    axe = Axe()
    found = []
    for url in ("/", world.product.get_absolute_url(), f"/s/{store.slug}/", "/accounts/login/"):
        found += violations(page, axe, url)

    sign_in_as(page, live_server, world.buyer)
    for url in (
        "/orders/",
        order.get_absolute_url(),
        "/messages/",
        f"/messages/{conversation.pk}/",
        "/reviews/mine/",
        "/notifications/settings/",
    ):
        found += violations(page, axe, url)

    sign_in_as(page, live_server, world.owner)
    seller = f"/seller/{store.slug}/"
    for url in (
        seller,
        f"{seller}reviews/",
        f"{seller}inbox/",
        f"{seller}inbox/{conversation.pk}/",
        f"{seller}insights/",
        f"{seller}improvements/",
        f"{seller}products/",
        f"{seller}team/",
        f"{seller}profile/",
    ):
        found += violations(page, axe, url)

    sign_in_as(page, live_server, StaffFactory())
    for url in ("/office/kpis/", "/office/reviews/", "/office/messaging/reports/"):
        found += violations(page, axe, url)

    assert not found, "axe found:\n" + "\n".join(found)
