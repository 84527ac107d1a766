"""The seller scorecard on the Seller Center home: the store's own KPIs for the quarter to date
against the target and the marketplace median, and what to do next.

It reads the rollups only: the store's ``StoreDay`` rows of this quarter and the last
(``selectors.kpi_values``: two queries) and the medians (``selectors.marketplace_median``:
one ``MarketplaceMedian`` row each). The next steps are chosen from those numbers.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from saypro.academy.models import Signal
from saypro.academy.selectors import Recommendation
from saypro.analytics import selectors
from saypro.analytics.figures import rounded
from saypro.analytics.forecast import AT_RISK, MISSED, OFF_TRACK
from saypro.analytics.kpis import UP, Kpi
from saypro.analytics.periods import Quarter
from saypro.catalog.models import Store

KEYS = (
    "response_within_24h",
    "first_response_median",
    "review_response_48h",
    "negative_review_response_48h",
    "coach_score_average",
    "average_rating",
    "message_to_purchase",
    "messaging_interactions",
)
# The labels are the office's; on the seller's own page a shorter, plainer one reads better.
SHORT_LABELS = {
    "response_within_24h": "Buyers answered within 24 h",
    "first_response_median": "Median first response",
    "review_response_48h": "Reviews answered within 48 h",
    "negative_review_response_48h": "Negative reviews answered within 48 h",
    "coach_score_average": "Coach score of your answers",
    "average_rating": "Average rating",
    "message_to_purchase": "Conversations → purchase",
    "messaging_interactions": "Messages",
}
MESSAGING = ("response_within_24h", "first_response_median")
REVIEWS = ("review_response_48h", "negative_review_response_48h")
COACH = ("coach_score_average",)
BEHIND = {AT_RISK, OFF_TRACK, MISSED}
# The Academy's recommendation signals that speak to each lagging area.
COURSE_SIGNALS = {
    MESSAGING: {Signal.SLOW_MESSAGE_REPLIES, Signal.ABANDONED_CONVERSATIONS},
    REVIEWS: {Signal.LATE_REVIEW_ANSWERS, Signal.UNANSWERED_NEGATIVE_REVIEWS},
    COACH: {Signal.LOW_COACH_SCORES},
}


@dataclass(frozen=True)
class Line:
    kpi: Kpi
    label: str
    value: float | None
    target: float | None
    median: float | None
    status: str | None
    status_label: str
    # True / False: better / worse than the median store; None when either is missing.
    above_median: bool | None

    @property
    def key(self) -> str:
        return self.kpi.key

    @property
    def behind(self) -> bool:
        """Off or at risk against the target, or worse than the median store."""
        return self.status in BEHIND or self.above_median is False


@dataclass(frozen=True)
class Scorecard:
    quarter: Quarter
    lines: list[Line]

    def line(self, key: str) -> Line:
        return next(line for line in self.lines if line.key == key)

    def _first_behind(self, keys) -> Line | None:
        return next((self.line(key) for key in keys if self.line(key).behind), None)

    @property
    def inbox_reason(self) -> Line | None:
        """The messaging figure that lags (None: the inbox is not a next step)."""
        return self._first_behind(MESSAGING)

    @property
    def reviews_reason(self) -> Line | None:
        """The review figure that lags (None: the review queue is not a next step)."""
        return self._first_behind(REVIEWS)

    @property
    def needs_inbox(self) -> bool:
        return self.inbox_reason is not None

    @property
    def needs_reviews(self) -> bool:
        return self.reviews_reason is not None

    @property
    def needs_course(self) -> bool:
        return any(self._first_behind(keys) for keys in COURSE_SIGNALS)

    def next_course(self, recommendations: list[Recommendation]) -> Recommendation | None:
        """The Academy's recommendation for what lags: the first one whose course answers a
        lagging area's signals, else the Academy's first; None when nothing lags."""
        wanted = set().union(
            *(signals for keys, signals in COURSE_SIGNALS.items() if self._first_behind(keys))
        )
        if not wanted or not recommendations:
            return None
        return next(
            (found for found in recommendations if wanted & set(found.course.signals)),
            recommendations[0],
        )

    @property
    def has_figures(self) -> bool:
        """Something happened this quarter (a count of 0 is no figure, a rate of 0 % is)."""
        return any(
            line.value if line.kpi.kind == "count" else line.value is not None
            for line in self.lines
        )


def _above(kpi: Kpi, value: float | None, median: float | None) -> bool | None:
    if value is None or median is None or value == median:
        return None
    return (value > median) == (kpi.better == UP)


def scorecard(store: Store, *, as_of: datetime | None = None) -> Scorecard:
    """The store's scorecard for the quarter of ``as_of`` (default now), to date."""
    as_of = as_of or timezone.now()
    quarter = Quarter.of(as_of)
    lines = []
    for found in selectors.kpi_values(quarter, as_of=as_of, store_id=store.pk, keys=list(KEYS)):
        kpi = found.kpi
        median = rounded(kpi, selectors.marketplace_median(kpi.key, quarter))
        value = rounded(kpi, found.value)
        lines.append(
            Line(
                kpi=kpi,
                label=SHORT_LABELS[kpi.key],
                value=value,
                target=rounded(kpi, found.target),
                median=median,
                status=found.status,
                status_label=found.status_label,
                above_median=_above(kpi, value, median),
            )
        )
    return Scorecard(quarter, lines)
