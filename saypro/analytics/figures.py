"""KPI figures as people read them: the same on the dashboard, in reports and scorecards.

Each unit has its decimals (percent, hours and score 1, stars 2, counts 0; a ratio of
counts such as messages per conversation 2). A count under 100 that is not whole (a
forecast) keeps two decimals rather than round to a figure that would miss the target.
A count's target is whole, rounded up (``target_level``: +15 % on 1 plan is 2 plans).
A change (and a relative change) is the difference of the figures as shown, so the page's
arithmetic adds up;
a count so far is not set against a whole period (``comparable``).
"""

import math

from saypro.analytics.kpis import COUNT, HOURS, PERCENT, RATING, SCORE, Kpi

DIGITS = {PERCENT: 1, HOURS: 1, RATING: 2, SCORE: 1, COUNT: 0}
UNIT_SUFFIX = {PERCENT: " %", HOURS: " h", RATING: " ★", SCORE: "", COUNT: ""}
NO_DATA = "—"


def digits(kpi: Kpi, value: float | None = None) -> int:
    """Decimals shown for ``value`` of the KPI (for the KPI as a whole without one)."""
    if kpi.unit == COUNT and (
        kpi.kind == "ratio"
        or (value is not None and abs(value) < 100 and not float(round(value, 2)).is_integer())
    ):
        return 2
    return DIGITS[kpi.unit]


def rounded(kpi: Kpi, value: float | None) -> float | int | None:
    if value is None:
        return None
    places = digits(kpi, value)
    return round(value) if places == 0 else round(value, places)


def shown(kpi: Kpi, value: float | None) -> str:
    """The value as the pages print it ("95.2 %", "3.5 h", "4.25 ★", "1,204", "1.15")."""
    if value is None:
        return NO_DATA
    return f"{value:,.{digits(kpi, value)}f}{UNIT_SUFFIX[kpi.unit]}"


def tick_text(kpi: Kpi, value: float) -> str:
    """An axis tick, without trailing zeros ("100 %", "2.5 h", "1,500"): a chart's axis has
    room for a few characters only, and "100.0 %" is cut off."""
    return f"{value:,.2f}".rstrip("0").rstrip(".") + UNIT_SUFFIX[kpi.unit]


def target_level(kpi: Kpi, level: float) -> float:
    """A target level as it is shown and judged: a count's is whole, rounded up (3,530
    interactions + 25 % is 4,413; float noise such as 110.00000000000001 is no extra one)."""
    if kpi.kind == "count":
        return float(math.ceil(round(level, 6)))
    return level


def comparable(kpi: Kpi, *, over: bool) -> bool:
    """Whether the value is set against the previous period's: a count so far is not
    compared with a whole period, so while the period runs its change waits for the end."""
    return over or kpi.kind != "count"


def change(kpi: Kpi, value: float | None, previous: float | None) -> float | None:
    """``value`` − ``previous`` as the two figures are shown (None unless both are known)."""
    if value is None or previous is None:
        return None
    difference = rounded(kpi, value) - rounded(kpi, previous)
    return round(difference, max(digits(kpi, value), digits(kpi, previous)))


def change_percent(kpi: Kpi, value: float | None, previous: float | None) -> float | None:
    """The relative change of the figures as shown, %, one decimal: "4.04 ★ → 4.04 ★" is
    no change (None unless both are known and the previous one is not 0)."""
    difference = change(kpi, value, previous)
    if difference is None or not rounded(kpi, previous):
        return None
    return round(difference / rounded(kpi, previous) * 100, 1)


def signed(kpi: Kpi, difference: float | None) -> str:
    """A change with its sign, percentage points for percents: "+2.5 pp", "−0.4 h"."""
    if difference is None:
        return NO_DATA
    sign = "+" if difference > 0 else "−" if difference < 0 else "±"
    suffix = " pp" if kpi.unit == PERCENT else UNIT_SUFFIX[kpi.unit]
    return f"{sign}{abs(difference):,.{digits(kpi, difference)}f}{suffix}"


def signed_percent(value: float | None) -> str:
    if value is None:
        return NO_DATA
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{abs(value):.1f} %"
