"""Geometry for the server-drawn SVG chart that compares two values, the second with its
95 % interval (an improvement's before/after, a campaign's holdout/treated).

The caller decides the values, the scale (``maximum`` and ``ticks``) and every label;
this module turns them into SVG user units for ``components/comparison_chart.html``.
"""

from collections.abc import Sequence
from dataclasses import dataclass

CHART_WIDTH = 360
CHART_HEIGHT = 220
PLOT_TOP = 24
PLOT_BOTTOM = 180
PLOT_LEFT = 48
BAR_WIDTH = 90
BAR_X = (90, 220)  # the left edge of the first and the second bar
WHISKER = 12  # half the width of the interval's end marks


@dataclass(frozen=True)
class Bar:
    key: str  # a CSS class: the bar's colour
    label: str  # under the bar
    value: float
    value_label: str  # above the bar


def comparison(
    *,
    title: str,
    axis: str,
    bars: tuple[Bar, Bar],
    maximum: float,
    ticks: Sequence[tuple[float, str]],
    interval: tuple[float, float, str] | None,
    description: str,
    caption: str,
) -> dict:
    """The chart as the template draws it; ``interval`` (low, high, label) is on the second bar,
    clipped to 0..``maximum``. ``description`` is read by screen readers, ``caption`` shown."""

    def y(value: float) -> float:
        value = min(max(value, 0.0), maximum)
        return round(PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * value / maximum, 1)

    centre = BAR_X[1] + BAR_WIDTH / 2
    return {
        "title": title,
        "axis": axis,
        "description": description,
        "caption": caption,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "plot_left": PLOT_LEFT,
        "plot_right": CHART_WIDTH - 10,
        "plot_bottom": PLOT_BOTTOM,
        "bar_width": BAR_WIDTH,
        "bars": [
            {
                "key": bar.key,
                "label": bar.label,
                "value_label": bar.value_label,
                "x": x,
                "y": y(bar.value),
                "height": round(PLOT_BOTTOM - y(bar.value), 1),
                "text_x": x + BAR_WIDTH / 2,
            }
            for bar, x in zip(bars, BAR_X, strict=True)
        ],
        "interval": None
        if interval is None
        else {
            "x": centre,
            "x1": centre - WHISKER,
            "x2": centre + WHISKER,
            "y_low": y(interval[0]),
            "y_high": y(interval[1]),
            "label": interval[2],
        },
        "ticks": [{"y": y(value), "label": label} for value, label in ticks],
    }


# --- Stacked columns over time (insights' weekly sentiment, survey answers) -------------------

STACK_WIDTH, STACK_HEIGHT = 640, 260
STACK_LEFT, STACK_RIGHT, STACK_TOP, STACK_BOTTOM = 60, 28, 14, 50
STACK_LABELS = 6  # about this many column labels along the x axis


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … that is at least ``value`` (4 at the least)."""
    if value <= 4:
        return 4
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def stacked_columns(stacks: Sequence[Sequence[dict]]) -> dict:
    """Geometry of a stacked column chart: one column per stack, its segments bottom-up.

    Each segment is a dict with a ``count`` (and whatever the template needs, kept);
    empty segments are left out. Returns ``columns`` (``x``, ``label_x``,
    ``show_label``, ``segments`` with ``y`` and ``height``), ``ticks`` and the frame.
    """
    top = nice_ceiling(max((sum(s["count"] for s in stack) for stack in stacks), default=0))
    plot_width = STACK_WIDTH - STACK_LEFT - STACK_RIGHT
    plot_height = STACK_HEIGHT - STACK_TOP - STACK_BOTTOM
    slot = plot_width / max(len(stacks), 1)
    bar_width = round(slot * 0.7, 2)
    label_every = max(1, round(len(stacks) / STACK_LABELS))
    columns = []
    for n, stack in enumerate(stacks):
        x = round(STACK_LEFT + n * slot + (slot - bar_width) / 2, 2)
        baseline = STACK_TOP + plot_height
        segments = []
        for segment in stack:
            if not segment["count"]:
                continue
            height = round(segment["count"] / top * plot_height, 2)
            baseline -= height
            segments.append({**segment, "y": round(baseline, 2), "height": height})
        columns.append(
            {
                "x": x,
                "label_x": round(x + bar_width / 2, 2),
                "show_label": (len(stacks) - 1 - n) % label_every == 0,
                "segments": segments,
            }
        )
    return {
        "columns": columns,
        "bar_width": bar_width,
        "ticks": [
            {"value": value, "y": round(STACK_TOP + plot_height - value / top * plot_height, 2)}
            for value in (0, top // 2, top)
        ],
        "width": STACK_WIDTH,
        "height": STACK_HEIGHT,
        "plot_left": STACK_LEFT,
        "plot_right": STACK_WIDTH - STACK_RIGHT,
        "plot_bottom": STACK_TOP + plot_height,
        "x_axis_label_y": STACK_HEIGHT - 4,
        "y_axis_label_x": 12,
        "y_axis_label_y": STACK_TOP + plot_height / 2,
    }
