"""An office user builds a segment, sends an in-app campaign and sees its delivered and
clicked counts: the segment builder counts live as the rules change, the campaign is
previewed and sent, a seller in the segment sees the banner on their pages and clicks
it, and the results page then shows one delivered, opened and clicked.
"""

import re

import pytest
from playwright.sync_api import expect

from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.campaigns.models import Campaign
from saypro.catalog.tests.factories import MembershipFactory, StoreFactory
from tests.e2e.conftest import PHONE, new_page, sign_in_as
from tests.e2e.test_phone import problems_on

pytestmark = pytest.mark.e2e


def test_an_office_user_sends_an_in_app_campaign_and_sees_it_clicked(
    page, browser, live_server, shot
):
    office = StaffFactory(email="office@example.test", first_name="Annelie")
    store = StoreFactory(name="Cape Linen Co", slug="cape-linen-co")
    seller = MembershipFactory(store=store, user__email="owner@example.test").user
    UserFactory.create_batch(3)  # buyers: not in the segment

    sign_in_as(page, live_server, office)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Office").click()
    page.get_by_role("navigation", name="Office").get_by_role("link", name="Campaigns").click()
    expect(page.get_by_role("heading", name="No campaigns yet")).to_be_visible()
    page.get_by_role("link", name="New segment").first.click()

    count = page.locator("[data-segment-count]")
    expect(count).to_have_text("5")  # everyone active: 3 buyers, the seller, the office
    page.get_by_label("Segment name").fill("Store owners and agents")
    page.get_by_label("Role").select_option(label="Sellers (owners and agents of an active store)")
    expect(count).to_have_text("1")  # the live count, without pressing "Count"
    shot(page, "segment-builder")
    page.get_by_role("button", name="Save segment").click()
    saved = "Segment “Store owners and agents” saved: 1 person matches it now."
    expect(page.get_by_text(saved)).to_be_visible()

    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Campaign name").fill("Answer within a day")
    page.get_by_label("Audience", exact=True).select_option(label="Store owners and agents")
    page.get_by_label("In-app banner").check()
    page.get_by_label("Holdout (% of the audience)").fill("0")
    page.get_by_label("Variant A: title").fill("Buyers love a quick answer")
    page.get_by_label("Variant A: message").fill(
        "Stores that answer **within a day** sell more. <script>alert('x')</script>"
    )
    page.get_by_label("Variant A: button label").fill("Open your inbox")
    page.get_by_label("Variant A: button leads to").fill("/messages/")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".campaign-preview")
    expect(preview.locator("strong")).to_have_text("within a day")
    expect(preview).not_to_contain_text("alert")
    shot(page, "campaign-editor")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Campaign “Answer within a day” saved as a draft.")).to_be_visible()
    shot(page, "draft")
    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_text("“Answer within a day” was sent.")).to_be_visible()
    variant_a = page.locator('tr[data-group="A"]')
    expect(variant_a.locator("[data-delivered]")).to_have_text("1")
    expect(variant_a.locator("[data-clicked]")).to_have_text("0 (0 %)")
    expect(page.get_by_text(re.compile(r"Measuring — final on"))).to_be_visible()

    # The seller sees the banner on their pages and clicks it.
    seller_context, seller_page = new_page(browser, live_server, PHONE)
    sign_in_as(seller_page, live_server, seller)
    seller_page.goto("/")
    banner = seller_page.get_by_role("region", name="Buyers love a quick answer")
    expect(banner).to_be_visible()
    expect(banner.locator("strong")).to_have_text("within a day")
    assert problems_on(seller_page, "Shop home with a campaign banner") == []
    shot(seller_page, "banner-on-a-phone")
    banner.get_by_role("link", name="Open your inbox").click()
    seller_page.wait_for_url(re.compile(r"/messages/$"))
    expect(seller_page.get_by_role("region", name="Buyers love a quick answer")).to_have_count(0)
    seller_context.close()

    page.reload()
    expect(variant_a.locator("[data-delivered]")).to_have_text("1")
    expect(variant_a.locator("[data-opened]")).to_have_text("1 (100 %)")
    expect(variant_a.locator("[data-clicked]")).to_have_text("1 (100 %)")
    shot(page, "results")
    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.SENT
    assert campaign.members.get().clicked_at is not None


def test_campaign_pages_fit_a_phone(phone_page, live_server, shot):
    office = StaffFactory(email="office@example.test")
    sign_in_as(phone_page, live_server, office)
    problems = []
    for path, what in (
        ("/office/campaigns/", "Campaign list"),
        ("/office/campaigns/segments/new", "Segment builder"),
    ):
        phone_page.goto(path)
        shot(phone_page, what.lower().replace(" ", "-"))
        problems += problems_on(phone_page, what)
    assert problems == []
