"""The education KPIs, computed live per period from their own small tables (no rollups).

Marketplace-wide, they are the education apps' own figures:

- training participation and completion: ``saypro.academy.selectors.participation``'s
  target figures (the same definitions) — active sellers
  (``saypro.surveys.selectors.active_people``) who have enrolled in / completed a course
  that ``counts_for_target`` before the period's end;
- satisfaction: ``saypro.surveys.selectors.satisfaction`` over the course, webinar and
  consultation triggers;
- resource engagement: the sellers who read the knowledge base, attended a webinar or held
  a consultation, each counted once (the union of the apps' seller selectors).

For one store or category, training is computed the same way for those stores' members;
satisfaction and resource engagement are marketplace-wide only (None when filtered).

The active sellers are read from the rollups when the period is whole marketplace-local
days (every KPI period is). Marketplace-wide over a whole quarter, or a quarter to date
with no activity on its later days (the dashboard's two quarters), they are that quarter's
``ActiveSeller`` rows. Otherwise a store is active when its ``StoreQuarter`` row less its
``StoreDay`` rows after the period (a whole quarter, or most of one from its start: the
quarter to date), or else its ``StoreDay`` rows of the period, count an order or a buyer
message; its members (active, not staff) are the active sellers.
Other periods read the raw orders and messages, as ``active_people`` does.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from saypro.academy.models import Course, Enrolment
from saypro.analytics.models import ActiveSeller, StoreDay, StoreQuarter
from saypro.analytics.periods import Quarter, local_date, local_midnight
from saypro.catalog.models import Order, StoreMembership
from saypro.consultations import selectors as consultations
from saypro.knowledge import selectors as knowledge
from saypro.messaging.models import Message, Side
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


ACTIVE = Q(orders__gt=0) | Q(buyer_messages__gt=0)


def active_stores(start: datetime, end: datetime) -> QuerySet | RawSQL | None:
    """The ids of the stores with an order or a buyer message in ``[start, end)``, from the
    rollups, as a subquery; None when the period is not whole local days."""
    first, last_end = local_date(start), local_date(end)
    if local_midnight(first) != start or local_midnight(last_end) != end or last_end <= first:
        return None
    last = last_end - timedelta(days=1)
    quarter = Quarter.of(first)
    from_start = first == quarter.first_day and last <= quarter.last_day
    if from_start and quarter.last_day - last <= last - first:  # the quarter (to date)
        return _quarter_minus_later_days(quarter, last)
    return StoreDay.objects.filter(day__gte=first, day__lte=last).filter(ACTIVE).values("store_id")


def _quarter_minus_later_days(quarter: Quarter, last: date) -> RawSQL:
    """Stores active in ``quarter`` up to ``last``: each quarter row's counts less those of
    its days after ``last`` (the counters add up, so this is exact). One join of the
    quarter's rows with the few later days, where a store-day subquery would probe the
    period's days once per store (~100 ms at 50,000 stores on PostgreSQL)."""
    sql = (
        f"SELECT q.store_id FROM {StoreQuarter._meta.db_table} q LEFT JOIN ("
        " SELECT store_id, SUM(orders) AS orders, SUM(buyer_messages) AS buyer_messages"
        f" FROM {StoreDay._meta.db_table} WHERE day > %s AND day <= %s GROUP BY store_id"
        ") later ON later.store_id = q.store_id"
        " WHERE q.quarter = %s AND (q.orders > COALESCE(later.orders, 0)"
        " OR q.buyer_messages > COALESCE(later.buyer_messages, 0))"
    )
    return RawSQL(sql, [last, quarter.last_day, quarter.first_day])


def kept_quarter(start: datetime, end: datetime) -> Quarter | None:
    """The quarter whose ``ActiveSeller`` rows are the active sellers of ``[start, end)``: a
    whole quarter, or one to date with no store activity on its later days (the dashboard's
    current quarter); else None."""
    first, last_end = local_date(start), local_date(end)
    quarter = Quarter.of(first)
    if (
        start != quarter.start
        or local_midnight(last_end) != end
        or not first < last_end <= quarter.last_day + timedelta(days=1)
    ):
        return None
    later = StoreDay.objects.filter(day__gte=last_end, day__lte=quarter.last_day).filter(ACTIVE)
    return None if later.exists() else quarter


def seller_ids(start: datetime, end: datetime, store_ids: list[int] | None) -> QuerySet:
    """Active sellers' ids as a queryset (see ``sellers``)."""
    quarter = kept_quarter(start, end) if store_ids is None else None
    if quarter is not None:
        return ActiveSeller.objects.filter(quarter=quarter.first_day).values("user_id")
    stores = active_stores(start, end)
    if stores is None:
        return _raw_seller_ids(start, end, store_ids)
    members = StoreMembership.objects.filter(
        store_id__in=stores, user__is_active=True, user__is_staff=False
    )
    if store_ids is not None:
        members = members.filter(store_id__in=store_ids)
    # Not the memberships' default ordering: DISTINCT would join the stores and sort by it.
    return members.order_by().values("user_id").distinct()


def sellers(start: datetime, end: datetime, store_ids: list[int] | None) -> set[int]:
    """Active sellers in ``[start, end)`` (``surveys.selectors.active_people``'s definition),
    of the given stores only when given."""
    return set(seller_ids(start, end, store_ids).values_list("user_id", flat=True))


def _raw_seller_ids(start: datetime, end: datetime, store_ids: list[int] | None) -> QuerySet:
    """Active sellers from the raw orders and messages (a period not of whole days)."""
    if store_ids is None:
        found = surveys.active_people(start=start, end=end, audience=Audience.SELLERS)
        return (
            StoreMembership.objects.filter(user_id__in=found)
            .order_by()
            .values("user_id")
            .distinct()
        )
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
    return members.order_by().values("user_id").distinct()


def target_enrolments(users, end: datetime):
    """Enrolments of ``users`` (everyone's with None) in a course that counts for the
    target, made before ``end``."""
    enrolments = Enrolment.objects.filter(enrolled_at__lt=end, course__counts_for_target=True)
    if users is not None:
        enrolments = enrolments.filter(user_id__in=users)
    return enrolments.exclude(course__status=Course.Status.DRAFT)


def _training(start, end, store_ids) -> tuple[Fraction, Fraction]:
    """As ``academy.selectors.participation``'s target figures (the same definitions), with
    the active sellers from the rollups."""
    active = seller_ids(start, end, store_ids)
    if store_ids is not None:
        # Some stores (a scorecard, a category): their active members, then their enrolments.
        users = set(active.values_list("user_id", flat=True))
        active_count = len(users)
        enrolments = target_enrolments(users, end)
        enrolled = set(enrolments.values_list("user_id", flat=True)) if users else set()
    else:
        # The marketplace: counted in SQL, and the enrolled active sellers found from the
        # (few) target enrolments, not from every active seller's.
        active_count = active.count()
        enrolled_for_target = target_enrolments(None, end).values("user_id")
        enrolled = set(
            active.filter(user_id__in=enrolled_for_target).values_list("user_id", flat=True)
        )
        enrolments = target_enrolments(enrolled, end)
    completed = (
        len(set(enrolments.filter(completed_at__lt=end).values_list("user_id", flat=True)))
        if enrolled
        else 0
    )
    return Fraction(len(enrolled), active_count), Fraction(completed, len(enrolled))


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
    """Every education KPI's ``Fraction`` for ``[start, end)``. Not cached: the active
    sellers come from the store rollups (a few milliseconds), not from the period's raw
    orders and buyer messages (docs/performance.md, "KPI dashboards")."""
    participation, completion = _training(start, end, store_ids)
    filtered = store_ids is not None
    return {
        "training_participation": participation,
        "training_completion": completion,
        "satisfaction_education": NOT_MEASURED if filtered else _satisfaction(start, end),
        "resource_engagement": NOT_MEASURED if filtered else _engagement(start, end),
    }
