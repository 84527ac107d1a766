import factory
from django.utils import timezone

from saypro.catalog.models import Order
from saypro.catalog.tests.factories import OrderFactory, OrderItemFactory
from saypro.reviews.models import RESPONSE_GOAL, Review


class DeliveredItemFactory(OrderItemFactory):
    """An order item of a delivered order: what a buyer may review."""

    order = factory.SubFactory(
        OrderFactory, status=Order.Status.DELIVERED, delivered_at=factory.LazyFunction(timezone.now)
    )


class ReviewFactory(factory.django.DjangoModelFactory):
    """A published review, written directly (bypasses the aggregates: use services for those)."""

    class Meta:
        model = Review

    order_item = factory.SubFactory(DeliveredItemFactory)
    product = factory.SelfAttribute("order_item.product")
    store = factory.SelfAttribute("order_item.order.store")
    author = factory.SelfAttribute("order_item.order.buyer")
    rating = 4
    body = "Good quality and it arrived quickly."
    status = Review.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    response_due_at = factory.LazyAttribute(lambda review: review.published_at + RESPONSE_GOAL)
