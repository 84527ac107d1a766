"""The Seller Academy and the help around it, in the browser, as one seller's journey on the
shipped course: a new seller finds "Responding to reviews" recommended, enrols, reads a lesson,
fails then passes a practice answer graded by the response coach, passes the quiz, and gets a
certificate whose code verifies at the public URL for someone not logged in. The same seller
then books a consultation with an expert and opens a support ticket, which an office person
answers in a browser of their own while the seller watches the answer arrive live.

Runs on the messaging journeys' ASGI server (``asgi_server``), because the support ticket's
live update comes over the WebSocket that ``live_server`` (WSGI only) cannot serve.
"""

import re

import pytest
from playwright.sync_api import expect

from saypro.academy import loading, services
from saypro.academy.models import Certificate, Lesson
from saypro.accounts.tests.factories import StaffFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.consultations.models import Booking
from saypro.knowledge import loading as knowledge_loading
from saypro.support.models import Category, Status, Ticket
from tests.e2e.conftest import DESKTOP, new_page
from tests.e2e.test_consultations_journey import expert_with_open_slots
from tests.e2e.test_messaging_journey import asgi_server, open_page  # noqa: F401 (fixtures)
from tests.e2e.test_support_journey import wait_until_live

pytestmark = pytest.mark.e2e

COURSE = "responding-to-reviews"
DEFENSIVE = "That is not our fault. You should have read the size chart before ordering."
NOTE = "I passed Responding to reviews; please look at how I answer our 1-star reviews."
SUBJECT = "Can my business partner join the consultation?"
ANSWER = "Yes: share the meeting link on your booking page with her and join the call together."


def test_a_new_seller_earns_a_certificate_then_books_help_and_gets_an_answer(
    migration_data,
    asgi_server,  # noqa: F811
    open_page,  # noqa: F811
    browser,
    shot,
):
    loading.load_content()
    knowledge_loading.load_content()  # the articles a consultation suggests reading first
    expert = expert_with_open_slots()
    office_user = StaffFactory(first_name="Sipho", last_name="Dlamini")
    seller = MembershipFactory(
        store__name="Karoo Kitchen", user__first_name="Ayanda", user__last_name="Zulu"
    ).user
    lessons = {lesson.key: lesson for lesson in Lesson.objects.filter(module__course__slug=COURSE)}
    page = open_page(seller)

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

    stranger_context, stranger = new_page(browser, asgi_server, DESKTOP)
    stranger.goto("/academy/verify/")
    stranger.get_by_label("Certificate code").fill(certificate.code.lower())
    stranger.get_by_role("button", name="Verify").click()
    expect(stranger).to_have_url(re.compile(f"/academy/certificates/{certificate.code}/$"))
    expect(stranger.locator(".certificate-valid")).to_be_visible()
    expect(stranger.locator(".certificate-course")).to_have_text("Responding to reviews")
    shot(stranger, "certificate-verified")
    stranger_context.close()

    # Certified, the seller books a consultation to go over real answers with an expert.
    page.goto("/academy/")
    education = page.get_by_role("navigation", name="Seller education")
    education.get_by_role("link", name="Consultations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("One-on-one consultations")
    page.get_by_role("link", name="See free times for “Review your review answers”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your review answers")
    page.locator(".slot-option").first.click()
    page.get_by_label("Note for the expert").fill(NOTE)
    shot(page, "consultation-slot-picked")
    page.get_by_role("button", name="Book this time").click()
    details = page.locator(".consultation-details")
    expect(details).to_contain_text("https://meet.saypro.test/annelie")
    expect(details).to_contain_text(NOTE)
    before = page.locator("section", has=page.get_by_role("heading", name="Before you meet"))
    expect(before.get_by_role("link")).to_have_count(3)
    expect(before).to_contain_text("Read: ")
    shot(page, "consultation-booked")
    booking = Booking.objects.get()
    assert (booking.seller, booking.slot.expert, booking.topic.slug, booking.note) == (
        seller,
        expert,
        "review-answer-review",
        NOTE,
    )

    # From the booking, the seller asks support a question about it.
    education.get_by_role("link", name="Support").click()
    page.get_by_role("link", name="New ticket").click()
    page.get_by_label("What is it about?").select_option(Category.ACADEMY.value)
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("Describe the problem").fill(
        "My business partner answers half of our reviews. Can she join the call I just booked?"
    )
    shot(page, "ticket-new")
    page.get_by_role("button", name="Open ticket").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(page.locator(".ticket-facts .ticket-status")).to_have_text("Open")
    wait_until_live(page)
    shot(page, "ticket-open")

    # An office person, in a browser of their own, takes it from the queue and answers.
    office = open_page(office_user)
    office.goto("/office/support/")
    row = office.locator(".support-queue tbody tr", has_text=SUBJECT)
    expect(row).to_contain_text("Seller Academy")
    row.get_by_role("link", name=SUBJECT).click()
    office.get_by_role("button", name="Assign to me").click()
    expect(office.locator(".messages")).to_contain_text("The ticket is yours.")
    office.get_by_label("Your reply").fill(ANSWER)
    shot(office, "office-reply")
    office.get_by_role("button", name="Send to seller").click()
    expect(office.locator(".messages")).to_contain_text("Reply sent to the seller.")

    # The seller's open ticket page shows the answer without a reload.
    answered = page.locator(".ticket-message.office")
    expect(answered).to_have_count(1)
    expect(answered).to_contain_text(ANSWER)
    expect(page.locator(".ticket-facts .ticket-status")).to_have_text("Waiting on seller")
    shot(page, "ticket-answered-live")

    ticket = Ticket.objects.get()
    assert (ticket.store.name, ticket.category, ticket.status, ticket.assignee) == (
        "Karoo Kitchen",
        Category.ACADEMY,
        Status.WAITING_ON_SELLER,
        office_user,
    )
    assert ticket.first_response_met() is True
