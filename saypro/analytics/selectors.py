"""The KPI API for the dashboards, scorecards and reports (documented in docs/kpis.md).

Rollup KPIs read the per-day rows only: ``MarketplaceDay`` for the whole
marketplace, ``CategoryDay`` for a category, ``StoreDay`` for one store — at
most ~92 rows per quarter — and sum them in Python. Stores against each other
(rankings, medians) read ``StoreQuarter`` / ``MarketplaceMedian`` for a whole
quarter. Education KPIs are computed live from their own tables, the active
sellers from the store rollups (``education``).

``as_of`` (an aware datetime, default now) cuts the quarter at the end of its
marketplace-local day: "quarter to date". Past quarters are complete (``is_over``):
their figures are final.
"""

import heapq
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from django.db import transaction
from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from saypro.analytics import education, figures, histogram
from saypro.analytics import forecast as forecasting
from saypro.analytics.kpis import CHANGE, KPIS, PERCENT, Kpi, get
from saypro.analytics.models import (
    COUNTER_FIELDS,
    CategoryDay,
    MarketplaceDay,
    MarketplaceMedian,
    StoreDay,
    StoreQuarter,
    Target,
)
from saypro.analytics.periods import Month, Quarter, local_date
from saypro.analytics.rollups import (
    ABANDONED_AFTER,
    NEGATIVE_MAX_RATING,
    POSITIVE_VERDICT,
    PURCHASE_WINDOW,
    RESPONSE_WINDOW,
    store_categories,
)
from saypro.catalog.models import Order, Store
from saypro.improvements.models import Plan
from saypro.messaging.models import Conversation, Message, ProductCard, Wait
from saypro.reviews.models import RESPONSE_GOAL, Answer, Review

# Stores need this many in the denominator (or answered waits) to be ranked or in the median.
MIN_DENOMINATOR = 5
# A store row with every KPI counter at 0 holds only store activity (orders, buyer messages):
# no figures, so not ranked, as if it did not exist.
NO_KPI_DATA = Q(**dict.fromkeys(COUNTER_FIELDS, 0))
PERCENTILE_COLUMNS = {0.5: "response_p50_minutes", 0.9: "response_p90_minutes"}
# Each quarter's top and bottom this many stores per KPI are kept with its median.
KEPT_RANKS = 10


@dataclass(frozen=True)
class KpiValue:
    kpi: Kpi
    value: float | None
    numerator: float | None
    denominator: float | None
    previous: float | None  # last quarter's (complete) value
    change: float | None  # value − previous, in the KPI's unit (percentage points for percents)
    change_percent: float | None  # (value − previous) ÷ previous × 100
    target: float | None  # the level to reach, in the KPI's unit (change targets resolved)
    target_setting: float | None  # as set: a level, or the % change for change targets
    forecast: float | None
    forecast_low: float | None
    forecast_high: float | None
    # "on_track" / "at_risk" / "off_track" while the period runs, "met" / "missed" once it is
    # over; None without a target
    status: str | None
    sparkline: list[float | None] = field(default_factory=list)  # weekly values
    over: bool = False  # the period has ended: the value is final

    @property
    def status_label(self) -> str:
        return forecasting.STATUS_LABELS.get(self.status, "No target")

    @property
    def comparable(self) -> bool:
        return figures.comparable(self.kpi, over=self.over)


@dataclass(frozen=True)
class Funnel:
    inquiries: int
    replied: int
    purchased_within_7_days: int


@dataclass(frozen=True)
class StoreRank:
    store_id: int
    store_name: str
    value: float
    numerator: float | None
    denominator: float | None


# --- Summing the rollups -----------------------------------------------------------------------


class Totals:
    """Counters and the first-response histogram summed over a set of days.

    The histogram (up to ~3,500 buckets a day) is summed only when asked for,
    as dense numpy arrays (``array``); the percentiles and bands are read off
    the array. Category and marketplace rows are read packed (``histogram.pack``),
    not as JSON: decoding it was most of a dashboard's time at millions of
    messages (docs/performance.md).
    """

    def __init__(self) -> None:
        self.counters: Counter = Counter()
        self._rows: list[dict] = []
        self._array: np.ndarray | None = None

    def add(self, row: dict) -> None:
        for name in COUNTER_FIELDS:
            self.counters[name] += row[name]
        self._rows.append(row)

    @property
    def array(self) -> np.ndarray:
        if self._array is None:
            summed = np.zeros(histogram.OVERFLOW + 1, dtype=np.int64)
            for row in self._rows:
                summed += _histogram_array(row)
            self._array = summed
        return self._array

    @property
    def histogram(self) -> Counter:
        buckets = np.flatnonzero(self.array)
        return Counter(dict(zip(buckets.tolist(), self.array[buckets].tolist(), strict=True)))

    @property
    def answered(self) -> int:
        return int(self.array.sum())

    def __getitem__(self, name: str) -> int:
        return self.counters[name]


def _histogram_array(row: dict) -> np.ndarray:
    """A day row's histogram as a dense array (made once per row and kept on it)."""
    found = row.get("_histogram_array")
    if found is None:
        blob = row.get("response_blob")
        if blob:
            found = histogram.unpack(blob)
        else:
            found = histogram.array_of(row.get("response_histogram") or {})
        row["_histogram_array"] = found
    return found


class DayRows(dict):
    """Day → row, with each day range's ``Totals`` kept once computed (every KPI of a call
    sums the same ranges: the quarter to date, last quarter, the weeks)."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.totals: dict[tuple[date, date], Totals] = {}


def _rows(
    first: date, last: date, *, category_id=None, store_id=None, with_histogram: bool = True
) -> DayRows:
    if store_id is not None:
        rows = StoreDay.objects.filter(store_id=store_id)
        if category_id is not None:
            rows = rows.filter(category_id=category_id)
    elif category_id is not None:
        rows = CategoryDay.objects.filter(category_id=category_id)
    else:
        rows = MarketplaceDay.objects.all()
    rows = rows.filter(day__gte=first, day__lte=last)
    # The histogram is the bulk of a row: read it only where a figure needs it, and packed
    # where it is kept packed (the JSON only of rows not packed yet).
    packed = store_id is None
    fields = ["day", *COUNTER_FIELDS]
    if with_histogram:
        fields.append("response_blob" if packed else "response_histogram")
    found = DayRows((row["day"], row) for row in rows.values(*fields))
    unpacked = [
        day for day, row in found.items() if packed and with_histogram and not row["response_blob"]
    ]
    if unpacked:
        for day, counts in rows.filter(day__in=unpacked).values_list("day", "response_histogram"):
            found[day]["response_histogram"] = counts
    return found


def _total(rows: dict[date, dict], first: date, last: date) -> Totals:
    cache = getattr(rows, "totals", {})
    if (first, last) in cache:
        return cache[(first, last)]
    totals = Totals()
    for day, row in rows.items():
        if first <= day <= last:
            totals.add(row)
    cache[(first, last)] = totals
    return totals


def is_over(period: Quarter | Month, as_of: datetime | None = None) -> bool:
    """Whether the period has ended by ``as_of`` (default now): its last local day is past."""
    return local_date(as_of or timezone.now()) > period.last_day


def _last_day(quarter: Quarter, as_of: datetime | None) -> date:
    as_of = as_of or timezone.now()
    return min(quarter.last_day, local_date(as_of))


def _value(kpi: Kpi, totals: Totals) -> tuple[float | None, float | None, float | None]:
    """(value, numerator, denominator) of a rollup KPI."""
    if kpi.kind == "count":
        total = totals[kpi.numerator]
        return float(total), float(total), None
    if kpi.kind in ("ratio", "mean"):
        numerator, denominator = totals[kpi.numerator], totals[kpi.denominator]
        if not denominator:
            return None, float(numerator), float(denominator)
        scale = 100.0 if kpi.unit == PERCENT else 1.0
        return numerator / denominator * scale, float(numerator), float(denominator)
    minutes = histogram.array_percentile_minutes(totals.array, kpi.share)
    return (None if minutes is None else minutes / 60), None, float(totals.answered)


def _education(kpi: Kpi, found: dict) -> tuple:
    """(value, numerator, denominator) of an education KPI from ``education.compute``."""
    fraction = found[kpi.key]
    if fraction.numerator is None:
        return None, None, None
    if fraction.denominator is None:
        return float(fraction.numerator), float(fraction.numerator), None
    if not fraction.denominator:
        return None, float(fraction.numerator), 0.0
    return (
        fraction.numerator / fraction.denominator * 100,
        float(fraction.numerator),
        float(fraction.denominator),
    )


class _Education:
    """Each period's education figures computed once per call (they share the active sellers)."""

    def __init__(self, store_ids) -> None:
        self.store_ids = store_ids
        self.found: dict = {}

    def __call__(self, start: datetime, end: datetime) -> dict:
        if (start, end) not in self.found:
            self.found[(start, end)] = education.compute(start, end, self.store_ids)
        return self.found[(start, end)]


def _weeks(quarter: Quarter, last: date) -> list[tuple[date, date]]:
    weeks, start = [], quarter.first_day
    while start <= last:
        weeks.append((start, min(start + timedelta(days=6), quarter.last_day, last)))
        start += timedelta(days=7)
    return weeks


def _store_ids(category_id, store_id) -> list[int] | None:
    if store_id is not None:
        return [store_id]
    if category_id is not None:
        return [s for s, c in store_categories().items() if c == category_id]
    return None


# --- Targets -----------------------------------------------------------------------------------


def target_setting(key: str, quarter: Quarter) -> float | None:
    """The target as set for the quarter (latest row wins), else the registry's default."""
    latest = (
        Target.objects.filter(kpi=key, quarter=quarter.key)
        .order_by("-set_at", "-pk")
        .values_list("value", flat=True)
        .first()
    )
    return latest if latest is not None else get(key).default_target


def target_settings(quarter: Quarter) -> dict[str, float | None]:
    """Every KPI's target in force for the quarter, in one query."""
    found: dict[str, float | None] = {kpi.key: kpi.default_target for kpi in KPIS}
    latest = Target.objects.filter(quarter=quarter.key).order_by("kpi", "set_at", "pk")
    for key, value in latest.values_list("kpi", "value"):
        if key in found:
            found[key] = value  # ordered oldest first: the last one seen wins
    return found


def target_history(key: str) -> QuerySet[Target]:
    """Every setting of the KPI's target, newest first (with who set it)."""
    get(key)
    return Target.objects.filter(kpi=key).select_related("set_by").order_by("-set_at", "-pk")


def _target_level(kpi: Kpi, setting: float | None, previous: float | None) -> float | None:
    if setting is None:
        return None
    if kpi.target_kind == CHANGE:
        # Growth over nothing is no target: with no previous value there is none.
        return figures.target_level(kpi, previous * (1 + setting / 100)) if previous else None
    return setting


# --- The KPI values ----------------------------------------------------------------------------


def period_target_settings(period: Quarter | Month) -> dict[str, float | None]:
    """The targets in force for a quarter, or for a month: its quarter's level targets. A
    growth target is quarter over quarter, so none applies to a month (None)."""
    if isinstance(period, Quarter):
        return target_settings(period)
    found = target_settings(period.quarter)
    return {key: None if get(key).target_kind == CHANGE else value for key, value in found.items()}


def kpi_values(
    quarter: Quarter | Month,
    *,
    as_of: datetime | None = None,
    category_id: int | None = None,
    store_id: int | None = None,
    keys: list[str] | None = None,
) -> list[KpiValue]:
    """Every KPI (or those in ``keys``) for the quarter to date, in registry order.

    A ``Month`` works the same way: month to date, against the month before, with
    ``period_target_settings``."""
    last = _last_day(quarter, as_of)
    before = quarter.previous()
    rows = _rows(before.first_day, quarter.last_day, category_id=category_id, store_id=store_id)
    kpis = [get(key) for key in keys] if keys else list(KPIS)
    computed = _Education(_store_ids(category_id, store_id))
    settings = period_target_settings(quarter)
    over = is_over(quarter, as_of)
    return [
        _kpi_value(kpi, quarter, last, rows, computed, settings[kpi.key], over=over) for kpi in kpis
    ]


def _kpi_value(kpi, quarter, last, rows, computed: _Education, setting, *, over) -> KpiValue:
    before = quarter.previous()
    length = len(quarter.days())
    elapsed = max(0, (last - quarter.first_day).days + 1)
    left_share = 1 - elapsed / length
    if kpi.source == "education":
        end = min(quarter.end, _end_of(last))
        value, numerator, denominator = (
            _education(kpi, computed(quarter.start, end)) if elapsed else (None, None, None)
        )
        previous = _education(kpi, computed(before.start, before.end))[0]
        if value is None and numerator is None:
            predicted = forecasting.NONE
        elif over:
            predicted = forecasting.final(value)
        elif kpi.unit == PERCENT:
            predicted = forecasting.rate(numerator or 0, denominator or 0, left_share)
        else:
            predicted = forecasting.count(value or 0, elapsed / length, None)
        sparkline: list[float | None] = []
    else:
        totals = _total(rows, quarter.first_day, last)
        value, numerator, denominator = _value(kpi, totals) if elapsed else (None, None, None)
        previous = _value(kpi, _total(rows, before.first_day, before.last_day))[0]
        predicted = (
            forecasting.final(value)
            if over
            else _forecast(kpi, totals, rows, quarter, elapsed, left_share)
        )
        sparkline = [_value(kpi, _total(rows, a, b))[0] for a, b in _weeks(quarter, last)]
    target = _target_level(kpi, setting, previous)
    change = None if value is None or previous is None else value - previous
    change_percent = None if change is None or not previous else change / previous * 100
    return KpiValue(
        kpi=kpi,
        value=value,
        numerator=numerator,
        denominator=denominator,
        previous=previous,
        change=change,
        change_percent=change_percent,
        target=target,
        target_setting=setting,
        forecast=predicted.value,
        forecast_low=predicted.low,
        forecast_high=predicted.high,
        status=forecasting.status(kpi.better, target, predicted, over=over),
        sparkline=sparkline,
        over=over,
    )


def _end_of(day: date) -> datetime:
    from saypro.analytics.periods import local_midnight

    return local_midnight(day + timedelta(days=1))


def _forecast(kpi, totals: Totals, rows, quarter: Quarter, elapsed: int, left_share: float):
    if not elapsed:
        return forecasting.NONE
    if kpi.kind == "count":
        before = quarter.previous()
        before_days = before.days()
        whole = sum(rows.get(day, {}).get(kpi.numerator, 0) for day in before_days)
        reached = sum(rows.get(day, {}).get(kpi.numerator, 0) for day in before_days[:elapsed])
        pace = reached / whole if whole else None
        return forecasting.count(totals[kpi.numerator], elapsed / len(quarter.days()), pace)
    if kpi.kind == "ratio":
        numerator, denominator = totals[kpi.numerator], totals[kpi.denominator]
        if kpi.unit == PERCENT:
            return forecasting.rate(numerator, denominator, left_share)
        return forecasting.ratio(numerator, denominator, left_share)
    if kpi.kind == "mean":
        return forecasting.mean(
            totals[kpi.numerator], totals[kpi.square], totals[kpi.denominator], left_share
        )
    n = totals.answered
    if not n:
        return forecasting.NONE
    spread = forecasting.Z * math.sqrt(n * kpi.share * (1 - kpi.share))
    value = histogram.array_percentile_minutes(totals.array, kpi.share)
    low = histogram.array_rank_minutes(totals.array, math.floor(n * kpi.share - spread))
    high = histogram.array_rank_minutes(totals.array, math.ceil(n * kpi.share + spread))
    return forecasting.percentile(value / 60, low / 60, high / 60, left_share)


def kpi_value(key: str, quarter: Quarter, **filters) -> KpiValue:
    return kpi_values(quarter, keys=[key], **filters)[0]


def weekly_series(
    key: str,
    quarter: Quarter,
    *,
    as_of: datetime | None = None,
    category_id: int | None = None,
    store_id: int | None = None,
) -> list[tuple[date, float | None]]:
    """(first day of the week, that week's value) for each week of the quarter to date.

    Weeks start on the quarter's first day; the last one may be shorter.
    """
    kpi = get(key)
    last = _last_day(quarter, as_of)
    weeks = _weeks(quarter, last)
    if kpi.source == "education":
        computed = _Education(_store_ids(category_id, store_id))
        return [
            (a, _education(kpi, computed(_end_of(a - timedelta(days=1)), _end_of(b)))[0])
            for a, b in weeks
        ]
    rows = _rows(
        quarter.first_day,
        last,
        category_id=category_id,
        store_id=store_id,
        with_histogram=kpi.kind == "percentile",
    )
    return [(a, _value(kpi, _total(rows, a, b))[0]) for a, b in weeks]


def response_time_distribution(
    quarter: Quarter,
    *,
    as_of: datetime | None = None,
    category_id: int | None = None,
    store_id: int | None = None,
) -> list[tuple[str, int]]:
    """(band label, answered waits) from "under 1 h" to "48 h or more"."""
    last = _last_day(quarter, as_of)
    rows = _rows(quarter.first_day, last, category_id=category_id, store_id=store_id)
    return histogram.array_bands(_total(rows, quarter.first_day, last).array)


def funnel(
    quarter: Quarter,
    *,
    as_of: datetime | None = None,
    category_id: int | None = None,
    store_id: int | None = None,
) -> Funnel:
    """Buyer-started conversations → those a store member replied to → of those, the ones
    followed by an order within 7 days."""
    last = _last_day(quarter, as_of)
    rows = _rows(
        quarter.first_day, last, category_id=category_id, store_id=store_id, with_histogram=False
    )
    totals = _total(rows, quarter.first_day, last)
    return Funnel(
        inquiries=totals["conversations_by_buyer"],
        replied=totals["inquiries_replied"],
        purchased_within_7_days=totals["inquiries_replied_purchased"],
    )


# --- Stores against each other -----------------------------------------------------------------


def _rank(kpi: Kpi, row: dict, name: str, minimum: int) -> StoreRank | None:
    """A store's rank entry from its summed counters over the period (``answered`` and
    ``minutes``, its percentile, for percentile KPIs); None when it does not qualify."""
    if kpi.kind == "percentile":
        answered = row["answered"]
        if answered < max(1, minimum) or row["minutes"] is None:
            return None
        return StoreRank(row["store_id"], name, row["minutes"] / 60, None, answered)
    numerator = row[kpi.numerator]
    if kpi.denominator:
        denominator = row[kpi.denominator] or 0
        if denominator < max(1, minimum):
            return None
        scale = 100.0 if kpi.unit == PERCENT else 1.0
        value = numerator / denominator * scale
        return StoreRank(row["store_id"], name, value, float(numerator), float(denominator))
    return StoreRank(row["store_id"], name, float(numerator), float(numerator), None)


def _fields(kpi: Kpi) -> list[str]:
    if kpi.kind == "percentile":
        return ["waits_answered", PERCENTILE_COLUMNS[kpi.share]]
    return [kpi.numerator, *([kpi.denominator] if kpi.denominator else [])]


def _quarter_row(kpi: Kpi, row: dict) -> dict:
    if kpi.kind == "percentile":
        minutes = row[PERCENTILE_COLUMNS[kpi.share]]
        row = {**row, "answered": row["waits_answered"], "minutes": minutes}
    return row


def _names(store_ids) -> dict[int, str]:
    return dict(Store.objects.filter(pk__in=list(store_ids)).values_list("pk", "name"))


def _from_quarter_rows(period, category_id) -> bool:
    """Whole-quarter figures over every store read ``StoreQuarter``; a month or one category
    (whose store-days keep the category they had) sums ``StoreDay`` rows."""
    return isinstance(period, Quarter) and category_id is None


def _store_values(kpi: Kpi, quarter: Quarter, category_id, minimum: int) -> list[StoreRank]:
    """Every qualifying store's value over the period (unsorted)."""
    if kpi.source == "education":
        raise ValueError(f"{kpi.label} is not kept per store.")
    if _from_quarter_rows(quarter, category_id):
        rows = StoreQuarter.objects.filter(quarter=quarter.first_day).exclude(NO_KPI_DATA)
        found = [_quarter_row(kpi, row) for row in rows.values("store_id", *_fields(kpi))]
    else:
        found = _day_sums(kpi, quarter, category_id)
    ranks = [_rank(kpi, row, "", minimum) for row in found]
    ranks = [rank for rank in ranks if rank is not None]
    names = _names(rank.store_id for rank in ranks)
    return [
        StoreRank(r.store_id, names.get(r.store_id, ""), r.value, r.numerator, r.denominator)
        for r in ranks
    ]


def _day_sums(kpi: Kpi, period, category_id) -> list[dict]:
    """Each store's summed counters over the period's ``StoreDay`` rows (percentiles from the
    summed histograms)."""
    rows = StoreDay.objects.filter(day__gte=period.first_day, day__lte=period.last_day).exclude(
        NO_KPI_DATA
    )
    if category_id is not None:
        rows = rows.filter(category_id=category_id)
    if kpi.kind == "percentile":
        per_store: dict[int, Counter] = {}
        for store_id, found in rows.values_list("store_id", "response_histogram"):
            histogram.add(per_store.setdefault(store_id, Counter()), found or {})
        return [
            {
                "store_id": store_id,
                "answered": sum(counts.values()),
                "minutes": histogram.percentile_minutes(counts, kpi.share),
            }
            for store_id, counts in per_store.items()
        ]
    fields = _fields(kpi)
    return list(rows.values("store_id").annotate(**{name: Sum(name) for name in fields}))


def _ordered(kpi: Kpi, quarter: Quarter, *, worst: bool, limit: int, minimum: int):
    """The first ``limit`` stores of the quarter, best (or worst) first, sorted and cut in
    SQL on ``StoreQuarter`` (ties by store id, as the Python sort does)."""
    rows = StoreQuarter.objects.filter(quarter=quarter.first_day)
    if kpi.kind == "percentile":
        rows = rows.filter(waits_answered__gte=max(1, minimum))
        order = F(PERCENTILE_COLUMNS[kpi.share])
    elif kpi.denominator:
        rows = rows.filter(**{f"{kpi.denominator}__gte": max(1, minimum)})
        scale = 100.0 if kpi.unit == PERCENT else 1.0
        # The same double arithmetic as _rank's numerator / denominator * scale.
        order = ExpressionWrapper(
            Cast(kpi.numerator, FloatField()) / F(kpi.denominator) * scale,
            output_field=FloatField(),
        )
    else:
        rows = rows.exclude(NO_KPI_DATA)
        order = F(kpi.numerator)
    descending = (kpi.better == "up") != worst
    rows = rows.annotate(rank_value=order).order_by(
        order.desc() if descending else order.asc(), "store_id"
    )
    found = [_quarter_row(kpi, row) for row in rows.values("store_id", *_fields(kpi))[:limit]]
    names = _names(row["store_id"] for row in found)
    return [_rank(kpi, row, names.get(row["store_id"], ""), minimum) for row in found]


def store_ranking(
    key: str,
    quarter: Quarter,
    *,
    limit: int = 10,
    worst: bool = False,
    category_id: int | None = None,
    minimum: int = MIN_DENOMINATOR,
) -> list[StoreRank]:
    """The best (or worst) stores by a rollup KPI over the quarter, with at least ``minimum``
    in the denominator (answered waits for percentiles). "Best" follows ``Kpi.better``; ties
    go to the lower store id. A whole quarter over every store is sorted in SQL on the
    ``StoreQuarter`` rows (~one per store)."""
    kpi = get(key)
    if kpi.source == "education":
        raise ValueError(f"{kpi.label} is not kept per store.")
    if _from_quarter_rows(quarter, category_id):
        kept = _kept_ranks(kpi, quarter, limit, minimum)
        if kept is not None:
            return kept[1 if worst else 0]
        return _ordered(kpi, quarter, worst=worst, limit=limit, minimum=minimum)
    ranks = _store_values(kpi, quarter, category_id, minimum)
    descending = (kpi.better == "up") != worst
    ranks.sort(key=lambda rank: (-rank.value if descending else rank.value, rank.store_id))
    return ranks[:limit]


def _kept_ranks(kpi: Kpi, quarter: Quarter, limit: int, minimum: int):
    """(best, worst) from the quarter's ``MarketplaceMedian`` row (the usual minimum, at most
    ``KEPT_RANKS`` stores): two small queries; None when not kept."""
    if minimum != MIN_DENOMINATOR or limit > KEPT_RANKS:
        return None
    found = (
        MarketplaceMedian.objects.filter(quarter=quarter.first_day, kpi=kpi.key)
        .values_list("best", "worst")
        .first()
    )
    if found is None:
        return None
    best, worst = (found[0] or [])[:limit], (found[1] or [])[:limit]
    names = _names({entry[0] for entry in best + worst})
    return tuple(
        [
            StoreRank(store_id, names.get(store_id, ""), value, numerator, denominator)
            for store_id, value, numerator, denominator in entries
        ]
        for entries in (best, worst)
    )


def _median(kpi: Kpi, quarter: Quarter, minimum: int) -> tuple[float | None, int]:
    values = [rank.value for rank in _store_values(kpi, quarter, None, minimum)]
    return (statistics.median(values) if values else None), len(values)


def _entries(kpi: Kpi, rows: list[dict], minimum: int) -> list[tuple]:
    """``_rank`` over many ``StoreQuarter`` rows as plain (value, store id, numerator,
    denominator) tuples: building a StoreRank per store and KPI was most of the time."""
    if kpi.kind == "percentile":
        column, least = PERCENTILE_COLUMNS[kpi.share], max(1, minimum)
        return [
            (row[column] / 60, row["store_id"], None, row["waits_answered"])
            for row in rows
            if row["waits_answered"] >= least and row[column] is not None
        ]
    numerator = kpi.numerator
    if kpi.denominator:
        denominator, least = kpi.denominator, max(1, minimum)
        scale = 100.0 if kpi.unit == PERCENT else 1.0
        return [
            (
                row[numerator] / row[denominator] * scale,
                row["store_id"],
                float(row[numerator]),
                float(row[denominator]),
            )
            for row in rows
            if row[denominator] >= least
        ]
    return [(float(row[numerator]), row["store_id"], float(row[numerator]), None) for row in rows]


def _first(entries: list[tuple], high: bool) -> list[list]:
    """The first ``KEPT_RANKS`` entries, highest or lowest value first, ties to the lower
    store id, as [store id, value, numerator, denominator]. The tuples compare by value
    then store id (ids are unique), so no key function: the highest first are the lowest
    of the negated values."""
    if high:
        found = heapq.nsmallest(KEPT_RANKS, [(-value, *rest) for value, *rest in entries])
        found = [(-value, *rest) for value, *rest in found]
    else:
        found = heapq.nsmallest(KEPT_RANKS, entries)
    return [
        [store_id, value, numerator, None if denominator is None else float(denominator)]
        for value, store_id, numerator, denominator in found
    ]


def store_medians(quarter: Quarter) -> None:
    """Recompute the quarter's ``MarketplaceMedian`` rows (every rollup KPI: the median, the
    top and bottom ``KEPT_RANKS`` stores) from its ``StoreQuarter`` rows, in one read of
    them; the rollups call this after each refresh or rebuild that changed the quarter."""
    columns = sorted({name for kpi in KPIS if kpi.source != "education" for name in _fields(kpi)})
    rows = list(
        StoreQuarter.objects.filter(quarter=quarter.first_day)
        .exclude(NO_KPI_DATA)
        .values("store_id", *columns)
    )
    medians = []
    for kpi in KPIS if rows else ():  # a quarter without store rows keeps none
        if kpi.source == "education":
            continue
        entries = _entries(kpi, rows, MIN_DENOMINATOR)
        values = [entry[0] for entry in entries]
        # Best and worst first as store_ranking sorts them (ties: the lower store id).
        up = kpi.better == "up"
        medians.append(
            MarketplaceMedian(
                quarter=quarter.first_day,
                kpi=kpi.key,
                median=statistics.median(values) if values else None,
                stores=len(values),
                best=_first(entries, high=up),
                worst=_first(entries, high=not up),
            )
        )
    with transaction.atomic():
        MarketplaceMedian.objects.filter(quarter=quarter.first_day).delete()
        MarketplaceMedian.objects.bulk_create(medians)


def marketplace_median(key: str, quarter: Quarter, *, minimum: int = MIN_DENOMINATOR):
    """The median store's value over the quarter (stores with at least ``minimum`` in the
    denominator); None when no store qualifies. With the usual minimum it is one row of
    ``MarketplaceMedian``, kept by the rollups; otherwise computed from the store rows."""
    kpi = get(key)
    if kpi.source == "education":
        raise ValueError(f"{kpi.label} is not kept per store.")
    if minimum == MIN_DENOMINATOR and isinstance(quarter, Quarter):
        found = (
            MarketplaceMedian.objects.filter(quarter=quarter.first_day, kpi=key)
            .values_list("median")
            .first()
        )
        if found is not None:
            return found[0]
    return _median(kpi, quarter, minimum)[0]


# --- The raw items behind a number -------------------------------------------------------------


def drill_down(
    key: str,
    quarter: Quarter,
    *,
    as_of: datetime | None = None,
    category_id: int | None = None,
    store_id: int | None = None,
) -> QuerySet:
    """The raw rows behind a KPI for the quarter to date, the ones needing attention first;
    the page paginates. Waits (response KPIs), reviews (review KPIs), answers (coach score),
    conversations, messages, plans, or users (training participation: active sellers not
    enrolled). Satisfaction and resource engagement have no rows here (ValueError)."""
    kpi = get(key)
    now = as_of or timezone.now()
    start, end = quarter.start, min(quarter.end, _end_of(_last_day(quarter, as_of)))
    store_ids = _store_ids(category_id, store_id)

    def stores(queryset, field="store_id"):
        return queryset if store_ids is None else queryset.filter(**{f"{field}__in": store_ids})

    if key in (
        "response_within_24h",
        "abandoned_conversations",
        "first_response_median",
        "first_response_p90",
    ):
        waits = stores(
            Wait.objects.filter(started_at__gte=start, started_at__lt=end).exclude(
                outcome=Wait.Outcome.NO_RESPONSE_NEEDED
            ),
            "conversation__store_id",
        ).select_related("conversation__store", "conversation__buyer")
        limit = RESPONSE_WINDOW if key == "response_within_24h" else ABANDONED_AFTER
        if key in ("first_response_median", "first_response_p90"):
            return waits.filter(outcome=Wait.Outcome.ANSWERED).order_by("-response_seconds", "pk")
        late = Q(outcome=Wait.Outcome.OPEN, started_at__lte=now - limit) | Q(
            outcome=Wait.Outcome.ANSWERED, response_seconds__gt=limit.total_seconds()
        )
        return waits.filter(late).order_by("started_at", "pk")
    if key in (
        "review_response_48h",
        "negative_review_response_48h",
        "review_volume",
        "average_rating",
        "negative_review_share",
    ):
        reviews = stores(
            Review.objects.filter(
                status=Review.Status.PUBLISHED, published_at__gte=start, published_at__lt=end
            )
        ).select_related("store", "product")
        if key == "negative_review_share" or key == "negative_review_response_48h":
            reviews = reviews.filter(rating__lte=NEGATIVE_MAX_RATING)
        if key.endswith("_48h"):
            on_time = Answer.objects.filter(
                review=OuterRef("pk"), withdrawn_at__isnull=True, response_time__lte=RESPONSE_GOAL
            )
            return reviews.filter(~Exists(on_time), published_at__lte=now - RESPONSE_GOAL).order_by(
                "published_at", "pk"
            )
        return reviews.order_by("rating", "published_at", "pk")
    if key == "coach_score_average":
        return (
            stores(
                Answer.objects.filter(
                    published_at__gte=start,
                    published_at__lt=end,
                    withdrawn_at__isnull=True,
                    coach_score__isnull=False,
                )
            )
            .select_related("review", "store")
            .order_by("coach_score", "pk")
        )
    if key == "messaging_interactions":
        return stores(
            Message.objects.filter(created_at__gte=start, created_at__lt=end, is_spam=False),
            "conversation__store_id",
        ).order_by("-created_at", "-pk")
    if key in (
        "message_to_purchase",
        "messages_per_conversation",
        "buyer_started_share",
        "card_conversations",
        "card_conversion",
    ):
        conversations = stores(
            Conversation.objects.filter(created_at__gte=start, created_at__lt=end)
        ).select_related("store", "buyer")
        if key.startswith("card_"):
            conversations = conversations.filter(
                Exists(ProductCard.objects.filter(message__conversation=OuterRef("pk")))
            )
        if key in ("message_to_purchase", "card_conversion"):
            bought = Order.objects.filter(
                buyer=OuterRef("buyer"),
                store=OuterRef("store"),
                is_imported=False,
                placed_at__gte=OuterRef("created_at"),
                placed_at__lte=OuterRef("created_at") + PURCHASE_WINDOW,
            )
            conversations = conversations.annotate(purchased=Exists(bought))
        return conversations.order_by("created_at", "pk")
    if key in (
        "improvements_from_feedback",
        "plans_started",
        "plans_shipped",
        "plans_measured_positive",
    ):
        plans = stores(Plan.objects.all()).select_related("store", "product")
        if key == "plans_started":
            return plans.filter(created_at__gte=start, created_at__lt=end).order_by("created_at")
        if key == "plans_measured_positive":
            return plans.filter(
                measured_at__gte=start, measured_at__lt=end, verdict=POSITIVE_VERDICT
            ).order_by("measured_at")
        plans = plans.filter(shipped_at__gte=start, shipped_at__lt=end)
        if key == "improvements_from_feedback":
            plans = plans.filter(
                Q(theme__isnull=False)
                | Q(rising_issue__isnull=False)
                | ~Q(suggestion_key="")
                | Exists(Plan.evidence.through.objects.filter(plan_id=OuterRef("pk")))
            )
        return plans.order_by("shipped_at")
    if key in ("training_participation", "training_completion"):
        from saypro.accounts.models import User

        sellers = education.sellers(start, end, store_ids)
        enrolments = education.target_enrolments(sellers, end)
        enrolled = set(enrolments.values_list("user_id", flat=True))
        if key == "training_participation":
            missing = sellers - enrolled
        else:
            missing = enrolled - set(
                enrolments.filter(completed_at__lt=end).values_list("user_id", flat=True)
            )
        return User.objects.filter(pk__in=missing).order_by("email")
    raise ValueError(f"{kpi.label} has no list of items behind it.")


# --- Target history of a quarter ---------------------------------------------------------------


@dataclass(frozen=True)
class TargetChange:
    target: Target  # the new setting (``set_by`` loaded)
    old: float | None  # the setting it replaced (the registry's default for the first one)


def target_changes(quarter: Quarter) -> dict[str, list[TargetChange]]:
    """Every KPI's target settings for the quarter, newest first, each with the value it
    replaced; one query."""
    found: dict[str, list[TargetChange]] = {kpi.key: [] for kpi in KPIS}
    current = {kpi.key: kpi.default_target for kpi in KPIS}
    rows = Target.objects.filter(quarter=quarter.key).select_related("set_by")
    for row in rows.order_by("set_at", "pk"):
        if row.kpi in found:
            found[row.kpi].insert(0, TargetChange(row, current[row.kpi]))
            current[row.kpi] = row.value
    return found


def best_and_worst(
    key: str,
    quarter: Quarter | Month,
    *,
    limit: int = 10,
    category_id: int | None = None,
    minimum: int = MIN_DENOMINATOR,
) -> tuple[list[StoreRank], list[StoreRank]]:
    """``store_ranking``'s best and worst lists from one read of the store rows (the
    dashboard's top and bottom stores, the reports' notable stores)."""
    kpi = get(key)
    if _from_quarter_rows(quarter, category_id):
        kept = _kept_ranks(kpi, quarter, limit, minimum)
        if kept is not None:
            return kept
        return (
            _ordered(kpi, quarter, worst=False, limit=limit, minimum=minimum),
            _ordered(kpi, quarter, worst=True, limit=limit, minimum=minimum),
        )
    ranks = _store_values(kpi, quarter, category_id, minimum)
    sign = -1 if kpi.better == "up" else 1
    ranks.sort(key=lambda rank: (sign * rank.value, rank.store_id))
    worst = sorted(ranks, key=lambda rank: (-sign * rank.value, rank.store_id))
    return ranks[:limit], worst[:limit]


__all__ = [
    "Funnel",
    "KpiValue",
    "StoreRank",
    "TargetChange",
    "best_and_worst",
    "drill_down",
    "funnel",
    "is_over",
    "kpi_value",
    "kpi_values",
    "marketplace_median",
    "period_target_settings",
    "response_time_distribution",
    "store_ranking",
    "target_changes",
    "target_history",
    "target_setting",
    "target_settings",
    "weekly_series",
]
