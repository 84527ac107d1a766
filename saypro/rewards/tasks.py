"""Background work for points and badges. Tasks load rows by id, call a service, and are
safe to retry: the ledger's unique key and the one-current-award constraint make a second
run a no-op.

The ``*_hook`` tasks are enqueued after commit by messaging and reviews services; store
badge re-evaluation after an event is debounced: the first event schedules one run
``REWARDS_BADGE_DEBOUNCE_SECONDS`` later, and events until then join it.
"""

from django.conf import settings
from django.core.cache import cache
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from saypro.rewards import services


def _evaluate_store_later(store_id: int) -> None:
    delay = settings.REWARDS_BADGE_DEBOUNCE_SECONDS
    if delay <= 0:
        evaluate_store_badges(store_id)
    elif cache.add(f"rewards:evaluate-store:{store_id}", True, timeout=delay):
        evaluate_store_badges.schedule((store_id,), delay=delay)


@db_task()
def evaluate_store_badges(store_id: int) -> int:
    """Re-evaluate one store's badges; the number earned."""
    return services.evaluate_badges(store_ids=[store_id]).earned


@db_task()
def wait_closed(wait_id: int, store_id: int) -> int:
    """A buyer's wait ended (answered or no response needed): points, then the store's badges."""
    entries = services.award_for_wait(wait_id=wait_id)
    _evaluate_store_later(store_id)
    return len(entries)


@db_task()
def review_published(review_id: int) -> bool:
    """A review was published for the first time: the author's verified-review points."""
    return services.award_for_review(review_id=review_id) is not None


@db_task()
def review_answered(review_id: int, store_id: int) -> bool:
    """A store answered a review: the member's points, then the store's badges."""
    entry = services.award_for_answer(review_id=review_id)
    _evaluate_store_later(store_id)
    return entry is not None


@db_periodic_task(crontab(minute="40", hour="2"))
def evaluate_badges() -> int:
    """02:40 UTC every day: every badge for everyone (windows move even without events)."""
    return services.evaluate_badges().earned
