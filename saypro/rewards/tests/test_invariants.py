"""The ledger's invariant under any sequence of earnings and redemptions: the balance is the
sum of the ledger and never negative, and one source never pays twice."""

import contextlib

import pytest
from django.contrib.contenttypes.models import ContentType
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saypro.accounts.tests.factories import UserFactory
from saypro.core.errors import Conflict
from saypro.rewards import selectors, services
from saypro.rewards.models import EarningRule, PointsEntry
from saypro.rewards.tests.factories import RewardFactory

COSTS = (5, 10, 25, 60)
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("earn"), st.integers(min_value=0, max_value=5)),
        st.tuples(st.just("redeem"), st.sampled_from(COSTS)),
    ),
    max_size=30,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=ACTIONS)
def test_balance_is_the_sum_of_the_ledger_and_never_negative(actions):
    EarningRule.objects.filter(code="verified_review").update(points=10, daily_cap=None)
    person = UserFactory()
    rewards = {cost: RewardFactory(cost=cost) for cost in COSTS}
    sources = list(ContentType.objects.order_by("pk")[:6])
    paid_sources = set()
    for action, value in actions:
        if action == "earn":
            entry = services.award_points(
                user_id=person.pk, rule_code="verified_review", source=sources[value], note="Test"
            )
            assert (entry is None) == (value in paid_sources)
            paid_sources.add(value)
        else:
            before = selectors.balance(person)
            with contextlib.suppress(Conflict):  # not enough points: refused, nothing written
                services.redeem_reward(user=person, reward=rewards[value])
            assert selectors.balance(person) == (before - value if before >= value else before)
        points = list(PointsEntry.objects.filter(user=person).values_list("points", flat=True))
        assert selectors.balance(person) == sum(points) >= 0
