"""Survey pieces for templates: the chart of answers over time.

Drawn like the insights sentiment chart (server-rendered SVG, the same scale,
colours and table view); geometry is computed here and
``surveys/partials/score_chart.html`` autoescapes everything it prints.
"""

from django import template

from saypro.insights.templatetags.insights import (
    CHART_HEIGHT,
    CHART_WIDTH,
    PLOT_BOTTOM,
    PLOT_LEFT,
    PLOT_RIGHT,
    PLOT_TOP,
    SENTIMENT_COLOURS,
    _nice_ceiling,
)
from saypro.surveys.scoring import GROUP_LABELS

register = template.Library()

GROUP_COLOURS = {
    "low": SENTIMENT_COLOURS["negative"],
    "middle": SENTIMENT_COLOURS["neutral"],
    "high": SENTIMENT_COLOURS["positive"],
}


@register.inclusion_tag("surveys/partials/score_chart.html")
def score_chart(results):
    """A stacked bar per week or month (low answers at the bottom), and the same as a table."""
    buckets = results.buckets
    top = _nice_ceiling(max((bucket.summary.responses for bucket in buckets), default=0))
    plot_width = CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_height = CHART_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    slot = plot_width / max(len(buckets), 1)
    bar_width = round(slot * 0.7, 2)
    label_every = max(1, round(len(buckets) / 6))
    bars = []
    for n, bucket in enumerate(buckets):
        x = round(PLOT_LEFT + n * slot + (slot - bar_width) / 2, 2)
        baseline = PLOT_TOP + plot_height
        segments = []
        for group in bucket.summary.groups:
            if not group["count"]:
                continue
            height = round(group["count"] / top * plot_height, 2)
            baseline -= height
            segments.append(
                {
                    **group,
                    "y": round(baseline, 2),
                    "height": height,
                    "colour": GROUP_COLOURS[group["key"]],
                }
            )
        bars.append(
            {
                "bucket": bucket,
                "x": x,
                "label_x": round(x + bar_width / 2, 2),
                "show_label": (len(buckets) - 1 - n) % label_every == 0,
                "segments": segments,
            }
        )
    ticks = [
        {"value": value, "y": round(PLOT_TOP + plot_height - value / top * plot_height, 2)}
        for value in (0, top // 2, top)
    ]
    labels = GROUP_LABELS[results.survey.kind]
    return {
        "results": results,
        "buckets": buckets,
        "bars": bars,
        "bar_width": bar_width,
        "ticks": ticks,
        "legend": [
            {"label": label, "colour": GROUP_COLOURS[key]}
            for key, label in zip(("low", "middle", "high"), labels, strict=True)
        ],
        "labels": labels,
        "is_month": results.bucket == "month",
        "is_nps": results.survey.kind == "nps_11",
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "plot_left": PLOT_LEFT,
        "plot_right": CHART_WIDTH - PLOT_RIGHT,
        "plot_bottom": PLOT_TOP + plot_height,
        "x_axis_label_y": CHART_HEIGHT - 4,
        "y_axis_label_x": 12,
        "y_axis_label_y": PLOT_TOP + plot_height / 2,
        "total": results.summary.responses,
    }
