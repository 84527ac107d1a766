"""The lift of a campaign: messages sent per member, treated against holdout, with its interval.

``measure`` compares the per-member counts of the treated members (variants A
and B) with the holdout's using Welch's t interval
(``saypro.insights.statistics.mean_change``, with the holdout as "before" and
the treated as "after", so the difference is treated − holdout). The chart is
server-rendered SVG geometry, drawn like the improvements' before/after chart:
two bars and the treated bar's interval, with the same numbers as a table.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from saypro.core import charts
from saypro.insights.statistics import mean_change

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Lift:
    """Means are messages per member; ``relative`` is the difference over the holdout mean."""

    treated_n: int
    holdout_n: int
    treated_mean: float | None
    holdout_mean: float | None
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float
    is_significant: bool
    relative: float | None

    @property
    def verdict(self) -> str | None:
        """``helped``, ``got_worse`` or ``no_clear_change`` from the interval; None without one."""
        if self.ci_low is None:
            return None
        if self.ci_low > 0:
            return "helped"
        if self.ci_high < 0:
            return "got_worse"
        return "no_clear_change"


def measure(treated: Sequence[float], holdout: Sequence[float]) -> Lift:
    """Welch's difference in means, treated − holdout, with its 95 % interval.

    No interval (None) with fewer than two members on a side or no variance
    at all; no relative lift when the holdout mean is 0 or unknown.
    """
    change = mean_change(holdout, treated, confidence=CONFIDENCE)
    relative = (
        change.difference / change.before_mean
        if change.difference is not None and change.before_mean
        else None
    )
    return Lift(
        treated_n=change.after_n,
        holdout_n=change.before_n,
        treated_mean=change.after_mean,
        holdout_mean=change.before_mean,
        difference=change.difference,
        ci_low=change.ci_low,
        ci_high=change.ci_high,
        p_value=change.p_value,
        is_significant=change.is_significant,
        relative=relative,
    )


def _signed(value: float, digits: int = 2) -> str:
    text = f"{value:+.{digits}f}"
    return text.replace("-", "−")


def format_p(p_value: float) -> str:
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


VERDICTS = {
    "helped": "The campaign raised messaging",
    "got_worse": "Members who got the campaign sent fewer messages",
    "no_clear_change": "No clear change in messaging",
}


def summary(lift: Lift) -> str:
    """One sentence for the results page."""
    if (
        lift.difference is not None
        and lift.ci_low is None
        and min(lift.treated_n, lift.holdout_n) >= 2
    ):
        return (
            "No interval yet: every member on each side sent the same number of messages "
            "so far, so the lift cannot be judged."
        )
    if lift.difference is None or lift.verdict is None:
        return "Not enough members on each side yet to measure a lift."
    interval = f"{_signed(lift.ci_low)} to {_signed(lift.ci_high)}"
    verdict = VERDICTS[lift.verdict]
    return (
        f"{verdict}: {_signed(lift.difference)} messages per member against the holdout "
        f"(95 % interval {interval})."
    )


# --- The chart: server-rendered SVG geometry ------------------------------------------------


def _nice_step(maximum: float) -> float:
    raw = maximum / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


def chart(lift: Lift) -> dict | None:
    """Bars for the holdout and treated means, with the treated bar's 95 % interval.

    The interval drawn on the treated bar is the holdout mean plus the interval
    of the difference: the treated values consistent with the data.
    """
    if lift.treated_mean is None or lift.holdout_mean is None:
        return None
    holdout, treated = lift.holdout_mean, lift.treated_mean
    has_interval = lift.ci_low is not None
    low = max(holdout + lift.ci_low, 0.0) if has_interval else treated
    high = holdout + lift.ci_high if has_interval else treated
    step = _nice_step(max(holdout, treated, high, 0.1))
    maximum = step * math.ceil(max(holdout, treated, high, 0.1) / step)
    ticks = [step * index for index in range(round(maximum / step) + 1)]
    p_label = format_p(lift.p_value)
    significance = (
        "a significant difference" if lift.is_significant else "not a significant difference"
    )
    interval_label = f"{low:.2f}–{high:.2f}"
    interval_text = (
        f"The line on the treated bar is the 95 % confidence interval, {interval_label}; "
        if has_interval
        else "There is no interval yet; "
    )
    return charts.comparison(
        title="Messages sent per member in the 14 days after sending",
        axis="Messages per member",
        bars=(
            charts.Bar("holdout", "Holdout", holdout, f"{holdout:.2f}"),
            charts.Bar("treated", "Treated", treated, f"{treated:.2f}"),
        ),
        maximum=maximum,
        ticks=[(value, f"{value:g}") for value in ticks],
        interval=(low, high, interval_label) if has_interval else None,
        description=f"Holdout: {holdout:.2f} messages per member. Treated: {treated:.2f}. "
        f"{interval_text}{p_label}, {significance}.",
        caption="Messages sent per member in the 14 days after sending. Bar: the mean per "
        f"member in each group; line: the 95 % interval for the treated members; {p_label}.",
    )


def table_row(name: str, lift: Lift) -> dict:
    """One comparison as formatted text (the chart's accessible twin); "–" for what was not
    measured (no test without an interval)."""

    def mean(value: float | None, n: int) -> str:
        return "–" if value is None else f"{value:.2f} ({n} member{'' if n == 1 else 's'})"

    has_interval = lift.ci_low is not None

    return {
        "name": name,
        "treated": mean(lift.treated_mean, lift.treated_n),
        "holdout": mean(lift.holdout_mean, lift.holdout_n),
        "difference": "–" if lift.difference is None else _signed(lift.difference),
        "interval": f"{_signed(lift.ci_low)} to {_signed(lift.ci_high)}" if has_interval else "–",
        "relative": "–" if lift.relative is None else f"{_signed(100 * lift.relative, 0)} %",
        # Without an interval no test was run: a p-value of 1 would read as a finding.
        "p": format_p(lift.p_value) if has_interval else "–",
        "significant": ("Yes" if lift.is_significant else "No") if has_interval else "–",
    }
