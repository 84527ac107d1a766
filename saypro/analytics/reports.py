"""The monthly and quarterly "Messaging & Reviews" report: what the page, the CSV, the XLSX and
the monthly email all show, built once so that they cannot disagree.

Every figure is read through ``saypro.analytics.selectors`` (rollups, plus the education
KPIs' own small tables) and rounded here to the precision the page shows
(``figures``, as the dashboard does), so the downloads carry exactly the numbers on the
page. Themes come from the insights app.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from saypro.analytics import selectors
from saypro.analytics.figures import (
    change,
    change_percent,
    rounded,
    shown,
    signed,
    signed_percent,
    tick_text,
)
from saypro.analytics.kpis import COUNT, HOURS, PERCENT, RATING, SCORE, UP, Kpi, get
from saypro.analytics.models import MarketplaceDay
from saypro.analytics.periods import Month, Quarter, local_date
from saypro.core import charts
from saypro.insights.models import RisingIssue
from saypro.insights.selectors import theme_table

TITLE = "Messaging & Reviews"
TOP_CHANGES = 5
NOTABLE_STORES = 5
THEMES = 5
# The stores are compared on the two promises buyers feel most.
NOTABLE_KPIS = ("review_response_48h", "response_within_24h")
# The weekly charts on the page (the XLSX has every rollup KPI's weekly series).
CHART_KPIS = (
    "messaging_interactions",
    "response_within_24h",
    "review_response_48h",
    "negative_review_response_48h",
)
UNIT_NAMES = {PERCENT: "%", HOURS: "hours", RATING: "stars (1–5)", SCORE: "score (0–100)"}
# The charts' y axes (short: the axis label is turned on its side).
AXIS_NAMES = {
    PERCENT: "Per cent",
    HOURS: "Hours",
    RATING: "Stars (of 5)",
    SCORE: "Score (of 100)",
    COUNT: "Count",
}

Period = Quarter | Month


def parse_period(text: str) -> Period:
    """ "2027-01" (a month) or "2026-Q4" (a quarter); ValueError otherwise."""
    try:
        return Quarter.parse(text)
    except ValueError:
        return Month.parse(text)


def unit_name(kpi: Kpi) -> str:
    if kpi.unit == COUNT:
        return "per conversation" if kpi.kind == "ratio" else "count"
    return UNIT_NAMES[kpi.unit]


@dataclass(frozen=True)
class Row:
    """One KPI of the report, every number rounded as shown."""

    kpi: Kpi
    value: float | None
    previous: float | None
    change: float | None  # in the KPI's unit (percentage points for percents)
    change_percent: float | None  # relative change, %, one decimal
    target: float | None
    status: str | None
    status_label: str

    @property
    def key(self) -> str:
        return self.kpi.key

    @property
    def improved(self) -> bool | None:
        if not self.change:
            return None
        return (self.change > 0) == (self.kpi.better == UP)

    @property
    def change_words(self) -> str:
        """The change as "Top changes" gives it: percentage points for percents (as the
        table does), the relative change for the rest."""
        if self.kpi.unit == PERCENT:
            return signed(self.kpi, self.change)
        return signed_percent(self.change_percent)


@dataclass(frozen=True)
class NotableStore:
    name: str
    value: float
    denominator: float | None


@dataclass(frozen=True)
class Notable:
    kpi: Kpi
    best: list[NotableStore]
    worst: list[NotableStore]


@dataclass(frozen=True)
class Theme:
    name: str
    mentions: int
    negative: int
    negative_share: float  # %, one decimal


@dataclass(frozen=True)
class Issue:
    subject: str
    product: str
    store: str
    recent_count: int
    recent_total: int


@dataclass(frozen=True)
class Series:
    kpi: Kpi
    target: float | None
    weeks: list[tuple[date, float | None]]
    days: int  # in the period: a count's target is for all of them

    def chart(self) -> dict:
        """The weekly line with the target as a dashed line (``components/line_chart.html``).
        A count's target is for the whole period, so the line is the weekly pace reaching it."""
        kpi = self.kpi
        target, target_text = self.target, shown(kpi, self.target)
        if kpi.kind == "count" and target is not None:
            target = target * 7 / self.days
            target_text = f"{target:,.1f} a week, {shown(kpi, self.target)} in the period"
        top = 100.0 if kpi.unit == PERCENT else 5.0 if kpi.unit == RATING else None
        chart = charts.line(
            [(day.strftime("%-d %b"), value) for day, value in self.weeks],
            tick_text=lambda value: tick_text(kpi, value),
            target=target,
            maximum=top,
        )
        for marker in chart["markers"]:
            marker["text"] = shown(kpi, marker["value"])
        known = sum(value is not None for _, value in self.weeks)
        line = f", and a dashed line at the target, {target_text}" if target is not None else ""
        chart.update(
            {
                "title": f"{kpi.label} per week ({unit_name(kpi)})",
                "description": (
                    f"A line of {kpi.label.lower()} for each of the {len(self.weeks)} weeks of "
                    f"the period ({known} with data){line}. "
                    "The table below the chart lists every week."
                ),
                "x_axis": "Week starting (the last one may be shorter)",
                "y_axis": AXIS_NAMES[kpi.unit],
                "table_head": kpi.label,
                "series_label": f"{kpi.label}, weekly",
                "target_text": target_text,
                "rows": [
                    (day.strftime("%-d %b %Y"), shown(kpi, value)) for day, value in self.weeks
                ],
            }
        )
        return chart


@dataclass(frozen=True)
class Report:
    period: Period
    title: str
    kind: str  # "month" / "quarter"
    previous_label: str
    as_of: datetime
    complete: bool  # False for the period still running (figures to date)
    rows: list[Row]
    changes: list[Row]
    notable: list[Notable]
    themes: list[Theme]
    issues: list[Issue]
    series: list[Series]  # every rollup KPI's weekly values
    charts: list[Series]  # the few drawn on the page

    @property
    def key(self) -> str:
        return self.period.key

    @property
    def filename(self) -> str:
        return f"saypro-report-{self.period.key}"

    @property
    def quarter_key(self) -> str:
        """The quarter the period falls in: the KPI pages (definitions, drill-downs) show it."""
        return Quarter.of(self.period.first_day).key


def title_of(period: Period) -> str:
    return f"{TITLE} — {period.label}"


def build(period: Period, *, as_of: datetime | None = None) -> Report:
    """The report of a month or a quarter (to date, if it is still running)."""
    as_of = as_of or timezone.now()
    values = selectors.kpi_values(period, as_of=as_of)
    complete = selectors.is_over(period, as_of)
    rows = [_row(value) for value in values]
    by_key = {row.key: row for row in rows}
    movers = [row for row in rows if row.change_percent is not None and row.change_percent != 0]
    movers.sort(key=lambda row: (-abs(row.change_percent), row.kpi.label))
    series = [
        Series(
            row.kpi,
            row.target,
            [
                (day, rounded(row.kpi, value))
                for day, value in selectors.weekly_series(row.key, period, as_of=as_of)
            ],
            len(period.days()),
        )
        for row in rows
        if row.kpi.source == "rollup"
    ]
    return Report(
        period=period,
        title=title_of(period),
        kind="quarter" if isinstance(period, Quarter) else "month",
        previous_label=period.previous().label,
        as_of=as_of,
        complete=complete,
        rows=rows,
        changes=movers[:TOP_CHANGES],
        notable=[_notable(get(key), period) for key in NOTABLE_KPIS],
        themes=_themes(period),
        issues=_issues(period),
        series=series,
        charts=[next(s for s in series if s.kpi.key == key) for key in CHART_KPIS if key in by_key],
    )


def _row(value: selectors.KpiValue) -> Row:
    """A KPI's row. While the period runs, a count so far is not set against the whole
    previous period: its change waits for the period's end (``figures.comparable``)."""
    kpi = value.kpi
    comparable = value.comparable
    return Row(
        kpi=kpi,
        value=rounded(kpi, value.value),
        previous=rounded(kpi, value.previous),
        change=change(kpi, value.value, value.previous) if comparable else None,
        change_percent=change_percent(kpi, value.value, value.previous) if comparable else None,
        target=rounded(kpi, value.target),
        status=value.status,
        status_label=value.status_label,
    )


def _notable(kpi: Kpi, period: Period) -> Notable:
    best, worst = selectors.best_and_worst(kpi.key, period, limit=NOTABLE_STORES)

    def stores(ranks) -> list[NotableStore]:
        return [
            NotableStore(rank.store_name, rounded(kpi, rank.value), rank.denominator)
            for rank in ranks
        ]

    return Notable(kpi, stores(best), stores(worst))


def _themes(period: Period) -> list[Theme]:
    """The themes with the most negative mentions in the period's published reviews."""
    rows = theme_table(since=period.start, until=period.end)
    return [
        Theme(row.theme.name, row.mentions, row.negative, round(row.negative_share * 100, 1))
        for row in rows[:THEMES]
        if row.negative
    ]


def _issues(period: Period) -> list[Issue]:
    """Rising issues first detected in the period, the largest recent share first."""
    found = RisingIssue.objects.filter(
        detected_at__gte=period.start, detected_at__lt=period.end
    ).select_related("theme", "product", "store")
    issues = sorted(
        found,
        key=lambda issue: (-issue.recent_count / max(issue.recent_total, 1), issue.pk),
    )
    return [
        Issue(
            subject=issue.theme.name if issue.theme_id else issue.topic,
            product=issue.product.title,
            store=issue.store.name,
            recent_count=issue.recent_count,
            recent_total=issue.recent_total,
        )
        for issue in issues[:THEMES]
    ]


def available(*, as_of: datetime | None = None) -> tuple[list[Month], list[Quarter]]:
    """The months and quarters with rollup data, newest first, up to the running one."""
    as_of = as_of or timezone.now()
    today = local_date(as_of)
    first = MarketplaceDay.objects.order_by("day").values_list("day", flat=True).first()
    if first is None:
        return [], []
    months, month = [], Month.of(first)
    while month.first_day <= today:
        months.append(month)
        month = month.next()
    quarters, quarter = [], Quarter.of(first)
    while quarter.first_day <= today:
        quarters.append(quarter)
        quarter = quarter.next()
    return months[::-1], quarters[::-1]
