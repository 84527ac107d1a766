"""Office authoring in the browser: an office user creates a course, adds a module, a reading
(with its live Markdown preview) and a one-question quiz, reorders them, previews the draft as
a learner, publishes it; a seller then finds it in the Academy catalog. And a success story
the office publishes reaches the seller dashboard and its own page, on a phone.
"""

import pytest
from playwright.sync_api import expect

from saypro.academy import authoring
from saypro.academy.authoring import StoryInput
from saypro.accounts.tests.factories import StaffFactory
from saypro.catalog.tests.factories import MembershipFactory
from tests.e2e.conftest import PHONE, sign_in_as

pytestmark = pytest.mark.e2e


def test_the_office_writes_previews_and_publishes_a_course(page, browser, live_server, shot):
    office = StaffFactory(first_name="Annelie", last_name="Botha")
    sign_in_as(page, live_server, office)

    page.goto("/office/academy/")
    page.get_by_role("link", name="New course").first.click()
    page.get_by_label("Title", exact=True).fill("Shipping that delights")
    page.get_by_label("Summary", exact=True).fill("Pack, ship and track without surprises.")
    page.get_by_label("Description (optional)").fill("Buyers judge **delivery** first.")
    expect(page.locator("#description-preview strong")).to_have_text("delivery")
    page.get_by_label("Topics").fill("Delivery")
    page.get_by_role("button", name="Create the course").click()
    expect(page.get_by_role("heading", level=2, name="Shipping that delights")).to_be_visible()

    page.get_by_label("Title", exact=True).fill("Packing")
    page.get_by_role("button", name="Add the module").click()
    page.get_by_role("link", name="Add a lesson to Packing").click()
    page.get_by_label("Title", exact=True).fill("Pack to protect")
    page.get_by_label("Text (optional)").fill("Use **two layers** and a double-walled box.")
    expect(page.locator("#body-preview strong")).to_have_text("two layers")
    shot(page, "reading-with-preview")
    page.get_by_role("button", name="Add the lesson").click()
    expect(page.get_by_role("heading", level=2, name="Pack to protect")).to_be_visible()

    page.get_by_role("link", name="Shipping that delights").click()
    page.get_by_role("link", name="Add a lesson to Packing").click()
    page.get_by_label("Title", exact=True).fill("Check yourself")
    page.get_by_label("Kind").select_option("quiz")
    page.get_by_role("button", name="Add the lesson").click()
    page.get_by_label("Question", exact=True).fill("Which box survives a drop?")
    page.get_by_label("Answer 1", exact=True).fill("A double-walled box")
    page.get_by_label("Answer 1 is correct").check()
    page.get_by_label("Why answer 1 is right or wrong").fill("Two walls take the knock.")
    page.get_by_label("Answer 2", exact=True).fill("A paper bag")
    page.get_by_label("Why answer 2 is right or wrong").fill("A bag crushes in the van.")
    page.get_by_role("button", name="Add the question").click()
    expect(page.locator(".authoring-question")).to_contain_text("Which box survives a drop?")
    shot(page, "quiz-question")

    page.get_by_role("link", name="Shipping that delights").click()
    page.get_by_role("button", name="Move Check yourself up").click()
    lessons = page.locator(".authoring-lesson a")
    expect(lessons).to_have_text(["Check yourself", "Pack to protect"])
    expect(page.get_by_role("button", name="Publish the course")).to_be_visible()
    shot(page, "course-ready")

    page.get_by_role("link", name="Preview as a learner").click()
    expect(page.locator(".notice")).to_contain_text("Preview: this course is draft")
    page.get_by_role("link", name="Pack to protect").click()
    expect(page.locator(".notice")).to_contain_text("Preview of a draft course")
    expect(page.locator(".prose strong")).to_have_text("two layers")
    shot(page, "learner-preview")
    page.get_by_role("link", name="Edit the lesson").click()
    page.get_by_role("link", name="Shipping that delights").click()

    page.get_by_role("button", name="Publish the course").click()
    expect(page.locator(".messages, [role=status], .notice").first).to_be_visible()
    expect(page.get_by_text("Published", exact=True).first).to_be_visible()

    seller = MembershipFactory(store__name="Karoo Kitchen").user
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-ZA")
    phone = context.new_page()
    sign_in_as(phone, live_server, seller)
    phone.goto("/academy/")
    card = phone.locator(".course-card", has_text="Shipping that delights")
    expect(card).to_be_visible()
    shot(phone, "seller-catalog-phone")
    context.close()

    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-ZA")
    phone = context.new_page()
    sign_in_as(phone, live_server, office)
    phone.goto(page.url)
    expect(phone.get_by_role("button", name="Move Check yourself down")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "office-course-phone")
    context.close()


def test_a_published_story_reaches_the_seller_dashboard_on_a_phone(phone_page, live_server, shot):
    office = StaffFactory()
    seller = MembershipFactory(store__name="Karoo Kitchen").user
    store = seller.memberships.get().store
    story = authoring.create_story(
        office,
        StoryInput(
            title="Answers by lunchtime",
            store=store,
            summary="Karoo Kitchen answers every review before lunch.",
            body="The team reads new reviews **first thing** each morning.",
            quote="It takes ten minutes.",
            quote_author="The owner",
            featured=True,
        ),
    )
    sign_in_as(phone_page, live_server, seller)

    phone_page.goto(f"/seller/{store.slug}/")
    expect(phone_page.locator(".story-card")).to_have_count(0)
    authoring.publish_story(office, story)
    phone_page.reload()
    card = phone_page.locator(".story-card")
    expect(card).to_contain_text("Answers by lunchtime")
    shot(phone_page, "dashboard-card")
    card.get_by_role("link", name="Answers by lunchtime").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Answers by lunchtime")
    expect(phone_page.locator(".prose strong")).to_have_text("first thing")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    shot(phone_page, "story-page")
