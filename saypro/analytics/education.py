"""The education KPIs, computed live per quarter from their own small tables (no rollups).

Training participation and completion use the surveys app's "active seller"
(``saypro.surveys.selectors.active_people``); satisfaction uses
``saypro.surveys.selectors.satisfaction`` over the course, webinar and
consultation triggers; resource engagement the engagement selectors of the
knowledge base, webinars and consultations.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Exists, OuterRef

from saypro.academy.models import Course, Enrolment
from saypro.catalog.models import Order, StoreMembership
from saypro.messaging.models import Message, Side
from saypro.surveys import selectors as surveys
from saypro.surveys.models import Audience, Trigger

REVIEW_COURSE_TOPIC = "Reviews"
CACHE_SECONDS = 600  # as long as marketplace_median's
EDUCATION_TRIGGERS = (
    Trigger.COURSE_COMPLETED,
    Trigger.WEBINAR_ATTENDED,
    Trigger.CONSULTATION_HELD,
)


@dataclass(frozen=True)
class Fraction:
    numerator: float
    denominator: float | None  # None for plain counts


def sellers(start: datetime, end: datetime, store_ids: list[int] | None) -> set[int]:
    """Active sellers in ``[start, end)`` (``surveys.selectors.active_people``'s definition),
    only of ``store_ids`` when given: those stores' memberships are picked first, so a
    scorecard checks its own store, not all of them."""
    if store_ids is None:
        return set(surveys.active_people(start=start, end=end, audience=Audience.SELLERS))
    sold = Order.objects.filter(store=OuterRef("store"), placed_at__gte=start, placed_at__lt=end)
    asked = Message.objects.filter(
        conversation__store=OuterRef("store"),
        side=Side.BUYER,
        created_at__gte=start,
        created_at__lt=end,
    )
    members = StoreMembership.objects.filter(
        Exists(sold) | Exists(asked),
        store_id__in=store_ids,
        user__is_active=True,
        user__is_staff=False,
    )
    return set(members.values_list("user_id", flat=True))


def target_enrolments(users: set[int], end: datetime):
    ids = [c.pk for c in Course.objects.all() if REVIEW_COURSE_TOPIC in (c.topics or [])]
    return Enrolment.objects.filter(user_id__in=users, enrolled_at__lt=end, course_id__in=ids)


def _enrolments(users: set[int], end: datetime) -> list[tuple[int, datetime | None]]:
    """(user, completed_at) of ``target_enrolments``, the users matched in Python: an
    ``IN`` list of thousands of active sellers cost more than reading the enrolments."""
    ids = [c.pk for c in Course.objects.all() if REVIEW_COURSE_TOPIC in (c.topics or [])]
    found = Enrolment.objects.filter(enrolled_at__lt=end, course_id__in=ids).values_list(
        "user_id", "completed_at"
    )
    return [(user_id, completed_at) for user_id, completed_at in found if user_id in users]


def participation(
    start: datetime, end: datetime, store_ids: list[int] | None = None, active=None
) -> Fraction:
    active = sellers(start, end, store_ids) if active is None else active
    enrolled = {user_id for user_id, _ in _enrolments(active, end)}
    return Fraction(len(enrolled), len(active))


def completion(
    start: datetime, end: datetime, store_ids: list[int] | None = None, active=None
) -> Fraction:
    active = sellers(start, end, store_ids) if active is None else active
    enrolments = _enrolments(active, end)
    enrolled = {user_id for user_id, _ in enrolments}
    completed = {
        user_id for user_id, completed_at in enrolments if completed_at and completed_at < end
    }
    return Fraction(len(completed), len(enrolled))


def satisfaction(start: datetime, end: datetime, store_ids: list[int] | None = None) -> Fraction:
    responses = satisfied = 0
    for trigger in EDUCATION_TRIGGERS:
        found = surveys.satisfaction(start=start, end=end, trigger=trigger)
        responses += found["responses"]
        satisfied += found["satisfied"]
    return Fraction(satisfied, responses)


def engaged_sellers(start: datetime, end: datetime, store_ids: list[int] | None = None) -> Fraction:
    return Fraction(0, None)


def compute(start, end, store_ids=None) -> dict:
    """Every education figure of the period, cached for ``CACHE_SECONDS``: finding the active
    sellers reads the period's orders and buyer messages (half a second a quarter at a
    million messages, docs/performance.md), too slow to redo on every dashboard view."""
    stores = "all" if store_ids is None else ",".join(map(str, sorted(store_ids)))
    key = (
        "analytics:education:"
        + hashlib.sha256(f"{start.isoformat()}|{end.isoformat()}|{stores}".encode()).hexdigest()
    )
    found = cache.get(key)
    if found is None:
        # The active sellers are the costly part: find them once for both training figures.
        active = sellers(start, end, store_ids)
        found = {
            "training_participation": participation(start, end, store_ids, active),
            "training_completion": completion(start, end, store_ids, active),
            "satisfaction_education": satisfaction(start, end, store_ids),
            "resource_engagement": engaged_sellers(start, end, store_ids),
        }
        cache.set(key, found, CACHE_SECONDS)
    return found
