"""Geometry for the server-drawn SVG chart that compares two values, the second with its
95 % interval (an improvement's before/after, a campaign's holdout/treated).

The caller decides the values, the scale (``maximum`` and ``ticks``) and every label;
this module turns them into SVG user units for ``components/comparison_chart.html``.
"""

import math
from collections.abc import Callable, Sequence
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


# --- KPI charts: a line with a target line, a sparkline, horizontal bars, a funnel -------------

# Okabe–Ito: told apart with every common colour-vision deficiency.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}


def nice_top(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × a power of ten that is at least ``value`` (1 for ≤ 0)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= value * (1 - 1e-9):
            return float(factor * magnitude)
    return float(10 * magnitude)  # pragma: no cover - the loop always returns


# The largest size app.css gives a chart's tick labels and axis titles, in SVG user units:
# 19 px on a phone, where the 640-unit-wide chart is drawn about half size (11–12 px on wider
# screens). Room on the y axis is made for this size, so nothing overlaps at any width.
CHART_FONT_SIZE = 19
# The rotated y-axis title is centred on its x (dominant-baseline: central): a line box of
# 1.2 em across, half of it on each side.
AXIS_TITLE_HALF_HEIGHT = 0.6 * CHART_FONT_SIZE
# Above its baseline, a label's digits and capitals reach this high; below it, descenders.
CAP_HEIGHT, DESCENT = 0.75 * CHART_FONT_SIZE, 0.25 * CHART_FONT_SIZE


def text_width(text: str, font_size: float = CHART_FONT_SIZE) -> float:
    """An upper estimate of ``text``'s width in user units: an ASCII digit 0.64 em, a space,
    comma or point 0.32 em, anything else 1 em. These bound DejaVu Sans, the widest font the
    stylesheet's system-ui stack falls back to (digits 0.636 em, "%" 0.95, "★" 0.90)."""
    ems = sum(
        0.64 if character in "0123456789" else 0.32 if character in " ,." else 1.0
        for character in text
    )
    return ems * font_size


LINE_WIDTH, LINE_HEIGHT = 640, 240
LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 20, 16, 56
LINE_EDGE = 4  # between the chart's left edge and the y-axis title
LINE_GAP = 6  # between the y-axis title and the tick labels, and the labels and the plot
LINE_LABELS = 7  # about this many labels along the x axis


def line(
    points: Sequence[tuple[str, float | None]],
    *,
    tick_text: Callable[[float], str],
    target: float | None = None,
    maximum: float | None = None,
    whole: bool = False,
) -> dict:
    """Geometry of a line over time: ``points`` are (x label, value or None for no data).

    A gap (None) breaks the line into ``segments`` (SVG ``points`` strings); every known
    value also gets a ``marker``. The y scale runs from 0 to ``maximum`` (a fixed top, e.g.
    100 for percents) or a nice number above the largest value and the target. ``target``
    becomes a horizontal line (``target_y``), clipped to the plot. ``whole``: the values
    are counts, so the ticks fall on whole numbers. ``tick_text`` writes a tick's value
    ("75 %"); from the left edge come the y-axis title (centred on ``y_axis_label_x``), the
    tick labels (right-aligned on ``tick_x``, the widest of them given its full width) and
    the plot, so the title never runs into the labels.
    """
    known = [value for _, value in points if value is not None]
    top = maximum or nice_top(max([*known, target or 0.0], default=0.0))
    ticks = [{"value": value, "text": tick_text(value)} for value in _tick_values(top, whole)]
    title_x = round(LINE_EDGE + AXIS_TITLE_HALF_HEIGHT, 2)
    tick_x = round(
        title_x
        + AXIS_TITLE_HALF_HEIGHT
        + LINE_GAP
        + max(text_width(tick["text"]) for tick in ticks),
        2,
    )
    plot_left = round(tick_x + LINE_GAP, 2)
    plot_width = LINE_WIDTH - plot_left - LINE_RIGHT
    plot_bottom = LINE_HEIGHT - LINE_BOTTOM
    plot_height = plot_bottom - LINE_TOP
    step = plot_width / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return round(plot_bottom - plot_height * min(max(value, 0.0), top) / top, 2)

    segments: list[list[str]] = []
    markers, labels = [], []
    label_every = max(1, math.ceil(len(points) / LINE_LABELS))
    previous_known = False
    for n, (label, value) in enumerate(points):
        x = round(plot_left + n * step, 2)
        if n % label_every == 0:
            labels.append({"x": x, "label": label})
        if value is None:
            previous_known = False
            continue
        if not previous_known:
            segments.append([])
        segments[-1].append(f"{x},{y(value)}")
        markers.append({"x": x, "y": y(value), "label": label, "value": value})
        previous_known = True
    return {
        "segments": [" ".join(segment) for segment in segments],
        "markers": markers,
        "labels": labels,
        "target_y": None if target is None else y(target),
        "ticks": [{**tick, "y": y(tick["value"])} for tick in ticks],
        "tick_x": tick_x,
        "width": LINE_WIDTH,
        "height": LINE_HEIGHT,
        "plot_left": plot_left,
        "plot_right": LINE_WIDTH - LINE_RIGHT,
        "plot_top": LINE_TOP,
        "plot_bottom": plot_bottom,
        # The x labels' tops clear the lowest tick label, which is centred on the axis.
        "label_y": round(plot_bottom + AXIS_TITLE_HALF_HEIGHT + CAP_HEIGHT, 2),
        "x_axis_label_y": LINE_HEIGHT - 6,
        "y_axis_label_x": title_x,
        "y_axis_label_y": LINE_TOP + plot_height / 2,
    }


def _tick_values(top: float, whole: bool) -> list[float]:
    """Quarters of the scale; for counts the first of 4, 5 or 2 steps that land on whole
    numbers (just 0 and the top when none does)."""
    if not whole:
        return [top * share for share in (0, 0.25, 0.5, 0.75, 1)]
    for steps in (4, 5, 2):
        if (top / steps).is_integer():
            return [top / steps * n for n in range(steps + 1)]
    return [0.0, top]


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 32, 3


def sparkline(values: Sequence[float | None]) -> dict:
    """A small line without axes, scaled between the lowest and the highest value.

    Gaps (None) break the line; ``last`` is the latest known point (drawn as a dot).
    A flat series sits in the middle.
    """
    known = [value for value in values if value is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(values) - 1, 1)
    inner = SPARK_HEIGHT - 2 * SPARK_PAD

    def y(value: float) -> float:
        if high == low:
            return SPARK_HEIGHT / 2
        return round(SPARK_PAD + inner * (high - value) / (high - low), 2)

    segments: list[list[str]] = []
    last = None
    previous_known = False
    for n, value in enumerate(values):
        if value is None:
            previous_known = False
            continue
        x = round(SPARK_PAD + n * step, 2)
        if not previous_known:
            segments.append([])
        segments[-1].append(f"{x},{y(value)}")
        last = {"x": x, "y": y(value)}
        previous_known = True
    return {
        "segments": [" ".join(segment) for segment in segments],
        "last": last,
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
    }


HBAR_WIDTH, HBAR_LEFT, HBAR_RIGHT, HBAR_TOP = 640, 190, 80, 10
HBAR_ROW, HBAR_THICKNESS, HBAR_AXIS = 30, 18, 40


def horizontal_bars(rows: Sequence[tuple[str, float]], *, maximum: float | None = None) -> dict:
    """Geometry of horizontal bars, one row per (label, value), top to bottom, from 0 to
    ``maximum`` (or a nice number above the largest value)."""
    top = maximum or nice_top(max((value for _, value in rows), default=0.0))
    plot_width = HBAR_WIDTH - HBAR_LEFT - HBAR_RIGHT
    bars = []
    for n, (label, value) in enumerate(rows):
        y = HBAR_TOP + n * HBAR_ROW
        width = round(plot_width * min(max(value, 0.0), top) / top, 2)
        bars.append(
            {
                "label": label,
                "value": value,
                "y": y,
                "width": width,
                "label_y": y + HBAR_THICKNESS / 2,
                "value_x": HBAR_LEFT + width + 6,
            }
        )
    plot_bottom = HBAR_TOP + len(rows) * HBAR_ROW
    return {
        "bars": bars,
        "thickness": HBAR_THICKNESS,
        "ticks": [
            {"value": top * share, "x": round(HBAR_LEFT + plot_width * share, 2)}
            for share in (0, 0.5, 1)
        ],
        "width": HBAR_WIDTH,
        "height": plot_bottom + HBAR_AXIS,
        "plot_left": HBAR_LEFT,
        "plot_right": HBAR_WIDTH - HBAR_RIGHT,
        "plot_top": HBAR_TOP,
        "plot_bottom": plot_bottom,
        "tick_y": plot_bottom + 16,
        "x_axis_label_y": plot_bottom + 34,
    }


FUNNEL_WIDTH, FUNNEL_ROW, FUNNEL_THICKNESS, FUNNEL_LEFT = 640, 56, 34, 20


def funnel(stages: Sequence[tuple[str, int]]) -> dict:
    """Geometry of a funnel: one centred bar per (label, count), widths relative to the first
    stage; each stage carries its share of the previous one and of the first (None when the
    base is 0)."""
    first = stages[0][1] if stages else 0
    full = FUNNEL_WIDTH - 2 * FUNNEL_LEFT
    centre = FUNNEL_WIDTH / 2
    bars = []
    previous = None
    for n, (label, count) in enumerate(stages):
        width = round(full * count / first, 2) if first else 0.0
        y = 8 + n * FUNNEL_ROW
        bars.append(
            {
                "label": label,
                "count": count,
                "x": round(centre - width / 2, 2),
                "y": y,
                "width": width,
                "text_y": y + FUNNEL_THICKNESS + 14,
                "of_previous": None if previous is None or not previous else count / previous,
                "of_first": count / first if first else None,
            }
        )
        previous = count
    return {
        "bars": bars,
        "thickness": FUNNEL_THICKNESS,
        "centre": centre,
        "width": FUNNEL_WIDTH,
        "height": 8 + len(stages) * FUNNEL_ROW,
    }
