"""Forecasts of a KPI's quarter-end value with a 95 % interval, and the status against a target.

The method per kind is one sentence on the ``Kpi`` (``Kpi.method``):
counts run at last quarter's pace (the share of its total reached by the same
day of the quarter), rates use a Wilson interval, averages a normal interval,
percentiles the ranks around them; rate, average and percentile intervals are
widened by the share of the quarter still to come. Status: the forecast meets
the target → on track; the interval contains the target → at risk; else off
track. A quarter that is over has no forecast but its value (``final``), and its
status is a verdict: the target met or missed.
"""

import math
from dataclasses import dataclass

Z = 1.96
ON_TRACK, AT_RISK, OFF_TRACK = "on_track", "at_risk", "off_track"
MET, MISSED = "met", "missed"
STATUS_LABELS = {
    ON_TRACK: "On track",
    AT_RISK: "At risk",
    OFF_TRACK: "Off track",
    MET: "Met",
    MISSED: "Missed",
}
# The badge a status wears: a verdict looks like the running status it confirms.
STATUS_STYLES = {MET: ON_TRACK, MISSED: OFF_TRACK}


@dataclass(frozen=True)
class Forecast:
    value: float | None
    low: float | None
    high: float | None


NONE = Forecast(None, None, None)


def final(value: float | None) -> Forecast:
    """The "forecast" of a quarter that is over: its value, with no interval."""
    return NONE if value is None else Forecast(value, value, value)


def count(to_date: float, elapsed_share: float, pace_share: float | None) -> Forecast:
    """``elapsed_share``: days elapsed ÷ days in the quarter; ``pace_share``: the share of last
    quarter's total reached by the same day (None or 0 when last quarter had nothing)."""
    if elapsed_share >= 1:
        return Forecast(to_date, to_date, to_date)
    if elapsed_share <= 0:
        return NONE
    share = pace_share if pace_share else elapsed_share
    projected = to_date / share
    left = max(0.0, projected - to_date)
    spread = Z * math.sqrt(left)
    return Forecast(projected, max(to_date, projected - spread), projected + spread)


def wilson(successes: float, trials: float) -> tuple[float, float]:
    p = successes / trials
    denominator = 1 + Z * Z / trials
    centre = (p + Z * Z / (2 * trials)) / denominator
    half = Z * math.sqrt(p * (1 - p) / trials + Z * Z / (4 * trials * trials)) / denominator
    return centre - half, centre + half


def _widen(value: float, low: float, high: float, left_share: float) -> tuple[float, float]:
    factor = 1 + max(0.0, left_share)
    return value - (value - low) * factor, value + (high - value) * factor


def rate(successes: float, trials: float, left_share: float, scale: float = 100.0) -> Forecast:
    if not trials:
        return NONE
    value = successes / trials
    low, high = _widen(value, *wilson(successes, trials), left_share)
    return Forecast(value * scale, max(0.0, low) * scale, min(1.0, high) * scale)


def ratio(numerator: float, denominator: float, left_share: float) -> Forecast:
    """A ratio that is not a share (e.g. messages per conversation): a Poisson interval."""
    if not denominator:
        return NONE
    value = numerator / denominator
    half = Z * math.sqrt(numerator) / denominator
    low, high = _widen(value, value - half, value + half, left_share)
    return Forecast(value, max(0.0, low), high)


def mean(total: float, square_total: float, n: float, left_share: float) -> Forecast:
    if not n:
        return NONE
    value = total / n
    variance = max(0.0, square_total / n - value * value)
    half = Z * math.sqrt(variance / n)
    low, high = _widen(value, value - half, value + half, left_share)
    return Forecast(value, low, high)


def percentile(value: float | None, low: float | None, high: float | None, left_share: float):
    if value is None:
        return NONE
    low, high = _widen(value, low, high, left_share)
    return Forecast(value, max(0.0, low), high)


def status(
    better: str, target: float | None, forecast: Forecast, *, over: bool = False
) -> str | None:
    """On track / at risk / off track while the quarter runs; met / missed once it is
    ``over``."""
    if target is None or forecast.value is None:
        return None
    meets = forecast.value >= target if better == "up" else forecast.value <= target
    if over:
        return MET if meets else MISSED
    if meets:
        return ON_TRACK
    if forecast.low is not None and forecast.low <= target <= forecast.high:
        return AT_RISK
    return OFF_TRACK
