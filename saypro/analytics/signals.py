"""Mark the store-days a domain change touches as dirty, in the change's own transaction,
and keep the active sellers (``ActiveSeller``) when memberships or people change.

Each raw row names the (store, local day) keys its KPIs count on (see
``rollups``); saving or deleting it marks those keys, and for rows whose
deciding time stamp can move (a review published later, a plan shipped) the
keys it had before the save too. After commit, ``tasks.refresh_rollups``
recomputes the marked store-days.
"""

from datetime import date

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from saypro.accounts.models import User
from saypro.analytics.periods import local_date
from saypro.analytics.rollups import PURCHASE_WINDOW, mark_dirty, refresh_active_sellers
from saypro.catalog.models import Order, StoreMembership
from saypro.catalog.signals import memberships_created
from saypro.improvements.models import Plan
from saypro.messaging.models import Conversation, Message, ProductCard, Wait
from saypro.reviews.models import Answer, Review

Key = tuple[int, date]


def _day(moment) -> date | None:
    return local_date(moment) if moment is not None else None


def _message_keys(message: Message) -> set[Key]:
    conversation = message.conversation
    return {
        (conversation.store_id, _day(message.created_at)),
        (conversation.store_id, _day(conversation.created_at)),
    }


def _card_keys(card: ProductCard) -> set[Key]:
    return _message_keys(card.message)


def _wait_keys(wait: Wait) -> set[Key]:
    return {(wait.conversation.store_id, _day(wait.started_at))}


def _conversation_keys(conversation: Conversation) -> set[Key]:
    return {(conversation.store_id, _day(conversation.created_at))}


def _review_keys(review: Review) -> set[Key]:
    return {(review.store_id, _day(review.published_at))}


def _answer_keys(answer: Answer) -> set[Key]:
    review = Review.objects.filter(pk=answer.review_id).values("store_id", "published_at").first()
    keys = {(answer.store_id, _day(answer.published_at))}
    if review:
        keys.add((review["store_id"], _day(review["published_at"])))
    return keys


def _plan_keys(plan: Plan) -> set[Key]:
    return {
        (plan.store_id, _day(plan.created_at)),
        (plan.store_id, _day(plan.shipped_at)),
        (plan.store_id, _day(plan.measured_at)),
    }


def _order_keys(order: Order) -> set[Key]:
    """The day it was placed (store activity), and the days of the conversations this order
    may have followed (purchase within 7 days)."""
    if order.placed_at is None:
        return set()
    started = Conversation.objects.filter(
        buyer_id=order.buyer_id,
        store_id=order.store_id,
        created_at__gte=order.placed_at - PURCHASE_WINDOW,
        created_at__lte=order.placed_at,
    ).values_list("created_at", flat=True)
    return {(order.store_id, _day(created_at)) for created_at in started} | {
        (order.store_id, _day(order.placed_at))
    }


KEYS = {
    Message: _message_keys,
    ProductCard: _card_keys,
    Wait: _wait_keys,
    Conversation: _conversation_keys,
    Review: _review_keys,
    Answer: _answer_keys,
    Plan: _plan_keys,
    Order: _order_keys,
}
# Rows whose deciding time stamps can change on save: their keys before the save count too.
MOVABLE = (Review, Answer, Plan, Order)


def _before(sender, instance, **kwargs) -> None:
    if instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).first()
    instance._analytics_old_keys = KEYS[sender](old) if old is not None else set()


def _changed(sender, instance, **kwargs) -> None:
    keys = KEYS[sender](instance) | getattr(instance, "_analytics_old_keys", set())
    mark_dirty(keys)


for model in KEYS:
    post_save.connect(_changed, sender=model, dispatch_uid=f"analytics-save-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"analytics-delete-{model.__name__}")
for model in MOVABLE:
    pre_save.connect(_before, sender=model, dispatch_uid=f"analytics-before-{model.__name__}")


@receiver(m2m_changed, sender=Plan.evidence.through, dispatch_uid="analytics-plan-evidence")
def _evidence_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, Plan):
        mark_dirty(_plan_keys(instance))


# Who counts as an active seller (``ActiveSeller``) moves with the memberships and with a
# person's active and staff flags, outside the store-days: refreshed for that person now.


@receiver(post_save, sender=StoreMembership, dispatch_uid="analytics-membership-saved")
@receiver(post_delete, sender=StoreMembership, dispatch_uid="analytics-membership-deleted")
def _membership_changed(sender, instance, **kwargs) -> None:
    refresh_active_sellers(user_ids=[instance.user_id])


@receiver(memberships_created, dispatch_uid="analytics-memberships-created")
def _memberships_created(sender, user_ids, **kwargs) -> None:
    refresh_active_sellers(user_ids=user_ids)


@receiver(post_save, sender=User, dispatch_uid="analytics-person-saved")
def _person_saved(sender, instance, created, update_fields, **kwargs) -> None:
    flags = {"is_active", "is_staff"}
    if created or (update_fields is not None and not flags & set(update_fields)):
        return  # a new person has no membership yet; a login only moves last_login
    refresh_active_sellers(user_ids=[instance.pk])
