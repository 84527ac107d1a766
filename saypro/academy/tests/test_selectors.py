"""Recommendations from the seller's own data, and the catalog's filters."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from saypro.academy import selectors
from saypro.academy.models import Course, Signal
from saypro.academy.tests.factories import build_course
from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.messaging import services as messaging
from saypro.messaging.models import Wait
from saypro.reviews.models import Answer
from saypro.reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_signals():
    cache.clear()


@pytest.fixture
def messaging_course():
    course = build_course(slug="messaging-that-converts").course
    course.title, course.signals, course.teaches = (
        "Messaging that converts",
        [Signal.SLOW_MESSAGE_REPLIES],
        [],
    )
    course.save()
    return course


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


def test_weak_coach_results_recommend_the_course_that_teaches_the_guideline():
    world = build_course()
    membership = MembershipFactory()
    for _ in range(3):
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

    [recommendation] = selectors.recommended_for(membership.user)

    assert recommendation.course == world.course
    assert "empathy" in recommendation.reason and membership.store.name in recommendation.reason


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
