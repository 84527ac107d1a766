"""Earning rules (points, caps, anti-gaming), the hooks, the append-only ledger, redeeming."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.core import codes
from saypro.core.errors import Conflict, NotAuthenticated, NotFound
from saypro.messaging import services as messaging
from saypro.messaging.models import Wait
from saypro.reviews import services as reviews
from saypro.reviews.tests.factories import DeliveredItemFactory, ReviewFactory
from saypro.rewards import selectors, services
from saypro.rewards.models import (
    AppendOnlyError,
    EarningRule,
    PointsEntry,
    Redemption,
    Reward,
)
from saypro.rewards.tests.factories import EarnedEntryFactory, RewardFactory

NOON = datetime(2026, 3, 10, 10, 0, tzinfo=timezone.get_fixed_timezone(0))


def points_of(user) -> list[tuple[str, int]]:
    return [
        (entry.rule.code, entry.points)
        for entry in PointsEntry.objects.filter(user=user).order_by("pk")
    ]


@pytest.fixture
def hooks(settings, django_capture_on_commit_callbacks):
    """Run after-commit hooks (the worker runs tasks inline in tests) and badge runs at once."""
    settings.REWARDS_BADGE_DEBOUNCE_SECONDS = 0

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


# --- award_points: once per source, daily caps, inactive rules -------------------------------


def test_points_are_awarded_once_per_source(buyer, store):
    first = services.award_points(
        user_id=buyer.pk, rule_code="first_question_answered", source=store, note="Asked", now=NOON
    )
    again = services.award_points(
        user_id=buyer.pk, rule_code="first_question_answered", source=store, note="Asked", now=NOON
    )
    assert again is None
    assert (first.points, first.reason, first.note, first.created_at) == (
        10,
        PointsEntry.Reason.EARNED,
        "Asked",
        NOON,
    )
    assert points_of(buyer) == [("first_question_answered", 10)]
    assert selectors.balance(buyer) == 10


def test_daily_cap_awards_up_to_the_cap_then_nothing_until_the_next_day(buyer):
    EarningRule.objects.filter(code="verified_review").update(points=10, daily_cap=25)
    reviews_written = [ReviewFactory(author=buyer) for _ in range(5)]
    awarded = [
        services.award_points(
            user_id=buyer.pk, rule_code="verified_review", source=review, note="Review", now=NOON
        )
        for review in reviews_written[:4]
    ]
    assert [entry.points if entry else None for entry in awarded] == [10, 10, 5, None]
    tomorrow = services.award_points(
        user_id=buyer.pk,
        rule_code="verified_review",
        source=reviews_written[4],
        note="Review",
        now=NOON + timedelta(days=1),
    )
    assert tomorrow.points == 10
    assert selectors.balance(buyer) == 35


def test_an_inactive_rule_awards_nothing(buyer, store):
    EarningRule.objects.filter(code="first_question_answered").update(is_active=False)
    entry = services.award_points(
        user_id=buyer.pk, rule_code="first_question_answered", source=store, note="Asked"
    )
    assert entry is None
    assert not PointsEntry.objects.exists()


def test_the_ledger_is_append_only(buyer):
    entry = EarnedEntryFactory(user=buyer)
    entry.note = "Changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        PointsEntry.objects.filter(pk=entry.pk).update(points=1_000)
    with pytest.raises(AppendOnlyError):
        PointsEntry.objects.all().delete()
    entry.refresh_from_db()
    assert (entry.points, entry.note) == (100, "Points for testing")


# --- Messaging hook: a store reply closing a wait --------------------------------------------


def test_an_on_time_reply_pays_the_member_once_and_the_buyer_once_per_store(
    hooks, buyer, store, seller, agent
):
    conversation, _, _ = hooks(messaging.start_conversation, buyer, store_id=store.pk, text="Hi?")
    hooks(messaging.send_message, agent, conversation, text="Yes, in stock.")
    hooks(messaging.send_message, seller, conversation, text="And it ships today.")  # no wait open
    hooks(messaging.send_message, buyer, conversation, text="Great, in blue too?")
    hooks(messaging.send_message, seller, conversation, text="Blue too.")
    assert points_of(agent) == [("on_time_answer", 5)]
    assert points_of(seller) == [("on_time_answer", 5)]
    assert points_of(buyer) == [("first_question_answered", 10)]


def test_a_late_reply_pays_the_member_nothing(hooks, buyer, store, seller):
    conversation, _, _ = hooks(messaging.start_conversation, buyer, store_id=store.pk, text="Hi?")
    Wait.objects.filter(conversation=conversation).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )
    hooks(messaging.send_message, seller, conversation, text="Sorry for the wait: yes.")
    assert points_of(seller) == []
    assert points_of(buyer) == [("first_question_answered", 10)]


def test_a_question_without_a_reply_earns_nothing(hooks, buyer, store, seller):
    conversation, _, _ = hooks(messaging.start_conversation, buyer, store_id=store.pk, text="Hi?")
    hooks(messaging.send_message, buyer, conversation, text="Hello?")
    hooks(messaging.no_response_needed, seller, conversation)
    assert not PointsEntry.objects.exists()


def test_self_dealing_earns_nothing_on_either_side(hooks, buyer, store, seller):
    conversation, _, _ = hooks(messaging.start_conversation, buyer, store_id=store.pk, text="Hi?")
    MembershipFactory(store=store, user=buyer, role="agent")  # the buyer is the store too
    hooks(messaging.send_message, seller, conversation, text="Yes.")
    assert not PointsEntry.objects.exists()


def test_a_spam_question_earns_nothing(hooks, buyer, store, seller):
    conversation, message, _ = hooks(
        messaging.start_conversation, buyer, store_id=store.pk, text="Hi?"
    )
    message.is_spam = True
    message.save(update_fields=["is_spam"])
    hooks(messaging.send_message, seller, conversation, text="Yes.")
    assert not PointsEntry.objects.exists()


def test_a_reply_from_someone_who_left_the_store_earns_nothing(hooks, buyer, store, seller, agent):
    conversation, _, _ = hooks(messaging.start_conversation, buyer, store_id=store.pk, text="Hi?")
    hooks(messaging.send_message, agent, conversation, text="Yes.")
    wait = Wait.objects.get(conversation=conversation)
    agent.memberships.all().delete()  # the agent was paid while a member; a rerun pays nothing
    assert services.award_for_wait(wait_id=wait.pk) == []
    assert points_of(agent) == [("on_time_answer", 5)]


# --- Reviews hooks ---------------------------------------------------------------------------


def test_a_published_verified_review_earns_its_author_points_once(hooks, buyer):
    item = DeliveredItemFactory(order__buyer=buyer)
    review = hooks(reviews.publish_review, author=buyer, order_item=item, rating=5, body="Lovely.")
    assert points_of(buyer) == [("verified_review", 25)]
    assert services.award_for_review(review_id=review.pk) is None
    assert points_of(buyer) == [("verified_review", 25)]


def test_a_held_review_earns_points_when_moderation_publishes_it(hooks, buyer, staff):
    item = DeliveredItemFactory(order__buyer=buyer)
    review = hooks(
        reviews.publish_review, author=buyer, order_item=item, rating=1, body="Total rubbish, shit."
    )
    assert review.status == review.Status.HELD
    assert points_of(buyer) == []
    hooks(reviews.restore_review, moderator=staff, review=review, reason="Fair criticism.")
    assert points_of(buyer) == [("verified_review", 25)]


def test_reviewing_ones_own_store_earns_nothing(hooks, buyer):
    item = DeliveredItemFactory(order__buyer=buyer)
    MembershipFactory(store=item.order.store, user=buyer)
    hooks(reviews.publish_review, author=buyer, order_item=item, rating=5, body="Best shop ever.")
    assert not PointsEntry.objects.exists()


def test_an_imported_review_is_not_verified_and_earns_nothing(buyer):
    review = ReviewFactory(author=buyer, is_verified=False)
    assert services.award_for_review(review_id=review.pk) is None


def test_answering_a_review_within_48_hours_pays_the_member(hooks, seller, store):
    review = ReviewFactory(order_item__order__store=store, published_at=NOON)
    hooks(
        reviews.answer_review,
        member=seller,
        review=review,
        body="Thank you for your kind words!",
        now=NOON + timedelta(hours=47),
    )
    assert points_of(seller) == [("review_answered_in_48h", 10)]
    assert points_of(review.author) == []


def test_answering_a_review_late_pays_nothing(hooks, seller, store):
    review = ReviewFactory(order_item__order__store=store, published_at=NOON)
    hooks(
        reviews.answer_review,
        member=seller,
        review=review,
        body="Thank you, and sorry for the delay.",
        now=NOON + timedelta(hours=49),
    )
    assert not PointsEntry.objects.exists()


# --- Redeeming -------------------------------------------------------------------------------


def test_redeeming_spends_points_and_issues_a_code(buyer):
    EarnedEntryFactory(user=buyer, points=150)
    reward = RewardFactory(cost=100, stock=3, valid_days=30)
    redemption = services.redeem_reward(user=buyer, reward=reward, now=NOON)
    assert redemption.entry.points == -100
    assert redemption.entry.reason == PointsEntry.Reason.REDEEMED
    assert redemption.expires_at == NOON + timedelta(days=30)
    assert redemption.code.startswith("SP-") and len(redemption.code) == 12
    assert set(redemption.code[3:].replace("-", "")) <= set(codes.ALPHABET)
    reward.refresh_from_db()
    assert reward.stock == 2
    assert selectors.balance(buyer) == 50


def test_redeeming_without_enough_points_is_refused_and_changes_nothing(buyer):
    EarnedEntryFactory(user=buyer, points=99)
    reward = RewardFactory(cost=100, stock=3)
    with pytest.raises(Conflict) as refused:
        services.redeem_reward(user=buyer, reward=reward)
    assert refused.value.code == "insufficient_points"
    assert "You have 99 points" in refused.value.message
    reward.refresh_from_db()
    assert reward.stock == 3
    assert PointsEntry.objects.count() == 1 and not Redemption.objects.exists()


def test_the_last_code_goes_once(buyer):
    EarnedEntryFactory(user=buyer, points=500)
    reward = RewardFactory(cost=100, stock=1)
    services.redeem_reward(user=buyer, reward=reward)
    with pytest.raises(NotFound):  # out of stock: no longer offered
        services.redeem_reward(user=buyer, reward=reward)
    assert selectors.balance(buyer) == 400


def test_an_out_of_stock_reward_taken_meanwhile_is_a_conflict(buyer, monkeypatch):
    EarnedEntryFactory(user=buyer, points=500)
    reward = RewardFactory(cost=100, stock=1)
    offered = selectors.available_reward(reward.pk)
    Reward.objects.filter(pk=reward.pk).update(stock=0)
    monkeypatch.setattr(selectors, "available_reward", lambda pk, now=None: offered)
    with pytest.raises(Conflict) as refused:
        services.redeem_reward(user=buyer, reward=reward)
    assert refused.value.code == "out_of_stock"
    assert selectors.balance(buyer) == 500


@pytest.mark.parametrize(
    "change",
    [
        {"is_active": False},
        {"ends_at": NOON - timedelta(days=1)},
        {"starts_at": NOON + timedelta(days=1)},
    ],
)
def test_a_reward_not_on_offer_cannot_be_redeemed(buyer, change):
    EarnedEntryFactory(user=buyer, points=500)
    reward = RewardFactory(cost=100, **change)
    with pytest.raises(NotFound):
        services.redeem_reward(user=buyer, reward=reward, now=NOON)
    assert selectors.balance(buyer) == 500


def test_an_anonymous_person_cannot_redeem(db):
    with pytest.raises(NotAuthenticated):
        services.redeem_reward(user=AnonymousUser(), reward=RewardFactory())


def test_balances_are_per_person(buyer):
    other = UserFactory()
    EarnedEntryFactory(user=buyer, points=40)
    EarnedEntryFactory(user=other, points=7)
    assert (selectors.balance(buyer), selectors.balance(other)) == (40, 7)
