"""Demo points, badges and rewards: ``saypro.rewards.demo`` on the tiny demo marketplace."""

from datetime import UTC, datetime

import pytest

from saypro.catalog import demo as catalog_demo
from saypro.messaging.demo import load_demo_messaging
from saypro.reviews.demo import load_demo_reviews
from saypro.rewards import selectors
from saypro.rewards.demo import DEMO_REWARDS, load_demo_rewards
from saypro.rewards.models import PointsEntry, Redemption, Reward

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)


@pytest.fixture
def market(db):
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)
    load_demo_reviews(seed=1, now=NOW)
    load_demo_messaging(seed=1, now=NOW)


def test_points_rewards_and_a_redemption_once(market):
    report = load_demo_rewards(now=NOW)
    assert report.created
    earned = PointsEntry.objects.filter(reason=PointsEntry.Reason.EARNED)
    assert report.entries == earned.count() > 0
    assert {entry.rule.code for entry in earned} >= {"verified_review", "on_time_answer"}
    assert report.rewards == len(DEMO_REWARDS) == Reward.objects.count()
    redemption = Redemption.objects.get()
    assert redemption.reward.name == DEMO_REWARDS[0]["name"]
    assert redemption.user.email in report.redemption
    assert selectors.balance(redemption.user) >= 0

    again = load_demo_rewards(now=NOW)
    assert not again.created
    assert Redemption.objects.count() == 1 and earned.count() == report.entries
