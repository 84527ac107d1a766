"""Every write of points, badges and rewards.

Earning (``award_points`` and the three ``award_for_*`` use cases) runs in the
worker, after the message, review or answer it rewards has committed
(``tasks``): a failure here never breaks a send. The rules against gaming:

- nothing for a buyer who is a member of the store they deal with
  (self-dealing: one person's buyer and seller accounts), either side;
- nothing for a message without a reply (buyer points need the store's
  answer; store points need an answer within the wait's due time), nor for a
  message flagged as spam;
- nothing twice for one source: the ledger's unique key (person, rule,
  source) holds even when two workers race;
- a rule's daily cap (points per person per day, in the site's time zone) is
  applied partially: an award that would cross the cap is cut to what is
  left of it, and once the cap is reached nothing more is written that day.

Both earning and redeeming lock the person's user row first
(``select_for_update``), so the cap and the balance they check cannot change
under them: two concurrent redemptions cannot overdraw.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from saypro.accounts.models import User
from saypro.core.codes import readable_code
from saypro.core.errors import Conflict, NotAuthenticated, NotFound
from saypro.messaging.models import Side, Wait
from saypro.notifications import services as notifications
from saypro.notifications.models import NotificationType
from saypro.reviews.models import RESPONSE_GOAL, Review
from saypro.rewards import selectors
from saypro.rewards.badge_rules import KINDS, qualifies
from saypro.rewards.models import (
    NOTE_MAX_LENGTH,
    Badge,
    BadgeAward,
    PointsEntry,
    Redemption,
    Reward,
)

logger = logging.getLogger(__name__)

FIRST_QUESTION_ANSWERED = "first_question_answered"
VERIFIED_REVIEW = "verified_review"
ON_TIME_ANSWER = "on_time_answer"
REVIEW_ANSWERED_IN_48H = "review_answered_in_48h"

CODE_ATTEMPTS = 5


def _locked_user(user_id: int) -> User:
    """The person's row, locked: serialises their earnings and redemptions."""
    return User.objects.select_for_update().get(pk=user_id)


# --- Earning ---------------------------------------------------------------------------------


@transaction.atomic
def award_points(
    *,
    user_id: int,
    rule_code: str,
    source: models.Model,
    note: str,
    now: datetime | None = None,
) -> PointsEntry | None:
    """Credit the rule's points for ``source``; None when nothing is due.

    Nothing is due when the rule is inactive, the person already has points
    from this rule for this source, or they reached the rule's daily cap. The
    caller has decided that the deed qualifies (the ``award_for_*`` below).
    """
    now = now or timezone.now()
    rule = selectors.active_rule(rule_code)
    if rule is None:
        return None
    user = _locked_user(user_id)
    source_type = ContentType.objects.get_for_model(source)
    already = PointsEntry.objects.filter(
        user=user, rule=rule, source_type=source_type, source_id=source.pk
    ).exists()
    if already:
        return None
    points = rule.points
    if rule.daily_cap is not None:
        points = min(points, rule.daily_cap - selectors.earned_today(user, rule, now=now))
    if points <= 0:
        return None
    try:
        with transaction.atomic():
            return PointsEntry.objects.create(
                user=user,
                points=points,
                reason=PointsEntry.Reason.EARNED,
                rule=rule,
                source_type=source_type,
                source_id=source.pk,
                note=note[:NOTE_MAX_LENGTH],
                created_at=now,
            )
    except IntegrityError:  # the same award raced this one (the unique key settled it)
        return None


def award_for_wait(*, wait_id: int, now: datetime | None = None) -> list[PointsEntry]:
    """Points for a store's answer that ended a buyer's wait.

    The member who answered gets ``on_time_answer`` if it came by the due time;
    the buyer gets ``first_question_answered`` once per store, for a
    conversation they started. Nothing for self-dealing or a spam question.
    """
    wait = (
        Wait.objects.select_related("conversation__store", "message")
        .filter(pk=wait_id, outcome=Wait.Outcome.ANSWERED, ended_by__isnull=False)
        .first()
    )
    if wait is None or wait.message.is_spam:
        return []
    conversation = wait.conversation
    store = conversation.store
    if selectors.is_member(conversation.buyer_id, store.pk):
        return []
    if not selectors.is_member(wait.ended_by_id, store.pk):
        return []
    entries = []
    if wait.on_time:
        entries.append(
            award_points(
                user_id=wait.ended_by_id,
                rule_code=ON_TIME_ANSWER,
                source=wait,
                note=f"Answered a buyer on time for {store.name}",
                now=now,
            )
        )
    if conversation.started_by == Side.BUYER:
        entries.append(
            award_points(
                user_id=conversation.buyer_id,
                rule_code=FIRST_QUESTION_ANSWERED,
                source=store,
                note=f"Your first question to {store.name} was answered",
                now=now,
            )
        )
    return [entry for entry in entries if entry is not None]


def award_for_review(*, review_id: int, now: datetime | None = None) -> PointsEntry | None:
    """``verified_review`` for a published review of a product its author ordered."""
    review = (
        Review.objects.select_related("product", "order_item__order")
        .filter(pk=review_id, status=Review.Status.PUBLISHED, is_verified=True)
        .first()
    )
    if review is None or review.order_item.order.buyer_id != review.author_id:
        return None
    if selectors.is_member(review.author_id, review.store_id):
        return None
    return award_points(
        user_id=review.author_id,
        rule_code=VERIFIED_REVIEW,
        source=review,
        note=f"Verified review of {review.product.title}",
        now=now,
    )


def award_for_answer(*, review_id: int, now: datetime | None = None) -> PointsEntry | None:
    """``review_answered_in_48h`` to the member whose answer came within the goal."""
    review = (
        Review.objects.select_related("answer", "product")
        .filter(pk=review_id, status=Review.Status.PUBLISHED, is_answered=True)
        .first()
    )
    answer = getattr(review, "answer", None) if review is not None else None
    if answer is None or answer.is_withdrawn or answer.response_time > RESPONSE_GOAL:
        return None
    if selectors.is_member(review.author_id, review.store_id):
        return None
    if not selectors.is_member(answer.author_id, review.store_id):
        return None
    return award_points(
        user_id=answer.author_id,
        rule_code=REVIEW_ANSWERED_IN_48H,
        source=review,
        note=f"Answered a review of {review.product.title} within 48 hours",
        now=now,
    )


# --- Redeeming -------------------------------------------------------------------------------


@transaction.atomic
def redeem_reward(*, user: User, reward: Reward, now: datetime | None = None) -> Redemption:
    """Spend the reward's cost from the person's points and issue its code.

    The user row is locked before the balance is read, so concurrent
    redemptions queue and the balance never goes below zero. Stock is taken
    with a conditional update, so two people cannot take the last code.
    """
    now = now or timezone.now()
    if not user.is_authenticated or not user.is_active:
        raise NotAuthenticated("Log in to redeem a reward.")
    user = _locked_user(user.pk)
    reward = selectors.available_reward(reward.pk, now=now)
    if reward is None:
        raise NotFound("This reward is not available.")
    points = selectors.balance(user)
    if points < reward.cost:
        raise Conflict(
            f"You have {points:,} points; “{reward.name}” costs {reward.cost:,}. "
            "Earn more by asking stores, reviewing what you bought and answering on time.",
            code="insufficient_points",
            details={"balance": points, "cost": reward.cost},
        )
    if reward.stock is not None:
        taken = Reward.objects.filter(pk=reward.pk, stock__gte=1).update(stock=F("stock") - 1)
        if not taken:
            raise Conflict(f"“{reward.name}” is out of stock.", code="out_of_stock")
    entry = PointsEntry.objects.create(
        user=user,
        points=-reward.cost,
        reason=PointsEntry.Reason.REDEEMED,
        note=f"Redeemed: {reward.name}"[:NOTE_MAX_LENGTH],
        created_at=now,
    )
    for _ in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Redemption.objects.create(
                    user=user,
                    reward=reward,
                    entry=entry,
                    code=readable_code("SP"),
                    issued_at=now,
                    expires_at=now + timedelta(days=reward.valid_days),
                )
        except IntegrityError:  # a code already issued: draw another
            continue
    raise Conflict("Could not issue a unique code; please try again.", code="code_collision")


# --- Badges ----------------------------------------------------------------------------------


@dataclass
class BadgeRun:
    earned: int = 0
    lost: int = 0


def _rewards_link() -> str:
    return reverse("rewards:points")


def _notify_earned(award: BadgeAward, now: datetime) -> None:
    badge = award.badge
    if award.store_id is not None:
        notifications.notify_many(
            selectors.store_member_ids(award.store_id),
            NotificationType.BADGE_EARNED,
            subject=award,
            text=f"{award.store.name} earned the {badge.name} badge: {badge.description}",
            link=_rewards_link(),
            now=now,
        )
    else:
        notifications.notify(
            award.user,
            NotificationType.BADGE_EARNED,
            subject=award,
            text=f"You earned the {badge.name} badge: {badge.description}",
            link=_rewards_link(),
            now=now,
        )


@transaction.atomic
def _evaluate_badge(badge: Badge, holder_ids: list[int] | None, now: datetime) -> BadgeRun:
    badge = Badge.objects.select_for_update().get(pk=badge.pk)  # one evaluation per badge at once
    holder_field = "store_id" if badge.audience == Badge.Audience.STORE else "user_id"
    current_awards = selectors.current_awards(badge)
    if holder_ids is not None:
        current_awards = current_awards.filter(**{f"{holder_field}__in": holder_ids})
    current = {getattr(award, holder_field): award for award in current_awards}
    kind = KINDS.get(badge.kind)
    if kind is None and badge.is_active:
        logger.warning("Badge %s has an unknown kind %r; left as it is", badge.code, badge.kind)
        return BadgeRun()
    measures = (
        kind.measure(window_days=badge.window_days, now=now, holder_ids=holder_ids)
        if badge.is_active
        else {}
    )
    run = BadgeRun()
    lost = [
        award.pk for holder, award in current.items() if not qualifies(badge, measures.get(holder))
    ]
    run.lost = BadgeAward.objects.filter(pk__in=lost).update(lost_at=now)
    for holder, measure in measures.items():
        if holder in current or not qualifies(badge, measure):
            continue
        award = BadgeAward.objects.create(
            badge=badge,
            earned_at=now,
            rate=measure.rate,
            count=measure.count,
            **{holder_field: holder},
        )
        _notify_earned(award, now)
        run.earned += 1
    return run


def evaluate_badges(
    *,
    now: datetime | None = None,
    store_ids: list[int] | None = None,
    user_ids: list[int] | None = None,
) -> BadgeRun:
    """Award badges whose thresholds are met and close awards whose thresholds are no longer.

    With no ids, every badge for everyone (the daily run). With ``store_ids``
    and/or ``user_ids``, only the badges of that audience, for those holders
    (after an event). An inactive badge is lost by everyone holding it.
    Earning notifies (``BADGE_EARNED``: every member for a store badge, the
    buyer for a buyer badge); losing is recorded in the history only.
    Each badge is evaluated in its own transaction, under a lock on its row.
    """
    now = now or timezone.now()
    everyone = store_ids is None and user_ids is None
    total = BadgeRun()
    for badge in Badge.objects.order_by("pk"):
        ids = store_ids if badge.audience == Badge.Audience.STORE else user_ids
        if ids is None and not everyone:
            continue
        run = _evaluate_badge(badge, ids, now)
        total.earned += run.earned
        total.lost += run.lost
    return total
