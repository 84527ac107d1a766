"""Demo points, badges and rewards on top of the demo marketplace (``saypro demo``).

The points are earned the way the product earns them, by replaying the last
``REPLAY_DAYS`` of the demo's answered waits, published reviews and review
answers through the earning services at the time each happened (so daily caps
and the anti-gaming rules apply). Badges are then evaluated as the daily task
does, two rewards are put on offer, and the demo buyer (or, if they cannot
afford it, the buyer with the most points) redeems the cheaper one.
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog.demo import ACCOUNTS
from saypro.messaging.models import Wait
from saypro.reviews.models import Answer, Review
from saypro.rewards import selectors, services
from saypro.rewards.models import BadgeAward, PointsEntry, Reward

REPLAY_DAYS = 30
DEMO_REWARDS = [
    {
        "name": "R25 off your next order",
        "description": "A discount code worth R25 off your next order.",
        "cost": 50,
        "amount_off": Decimal("25.00"),
        "valid_days": 60,
    },
    {
        "name": "10% off one order",
        "description": "A discount code for 10% off any single order.",
        "cost": 150,
        "percent_off": 10,
        "stock": 100,
        "valid_days": 90,
    },
]


@dataclass(frozen=True)
class RewardsReport:
    created: bool
    entries: int
    points: int
    earners: int
    store_badges: int
    buyer_badges: int
    rewards: int
    redemption: str  # "<email> redeemed <reward> (<code>)", or why none was
    seconds: float


def _report(created: bool, redemption: str, started: float) -> RewardsReport:
    earned = PointsEntry.objects.filter(reason=PointsEntry.Reason.EARNED)
    current = BadgeAward.objects.filter(lost_at__isnull=True)
    return RewardsReport(
        created=created,
        entries=earned.count(),
        points=earned.aggregate(total=Sum("points"))["total"] or 0,
        earners=earned.values("user").distinct().count(),
        store_badges=current.filter(store__isnull=False).count(),
        buyer_badges=current.filter(user__isnull=False).count(),
        rewards=Reward.objects.count(),
        redemption=redemption,
        seconds=time.monotonic() - started,
    )


def _replay(since: datetime) -> None:
    events = [
        (wait.ended_at, services.award_for_wait, {"wait_id": wait.pk})
        for wait in Wait.objects.filter(outcome=Wait.Outcome.ANSWERED, ended_at__gte=since)
    ]
    events += [
        (review.published_at, services.award_for_review, {"review_id": review.pk})
        for review in Review.objects.filter(published_at__gte=since)
    ]
    events += [
        (answer.published_at, services.award_for_answer, {"review_id": answer.review_id})
        for answer in Answer.objects.filter(published_at__gte=since)
    ]
    for at, award, arguments in sorted(events, key=lambda event: event[0]):
        award(now=at, **arguments)


def _redeem(reward: Reward, now: datetime) -> str:
    demo_buyer = User.objects.filter(email=ACCOUNTS["buyer"].email).first()
    if demo_buyer is not None and selectors.balance(demo_buyer) >= reward.cost:
        person = demo_buyer
    else:
        richest = (
            PointsEntry.objects.values("user")
            .annotate(total=Sum("points"))
            .filter(total__gte=reward.cost)
            .order_by("-total", "user")
            .first()
        )
        if richest is None:
            return f"nobody has the {reward.cost} points for “{reward.name}”"
        person = User.objects.get(pk=richest["user"])
    redemption = services.redeem_reward(user=person, reward=reward, now=now)
    return f"{person.email} redeemed “{reward.name}” ({redemption.code})"


def load_demo_rewards(*, now: datetime | None = None) -> RewardsReport:
    """Points, badges, rewards and one redemption, unless demo rewards are already loaded.

    Atomic: a failure part-way leaves the database as it was.
    """
    started = time.monotonic()
    now = now or timezone.now()
    with transaction.atomic():
        if Reward.objects.filter(name__in=[r["name"] for r in DEMO_REWARDS]).exists():
            return _report(False, "", started)
        _replay(now - timedelta(days=REPLAY_DAYS))
        services.evaluate_badges(now=now)
        rewards = [Reward.objects.create(created_at=now, **reward) for reward in DEMO_REWARDS]
        redemption = _redeem(rewards[0], now)
    return _report(True, redemption, started)
