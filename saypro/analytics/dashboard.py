"""What the office dashboard shows: KPI values in words and the chart dicts for the templates.

Reads go through ``selectors``; this module formats numbers with ``figures`` (as the
reports do) and wraps ``saypro.core.charts`` geometry with titles, axis labels and
the table rows every chart offers.
"""

from datetime import timedelta

from django.core.cache import cache

from saypro.analytics import figures, selectors
from saypro.analytics.figures import shown
from saypro.analytics.kpis import COUNT, HOURS, KPIS, PERCENT, RATING, SCORE, Kpi, get
from saypro.analytics.periods import Quarter, local_date
from saypro.core import charts

# The weekly trend charts (with the target line), grouped as the page shows them.
TREND_GROUPS = (
    ("Messaging", ("messaging_interactions", "response_within_24h")),
    ("Review answer times", ("review_response_48h", "negative_review_response_48h")),
    (
        "Improvements and education",
        ("improvements_from_feedback", "training_participation", "satisfaction_education"),
    ),
)
EDUCATION_KEYS = (
    "training_participation",
    "training_completion",
    "satisfaction_education",
    "resource_engagement",
)
UNIT_NAMES = {
    PERCENT: "%",
    COUNT: "count",
    HOURS: "hours",
    RATING: "stars of 5",
    SCORE: "score of 100",
}
RANKED = 10  # stores in the top and in the bottom list
# Drill-down rows per KPI: which template block lists them.
ROW_KINDS = {
    "response_within_24h": "waits",
    "abandoned_conversations": "waits",
    "first_response_median": "waits",
    "first_response_p90": "waits",
    "review_response_48h": "reviews",
    "negative_review_response_48h": "reviews",
    "review_volume": "reviews",
    "average_rating": "reviews",
    "negative_review_share": "reviews",
    "coach_score_average": "answers",
    "messaging_interactions": "messages",
    "message_to_purchase": "conversations",
    "messages_per_conversation": "conversations",
    "buyer_started_share": "conversations",
    "card_conversations": "conversations",
    "card_conversion": "conversations",
    "improvements_from_feedback": "plans",
    "plans_started": "plans",
    "plans_shipped": "plans",
    "plans_measured_positive": "plans",
    "training_participation": "people",
    "training_completion": "people",
}


# A count so far is not set against a whole quarter (``figures.comparable``).
NOT_COMPARED = "compared when the quarter ends"


def fmt_change(item: selectors.KpiValue) -> str:
    """Change against last quarter as the figures are shown: percentage points for
    percents, else the difference and the relative change."""
    if not item.comparable:
        return NOT_COMPARED
    difference = figures.change(item.kpi, item.value, item.previous)
    text = figures.signed(item.kpi, difference)
    relative = figures.change_percent(item.kpi, item.value, item.previous)
    if item.kpi.unit != PERCENT and relative is not None:
        text += f" ({figures.signed_percent(relative)})"
    return text


def fmt_setting(kpi: Kpi, setting: float | None) -> str:
    """A target as set: a % change for change targets, else a level."""
    if setting is None:
        return "none"
    if kpi.target_kind == "change":
        return f"{setting:+g} % vs the previous quarter"
    return shown(kpi, setting)


def improving(item: selectors.KpiValue) -> bool | None:
    """Whether the change shown is in the KPI's good direction (None without one)."""
    difference = figures.change(item.kpi, item.value, item.previous)
    if not difference or not item.comparable:
        return None
    return (difference > 0) == (item.kpi.better == "up")


def card(item: selectors.KpiValue) -> dict:
    kpi = item.kpi
    return {
        "item": item,
        "kpi": kpi,
        "value": shown(kpi, item.value),
        "previous": shown(kpi, item.previous),
        "change": fmt_change(item),
        "improving": improving(item),
        "target": shown(kpi, item.target),
        "setting": fmt_setting(kpi, item.target_setting),
        "forecast": shown(kpi, item.forecast),
        "forecast_low": shown(kpi, item.forecast_low),
        "forecast_high": shown(kpi, item.forecast_high),
        "spark": charts.sparkline(item.sparkline),
        "drillable": kpi.key in ROW_KINDS,
    }


def week_starts(quarter: Quarter, count: int) -> list:
    return [quarter.first_day + timedelta(days=7 * n) for n in range(count)]


def _percent_top(kpi: Kpi) -> float | None:
    return 100.0 if kpi.unit == PERCENT else (5.0 if kpi.unit == RATING else None)


AXIS_NAMES = {
    PERCENT: "Share (%)",
    COUNT: "Count",
    HOURS: "Hours",
    RATING: "Stars (of 5)",
    SCORE: "Score (of 100)",
}


def trend_chart(item: selectors.KpiValue, series: list, quarter: Quarter) -> dict:
    """The weekly line of a KPI with its target as a dashed line. A count's target is for the
    whole quarter, so the line shows the weekly pace that reaches it (target × 7 ÷ days)."""
    kpi = item.kpi
    target, target_text = item.target, shown(kpi, item.target)
    if kpi.kind == "count" and target is not None:
        target = target * 7 / len(quarter.days())
        target_text = f"{target:.1f} a week, {shown(kpi, item.target)} in the quarter"
    points = [(week.strftime("%-d %b"), value) for week, value in series]
    chart = charts.line(
        points,
        tick_text=lambda value: figures.tick_text(kpi, value),
        target=target,
        maximum=_percent_top(kpi),
        whole=kpi.kind == "count",
    )
    for marker in chart["markers"]:
        marker["text"] = shown(kpi, marker["value"])
    unit = UNIT_NAMES[kpi.unit]
    known = [value for _, value in series if value is not None]
    chart.update(
        {
            "title": f"{kpi.label} per week ({unit})",
            "description": (
                f"A line of {kpi.label.lower()} for each of the {len(series)} weeks of the quarter "
                f"shown ({len(known)} with data)"
                + (
                    f", and a dashed line at the target, {target_text}"
                    if target is not None
                    else ""
                )
                + ". The table below the chart lists every week."
            ),
            "x_axis": "Week starting (the last one may be shorter)",
            "y_axis": AXIS_NAMES[kpi.unit],
            "table_head": kpi.label,
            "series_label": f"{kpi.label}, weekly",
            "target_text": target_text,
            "rows": [(week.strftime("%-d %b %Y"), shown(kpi, value)) for week, value in series],
        }
    )
    return chart


# An education KPI's week re-runs its whole live computation (~10 queries); the weekly
# series is kept this long so the dashboard reads it once per ten minutes, not per view.
EDUCATION_SERIES_SECONDS = 600


def education_series(key: str, quarter: Quarter, *, as_of, category_id, store_id) -> list:
    cache_key = f"analytics:weekly:{key}:{quarter.key}:{category_id}:{store_id}:{local_date(as_of)}"
    found = cache.get(cache_key)
    if found is None:
        found = selectors.weekly_series(
            key, quarter, as_of=as_of, category_id=category_id, store_id=store_id
        )
        cache.set(cache_key, found, EDUCATION_SERIES_SECONDS)
    return found


def trends(values: dict, quarter: Quarter, *, as_of, category_id, store_id) -> list[dict]:
    """The trend sections; rollup KPIs reuse their sparkline (the same weekly values),
    education KPIs are computed week by week."""
    sections = []
    for title, keys in TREND_GROUPS:
        found = []
        for key in keys:
            item = values[key]
            if item.kpi.source == "rollup":
                series = list(
                    zip(week_starts(quarter, len(item.sparkline)), item.sparkline, strict=True)
                )
            else:
                series = education_series(
                    key, quarter, as_of=as_of, category_id=category_id, store_id=store_id
                )
            found.append({"key": key, "chart": trend_chart(item, series, quarter)})
        sections.append({"title": title, "charts": found})
    return sections


def distribution_chart(bands: list[tuple[str, int]]) -> dict:
    chart = charts.horizontal_bars([(label, float(count)) for label, count in bands])
    total = sum(count for _, count in bands)
    for bar in chart["bars"]:
        share = f" ({bar['value'] / total * 100:.0f} %)" if total else ""
        bar["text"] = f"{bar['value']:,.0f}{share}"
    for tick in chart["ticks"]:
        tick["text"] = f"{tick['value']:g}"
    chart.update(
        {
            "title": "First-response time to buyers (answered waits)",
            "description": (
                f"Horizontal bars: how many of the {total} answered waits of the quarter shown "
                "were answered in each time band, from under 1 hour to 48 hours or more."
            ),
            "x_axis": "Answered waits (count)",
            "label_head": "Time to the store's reply",
        }
    )
    return chart


def _share(part: float | None) -> str | None:
    return None if part is None else f"{part * 100:.0f} %"


def funnel_chart(found: selectors.Funnel) -> dict:
    chart = charts.funnel(
        [
            ("Buyer inquiries", found.inquiries),
            ("Replied by the store", found.replied),
            ("Bought within 7 days", found.purchased_within_7_days),
        ]
    )
    for bar in chart["bars"]:
        bar["of_previous_text"] = _share(bar["of_previous"])
        bar["of_first_text"] = _share(bar["of_first"])
    chart.update(
        {
            "title": "Messaging funnel: inquiry → seller reply → purchase",
            "description": (
                f"{found.inquiries} conversations started by buyers in the quarter shown; "
                f"{found.replied} got a reply from the store; {found.purchased_within_7_days} of "
                "those were followed by an order from that buyer within 7 days."
            ),
            "unit": "conversations",
        }
    )
    return chart


def education_chart(values: dict) -> dict:
    items = [
        values[key]
        for key in ("training_participation", "training_completion", "satisfaction_education")
    ]
    chart = charts.horizontal_bars(
        [(item.kpi.label, item.value or 0.0) for item in items], maximum=100.0
    )
    for bar, item in zip(chart["bars"], items, strict=True):
        bar["text"] = shown(item.kpi, item.value)
    for tick in chart["ticks"]:
        tick["text"] = f"{tick['value']:g} %"
    chart.update(
        {
            "title": "Education: participation, completion and satisfaction (%)",
            "description": (
                "Horizontal bars from 0 to 100 %: "
                + "; ".join(f"{item.kpi.label} {shown(item.kpi, item.value)}" for item in items)
                + "."
            ),
            "x_axis": "Share (%)",
            "label_head": "Figure",
        }
    )
    return chart


def ranking(key: str, quarter: Quarter, *, category_id) -> dict:
    """The top and bottom 10 stores by a rollup KPI, from one read of the store rows."""
    kpi = get(key)
    best, worst = selectors.best_and_worst(key, quarter, limit=RANKED, category_id=category_id)
    rows = {"best": best, "worst": worst}
    return {
        "kpi": kpi,
        "minimum": selectors.MIN_DENOMINATOR,
        "lists": [
            {
                "title": "Top 10",
                "rows": [(rank, shown(kpi, rank.value)) for rank in rows["best"]],
            },
            {
                "title": "Bottom 10",
                "rows": [(rank, shown(kpi, rank.value)) for rank in rows["worst"]],
            },
        ],
    }


def all_keys() -> list[str]:
    return [kpi.key for kpi in KPIS]
