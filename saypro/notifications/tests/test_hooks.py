"""Reviews call ``notify``: a published review, an answer, the 48-hour deadline flags.

(Messaging's hooks are in test_services.py; the rising-issue one in insights' tests; order
updates in catalog's test_services.py.)
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from saypro.notifications.models import Notification
from saypro.reviews import services
from saypro.reviews.tests.factories import DeliveredItemFactory

NOW = timezone.now()


@pytest.fixture
def review(buyer, product, seller, agent):
    item = DeliveredItemFactory(order__buyer=buyer, order__store=product.store, product=product)
    return services.publish_review(
        author=buyer, order_item=item, rating=2, body="The seams came apart.", now=NOW
    )


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("type", flat=True))


def test_a_published_review_tells_every_store_member(review, seller, agent, buyer):
    for member in (seller, agent):
        notification = Notification.objects.get(recipient=member)
        assert notification.type == "review.new" and notification.subject == review
        assert notification.link == f"/seller/{review.store.slug}/reviews/{review.pk}/"
        assert notification.text == "New ★★ review of Linen shirt: answer within 48 hours"
    assert kinds(buyer) == []


def test_a_held_review_tells_nobody_until_it_is_published(buyer, product, seller, staff):
    item = DeliveredItemFactory(order__buyer=buyer, order__store=product.store, product=product)
    held = services.publish_review(
        author=buyer, order_item=item, rating=1, body="Call me on 082 555 1234", now=NOW
    )
    if held.is_published:
        pytest.skip("this text is not held by the moderation rules")
    assert kinds(seller) == []
    services.restore_review(moderator=staff, review=held, reason="Fine")
    assert kinds(seller) == ["review.new"]


def test_an_answer_tells_the_reviews_author(review, seller, buyer):
    services.answer_review(member=seller, review=review, body="Sorry! We will replace it.")
    notification = Notification.objects.get(recipient=buyer)
    assert notification.type == "review.answered"
    assert notification.text == "Cape Linen Co answered your review of Linen shirt"
    assert notification.link == review.product.get_absolute_url() + f"#review-{review.pk}"


def test_deadline_flags_tell_the_store_once_per_state(review, seller):
    services.flag_response_deadlines(now=NOW + timedelta(hours=37))
    services.flag_response_deadlines(now=NOW + timedelta(hours=38))
    assert sorted(kinds(seller)) == ["review.answer_due", "review.new"]
    services.flag_response_deadlines(now=NOW + timedelta(hours=49))
    services.flag_response_deadlines(now=NOW + timedelta(hours=50))
    assert sorted(kinds(seller)) == ["review.answer_due", "review.new", "review.overdue"]


def test_many_reviews_due_at_once_make_one_notification_per_store(buyer, product, seller):
    for _ in range(3):
        item = DeliveredItemFactory(order__buyer=buyer, order__store=product.store, product=product)
        services.publish_review(author=buyer, order_item=item, rating=4, body="Fine.", now=NOW)
    services.flag_response_deadlines(now=NOW + timedelta(hours=37))
    due = Notification.objects.get(recipient=seller, type="review.answer_due")
    assert due.text == "Answer due: 3 reviews have 12 hours or less left"
    assert due.subject == product.store
    assert due.link == f"/seller/{product.store.slug}/reviews/"
