"""Concurrent redemptions on PostgreSQL: the user-row lock keeps the balance from going
below zero, and the conditional stock update gives the last code once."""

import pytest

from saypro.accounts.tests.factories import UserFactory
from saypro.core.errors import Conflict
from saypro.core.testing import postgresql_only, run_at_once
from saypro.rewards import selectors, services
from saypro.rewards.models import Redemption, Reward
from saypro.rewards.tests.factories import EarnedEntryFactory, RewardFactory

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


def test_concurrent_redemptions_never_overdraw():
    person = UserFactory()
    EarnedEntryFactory(user=person, points=250)
    reward = RewardFactory(cost=100)
    results = run_at_once(
        [lambda: services.redeem_reward(user=person, reward=reward) for _ in range(4)]
    )
    redeemed = [r for r in results if isinstance(r, Redemption)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert (len(redeemed), len(refused)) == (2, 2)
    assert {error.code for error in refused} == {"insufficient_points"}
    assert selectors.balance(person) == 50


def test_the_last_code_goes_to_one_person():
    people = UserFactory.create_batch(3)
    for person in people:
        EarnedEntryFactory(user=person, points=100)
    reward = RewardFactory(cost=100, stock=1)
    results = run_at_once(
        [
            lambda person=person: services.redeem_reward(user=person, reward=reward)
            for person in people
        ]
    )
    assert len([r for r in results if isinstance(r, Redemption)]) == 1
    assert Reward.objects.get(pk=reward.pk).stock == 0
    assert sorted(selectors.balance(person) for person in people) == [0, 100, 100]
