"""/api/v1 endpoints for a person's points and badges, and the rewards they can redeem.

Each person reads only their own ledger, badges and codes.
"""

from django.http import HttpRequest
from ninja import Query, Router, Status

from saypro.core.api import AUTH, ERRORS, Id, Paging
from saypro.core.errors import NotFound
from saypro.rewards import selectors, services
from saypro.rewards.schemas import BadgesOut, PointsOut, RedemptionOut, RewardOut

router = Router(tags=["rewards"], auth=AUTH)


def _entry_out(entry) -> dict:
    return {
        "id": entry.pk,
        "points": entry.points,
        "reason": entry.reason,
        "rule": entry.rule.code if entry.rule else None,
        "note": entry.note,
        "created_at": entry.created_at,
    }


def _award_out(award) -> dict:
    return {
        "badge": award.badge,
        "store": award.store.name if award.store else None,
        "earned_at": award.earned_at,
        "lost_at": award.lost_at,
        "rate": award.rate,
        "count": award.count,
    }


@router.get("/me/points", response={200: PointsOut, **ERRORS})
def my_points(request: HttpRequest, paging: Query[Paging]):
    """The person's balance and ledger, newest first."""
    page = paging.page(selectors.ledger(request.auth))
    return {
        "balance": selectors.balance(request.auth),
        "items": [_entry_out(entry) for entry in page["items"]],
        "count": page["count"],
    }


@router.get("/me/badges", response={200: BadgesOut, **ERRORS})
def my_badges(request: HttpRequest):
    """Badges the person (or a store they belong to) holds now, and every one ever earned."""
    history = list(selectors.badge_history(request.auth))
    return {
        "current": [_award_out(award) for award in history if award.is_current],
        "history": [_award_out(award) for award in history],
    }


@router.get("/rewards", response={200: list[RewardOut], **ERRORS})
def list_rewards(request: HttpRequest):
    """Rewards that can be redeemed now, cheapest first."""
    return list(selectors.available_rewards())


@router.post("/rewards/{reward_id}/redeem", response={201: RedemptionOut, **ERRORS})
def redeem(request: HttpRequest, reward_id: Id):
    """Spend points on a reward: 409 ``insufficient_points`` or ``out_of_stock`` refuses."""
    reward = selectors.available_reward(reward_id)
    if reward is None:
        raise NotFound(f"No reward {reward_id} can be redeemed now.")
    redemption = services.redeem_reward(user=request.auth, reward=reward)
    return Status(
        201,
        {
            "id": redemption.pk,
            "reward": redemption.reward,
            "code": redemption.code,
            "points": redemption.entry.points,
            "balance": selectors.balance(request.auth),
            "issued_at": redemption.issued_at,
            "expires_at": redemption.expires_at,
        },
    )
