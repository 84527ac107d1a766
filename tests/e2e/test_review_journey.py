"""A buyer's 2-star review, answered by the store with the response coach's help."""

import re

import pytest
from playwright.sync_api import expect

from saypro.accounts.tests.factories import PASSWORD, UserFactory
from saypro.catalog.tests.factories import MembershipFactory, ProductFactory, StoreFactory
from saypro.reviews.models import Answer, Review
from saypro.reviews.tests.factories import DeliveredItemFactory
from tests.e2e.conftest import log_in, log_out

pytestmark = pytest.mark.e2e

DEFENSIVE = "You should have read the care label. Nobody else has complained about the seams."


def test_buyer_reviews_and_the_coached_store_answers(page, shot, artifacts):
    store = StoreFactory(name="Cape Linen Co", slug="cape-linen-co")
    owner = MembershipFactory(
        store=store, user__email="owner@example.test", user__first_name="Lerato"
    ).user
    product = ProductFactory(store=store, title="Linen shirt")
    buyer = UserFactory(email="naledi@example.test", first_name="Naledi", last_name="Mokoena")
    item = DeliveredItemFactory(order__buyer=buyer, order__store=store, product=product)

    # The buyer writes a 2-star review from the product page.
    log_in(page, buyer.email, PASSWORD)
    page.goto(product.get_absolute_url())
    page.get_by_role("link", name="Write a review").click()
    page.get_by_label("2 stars").check()
    page.get_by_label("Title").fill("Seams split")
    page.get_by_label("Your review").fill(
        "The shirt is soft, but the seams split after the first wash and the sleeves run short."
    )
    shot(page, "buyer-writes")
    page.get_by_role("button", name="Publish review").click()
    expect(page.locator("#reviews")).to_contain_text("the seams split after the first wash")
    expect(page.locator(".rating-average")).to_contain_text("2.0")
    shot(page, "review-published")
    log_out(page)

    # The owner opens the queue: the new review is first, with its time left.
    log_in(page, owner.email, PASSWORD)
    page.goto("/seller/cape-linen-co/reviews/")
    first = page.locator(".queue-item").first
    expect(first).to_contain_text("Seams split")
    expect(first).to_contain_text(re.compile(r"4[78] h left"))
    shot(page, "seller-queue")
    first.get_by_role("link", name=re.compile("Answer")).click()

    # A defensive draft: the coach fails "No defensiveness" and highlights the phrase.
    draft = page.get_by_label("Your answer")
    draft.fill(DEFENSIVE)
    coach = page.locator("#coaching")
    defensiveness = coach.locator(".guideline", has_text="No defensiveness")
    expect(defensiveness).to_have_class(re.compile(r"\bfail\b"))
    expect(coach.locator("mark.fail").first).to_be_visible()
    expect(coach.locator("mark.fail").first).to_contain_text("You should have read")
    page.screenshot(path=artifacts / "coached-form.png", full_page=True)
    shot(page, "coach-flags-defensive-draft")

    # Take the suggested answer, make it personal, publish.
    coach.get_by_role("button", name="Use suggested answer").click()
    expect(draft).to_have_value(re.compile("Linen shirt"))
    expect(page.locator("#coaching .guideline", has_text="No defensiveness")).to_have_class(
        re.compile(r"\bpass\b")
    )
    draft.press("Control+End")
    draft.type(" Lerato, Cape Linen Co")
    shot(page, "suggested-answer-edited")
    page.get_by_role("button", name="Publish answer").click()
    expect(page.locator(".messages")).to_contain_text("Your answer is published")
    log_out(page)

    answer = Answer.objects.get()
    assert answer.body.endswith("Lerato, Cape Linen Co")
    assert answer.coach_score >= 80
    assert Review.objects.get(order_item=item).is_answered

    # The buyer sees the answer under the review.
    page.goto(product.get_absolute_url())
    answer_box = page.locator("#reviews .answer")
    expect(answer_box).to_contain_text("Cape Linen Co answered")
    expect(answer_box).to_contain_text("Lerato, Cape Linen Co")
    shot(page, "buyer-sees-answer")
