"""Surveys in the browser: a conversation closes, the buyer finds the survey card on it,
answers with the keyboard alone, and the office reads the answer, its sentiment and the
chart on a phone without sideways scrolling.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.catalog.tests.factories import MembershipFactory, StoreFactory
from saypro.messaging import services as messaging
from saypro.messaging.models import Conversation
from saypro.surveys import services
from saypro.surveys.models import Response
from saypro.surveys.tests.factories import SurveyFactory
from tests.e2e.conftest import sign_in_as

pytestmark = pytest.mark.e2e


def test_a_buyer_answers_the_card_and_the_office_reads_it(page, phone_page, live_server, shot):
    buyer = UserFactory(first_name="Thandi")
    store = StoreFactory(name="Cape Linen Co")
    seller = MembershipFactory(store=store).user
    survey = SurveyFactory(title="Messaging satisfaction")
    conversation, _, _ = messaging.start_conversation(buyer, store_id=store.pk, text="In stock?")
    messaging.send_message(seller, conversation, text="Yes, in every size.")
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=timezone.now() - timedelta(hours=30)
    )
    assert services.invite_after_closed_conversations() == 1

    sign_in_as(page, live_server, buyer)
    page.goto(f"/messages/{conversation.pk}/")
    card = page.locator(".survey-card")
    expect(card).to_contain_text("About your conversation with Cape Linen Co")
    shot(page, "card")
    card.get_by_role("link", name="Answer the question").click()

    page.get_by_label("1 (Very dissatisfied)").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_label("4", exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Quick and friendly, thank you!")
    page.keyboard.press("Tab")
    shot(page, "answered")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    response = Response.objects.get()
    assert (response.score, response.sentiment) == (4, "positive")  # the task ran at commit

    page.goto(f"/messages/{conversation.pk}/")
    expect(page.locator(".survey-card")).to_have_count(0)

    sign_in_as(phone_page, live_server, StaffFactory())
    phone_page.goto("/office/surveys/")
    phone_page.get_by_role("link", name="Messaging satisfaction").click()
    expect(phone_page).to_have_url(re.compile(rf"/office/surveys/{survey.pk}/$"))
    expect(phone_page.locator(".stats")).to_contain_text("100 %")
    expect(phone_page.locator(".survey-comments")).to_contain_text("Quick and friendly")
    expect(phone_page.locator(".survey-comments .badge")).to_have_text("Positive")
    phone_page.get_by_text("The numbers as a table").click()
    shot(phone_page, "results-phone")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
