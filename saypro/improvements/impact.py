"""Did the change help? Before/after comparison of a shipped plan's product.

Method (docs/improvements.md):

- Reviews are bucketed by ``Review.published_at`` relative to
  ``Plan.shipped_at``. The *after* period runs from shipping to the moment of
  measurement, at most ``PERIOD`` (90 days); the *before* period is the same
  length immediately before shipping. Only published reviews count.
- Ready once each period holds at least ``MIN_REVIEWS`` (20) reviews.
- The theme's negative share (reviews mentioning the theme negatively, from
  ``insights.selectors.theme_table``, ÷ all reviews of the product in the
  period) is compared with ``insights.statistics.proportion_change``
  (Newcombe interval, Fisher's exact test); the average rating with
  ``mean_change`` (Welch). A theme taken out of the taxonomy is no longer
  counted by insights, so such a plan is judged on the rating alone.
- The plan's goal metric decides the verdict: a significant change in the
  good direction "helped", in the bad direction "got worse", anything else is
  "no clear change yet".

The result is a plain dict (JSON-ready): the service stores it as the plan's
snapshot and pages render stored and live results the same way.
"""

from dataclasses import asdict, is_dataclass
from datetime import datetime, timedelta
from numbers import Integral

from saypro.core import charts as charts_core
from saypro.improvements.models import Plan
from saypro.insights import selectors as insights
from saypro.insights.statistics import mean_change, proportion_change
from saypro.reviews import selectors as reviews_selectors

MIN_REVIEWS = 20
PERIOD = timedelta(days=90)
CONFIDENCE = 0.95

NEGATIVE_SHARE = Plan.Metric.NEGATIVE_SHARE
AVERAGE_RATING = Plan.Metric.AVERAGE_RATING
VERDICT_WORDS = {
    Plan.Verdict.HELPED: "Helped",
    Plan.Verdict.NO_CLEAR_CHANGE: "No clear change yet",
    Plan.Verdict.GOT_WORSE: "Got worse",
}


def _plain(result) -> dict:
    """A statistics result as a JSON-ready dict of plain numbers and booleans."""
    fields = asdict(result) if is_dataclass(result) else result._asdict()
    plain = {}
    for name, value in fields.items():
        if value is None:
            plain[name] = None
        elif type(value).__name__ in ("bool", "bool_"):
            plain[name] = bool(value)
        elif isinstance(value, Integral):
            plain[name] = int(value)
        else:
            plain[name] = float(value)
    return plain


def periods(shipped_at: datetime, now: datetime) -> tuple[datetime, datetime, datetime]:
    """(before start, shipped at, after end): two half-open periods of equal length."""
    length = max(min(PERIOD, now - shipped_at), timedelta(0))
    return shipped_at - length, shipped_at, shipped_at + length


def _measures_theme(plan: Plan) -> bool:
    """Whether the theme's share can be measured: the plan has a theme still in the taxonomy
    (the insights figures count active themes only)."""
    return plan.theme_id is not None and plan.theme.is_active


def _sample(plan: Plan, start: datetime, end: datetime) -> tuple[list[int], int]:
    """Ratings of the product's published reviews in [start, end), and how many of them
    mention the plan's theme negatively (0 without a theme)."""
    reviews = reviews_selectors.product_reviews(plan.product).filter(
        published_at__gte=start, published_at__lt=end
    )
    ratings = list(reviews.prefetch_related(None).values_list("rating", flat=True))
    negative = 0
    if _measures_theme(plan):
        row = next(
            (
                row
                for row in insights.theme_table(product=plan.product, since=start, until=end)
                if row.theme.pk == plan.theme_id
            ),
            None,
        )
        negative = row.negative if row is not None else 0
    return ratings, negative


def _signed(value: float, digits: int = 0) -> str:
    text = f"{abs(value):.{digits}f}"
    if float(text) == 0:
        return text
    return f"−{text}" if value < 0 else f"+{text}"


def format_p(p_value: float) -> str:
    if p_value < 0.001:
        return "p < 0.001"
    return f"p = {p_value:.3f}" if p_value < 0.01 else f"p = {p_value:.2f}"


def _verdict(change: dict, *, lower_is_better: bool) -> str:
    if not change["is_significant"]:
        return Plan.Verdict.NO_CLEAR_CHANGE
    improved = change["difference"] < 0 if lower_is_better else change["difference"] > 0
    return Plan.Verdict.HELPED if improved else Plan.Verdict.GOT_WORSE


def _moved(difference: float, *, is_significant: bool) -> str:
    if not is_significant or difference == 0:
        return "went"
    return "rose" if difference > 0 else "fell"


def describe_share(change: dict, theme_name: str, confidence: float) -> str:
    """“negative mentions of Fit & size fell from 31 % to 9 % (−22 points, 95 % CI −30 to
    −14, p < 0.001)”."""
    before, after = 100 * change["before_rate"], 100 * change["after_rate"]
    moved = _moved(change["difference"], is_significant=change["is_significant"])
    return (
        f"negative mentions of {theme_name} {moved} from {before:.0f} % to {after:.0f} % "
        f"({_signed(100 * change['difference'])} points, {confidence * 100:.0f} % CI "
        f"{_signed(100 * change['ci_low'])} to {_signed(100 * change['ci_high'])}, "
        f"{format_p(change['p_value'])})"
    )


def describe_rating(change: dict, confidence: float) -> str:
    """“the average rating rose from 3.4 to 4.1 stars (+0.7 stars, 95 % CI +0.3 to +1.1, …)”."""
    if change["ci_low"] is None:  # every rating the same on both sides: nothing to test
        return (
            f"the average rating went from {change['before_mean']:.1f} to "
            f"{change['after_mean']:.1f} stars (the ratings do not vary enough to test a change)"
        )
    moved = _moved(change["difference"], is_significant=change["is_significant"])
    return (
        f"the average rating {moved} from {change['before_mean']:.1f} to "
        f"{change['after_mean']:.1f} stars ({_signed(change['difference'], 1)} stars, "
        f"{confidence * 100:.0f} % CI {_signed(change['ci_low'], 1)} to "
        f"{_signed(change['ci_high'], 1)}, {format_p(change['p_value'])})"
    )


def assess(plan: Plan, *, now: datetime) -> dict:
    """The before/after comparison of a shipped plan at ``now`` (reads only).

    ``ready`` is false, with a ``summary`` saying what is missing, until both
    periods hold ``MIN_REVIEWS`` reviews. ``negative_share`` is ``None``
    without a theme. Times are ISO 8601 in UTC.
    """
    if plan.shipped_at is None:
        return {
            "ready": False,
            "minimum_reviews": MIN_REVIEWS,
            "summary": "Not measured yet: the change has not shipped.",
        }
    before_start, shipped_at, after_end = periods(plan.shipped_at, now)
    before_ratings, before_negative = _sample(plan, before_start, shipped_at)
    after_ratings, after_negative = _sample(plan, shipped_at, after_end)
    result = {
        "ready": False,
        "minimum_reviews": MIN_REVIEWS,
        "confidence": CONFIDENCE,
        "computed_at": now.isoformat(),
        "period_days": round((after_end - shipped_at) / timedelta(days=1), 1),
        "before": {
            "start": before_start.isoformat(),
            "end": shipped_at.isoformat(),
            "reviews": len(before_ratings),
        },
        "after": {
            "start": shipped_at.isoformat(),
            "end": after_end.isoformat(),
            "reviews": len(after_ratings),
        },
        "primary": plan.goal_metric,
        "theme": plan.theme.name if _measures_theme(plan) else None,
        "negative_share": None,
        "average_rating": None,
        "verdict": "",
        "summary": "",
        "details": [],
    }
    if len(after_ratings) < MIN_REVIEWS or len(before_ratings) < MIN_REVIEWS:
        result["summary"] = (
            f"Not measured yet: the comparison needs {MIN_REVIEWS} reviews after shipping and "
            f"{MIN_REVIEWS} in the same length of time before; so far there are "
            f"{len(after_ratings)} after and {len(before_ratings)} before."
        )
        return result

    rating = _plain(mean_change(before_ratings, after_ratings, confidence=CONFIDENCE))
    result["average_rating"] = rating
    details = [describe_rating(rating, CONFIDENCE)]
    share = None
    if _measures_theme(plan):
        share = _plain(
            proportion_change(
                before_negative,
                len(before_ratings),
                after_negative,
                len(after_ratings),
                confidence=CONFIDENCE,
            )
        )
        result["negative_share"] = share
        details.insert(0, describe_share(share, plan.theme.name, CONFIDENCE))

    if plan.goal_metric == NEGATIVE_SHARE and share is not None:
        verdict = _verdict(share, lower_is_better=True)
        headline = details[0]
    else:
        result["primary"] = AVERAGE_RATING
        verdict = _verdict(rating, lower_is_better=False)
        headline = details[-1]
    result.update(
        ready=True,
        verdict=verdict,
        summary=f"{VERDICT_WORDS[verdict]}: {headline}",
        details=[detail[0].upper() + detail[1:] + "." for detail in details],
    )
    return result


# --- The chart: server-rendered SVG geometry --------------------------------------------


def _ticks(maximum: float, *, percent: bool) -> list[float]:
    if not percent:
        return [0, 1, 2, 3, 4, 5]
    step = 10 if maximum <= 50 else 20
    return [float(value) for value in range(0, int(maximum) + 1, step)]


def chart(metric: str, change: dict, *, theme: str | None = None) -> dict:
    """Bars for before and after, with the after bar's confidence interval.

    The interval shown on the "after" bar is the before value plus the
    interval of the difference, i.e. the range of "after" values consistent
    with the data.
    """
    percent = metric == NEGATIVE_SHARE
    has_interval = change["ci_low"] is not None
    if percent:
        before, after = 100 * change["before_rate"], 100 * change["after_rate"]
        low, high = before + 100 * change["ci_low"], before + 100 * change["ci_high"]
        top = max(before, after, high, 10.0)
        maximum = min(100.0, (int(top / 10) + 1) * 10.0)
        title = f"Negative mentions of {theme} before and after shipping"
        unit, axis = " %", "Share of reviews (%)"
        labels = (f"{before:.0f} %", f"{after:.0f} %")
    else:
        before, after = change["before_mean"], change["after_mean"]
        if change["ci_low"] is None:
            low = high = after
        else:
            low, high = before + change["ci_low"], before + change["ci_high"]
        maximum = 5.0
        title = "Average rating before and after shipping"
        unit, axis = " ★", "Average rating (stars)"
        labels = (f"{before:.1f} ★", f"{after:.1f} ★")
    low, high = max(low, 0.0), min(high, maximum)
    interval_label = f"{low:.0f}–{high:.0f}{unit}" if percent else f"{low:.1f}–{high:.1f}{unit}"
    p_label = format_p(change["p_value"])
    significance = (
        "a significant change" if change["is_significant"] else "not a significant change"
    )
    interval_text = (
        f"The line on the after bar is the 95 % confidence interval, {interval_label}; "
        if has_interval
        else "There is no interval: the values do not vary; "
    )
    drawn = charts_core.comparison(
        title=title,
        axis=axis,
        bars=(
            charts_core.Bar("before", "Before", before, labels[0]),
            charts_core.Bar("after", "After", after, labels[1]),
        ),
        maximum=maximum,
        ticks=[(value, f"{value:.0f}") for value in _ticks(maximum, percent=percent)],
        interval=(low, high, interval_label) if has_interval else None,
        description=f"Before: {labels[0]}. After: {labels[1]}. {interval_text}"
        f"{p_label}, {significance}.",
        caption=f"{title}. Bar: the value in each period; line: the 95 % interval for "
        f"“after”; {p_label}.",
    )
    return {**drawn, "metric": metric}


def charts(result: dict) -> list[dict]:
    """The charts of a result (stored or live): the theme's share first, then the rating."""
    if not result or not result.get("ready"):
        return []
    found = []
    if result.get("negative_share"):
        found.append(chart(NEGATIVE_SHARE, result["negative_share"], theme=result.get("theme")))
    if result.get("average_rating"):
        found.append(chart(AVERAGE_RATING, result["average_rating"]))
    return found


def table_rows(result: dict) -> list[dict]:
    """The comparison as table rows of formatted text (the chart's accessible twin)."""
    if not result or not result.get("ready"):
        return []
    rows = []
    share = result.get("negative_share")
    if share:
        rows.append(
            {
                "metric": f"Negative mentions of {result.get('theme')}",
                "before": f"{100 * share['before_rate']:.0f} % "
                f"({share['before_count']} of {share['before_total']})",
                "after": f"{100 * share['after_rate']:.0f} % "
                f"({share['after_count']} of {share['after_total']})",
                "change": f"{_signed(100 * share['difference'])} points",
                "interval": f"{_signed(100 * share['ci_low'])} to "
                f"{_signed(100 * share['ci_high'])} points",
                "p": format_p(share["p_value"]),
                "significant": "Yes" if share["is_significant"] else "No",
            }
        )
    rating = result.get("average_rating")
    if rating:
        rows.append(
            {
                "metric": "Average rating",
                "before": f"{rating['before_mean']:.2f} ★ ({rating['before_n']} reviews)",
                "after": f"{rating['after_mean']:.2f} ★ ({rating['after_n']} reviews)",
                "change": f"{_signed(rating['difference'], 2)} stars",
                "interval": "–"
                if rating["ci_low"] is None
                else f"{_signed(rating['ci_low'], 2)} to {_signed(rating['ci_high'], 2)} stars",
                "p": format_p(rating["p_value"]),
                "significant": "Yes" if rating["is_significant"] else "No",
            }
        )
    return rows


def view(result: dict | None) -> dict | None:
    """What the impact partial shows for a result: the result, charts, table rows, periods."""
    if result is None:
        return None
    periods_shown = {}
    if result.get("ready"):
        for name in ("before", "after"):
            periods_shown[name] = {
                "start": datetime.fromisoformat(result[name]["start"]),
                "end": datetime.fromisoformat(result[name]["end"]),
                "reviews": result[name]["reviews"],
            }
    return {
        "result": result,
        "charts": charts(result),
        "rows": table_rows(result),
        "periods": periods_shown,
    }
