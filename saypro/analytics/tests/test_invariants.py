"""After any sequence of domain changes made through the services, the incrementally kept
rollups equal a rebuild from raw data."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.analytics import rollups
from saypro.analytics.tests.test_kpis import snapshot
from saypro.catalog import services as catalog
from saypro.catalog.models import StoreMembership
from saypro.catalog.tests.factories import MembershipFactory, ProductFactory, StoreFactory
from saypro.core.errors import ApplicationError
from saypro.messaging import services as messaging
from saypro.messaging.models import Conversation
from saypro.reviews import services as reviews
from saypro.reviews.models import Answer, Review
from saypro.reviews.tests.factories import DeliveredItemFactory

OPERATIONS = st.sampled_from(
    [
        "ask",
        "ask_about_product",
        "reply",
        "reply_with_card",
        "no_response_needed",
        "order",
        "review",
        "answer",
        "edit_review",
        "hide_review",
        "withdraw_answer",
        "join_team",
        "leave_team",
        "retire_agent",
        "refresh",
    ]
)


class Shop:
    def __init__(self) -> None:
        self.store = StoreFactory()
        self.product = ProductFactory(store=self.store, stock=1000)
        self.seller = MembershipFactory(store=self.store).user
        other = StoreFactory()
        ProductFactory(store=other)
        # A seller of another store, buying here: their activity is buyer activity.
        self.buyers = [UserFactory(), MembershipFactory(store=other).user]
        self.staff = StaffFactory()
        self.items = [
            DeliveredItemFactory(order__buyer=buyer, order__store=self.store, product=self.product)
            for buyer in self.buyers
            for _ in range(2)
        ]

    def run(self, operation: str, pick: int, hours: int) -> None:
        buyer = self.buyers[pick % len(self.buyers)]
        conversations = list(Conversation.objects.order_by("pk"))
        conversation = conversations[pick % len(conversations)] if conversations else None
        published = list(Review.objects.order_by("pk"))
        review = published[pick % len(published)] if published else None
        when = timezone.now() - timedelta(hours=hours)
        if operation == "ask":
            messaging.start_conversation(buyer, store_id=self.store.pk, text="Is it in stock?")
        elif operation == "ask_about_product":
            messaging.start_conversation(
                buyer, store_id=self.store.pk, product_id=self.product.pk, text="Which size?"
            )
        elif operation in ("reply", "reply_with_card") and conversation:
            messaging.send_message(
                self.seller,
                conversation,
                text="Yes, it is.",
                product_ids=[self.product.pk] if operation == "reply_with_card" else [],
            )
        elif operation == "no_response_needed" and conversation:
            messaging.no_response_needed(self.seller, conversation)
        elif operation == "order":
            catalog.place_order(buyer=buyer, lines=[catalog.OrderLine(self.product, 1)])
        elif operation == "review":
            unreviewed = [item for item in self.items if not hasattr(item, "review")]
            item = next((i for i in unreviewed if not Review.objects.filter(order_item=i)), None)
            if item:
                reviews.publish_review(
                    author=item.order.buyer,
                    order_item=item,
                    rating=1 + pick % 5,
                    body="It is fine, really.",
                    now=when,
                )
        elif operation == "answer" and review:
            reviews.answer_review(
                member=self.seller,
                review=review,
                body="Thank you for your review.",
                coach_score=pick % 101,
                now=max(timezone.now() - timedelta(hours=hours // 2), review.published_at),
            )
        elif operation == "edit_review" and review:
            reviews.edit_review(
                author=review.author, review=review, rating=1 + (pick + 2) % 5, body="Changed."
            )
        elif operation == "hide_review" and review:
            reviews.hide_review(moderator=self.staff, review=review, reason="Off topic.")
        elif operation == "withdraw_answer":
            answer = Answer.objects.filter(withdrawn_at=None).order_by("pk").first()
            if answer:
                reviews.withdraw_answer(member=self.seller, answer=answer)
        elif operation == "join_team":
            MembershipFactory(store=self.store)
        elif operation in ("leave_team", "retire_agent"):
            agents = StoreMembership.objects.filter(store=self.store).exclude(user=self.seller)
            agent = agents.order_by("-pk").first()
            if agent and operation == "leave_team":
                agent.delete()
            elif agent:
                agent.user.is_active = not agent.user.is_active
                agent.user.save(update_fields=["is_active"])
        elif operation == "refresh":
            rollups.refresh_dirty()


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(OPERATIONS, st.integers(0, 50), st.integers(0, 120)), min_size=1, max_size=14
    )
)
def test_incremental_rollups_equal_a_rebuild(steps):
    cache.clear()
    with transaction.atomic():
        shop = Shop()
        for operation, pick, hours in steps:
            try:
                with transaction.atomic():
                    shop.run(operation, pick, hours)
            except ApplicationError:
                pass  # a refused action changes nothing
        now = timezone.now()
        while rollups.refresh_dirty(now=now):
            pass
        incremental = snapshot()
        rollups.rebuild(restart=True, now=now)
        assert snapshot() == incremental
        transaction.set_rollback(True)
