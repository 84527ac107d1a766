"""The education KPIs, computed live per period from their own small tables (no rollups).

Marketplace-wide, they are the education apps' own figures:

- training participation and completion: ``saypro.academy.selectors.participation`` —
  active sellers (``saypro.surveys.selectors.active_people``) who have enrolled in /
  completed a course that ``counts_for_target`` before the period's end;
- satisfaction: ``saypro.surveys.selectors.satisfaction`` over the course, webinar and
  consultation triggers;
- resource engagement: the sellers who read the knowledge base, attended a webinar or held
  a consultation, each counted once (the union of the apps' seller selectors).

For one store or category, training is computed the same way for those stores' members;
satisfaction and resource engagement are marketplace-wide only (None when filtered).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Exists, OuterRef

from saypro.academy import selectors as academy
from saypro.academy.models import Course, Enrolment
from saypro.analytics.periods import local_date
from saypro.catalog.models import Order, StoreMembership
from saypro.consultations import selectors as consultations
from saypro.knowledge import selectors as knowledge
from saypro.messaging.models import Message, Side
from saypro.surveys import selectors as surveys
from saypro.surveys.models import Audience, Trigger
from saypro.webinars import selectors as webinars

CACHE_SECONDS = 600  # as long as marketplace_median's
EDUCATION_TRIGGERS = (
    Trigger.COURSE_COMPLETED,
    Trigger.WEBINAR_ATTENDED,
    Trigger.CONSULTATION_HELD,
)
KEYS = (
    "training_participation",
    "training_completion",
    "satisfaction_education",
    "resource_engagement",
)


@dataclass(frozen=True)
class Fraction:
    numerator: float | None  # None: not measured for this filter
    denominator: float | None  # None for plain counts


NOT_MEASURED = Fraction(None, None)


def sellers(start: datetime, end: datetime, store_ids: list[int] | None) -> set[int]:
    """Active sellers in ``[start, end)`` (``surveys.selectors.active_people``'s definition),
    of the given stores only when given: those stores' memberships are picked first, so a
    scorecard checks its own store, not every store of the marketplace."""
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
    """Enrolments of ``users`` in a course that counts for the target, made before ``end``."""
    return Enrolment.objects.filter(
        user_id__in=users, enrolled_at__lt=end, course__counts_for_target=True
    ).exclude(course__status=Course.Status.DRAFT)


def _training(start, end, store_ids) -> tuple[Fraction, Fraction]:
    if store_ids is None:
        found = academy.participation(start, end)
        return (
            Fraction(found.target_enrolled, found.active_sellers),
            Fraction(found.target_completed, found.target_enrolled),
        )
    active = sellers(start, end, store_ids)
    enrolments = target_enrolments(active, end)
    enrolled = len(set(enrolments.values_list("user_id", flat=True)))
    completed = len(set(enrolments.filter(completed_at__lt=end).values_list("user_id", flat=True)))
    return Fraction(enrolled, len(active)), Fraction(completed, enrolled)


def _satisfaction(start, end) -> Fraction:
    responses = satisfied = 0
    for trigger in EDUCATION_TRIGGERS:
        found = surveys.satisfaction(start=start, end=end, trigger=trigger)
        responses += found["responses"]
        satisfied += found["satisfied"]
    return Fraction(satisfied, responses)


def _engagement(start, end) -> Fraction:
    # The knowledge base counts by marketplace day: [first day, day after the last).
    last_day = local_date(end - timedelta(microseconds=1))
    users = (
        set(knowledge.seller_readers(local_date(start), last_day + timedelta(days=1)))
        | set(webinars.sellers_attending(start, end))
        | set(consultations.sellers_consulted(start, end))
    )
    return Fraction(len(users), None)


def compute(start: datetime, end: datetime, store_ids: list[int] | None = None) -> dict:
    """Every education KPI's ``Fraction`` for ``[start, end)``, cached ``CACHE_SECONDS``:
    finding the active sellers reads the period's orders and buyer messages (half a second
    a quarter at a million messages, docs/performance.md), too slow for every page view."""
    stores = "all" if store_ids is None else ",".join(map(str, sorted(store_ids)))
    key = (
        "analytics:education:"
        + hashlib.sha256(f"{start.isoformat()}|{end.isoformat()}|{stores}".encode()).hexdigest()
    )
    found = cache.get(key)
    if found is None:
        participation, completion = _training(start, end, store_ids)
        filtered = store_ids is not None
        found = {
            "training_participation": participation,
            "training_completion": completion,
            "satisfaction_education": NOT_MEASURED if filtered else _satisfaction(start, end),
            "resource_engagement": NOT_MEASURED if filtered else _engagement(start, end),
        }
        cache.set(key, found, CACHE_SECONDS)
    return found
