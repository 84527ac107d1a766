"""Badges: each rule earned and lost with history, thresholds from the office, notifications,
the event hooks, and ``holders`` for campaign segments."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from saypro.academy.models import Enrolment
from saypro.academy.tests.factories import build_course
from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.messaging import services as messaging
from saypro.messaging.models import Conversation
from saypro.notifications.models import Notification, NotificationType
from saypro.reviews.models import Answer, HelpfulVote
from saypro.reviews.tests.factories import ReviewFactory
from saypro.rewards import selectors, services, tasks
from saypro.rewards.models import Badge, BadgeAward
from saypro.rewards.tests.factories import wait_in

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def conversation(buyer, store):
    return Conversation.objects.create(buyer=buyer, store=store)


def answered_waits(conversation, member, *, on_time: int, late: int = 0, days_ago: int = 5):
    started = NOW - timedelta(days=days_ago)
    for number in range(on_time + late):
        wait_in(
            conversation,
            started_at=started + timedelta(minutes=number),
            answered_after=timedelta(hours=2 if number < on_time else 30),
            member=member,
        )


def badge_notifications(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, type=NotificationType.BADGE_EARNED)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def test_fast_responder_is_earned_with_enough_answers_on_time(conversation, store, seller, agent):
    answered_waits(conversation, seller, on_time=19, late=1)
    run = services.evaluate_badges(now=NOW)
    assert (run.earned, run.lost) == (1, 0)
    award = BadgeAward.objects.get()
    assert (award.badge.code, award.store, award.user, award.rate, award.count) == (
        "fast_responder",
        store,
        None,
        0.95,
        20,
    )
    assert [a.badge.code for a in selectors.badges_for_store(store)] == ["fast_responder"]
    expected = f"{store.name} earned the Fast Responder badge: Answers buyers' messages quickly."
    assert badge_notifications(seller) == [expected]
    assert badge_notifications(agent) == [expected]


def test_fast_responder_needs_the_least_number_of_messages(conversation, seller):
    answered_waits(conversation, seller, on_time=19)
    assert services.evaluate_badges(now=NOW).earned == 0
    assert not BadgeAward.objects.exists()
    assert badge_notifications(seller) == []


def test_fast_responder_counts_overdue_open_waits_but_not_those_still_in_time(
    conversation, store, seller
):
    answered_waits(conversation, seller, on_time=19)
    assert services.evaluate_badges(now=NOW).earned == 0  # 19 messages: too few
    elsewhere = Conversation.objects.create(buyer=UserFactory(), store=store)
    wait_in(elsewhere, started_at=NOW - timedelta(hours=1))  # open, not due yet: not counted
    assert services.evaluate_badges(now=NOW).earned == 0
    wait_in(conversation, started_at=NOW - timedelta(days=2))  # open, past its due time: late
    assert services.evaluate_badges(now=NOW).earned == 1
    award = BadgeAward.objects.get()
    assert (award.count, award.rate) == (20, 0.95)


def test_a_badge_is_lost_and_earned_again_with_history(conversation, store, seller):
    answered_waits(conversation, seller, on_time=20)
    services.evaluate_badges(now=NOW)
    answered_waits(conversation, seller, on_time=0, late=5, days_ago=2)
    run = services.evaluate_badges(now=NOW + timedelta(hours=1))
    assert (run.earned, run.lost) == (0, 1)
    assert selectors.badges_for_store(store) == []
    lost = BadgeAward.objects.get()
    assert lost.lost_at == NOW + timedelta(hours=1)
    assert len(badge_notifications(seller)) == 1  # losing is quiet

    answered_waits(conversation, seller, on_time=80, days_ago=1)
    later = NOW + timedelta(hours=2)
    assert services.evaluate_badges(now=later).earned == 1
    history = list(selectors.badge_history(seller))
    assert [(award.earned_at, award.lost_at) for award in history] == [
        (later, None),
        (NOW, NOW + timedelta(hours=1)),
    ]
    assert len(badge_notifications(seller)) == 2


def test_the_window_moves_on_and_the_badge_is_lost(conversation, store, seller):
    answered_waits(conversation, seller, on_time=20, days_ago=25)
    services.evaluate_badges(now=NOW)
    assert services.evaluate_badges(now=NOW + timedelta(days=6)).lost == 1


def test_thresholds_edited_by_the_office_apply_at_the_next_run(conversation, store, seller):
    answered_waits(conversation, seller, on_time=10)
    assert services.evaluate_badges(now=NOW).earned == 0
    Badge.objects.filter(code="fast_responder").update(min_count=10)
    assert services.evaluate_badges(now=NOW).earned == 1


def test_a_deactivated_badge_is_lost_by_everyone(conversation, store, seller):
    answered_waits(conversation, seller, on_time=20)
    services.evaluate_badges(now=NOW)
    Badge.objects.filter(code="fast_responder").update(is_active=False)
    assert services.evaluate_badges(now=NOW).lost == 1
    assert selectors.holders("fast_responder") == set()


def reviews_answered(store, member, *, on_time: int, late: int = 0):
    for number in range(on_time + late):
        review = ReviewFactory(
            order_item__order__store=store, published_at=NOW - timedelta(days=10), is_answered=True
        )
        Answer.objects.create(
            review=review,
            store=store,
            author=member,
            body="Thank you!",
            published_at=review.published_at + timedelta(hours=5),
            response_time=timedelta(hours=5 if number < on_time else 60),
        )


def test_review_champion_is_earned_and_lost(store, seller):
    reviews_answered(store, seller, on_time=10)
    services.evaluate_badges(now=NOW)
    assert [a.badge.code for a in selectors.badges_for_store(store)] == ["review_champion"]
    ReviewFactory(order_item__order__store=store, published_at=NOW - timedelta(days=3))  # overdue
    assert services.evaluate_badges(now=NOW).lost == 1


def test_a_review_still_within_its_48_hours_does_not_count_against_the_store(store, seller):
    reviews_answered(store, seller, on_time=10)
    ReviewFactory(order_item__order__store=store, published_at=NOW - timedelta(hours=3))
    services.evaluate_badges(now=NOW)
    assert BadgeAward.objects.get().count == 10


def test_helpful_reviewer_is_earned_by_the_buyer_and_notified(buyer):
    review = ReviewFactory(author=buyer)
    for voter in UserFactory.create_batch(10):
        HelpfulVote.objects.create(review=review, voter=voter, created_at=NOW - timedelta(days=1))
    services.evaluate_badges(now=NOW)
    assert [a.badge.code for a in selectors.badges_for_user(buyer)] == ["helpful_reviewer"]
    assert badge_notifications(buyer) == [
        "You earned the Helpful Reviewer badge: Writes reviews other buyers find helpful."
    ]
    assert selectors.holders("helpful_reviewer") == {buyer.pk}


def test_holders_of_a_store_badge_are_its_members(conversation, store, seller, agent, buyer):
    answered_waits(conversation, seller, on_time=20)
    MembershipFactory()  # another store's member
    services.evaluate_badges(now=NOW)
    assert selectors.holders("fast_responder") == {seller.pk, agent.pk}
    assert selectors.holders("no_such_badge") == set()


def test_an_event_evaluates_only_that_store(conversation, store, seller):
    answered_waits(conversation, seller, on_time=20)
    assert services.evaluate_badges(now=NOW, user_ids=[seller.pk]).earned == 0
    assert services.evaluate_badges(now=NOW, store_ids=[store.pk + 1]).earned == 0
    assert services.evaluate_badges(now=NOW, store_ids=[store.pk]).earned == 1


def test_a_reply_re_evaluates_the_stores_badges(
    settings, django_capture_on_commit_callbacks, buyer, store, seller
):
    settings.REWARDS_BADGE_DEBOUNCE_SECONDS = 0
    conversation = Conversation.objects.create(buyer=UserFactory(), store=store)
    answered_waits(conversation, seller, on_time=19)
    with django_capture_on_commit_callbacks(execute=True):
        asked, _, _ = messaging.start_conversation(buyer, store_id=store.pk, text="In stock?")
    with django_capture_on_commit_callbacks(execute=True):
        messaging.send_message(seller, asked, text="Yes, it is.")
    assert [a.badge.code for a in selectors.badges_for_store(store)] == ["fast_responder"]


def test_re_evaluation_after_events_is_debounced(settings, store, monkeypatch):
    settings.REWARDS_BADGE_DEBOUNCE_SECONDS = 60
    scheduled = []
    monkeypatch.setattr(
        tasks.evaluate_store_badges, "schedule", lambda args, delay: scheduled.append((args, delay))
    )
    for _ in range(3):
        tasks._evaluate_store_later(store.pk)
    assert scheduled == [((store.pk,), 60)]


def test_a_badge_with_a_kind_the_code_lacks_is_left_alone(store):
    Badge.objects.create(
        code="mystery_shopper",
        name="Mystery Shopper",
        description="Passed a mystery shop.",
        audience="store",
        kind="mystery_shopper",
        min_count=1,
        icon="🕵",
    )
    assert services.evaluate_badges(now=NOW).earned == 0


def test_the_office_can_only_pick_a_registered_kind_of_the_badges_audience(db):
    badge = Badge.objects.get(code="fast_responder")
    badge.kind = "mystery_shopper"
    with pytest.raises(ValidationError, match="Choose one of"):
        badge.full_clean()
    badge.kind, badge.audience = "helpful_reviewer", "store"
    with pytest.raises(ValidationError, match="measures buyers"):
        badge.full_clean()
    badge.kind, badge.min_rate = "fast_responder", None
    with pytest.raises(ValidationError, match="needs a least share"):
        badge.full_clean()


def test_academy_graduate_needs_the_courses_completed_in_the_window(seller):
    courses = [build_course(slug=f"course-{n}").course for n in range(3)]
    for course in courses[:2]:
        Enrolment.objects.create(user=seller, course=course, completed_at=NOW - timedelta(days=3))
    services.evaluate_badges(now=NOW, user_ids=[seller.pk])
    assert not BadgeAward.objects.exists()

    Enrolment.objects.create(user=seller, course=courses[2], completed_at=NOW)
    services.evaluate_badges(now=NOW, user_ids=[seller.pk])

    assert [a.badge.code for a in selectors.badges_for_user(seller)] == ["academy_graduate"]
    assert badge_notifications(seller) == [
        "You earned the Academy Graduate badge: Completed the Seller Academy's core courses."
    ]
    assert Badge.objects.get(code="academy_graduate").requirement == (
        "Completed 3 Seller Academy courses in 730 days."
    )
