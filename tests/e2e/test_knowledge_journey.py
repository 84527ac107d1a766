"""The knowledge base in the browser: a seller searches the help centre, opens an article
from a highlighted result, says it helped with a comment, and reads it on a phone."""

import re

import pytest
from playwright.sync_api import expect

from saypro.catalog.tests.factories import MembershipFactory, StoreFactory
from saypro.knowledge.loading import load_content
from saypro.knowledge.models import Feedback
from tests.e2e.conftest import sign_in_as

pytestmark = pytest.mark.e2e


def test_a_seller_finds_an_article_and_says_it_helped(page, phone_page, live_server, shot):
    load_content()
    seller = MembershipFactory(store=StoreFactory(name="Cape Linen Co")).user
    sign_in_as(page, live_server, seller)

    page.goto("/help/")
    expect(page.get_by_role("heading", name="Knowledge base", level=1)).to_be_visible()
    page.get_by_role("searchbox", name="Search the help centre").fill("quick replies")
    page.get_by_role("searchbox", name="Search the help centre").press("Enter")
    expect(page).to_have_url(re.compile(r"/help/search/\?q=quick\+replies"))
    first = page.locator(".help-results > li").first
    expect(first.locator("h2 mark").first).to_have_text(re.compile("quick", re.I))
    expect(first.locator(".help-snippet mark").first).to_be_visible()
    shot(page, "results")

    page.locator(".help-results h2 a", has_text="set-up and variables").click()
    expect(page).to_have_url(re.compile(r"/help/articles/quick-replies-guide/$"))
    expect(page.get_by_text("Last updated")).to_be_visible()
    page.get_by_role("button", name="Yes, it helped").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for your feedback")
    page.get_by_label("What would have made it more useful?").fill("An example for sizes, please.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_role("status")).to_contain_text("left a comment")
    shot(page, "voted")
    feedback = Feedback.objects.get()
    assert (feedback.user, feedback.helpful) == (seller, True)
    assert feedback.comment == "An example for sizes, please."

    phone_page.goto("/help/articles/quick-replies-guide/")
    expect(phone_page.get_by_role("link", name="Log in to rate")).to_be_visible()
    shot(phone_page, "article-phone")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
