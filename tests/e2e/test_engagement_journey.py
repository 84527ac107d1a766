"""Engagement in the browser: a buyer sees the product-page prompt with the store's real
response time, clicks it, lands on "Ask the seller" and sends a question that shows in
the conversation; the store's answer earns the buyer points and helpful votes later earn
them the Helpful Reviewer badge, both on their rewards page; the Messages tour starts on
the first visit, is walked through with the keyboard only, completes, and replays from
the Help menu.
"""

import time
from datetime import timedelta

import pytest
from django.db.utils import OperationalError
from django.utils import timezone
from playwright.sync_api import expect

from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.catalog.tests.factories import MembershipFactory, ProductFactory, StoreFactory
from saypro.engagement import selectors, services
from saypro.engagement.models import Prompt, PromptEvent, TutorialProgress
from saypro.messaging import services as messaging
from saypro.messaging.models import Message
from saypro.messaging.tests.factories import ConversationFactory
from saypro.reviews.models import HelpfulVote
from saypro.reviews.tests.factories import ReviewFactory
from saypro.rewards import services as rewards
from tests.e2e.conftest import sign_in_as
from tests.e2e.test_keyboard import tab_until
from tests.e2e.test_phone import problems_on

pytestmark = pytest.mark.e2e


@pytest.fixture
def built_in_prompts(migration_data):
    """The built-in prompts the data migration writes (flushed after every journey)."""
    services.install_builtin_prompts()
    return {prompt.code: prompt for prompt in Prompt.objects.exclude(code=None)}


def eventually(read, expected, *, seconds: float = 10.0):
    """Poll ``read()`` until it returns ``expected``: the tour posts its progress in the
    background (``fetch`` with ``keepalive``) while the page moves on.

    The live server's threads share this thread's in-memory SQLite database, so a read
    that meets the server's write in progress fails with "database table is locked":
    that is "not yet" too.
    """
    deadline = time.monotonic() + seconds
    while (value := _read_unless_locked(read)) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    assert value == expected


def _read_unless_locked(read):
    try:
        return read()
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        return None


def focused_button(name: str):
    return lambda active: active["tag"] == "button" and active["text"] == name


def test_a_buyer_sees_the_prompt_asks_a_question_and_later_earns_a_badge(
    page, live_server, built_in_prompts, shot
):
    store = StoreFactory(name="Cape Linen Co", slug="cape-linen-co")
    product = ProductFactory(store=store, title="Linen shirt", stock=5)
    for minutes in (40, 75, 95, 110, 200):  # median 95 minutes → "2 hours"
        ConversationFactory(store=store, first_response_seconds=minutes * 60)
    buyer = UserFactory(email="naledi@example.test", first_name="Naledi")
    sign_in_as(page, live_server, buyer)

    page.goto(product.get_absolute_url())
    prompt = page.locator("[data-prompt]")
    expect(prompt).to_have_count(1)
    expect(prompt).to_contain_text("Questions? Ask Cape Linen Co")
    expect(prompt).to_contain_text("Cape Linen Co usually replies within 2 hours.")
    shot(page, "product-prompt")
    assert PromptEvent.objects.filter(user=buyer, kind="shown").count() == 1

    prompt.get_by_role("link", name="Ask the seller").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask Cape Linen Co")
    clicked = PromptEvent.objects.get(user=buyer, kind="clicked")
    assert (clicked.prompt.code, clicked.product_id) == ("ask_store", product.pk)

    page.get_by_label("Your question").fill("Does the linen shirt run small?")
    page.get_by_role("button", name="Send to Cape Linen Co").click()
    mine = page.locator("[data-thread] .message.mine")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("Does the linen shirt run small?")
    shot(page, "question-in-conversation")
    assert Message.objects.get(sender=buyer).text == "Does the linen shirt run small?"

    now = timezone.now()
    figures = {
        row["prompt"].code: row
        for row in selectors.prompt_stats(
            StaffFactory(), since=now - timedelta(days=1), until=now + timedelta(minutes=1)
        )
    }
    ask = figures["ask_store"]
    assert (ask["shown"], ask["clicked"], ask["followed"]) == (1, 1, 1)

    # The store answers: the buyer's first answered question to it earns points.
    owner = MembershipFactory(store=store).user
    conversation = Message.objects.get(sender=buyer).conversation
    messaging.send_message(owner, conversation, text="It runs true to size; take your usual.")
    page.reload()
    expect(page.locator("[data-thread] .message").last).to_contain_text("true to size")
    # Later, ten buyers find the buyer's review helpful: the daily run awards the badge.
    review = ReviewFactory(author=buyer, body="Crisp linen, true to size.")
    HelpfulVote.objects.bulk_create(
        HelpfulVote(review=review, voter=voter) for voter in UserFactory.create_batch(10)
    )
    rewards.evaluate_badges()

    page.goto("/account/rewards/")
    history = page.locator("table tbody tr")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("Your first question to Cape Linen Co was answered")
    expect(page.locator(".earned-badge", has_text="Helpful Reviewer").first).to_be_visible()
    shot(page, "points-and-badge")
    page.goto("/notifications/")
    expect(page.locator(".notification-text", has_text="Helpful Reviewer badge")).to_be_visible()


def test_the_messages_tour_by_keyboard_then_replayed_from_the_help_menu(
    page, live_server, built_in_prompts, shot
):
    buyer = UserFactory(email="sipho@example.test", first_name="Sipho")
    sign_in_as(page, live_server, buyer)

    page.goto("/messages/")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_be_focused()
    expect(dialog).to_contain_text("1 of 5")
    expect(dialog.get_by_role("heading")).to_have_text("Ask a store anything")
    shot(page, "tour-first-step")

    for number in range(2, 6):
        tab_until(page, focused_button("Next"), limit=6)
        page.keyboard.press("Enter")
        expect(dialog).to_contain_text(f"{number} of 5")
    expect(dialog.get_by_role("link", name="Open notification settings")).to_be_visible()
    tab_until(page, focused_button("Back"), limit=6)
    page.keyboard.press("Enter")
    expect(dialog).to_contain_text("4 of 5")
    tab_until(page, focused_button("Next"), limit=6)
    page.keyboard.press("Enter")
    active = tab_until(page, focused_button("Finish"), limit=6)
    assert active["outlineStyle"] != "none", active
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    progress = TutorialProgress.objects.filter(user=buyer, tutorial="buyer_messages")
    eventually(
        lambda: [(row.last_step, row.completed_at is not None) for row in progress.all()],
        [(5, True)],
    )

    # Not again by itself; the Help menu replays it, and Escape closes it.
    page.reload()
    expect(page.get_by_role("heading", name="Messages", level=1)).to_be_visible()
    expect(dialog).to_have_count(0)
    help_menu = page.locator("[data-help-menu] summary")
    help_menu.focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Replay the tour").focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_focused()
    expect(dialog).to_contain_text("1 of 5")
    shot(page, "tour-replayed")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(help_menu).to_be_focused()
    eventually(lambda: list(progress.values_list("replays", "skipped_at")), [(1, None)])


def test_the_tour_and_a_prompt_fit_a_phone(phone_page, live_server, built_in_prompts):
    page = phone_page
    Prompt.objects.create(
        name="Messages tip",
        placement="buyer_messages",
        title="Hear about answers your way, {first_name}",
        text="A pop-up while you shop, an email, or one daily digest.",
        cta_label="Choose how",
        cta_link="/notifications/settings/",
    )
    sign_in_as(page, live_server, UserFactory(first_name="Ayanda"))
    page.goto("/messages/")
    expect(page.locator("[data-prompt]")).to_contain_text("Hear about answers your way, Ayanda")
    expect(page.get_by_role("dialog")).to_be_visible()
    assert problems_on(page, "Messages with a prompt and the tour") == []
    page.keyboard.press("Escape")
    page.locator("[data-prompt]").get_by_role("button", name="Dismiss").click()
    expect(page.locator("[data-prompt]")).to_have_count(0)
    assert PromptEvent.objects.filter(kind="dismissed").count() == 1


def test_the_office_measures_prompts_and_writes_one(page, live_server, built_in_prompts, shot):
    ask = built_in_prompts["ask_store"]
    buyers = UserFactory.create_batch(3)
    now = timezone.now()
    for buyer in buyers:
        PromptEvent.objects.create(prompt=ask, user=buyer, kind="shown", at=now - timedelta(days=2))
    PromptEvent.objects.create(
        prompt=ask, user=buyers[0], kind="clicked", at=now - timedelta(days=2)
    )
    sign_in_as(page, live_server, StaffFactory(email="office@example.test"))

    page.goto("/office/engagement/")
    row = page.get_by_role("row", name=ask.name)
    expect(row).to_contain_text("33.3 %")
    expect(page.get_by_role("img", name="Click-through and follow rate per prompt")).to_be_visible()
    shot(page, "office")

    page.get_by_role("link", name="New prompt").first.click()
    page.get_by_label("Name").fill("Settings tip")
    page.get_by_label("Placement").select_option("buyer_messages")
    page.get_by_label("Title").fill("Hear about answers your way, {first_name}")
    page.get_by_label("Call to action", exact=True).fill("Choose how")
    page.get_by_label("Call-to-action link").fill("https://elsewhere.example/")
    page.get_by_role("button", name="Save prompt").click()
    expect(page.get_by_text("The link must be a path on this site")).to_be_visible()
    shot(page, "editor-refusal")
    assert not Prompt.objects.filter(name="Settings tip").exists()
    page.get_by_label("Call-to-action link").fill("/notifications/settings/")
    page.get_by_role("button", name="Save prompt").click()
    expect(page.get_by_text("“Settings tip” is saved.")).to_be_visible()
    expect(page.get_by_role("row", name="Settings tip")).to_contain_text("On")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/office/engagement/")
    assert problems_on(page, "Office › Engagement") == []
    shot(page, "office-phone")
