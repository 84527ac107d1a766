"""The rewards API: each person's own points and badges, the rewards on offer, redeeming."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory, token_client
from saypro.core.testing import assert_error
from saypro.rewards.models import Badge, BadgeAward, PointsEntry, Redemption
from saypro.rewards.tests.factories import EarnedEntryFactory, RewardFactory


@pytest.fixture(params=["buyer", "seller", "staff"])
def person(request):
    return request.getfixturevalue(request.param)


def test_points_are_the_persons_own_newest_first(person):
    older = EarnedEntryFactory(user=person, points=30, created_at=timezone.now() - timedelta(1))
    newer = EarnedEntryFactory(user=person, points=12)
    EarnedEntryFactory(user=UserFactory(), points=999)
    body = token_client(person).get("/api/v1/me/points").json()
    assert body["balance"] == 42 and body["count"] == 2
    assert [item["id"] for item in body["items"]] == [newer.pk, older.pk]
    assert body["items"][0] == {
        "id": newer.pk,
        "points": 12,
        "reason": "earned",
        "rule": None,
        "note": "Points for testing",
        "created_at": body["items"][0]["created_at"],
    }
    page = token_client(person).get("/api/v1/me/points", {"limit": 1, "offset": 1}).json()
    assert [item["id"] for item in page["items"]] == [older.pk]


def test_badges_current_and_history(buyer, seller, store):
    now = timezone.now()
    fast = Badge.objects.get(code="fast_responder")
    helpful = Badge.objects.get(code="helpful_reviewer")
    BadgeAward.objects.create(badge=fast, store=store, earned_at=now, count=20, rate=0.96)
    BadgeAward.objects.create(
        badge=helpful, user=buyer, earned_at=now - timedelta(days=9), lost_at=now, count=10
    )
    seller_body = token_client(seller).get("/api/v1/me/badges").json()
    assert [(a["badge"]["code"], a["store"]) for a in seller_body["current"]] == [
        ("fast_responder", store.name)
    ]
    buyer_body = token_client(buyer).get("/api/v1/me/badges").json()
    assert buyer_body["current"] == []
    assert [(a["badge"]["code"], a["lost_at"] is not None) for a in buyer_body["history"]] == [
        ("helpful_reviewer", True)
    ]


def test_rewards_on_offer(buyer):
    cheap = RewardFactory(cost=50, percent_off=10, amount_off=None)
    dear = RewardFactory(cost=500, stock=2)
    RewardFactory(is_active=False)
    RewardFactory(stock=0)
    body = token_client(buyer).get("/api/v1/rewards").json()
    assert [(item["id"], item["cost"]) for item in body] == [(cheap.pk, 50), (dear.pk, 500)]
    assert body[0]["percent_off"] == 10 and body[0]["amount_off"] is None
    assert body[1]["stock"] == 2


def test_redeem_issues_a_code_and_returns_the_balance(buyer):
    EarnedEntryFactory(user=buyer, points=130)
    reward = RewardFactory(cost=100)
    response = token_client(buyer).post(f"/api/v1/rewards/{reward.pk}/redeem")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["points"] == -100 and body["balance"] == 30
    assert body["code"] == Redemption.objects.get().code
    assert body["reward"]["id"] == reward.pk


def test_redeem_without_enough_points_is_a_409_and_changes_nothing(buyer):
    EarnedEntryFactory(user=buyer, points=99)
    reward = RewardFactory(cost=100, stock=5)
    error = assert_error(
        token_client(buyer).post(f"/api/v1/rewards/{reward.pk}/redeem"), 409, "insufficient_points"
    )
    assert error["details"] == {"balance": 99, "cost": 100}
    reward.refresh_from_db()
    assert reward.stock == 5 and PointsEntry.objects.count() == 1


def test_redeem_an_unknown_or_sold_out_reward_is_a_404(buyer):
    EarnedEntryFactory(user=buyer, points=1000)
    sold_out = RewardFactory(stock=0)
    api = token_client(buyer)
    assert_error(api.post(f"/api/v1/rewards/{sold_out.pk}/redeem"), 404, "not_found")
    assert_error(api.post("/api/v1/rewards/999999/redeem"), 404, "not_found")
    assert not Redemption.objects.exists()


def test_anonymous_gets_401(db):
    reward = RewardFactory()
    client = Client()
    for response in (
        client.get("/api/v1/me/points"),
        client.get("/api/v1/me/badges"),
        client.get("/api/v1/rewards"),
        client.post(f"/api/v1/rewards/{reward.pk}/redeem"),
    ):
        assert response.status_code == 401
