"""The education KPIs, computed live per period from their own small tables (no rollups).

Marketplace-wide, they are the education apps' own figures:

- training participation and completion: ``saypro.academy.selectors.participation`` —
  active sellers (``saypro.surveys.selectors.active_people``) who have enrolled in /
  completed a course that ``counts_for_target`` before the period's end;
- satisfaction: ``saypro.surveys.selectors.satisfaction`` over the course, webinar and
  consultation triggers;
- resource engagement: the knowledge base's seller readers + the webinars' sellers
  attending + the consultations' sellers holding one (``engagement`` of each app).

For one store or category, training is computed the same way for those stores' members;
satisfaction and resource engagement are marketplace-wide only (None when filtered).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from saypro.academy import selectors as academy
from saypro.academy.models import Course, Enrolment
from saypro.analytics.periods import local_date
from saypro.catalog.models import StoreMembership
from saypro.consultations import selectors as consultations
from saypro.knowledge import selectors as knowledge
from saypro.surveys import selectors as surveys
from saypro.surveys.models import Audience, Trigger
from saypro.webinars import selectors as webinars

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
    """Active sellers in ``[start, end)``, of the given stores only when given."""
    active = set(surveys.active_people(start=start, end=end, audience=Audience.SELLERS))
    if store_ids is not None:
        members = StoreMembership.objects.filter(store_id__in=store_ids).values_list(
            "user_id", flat=True
        )
        active &= set(members)
    return active


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
    uses = (
        knowledge.engagement(local_date(start), last_day + timedelta(days=1)).seller_readers
        + webinars.engagement(start, end).sellers_attending
        + consultations.engagement(start, end).sellers
    )
    return Fraction(uses, None)


def compute(start: datetime, end: datetime, store_ids: list[int] | None = None) -> dict:
    """Every education KPI's ``Fraction`` for ``[start, end)``."""
    participation, completion = _training(start, end, store_ids)
    filtered = store_ids is not None
    return {
        "training_participation": participation,
        "training_completion": completion,
        "satisfaction_education": NOT_MEASURED if filtered else _satisfaction(start, end),
        "resource_engagement": NOT_MEASURED if filtered else _engagement(start, end),
    }
