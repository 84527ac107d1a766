"""Insight pieces for templates: the weekly sentiment chart, drill-down links, highlights.

The chart is server-rendered SVG: geometry is computed here and drawn by
``insights/partials/sentiment_chart.html``, which autoescapes everything it
prints; nothing here marks text safe.
"""

from datetime import date
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from saypro.core import charts
from saypro.insights.selectors import Focus, WeekSentiment, matching_spans

register = template.Library()

# Okabe–Ito colours: told apart with every common colour-vision deficiency, and each
# at least 3:1 against white (WCAG non-text contrast).
SENTIMENT_COLOURS = {"positive": "#0072B2", "neutral": "#8A8A8A", "negative": "#D55E00"}


@register.inclusion_tag("insights/partials/sentiment_chart.html")
def sentiment_chart(weeks: list[WeekSentiment], store, product=None):
    """A stacked bar per week (negative at the bottom), with the same numbers as a table.

    Every count in the table links to the reviews behind it.
    """
    chart = charts.stacked_columns(
        [
            [
                {
                    "sentiment": sentiment,
                    "count": getattr(week, sentiment),
                    "colour": SENTIMENT_COLOURS[sentiment],
                }
                for sentiment in ("negative", "neutral", "positive")
            ]
            for week in weeks
        ]
    )
    bars = [
        {**column, "week": week} for column, week in zip(chart.pop("columns"), weeks, strict=True)
    ]
    return {
        **chart,
        "store": store,
        "product": product,
        "weeks": weeks,
        "bars": bars,
        "colours": SENTIMENT_COLOURS,
        "total": sum(week.total for week in weeks),
    }


@register.simple_tag
def drill_down(store, **filters) -> str:
    """The drill-down page of ``store`` filtered by ``filters`` (empty values left out).

    Dates become ``YYYY-MM-DD``; a product or theme may be given as the object.
    """
    params = {}
    for key, value in filters.items():
        if value is None or value == "":
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif key == "theme" and hasattr(value, "slug"):
            value = value.slug
        elif hasattr(value, "pk"):
            value = value.pk
        params[key] = value
    url = reverse("insights:reviews", kwargs={"slug": store.slug})
    return f"{url}?{urlencode(params)}" if params else url


@register.filter
def marked_segments(body: str, spans) -> list[dict]:
    """``body`` cut into segments, those inside ``spans`` marked (overlaps keep the first)."""
    segments, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor or end <= start:
            continue
        if start > cursor:
            segments.append({"text": body[cursor:start], "marked": False})
        segments.append({"text": body[start:end], "marked": True})
        cursor = end
    if cursor < len(body):
        segments.append({"text": body[cursor:], "marked": False})
    return segments


@register.filter
def first_quote(body: str, spans) -> str:
    """The first matching sentence of ``body``, or its beginning when nothing matches."""
    for start, end in spans:
        return body[start:end]
    return body[:160] + ("…" if len(body) > 160 else "")


@register.filter
def percent(value) -> str:
    """A share (0.0–1.0) as a whole percentage ("67 %"); "–" when there is none."""
    if value is None:
        return "–"
    return f"{round(value * 100)} %"


@register.filter
def points(value) -> str:
    """A change of share in percentage points, signed ("+25 pts", "−10 pts", "±0 pts")."""
    if value is None:
        return "–"
    rounded = round(value * 100)
    if rounded == 0:
        return "±0 pts"
    return f"{'+' if rounded > 0 else '−'}{abs(rounded)} pts"


@register.filter
def signed(value, digits: int = 1) -> str:
    """A signed number with a true minus sign ("+1.0", "−0.3"); "–" when there is none."""
    if value is None:
        return "–"
    rounded = round(float(value), int(digits))
    if rounded == 0:
        return f"{0:.{digits}f}"
    return f"{'+' if rounded > 0 else '−'}{abs(rounded):.{digits}f}"


@register.filter
def bar_width(value) -> int:
    """A share as a whole percentage for a CSS bar (0–100)."""
    return max(0, min(100, round((value or 0) * 100)))


@register.filter
def evidence_for(evidence: dict, issue) -> list:
    """The evidence reviews of ``issue`` from ``Overview.evidence``."""
    return evidence.get(issue.pk, [])


@register.filter
def plan_for(plans, issue):
    """The plan made from ``issue`` (``improvements.selectors.issue_plans``), or ``None``."""
    return plans.get(issue.pk) if plans else None


@register.filter
def issue_spans(review, issue) -> list[tuple[int, int]]:
    """The sentences of ``review`` that make it evidence of ``issue``."""
    return matching_spans(review, Focus(issue=issue))
