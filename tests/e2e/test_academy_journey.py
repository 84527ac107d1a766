"""The Seller Academy in the browser, on the shipped course: a new seller finds "Responding
to reviews" recommended, enrols, reads a lesson, fails then passes a practice answer graded
by the response coach, passes the quiz, and gets a certificate whose code verifies at the
public URL for someone not logged in.
"""

import re

import pytest
from playwright.sync_api import expect

from saypro.academy import loading, services
from saypro.academy.models import Certificate, Lesson
from saypro.catalog.tests.factories import MembershipFactory
from tests.e2e.conftest import sign_in_as

pytestmark = pytest.mark.e2e

COURSE = "responding-to-reviews"
DEFENSIVE = "That is not our fault. You should have read the size chart before ordering."


def test_a_new_seller_earns_a_certificate_that_verifies(page, browser, live_server, shot):
    loading.load_content()
    seller = MembershipFactory(
        store__name="Karoo Kitchen", user__first_name="Ayanda", user__last_name="Zulu"
    ).user
    lessons = {lesson.key: lesson for lesson in Lesson.objects.filter(module__course__slug=COURSE)}
    sign_in_as(page, live_server, seller)

    page.goto("/academy/")
    recommended = page.locator(".recommendation", has_text="Responding to reviews")
    expect(recommended).to_contain_text("Karoo Kitchen opened today")
    recommended.get_by_role("link", name="View course").click()
    page.get_by_role("button", name="Enrol in this course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Empathy and professionalism")
    shot(page, "first-lesson")
    page.get_by_role("button", name="Mark as done and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Timeliness: the 48-hour goal")

    # The rest of the reading, as if done on other days.
    for key in (
        "timeliness",
        "personalisation",
        "positive-reinforcement",
        "avoiding-defensiveness",
        "offering-a-next-step",
    ):
        services.complete_lesson(seller, lessons[key])

    practice = lessons["practice-everyday-reviews"]
    review = practice.practice_reviews.order_by("key").first()
    page.goto(f"/academy/courses/{COURSE}/{practice.key}/")
    answer = page.get_by_label("Your answer to the review")
    answer.fill(DEFENSIVE)
    page.get_by_role("button", name="Grade my answer").click()
    result = page.locator(".attempt-result")
    expect(result).to_contain_text("Not yet:")
    expect(result.locator(".guideline.fail", has_text="No defensiveness")).to_be_visible()
    expect(result.locator("mark").first).to_be_visible()  # the phrase behind it, highlighted
    shot(page, "exercise-failed")
    page.get_by_label("Your answer to the review").fill(review.model_answer)
    page.get_by_role("button", name="Grade my new answer").click()
    expect(page.locator(".attempt-result")).to_contain_text("Passed:")
    shot(page, "exercise-passed")

    for key in ("practice-difficult-reviews", "practice-mixed-and-glowing"):
        lesson = lessons[key]
        item = lesson.practice_reviews.order_by("key").first()
        services.submit_review_answer(seller, lesson, item, item.model_answer)

    quiz = lessons["quiz"]
    page.goto(f"/academy/courses/{COURSE}/{quiz.key}/")
    for question in quiz.questions.prefetch_related("choices"):
        for choice in question.choices.all():
            if choice.is_correct:
                page.locator(f'input[name="question_{question.pk}"][value="{choice.pk}"]').check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.locator(".attempt-result")).to_contain_text("Passed: 100 %")
    notice = page.get_by_role("status").filter(has_text="You completed")
    expect(notice).to_be_visible()
    shot(page, "quiz-passed")

    notice.get_by_role("link", name="View your certificate").click()
    certificate = Certificate.objects.get(enrolment__user=seller)
    expect(page.locator(".certificate-name")).to_have_text("Ayanda Zulu")
    shot(page, "certificate")

    stranger = browser.new_context(base_url=live_server.url).new_page()
    stranger.goto("/academy/verify/")
    stranger.get_by_label("Certificate code").fill(certificate.code.lower())
    stranger.get_by_role("button", name="Verify").click()
    expect(stranger).to_have_url(re.compile(f"/academy/certificates/{certificate.code}/$"))
    expect(stranger.locator(".certificate-valid")).to_be_visible()
    expect(stranger.locator(".certificate-course")).to_have_text("Responding to reviews")
    stranger.context.close()
