"""Notifications in the browser, over the real socket: a seller who wants new messages
only in the daily digest gets no pop-up, sees the bell count rise live, and the digest
task emails the message; the buyer, on the default, gets a live toast for the answer.
"""

import pytest
from django.core import mail
from playwright.sync_api import expect

from saypro.messaging import services as messaging
from saypro.notifications import services
from saypro.notifications.models import Preference
from tests.e2e import test_messaging_journey as messaging_journey

# The live ASGI server and two-person pages of the messaging journeys.
asgi_server = messaging_journey.asgi_server
open_page = messaging_journey.open_page
shop = messaging_journey.shop

pytestmark = pytest.mark.e2e


def wait_until_live(page) -> None:
    expect(page.locator("[data-live-events]")).to_have_attribute("data-connection", "open")


def bell(page):
    return page.locator(".notification-menu [data-notification-total]")


def test_a_seller_moves_new_messages_to_the_daily_digest(open_page, shop):
    seller = open_page(shop.owner)
    seller.goto("/notifications/settings/")
    seller.get_by_label("New message: Email digest + in-app").check()
    seller.get_by_role("button", name="Save settings").click()
    expect(seller.get_by_text("Your notification settings are saved.")).to_be_visible()
    assert Preference.objects.get(user=shop.owner, type="message.new").channel == "digest"

    buyer = open_page(shop.buyer)
    buyer.goto("/notifications/")
    seller.goto("/notifications/")
    wait_until_live(seller)
    wait_until_live(buyer)
    expect(bell(seller)).to_be_hidden()
    mark_all = seller.get_by_role("button", name="Mark all read")
    expect(mark_all).to_be_hidden()  # nothing unread

    conversation, _, _ = messaging.start_conversation(
        shop.buyer, store_id=shop.store.pk, product_id=shop.product.pk, text="Is it linen?"
    )
    expect(bell(seller)).to_have_text("1 unread")
    expect(mark_all).to_be_visible()
    expect(seller.locator(".live-toast")).to_have_count(0)  # digest: no pop-up

    messaging.send_message(shop.owner, conversation, text="Yes, pure linen.")
    toast = buyer.locator(".live-toast")
    expect(toast).to_contain_text("Cape Linen Co: Yes, pure linen.")
    expect(bell(buyer)).to_have_text("1 unread")
    buyer.get_by_role("button", name="Dismiss notification").click()
    expect(toast).to_have_count(0)

    # The seller read the conversation by answering; the digest has what was unread then.
    mail.outbox.clear()
    services.mark_all_read(user=shop.owner)
    messaging.send_message(shop.buyer, conversation, text="Great, ordering now.")
    assert services.send_digests() == 1  # the email task runs at commit
    [digest] = mail.outbox
    assert digest.to == [shop.owner.email]
    assert "Great, ordering now." in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
