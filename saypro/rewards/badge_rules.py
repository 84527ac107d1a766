"""The badge rule registry: how each kind of badge is measured.

A kind is one function that measures, over a window ending at ``now``, every
holder that has any case (or only the ones asked for), and returns
``{holder_id: Measure(rate, count)}``: store ids for store badges, user ids
for buyer badges. ``services.evaluate_badges`` compares each measure with the
badge's thresholds (``qualifies``). The office edits the thresholds; adding a
kind is one function decorated with ``@register``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Q

from saypro.academy.models import Course, Enrolment
from saypro.messaging.models import Wait
from saypro.reviews.models import RESPONSE_GOAL, HelpfulVote, Review


@dataclass(frozen=True)
class Measure:
    rate: float | None  # share of cases that went well, 0–1; None for count-only kinds
    count: int  # cases in the window


Measurer = Callable[..., dict[int, Measure]]


@dataclass(frozen=True)
class Kind:
    code: str
    audience: str  # "store", "buyer" or "seller", as Badge.Audience
    uses_rate: bool
    requirement: str  # "{rate}", "{count}" and "{days}" are filled from the badge
    measure: Measurer


KINDS: dict[str, Kind] = {}


def register(
    code: str, *, audience: str, uses_rate: bool, requirement: str
) -> Callable[[Measurer], Measurer]:
    def add(measure: Measurer) -> Measurer:
        KINDS[code] = Kind(
            code=code,
            audience=audience,
            uses_rate=uses_rate,
            requirement=requirement,
            measure=measure,
        )
        return measure

    return add


def qualifies(badge, measure: Measure | None) -> bool:
    """Whether a measure meets the badge's thresholds (no cases: never)."""
    if measure is None or measure.count < max(badge.min_count, 1):
        return False
    if badge.min_rate is None:
        return True
    return measure.rate is not None and measure.rate >= float(badge.min_rate)


def _rates(rows: Iterable[dict], key: str) -> dict[int, Measure]:
    return {
        row[key]: Measure(rate=row["good"] / row["total"], count=row["total"])
        for row in rows
        if row["total"]
    }


@register(
    "fast_responder",
    audience="store",
    uses_rate=True,
    requirement="{rate} of buyer messages answered within the response goal "
    "over {days} days (at least {count} messages).",
)
def fast_responder(
    *, window_days: int, now: datetime, holder_ids: list[int] | None = None
) -> dict[int, Measure]:
    """Buyer waits started in the window: the share answered by their due time.

    Counted: waits answered (on time or late) and waits still open past their
    due time (late). Not counted: waits closed as "no response needed", and
    open ones not yet due (the store still has time).
    """
    waits = Wait.objects.filter(
        started_at__gt=now - timedelta(days=window_days), started_at__lte=now
    ).filter(
        Q(outcome=Wait.Outcome.ANSWERED, ended_at__lte=now)
        | Q(outcome=Wait.Outcome.OPEN, due_at__lte=now)
    )
    if holder_ids is not None:
        waits = waits.filter(conversation__store_id__in=holder_ids)
    rows = waits.values(store_id=F("conversation__store_id")).annotate(
        total=Count("id"),
        good=Count("id", filter=Q(outcome=Wait.Outcome.ANSWERED, ended_at__lte=F("due_at"))),
    )
    return _rates(rows, "store_id")


@register(
    "review_champion",
    audience="store",
    uses_rate=True,
    requirement="{rate} of reviews answered within 48 hours over {days} days "
    "(at least {count} reviews).",
)
def review_champion(
    *, window_days: int, now: datetime, holder_ids: list[int] | None = None
) -> dict[int, Measure]:
    """Reviews published in the window: the share answered within the 48-hour goal.

    Counted: published reviews that are answered or whose 48 hours are over.
    A withdrawn answer does not count as an answer.
    """
    reviews = Review.objects.filter(
        status=Review.Status.PUBLISHED,
        published_at__gt=now - timedelta(days=window_days),
        published_at__lte=now,
    ).filter(Q(is_answered=True) | Q(response_due_at__lte=now))
    if holder_ids is not None:
        reviews = reviews.filter(store_id__in=holder_ids)
    rows = reviews.values("store_id").annotate(
        total=Count("id"),
        good=Count(
            "id",
            filter=Q(
                is_answered=True,
                answer__withdrawn_at__isnull=True,
                answer__response_time__lte=RESPONSE_GOAL,
            ),
        ),
    )
    return _rates(rows, "store_id")


@register(
    "helpful_reviewer",
    audience="buyer",
    uses_rate=False,
    requirement="At least {count} helpful votes on your reviews in {days} days.",
)
def helpful_reviewer(
    *, window_days: int, now: datetime, holder_ids: list[int] | None = None
) -> dict[int, Measure]:
    """Helpful votes given in the window to the buyer's published reviews."""
    votes = HelpfulVote.objects.filter(
        created_at__gt=now - timedelta(days=window_days),
        created_at__lte=now,
        review__status=Review.Status.PUBLISHED,
    )
    if holder_ids is not None:
        votes = votes.filter(review__author_id__in=holder_ids)
    rows = votes.values(author_id=F("review__author_id")).annotate(total=Count("id"))
    return {row["author_id"]: Measure(rate=None, count=row["total"]) for row in rows}


@register(
    "academy_graduate",
    audience="seller",
    uses_rate=False,
    requirement="Completed {count} Seller Academy courses in {days} days.",
)
def academy_graduate(
    *, window_days: int, now: datetime, holder_ids: list[int] | None = None
) -> dict[int, Measure]:
    """Published Seller Academy courses each person completed in the window."""
    done = Enrolment.objects.filter(
        completed_at__gt=now - timedelta(days=window_days),
        completed_at__lte=now,
        course__status=Course.Status.PUBLISHED,
    )
    if holder_ids is not None:
        done = done.filter(user_id__in=holder_ids)
    rows = done.values("user_id").annotate(total=Count("id"))
    return {row["user_id"]: Measure(rate=None, count=row["total"]) for row in rows}
