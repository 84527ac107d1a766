"""Survey pieces for templates: the chart of answers over time.

Drawn like the insights sentiment chart (server-rendered SVG, the same scale,
colours and table view); geometry is computed here and
``surveys/partials/score_chart.html`` autoescapes everything it prints.
"""

from django import template

from saypro.core import charts
from saypro.insights.templatetags.insights import SENTIMENT_COLOURS
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
    chart = charts.stacked_columns(
        [
            [{**group, "colour": GROUP_COLOURS[group["key"]]} for group in bucket.summary.groups]
            for bucket in buckets
        ]
    )
    bars = [
        {**column, "bucket": bucket}
        for column, bucket in zip(chart.pop("columns"), buckets, strict=True)
    ]
    labels = GROUP_LABELS[results.survey.kind]
    return {
        **chart,
        "results": results,
        "buckets": buckets,
        "bars": bars,
        "legend": [
            {"label": label, "colour": GROUP_COLOURS[key]}
            for key, label in zip(("low", "middle", "high"), labels, strict=True)
        ],
        "labels": labels,
        "is_month": results.bucket == "month",
        "is_nps": results.survey.kind == "nps_11",
        "total": results.summary.responses,
    }
