"""Recommendations from the seller's own data, and the catalog's filters."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from saypro.academy import selectors, services
from saypro.academy.models import Course, Lesson, Signal
from saypro.academy.tests.factories import GOOD_ANSWER, build_course
from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import MembershipFactory, ProductFactory
from saypro.insights.models import Theme
from saypro.insights.tests.factories import RisingIssueFactory
from saypro.messaging import services as messaging
from saypro.messaging.models import Wait
from saypro.reviews.models import Answer
from saypro.reviews.selectors import response_stats
from saypro.reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_signals():
    cache.clear()


def course_for(signal: str, slug: str, title: str):
    """A published course recommended on ``signal`` alone (it teaches no coach guideline)."""
    course = build_course(slug=slug).course
    course.title, course.signals, course.teaches = title, [signal], []
    course.save()
    return course


@pytest.fixture
def messaging_course():
    return course_for(
        Signal.SLOW_MESSAGE_REPLIES, "messaging-that-converts", "Messaging that converts"
    )


def answered_waits(membership, count: int, late: int) -> None:
    for number in range(count):
        buyer = UserFactory()
        conversation, _, _ = messaging.start_conversation(
            buyer, store_id=membership.store_id, text=f"Is item {number} in stock?"
        )
        messaging.send_message(membership.user, conversation, text="Yes, it is.")
    ids = list(Wait.objects.filter(outcome=Wait.Outcome.ANSWERED).values_list("pk", flat=True))
    Wait.objects.filter(pk__in=ids[:late]).update(ended_at=F("due_at") + timedelta(hours=3))


def test_slow_answers_to_buyers_recommend_the_messaging_course_with_the_figure(messaging_course):
    membership = MembershipFactory()
    answered_waits(membership, count=4, late=2)

    [recommendation] = selectors.recommended_for(membership.user)

    assert recommendation.course == messaging_course
    assert "answered 50% of buyers' messages within 24 hours" in recommendation.reason


def test_fast_stores_get_no_messaging_recommendation(messaging_course):
    membership = MembershipFactory()
    answered_waits(membership, count=4, late=0)

    assert selectors.recommended_for(membership.user) == []


def test_late_review_answers_are_measured_as_the_review_queue_measures_them():
    course = course_for(Signal.LATE_REVIEW_ANSWERS, "responding", "Responding to reviews")
    membership = MembershipFactory()
    now = timezone.now()
    for hours_to_answer in (5, 10, 60, None):  # two on time, one late, one never (due)
        review = ReviewFactory(
            order_item__order__store=membership.store,
            rating=4,
            published_at=now - timedelta(days=5),
            is_answered=hours_to_answer is not None,
        )
        if hours_to_answer is not None:
            Answer.objects.create(
                review=review,
                store=membership.store,
                author=membership.user,
                body="Thank you!",
                response_time=timedelta(hours=hours_to_answer),
            )

    [recommendation] = selectors.recommended_for(membership.user)

    assert recommendation.course == course
    assert recommendation.reason.endswith(
        "answered 50% of its reviews within 48 hours over the last 30 days (2 of 4 due); "
        "the goal is 95 %."
    )
    stats = response_stats(membership.store, now=now)
    assert (stats.on_time, stats.due) == (2, 4)  # the figure the review queue shows


def weak_answers(membership, count: int = 3) -> None:
    """``count`` curt answers ("Noted.") that miss empathy and a next step, among others."""
    for _ in range(count):
        review = ReviewFactory(
            order_item__order__store=membership.store, rating=2, body="It broke after a day."
        )
        Answer.objects.create(
            review=review,
            store=membership.store,
            author=membership.user,
            body="Noted.",
            response_time=timedelta(hours=1),
        )


def test_weak_coach_results_recommend_the_lesson_that_teaches_the_guideline():
    world = build_course()  # the course teaches empathy and next_step
    world.reading.teaches = ["next_step"]
    world.reading.save()
    world.exercise.teaches = ["empathy"]
    world.exercise.save()
    membership = MembershipFactory()
    weak_answers(membership)

    [recommendation] = selectors.recommended_for(membership.user)

    # Empathy is the first weak guideline: the exercise teaches it, though the reading comes first.
    assert (recommendation.course, recommendation.lesson) == (world.course, world.exercise)
    assert recommendation.url == f"/academy/courses/{world.course.slug}/practice/"
    assert recommendation.reason == (
        "The coach flags empathy, offers a next step in many of "
        f"{membership.store.name}'s recent review answers. "
        "Start with the lesson “Answer an angry review”."
    )


def test_weak_coach_results_lead_to_the_course_when_no_current_lesson_teaches_them():
    world = build_course()
    world.exercise.teaches = ["empathy"]
    world.exercise.retired_at = timezone.now()
    world.exercise.save()
    membership = MembershipFactory()
    weak_answers(membership)

    [recommendation] = selectors.recommended_for(membership.user)

    assert (recommendation.course, recommendation.lesson) == (world.course, None)
    assert recommendation.url == world.course.get_absolute_url()
    assert recommendation.reason.endswith("recent review answers.")


@pytest.fixture
def improvement_course():
    return course_for(
        Signal.RISING_ISSUE_WITHOUT_PLAN,
        "feedback-to-better-products",
        "Turning feedback into better products",
    )


def test_a_rising_issue_without_a_plan_recommends_the_product_improvement_course(
    improvement_course,
):
    membership = MembershipFactory()
    issue = RisingIssueFactory(
        product=ProductFactory(store=membership.store, title="Linen shirt"),
        theme=Theme.objects.get(slug="quality"),
    )

    [recommendation] = selectors.recommended_for(membership.user)

    assert (recommendation.course, recommendation.lesson) == (improvement_course, None)
    assert recommendation.reason == (
        f"{membership.store.name} has a rising issue in its reviews (“{issue}”) with no plan yet."
    )
    assert recommendation.url == improvement_course.get_absolute_url()


@pytest.mark.parametrize("status", ["planned", "dismissed", "resolved"])
def test_a_rising_issue_with_a_plan_or_closed_recommends_nothing(improvement_course, status):
    membership = MembershipFactory()
    RisingIssueFactory(
        product=ProductFactory(store=membership.store),
        theme=Theme.objects.get(slug="quality"),
        status=status,
    )

    assert selectors.recommended_for(membership.user) == []


def test_new_stores_are_recommended_the_required_courses_until_completed():
    course = build_course().course
    course.required_for_new_stores, course.signals = True, []
    course.save()
    new, old = (
        MembershipFactory(),
        MembershipFactory(store__created_at=timezone.now() - timedelta(days=400)),
    )

    [recommendation] = selectors.recommended_for(new.user)
    assert recommendation.reason == (
        f"{new.store.name} opened today: every new store starts with this course."
    )
    assert selectors.recommended_for(old.user) == []
    assert selectors.recommended_for(UserFactory()) == []


def test_the_catalog_filters_by_level_and_topic():
    build_course()
    other = build_course(slug="advanced").course
    other.level, other.topics = "advanced", ["Messaging"]
    other.save()
    build_course(slug="draft", status=Course.Status.DRAFT)

    assert selectors.topics() == ["Messaging", "Reviews"]
    assert [c.slug for c in selectors.published_courses(level="advanced")] == ["advanced"]
    assert [c.slug for c in selectors.published_courses(topic="Reviews")] == [
        "responding-to-reviews"
    ]
    assert selectors.published_courses(query="responding answer").count() == 2


def test_continue_resumes_the_lesson_opened_last_until_it_is_done():
    world = build_course()
    seller = MembershipFactory().user
    enrolment = services.enrol(seller, world.course)
    assert selectors.outline(world.course, enrolment).resume().lesson == world.reading

    services.complete_lesson(seller, world.reading)
    services.open_lesson(seller, world.exercise)  # skipped ahead to the practice, not passed
    enrolment.refresh_from_db()
    assert selectors.outline(world.course, enrolment).resume().lesson == world.exercise

    services.submit_review_answer(seller, world.exercise, world.review, GOOD_ANSWER)
    enrolment.refresh_from_db()  # the practice is done: back to the first lesson not done
    assert selectors.outline(world.course, enrolment).resume().lesson == world.quiz


def test_continue_skips_a_last_lesson_the_office_retired():
    world = build_course()
    seller = MembershipFactory().user
    enrolment = services.enrol(seller, world.course)
    services.open_lesson(seller, world.exercise)
    Lesson.objects.filter(pk=world.exercise.pk).update(retired_at=timezone.now())
    enrolment.refresh_from_db()

    assert selectors.outline(world.course, enrolment).resume().lesson == world.reading
