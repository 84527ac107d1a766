"""Segment criteria counted exactly on a small built world."""

from datetime import timedelta

import pytest
from django.utils import timezone

from saypro.academy.models import Enrolment
from saypro.academy.tests.factories import build_course
from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.campaigns import segments, selectors
from saypro.catalog.models import Order
from saypro.catalog.tests.factories import (
    CategoryFactory,
    MembershipFactory,
    OrderItemFactory,
    ProductFactory,
    StoreFactory,
    SubcategoryFactory,
)
from saypro.core.errors import ValidationFailed
from saypro.messaging.models import Wait
from saypro.messaging.tests.factories import ConversationFactory, MessageFactory, WaitFactory
from saypro.rewards.models import Badge, BadgeAward

NOW = timezone.now()


class World:
    """Four buyers, two stores (three sellers), one office person.

    - home › kitchen; fast store sells in kitchen, slow store in garden.
    - ana bought in kitchen and sent 3 messages in the last 10 days;
      ben bought in garden and sent 1 message 40 days ago;
      cleo ordered (cancelled, kitchen) and sent 6 messages this week;
      dan never ordered; he wrote the 14 messages that started the waits, 5 days ago.
    - fast store: 10 waits in 30 days, 9 answered on time (90 %); slow: 4, 1 on time (25 %).
    - fast's owner also bought in kitchen (both roles).
    """

    def __init__(self):
        self.home = CategoryFactory(name="Home")
        self.kitchen = SubcategoryFactory(name="Kitchen", parent=self.home)
        self.garden = SubcategoryFactory(name="Garden")
        self.fast, self.slow = StoreFactory(name="Fast"), StoreFactory(name="Slow")
        self.fast_owner = MembershipFactory(store=self.fast).user
        self.fast_agent = MembershipFactory(store=self.fast, role="agent").user
        self.slow_owner = MembershipFactory(store=self.slow).user
        self.kitchen_product = ProductFactory(store=self.fast, category=self.kitchen)
        self.garden_product = ProductFactory(store=self.slow, category=self.garden)
        self.ana, self.ben, self.cleo, self.dan = (UserFactory() for _ in range(4))
        self.staff = StaffFactory()
        self._order(self.ana, self.kitchen_product, days=5)
        self._order(self.ben, self.garden_product, days=50)
        self._order(self.cleo, self.kitchen_product, days=2, status=Order.Status.CANCELLED)
        self._order(self.fast_owner, self.kitchen_product, days=20)
        self._messages(self.ana, 3, days=10)
        self._messages(self.ben, 1, days=40)
        self._messages(self.cleo, 6, days=6)
        for index in range(10):
            self._wait(self.fast, on_time=index != 0)
        for index in range(4):
            self._wait(self.slow, on_time=index == 0)

    def _order(self, buyer, product, *, days, status=Order.Status.PLACED):
        OrderItemFactory(
            order__buyer=buyer,
            order__store=product.store,
            order__status=status,
            order__placed_at=NOW - timedelta(days=days),
            product=product,
        )

    def _messages(self, sender, count, *, days):
        conversation = ConversationFactory(buyer=sender, store=self.slow)
        for index in range(count):
            MessageFactory(
                conversation=conversation, created_at=NOW - timedelta(days=days, minutes=index)
            )

    def _wait(self, store, *, on_time):
        WaitFactory(
            conversation__store=store,
            conversation__buyer=self.dan,
            message__sender=self.dan,
            message__created_at=NOW - timedelta(days=5),
            started_at=NOW - timedelta(days=5),
            on_time=on_time,
        )


@pytest.fixture
def world(db):
    return World()


def matching(rules: dict) -> set:
    return set(selectors.audience(segments.clean_rules(rules), now=NOW))


def test_no_rules_is_everyone_active(world):
    UserFactory(is_active=False)
    assert selectors.audience_count({}, now=NOW) == 8


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("buyer", {"ana", "ben", "cleo", "fast_owner"}),
        ("seller", {"fast_owner", "fast_agent", "slow_owner"}),
        ("both", {"fast_owner"}),
    ],
)
def test_role(world, role, expected):
    assert matching({"role": {"role": role}}) == {getattr(world, name) for name in expected}


def test_activity_messages_and_orders_in_a_period(world):
    def rule(action, count, days):
        return matching({"activity": {"action": action, "count": count, "days": days}})

    # dan wrote the 14 messages that started the stores' waits, 5 days ago.
    assert rule("messages_at_least", 3, 30) == {world.ana, world.cleo, world.dan}
    assert rule("messages_at_least", 4, 30) == {world.cleo, world.dan}
    assert rule("messages_at_least", 1, 60) == {world.ana, world.ben, world.cleo, world.dan}
    assert rule("messages_at_least", 1, 20) == {world.cleo, world.dan, world.ana}
    assert rule("messages_at_most", 2, 30) == {
        world.ben,
        world.fast_owner,
        world.fast_agent,
        world.slow_owner,
        world.staff,
    }
    assert rule("orders_at_least", 1, 30) == {world.ana, world.cleo, world.fast_owner}
    assert rule("orders_at_least", 1, 3) == {world.cleo}


def test_category_subtree_bought_and_sold(world):
    home, kitchen = world.home.pk, world.kitchen.pk
    # Bought in home (or below): ana and the owner in kitchen; cleo's order was cancelled.
    assert matching({"category": {"category": home, "relation": "bought"}}) == {
        world.ana,
        world.fast_owner,
    }
    assert matching({"category": {"category": kitchen, "relation": "sells"}}) == {
        world.fast_owner,
        world.fast_agent,
    }
    assert matching({"category": {"category": world.garden.pk, "relation": "sells"}}) == {
        world.slow_owner
    }


def test_response_rate_bands(world):
    assert segments.store_response_rates(NOW) == {world.fast.pk: 0.9, world.slow.pk: 0.25}
    assert matching({"response_band": {"band": "80_95"}}) == {world.fast_owner, world.fast_agent}
    assert matching({"response_band": {"band": "under_50"}}) == {world.slow_owner}
    assert matching({"response_band": {"band": "95_up"}}) == set()


def test_waits_not_yet_due_or_needing_no_answer_are_not_counted(world):
    WaitFactory(
        conversation__store=world.slow,
        started_at=NOW - timedelta(hours=1),
        outcome=Wait.Outcome.OPEN,
        ended_at=None,
    )
    WaitFactory(conversation__store=world.slow, outcome=Wait.Outcome.NO_RESPONSE_NEEDED)
    assert segments.store_response_rates(NOW)[world.slow.pk] == 0.25


def test_rules_combine(world):
    rules = {
        "role": {"role": "buyer"},
        "activity": {"action": "messages_at_least", "count": 1, "days": 30},
    }
    assert matching(rules) == {world.ana, world.cleo}


def test_empty_rules_are_dropped_and_bad_ones_refused(world):
    assert segments.clean_rules({"role": {"role": ""}, "activity": {"action": ""}}) == {}
    with pytest.raises(ValidationFailed) as error:
        segments.clean_rules({"activity": {"action": "messages_at_least", "days": 30}})
    assert error.value.details == {"field": "activity-count"}
    with pytest.raises(ValidationFailed, match="not a segment criterion"):
        segments.clean_rules({"star_sign": {"sign": "leo"}})
    with pytest.raises(ValidationFailed, match="Badge: Select a valid choice"):
        segments.clean_rules({"badge": {"badge": "gold"}})
    with pytest.raises(ValidationFailed):
        segments.clean_rules({"role": {"role": "admin"}})


def test_badge_holders_and_those_without(world):
    fast_responder = Badge.objects.get(code="fast_responder")
    helpful = Badge.objects.get(code="helpful_reviewer")
    BadgeAward.objects.create(badge=fast_responder, store=world.fast, earned_at=NOW, count=20)
    BadgeAward.objects.create(badge=helpful, user=world.ana, earned_at=NOW, count=10)
    BadgeAward.objects.create(
        badge=helpful, user=world.ben, earned_at=NOW - timedelta(days=9), lost_at=NOW, count=9
    )

    assert matching({"badge": {"badge": fast_responder.pk, "holding": "has"}}) == {
        world.fast_owner,
        world.fast_agent,
    }
    assert matching({"badge": {"badge": helpful.pk}}) == {world.ana}  # "has" by default
    lacking = matching({"badge": {"badge": helpful.pk, "holding": "lacks"}})
    assert world.ana not in lacking and world.ben in lacking  # ben lost it
    assert segments.describe({"badge": {"badge": helpful.pk, "holding": "lacks"}}) == [
        "Does not hold the Helpful Reviewer badge"
    ]


def test_training_completed_or_not(world):
    course = build_course().course
    other = build_course(slug="other").course
    done = Enrolment.objects.create(user=world.fast_owner, course=course, completed_at=NOW)
    Enrolment.objects.create(user=world.fast_agent, course=course)  # enrolled, not finished
    Enrolment.objects.create(user=world.slow_owner, course=other, completed_at=NOW)

    sellers = {"role": {"role": "seller"}}
    assert matching({**sellers, "training": {"training": "completed"}}) == {
        world.fast_owner,
        world.slow_owner,
    }
    assert matching({**sellers, "training": {"training": "completed", "course": course.pk}}) == {
        done.user
    }
    assert matching({**sellers, "training": {"training": "not_completed"}}) == {world.fast_agent}
    with pytest.raises(ValidationFailed):
        segments.clean_rules({"training": {"training": "completed", "course": 999_999}})
