"""Every read of points, badges and rewards.

A person sees their own ledger, redemptions and badges; badges held by a
store are public (they are shown on its page). ``holders`` is for other apps
(campaign segments): the user ids currently holding a badge.
"""

from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog.models import Store, StoreMembership
from saypro.rewards.models import (
    Badge,
    BadgeAward,
    EarningRule,
    PointsEntry,
    Redemption,
    Reward,
)


def balance(user: User) -> int:
    """The person's points: the sum of their ledger (0 for an empty one)."""
    if not user.is_authenticated:
        return 0
    return PointsEntry.objects.filter(user=user).aggregate(total=Sum("points"))["total"] or 0


def ledger(user: User) -> QuerySet[PointsEntry]:
    """The person's ledger, newest first, with the rule (its code is in the API)."""
    return PointsEntry.objects.filter(user=user).select_related("rule")


def earned_today(user: User, rule: EarningRule, *, now: datetime) -> int:
    """Points the person earned from ``rule`` on ``now``'s day (in the site's time zone)."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    day = PointsEntry.objects.filter(
        user=user, rule=rule, created_at__gte=start, created_at__lt=start + timedelta(days=1)
    )
    return day.aggregate(total=Sum("points"))["total"] or 0


def earning_rules() -> QuerySet[EarningRule]:
    """The active earning rules, shown on the points page."""
    return EarningRule.objects.filter(is_active=True)


def active_rule(code: str) -> EarningRule | None:
    return EarningRule.objects.filter(code=code, is_active=True).first()


def available_rewards(*, now: datetime | None = None) -> QuerySet[Reward]:
    """Rewards that can be redeemed now: active, in their dates, in stock."""
    now = now or timezone.now()
    return Reward.objects.filter(
        Q(starts_at__isnull=True) | Q(starts_at__lte=now),
        Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        Q(stock__isnull=True) | Q(stock__gt=0),
        is_active=True,
    )


def available_reward(pk: int, *, now: datetime | None = None) -> Reward | None:
    return available_rewards(now=now).filter(pk=pk).first()


def redemptions_of(user: User) -> QuerySet[Redemption]:
    return Redemption.objects.filter(user=user).select_related("reward", "entry")


def _awards() -> QuerySet[BadgeAward]:
    return BadgeAward.objects.select_related("badge", "store")


def badges_for_store(store: Store) -> list[BadgeAward]:
    """The badges the store holds now (public: shown on its page, inbox and conversations)."""
    return list(
        _awards()
        .filter(store=store, lost_at__isnull=True, badge__is_active=True)
        .order_by("badge__name")
    )


def badges_for_user(user: User) -> list[BadgeAward]:
    """The badges the person holds (buyer and seller badges, not their stores'), now."""
    if not user.is_authenticated:
        return []
    return list(
        _awards()
        .filter(user=user, lost_at__isnull=True, badge__is_active=True)
        .order_by("badge__name")
    )


def badge_history(user: User) -> QuerySet[BadgeAward]:
    """Every badge the person, or a store they belong to, earned (and lost), newest first."""
    store_ids = StoreMembership.objects.filter(user=user).values("store_id")
    return _awards().filter(Q(user=user) | Q(store_id__in=store_ids))


def active_badges() -> QuerySet[Badge]:
    """Active badges and what they take, for the points page."""
    return Badge.objects.filter(is_active=True)


def badge_by_code(code: str) -> Badge | None:
    return Badge.objects.filter(code=code).first()


def current_awards(badge: Badge) -> QuerySet[BadgeAward]:
    """The badge's open awards (for evaluation): one per holder."""
    return BadgeAward.objects.filter(badge=badge, lost_at__isnull=True)


def holders(badge_code: str) -> set[int]:
    """User ids currently holding the badge: buyers, or every member of a holding store.

    For campaign segments. An unknown or inactive badge has no holders.
    """
    awards = BadgeAward.objects.filter(
        badge__code=badge_code, badge__is_active=True, lost_at__isnull=True
    )
    user_ids = set(awards.filter(user__isnull=False).values_list("user_id", flat=True))
    store_ids = awards.filter(store__isnull=False).values("store_id")
    user_ids.update(
        StoreMembership.objects.filter(store_id__in=store_ids).values_list("user_id", flat=True)
    )
    return user_ids


def store_member_ids(store_id: int) -> list[int]:
    return list(StoreMembership.objects.filter(store_id=store_id).values_list("user_id", flat=True))


def is_member(user_id: int, store_id: int) -> bool:
    return StoreMembership.objects.filter(user_id=user_id, store_id=store_id).exists()


def stores_with_badges(user: User) -> list[Store]:
    """The person's stores, each with ``current_badges`` (for the points page)."""
    current = Prefetch(
        "badge_awards",
        queryset=_awards().filter(lost_at__isnull=True, badge__is_active=True),
        to_attr="current_badges",
    )
    return list(Store.objects.filter(memberships__user=user).prefetch_related(current))
