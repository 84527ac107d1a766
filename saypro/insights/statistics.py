"""Tests behind "this issue is rising" and "this action changed things".

- :func:`rising_test`: is the share of reviews mentioning a theme negatively
  higher in the recent window than in the baseline window? One-sided Fisher
  exact test, with a minimum sample so that 3 complaints out of 4 reviews do
  not raise an alarm.
- :func:`benjamini_hochberg`: when many themes and topics are tested at once,
  which p-values survive a false discovery rate of ``alpha``.
- :func:`proportion_change` and :func:`mean_change`: the effect of an action
  plan, as a difference (after − before) with a confidence interval and a
  p-value, for a rate (share of negative reviews) or a mean (star rating).

All functions are pure and deterministic; rates are fractions in [0, 1], not
percentages. Degenerate input (empty windows, no variance) gives a result that
is not significant rather than an exception; invalid input (negative counts,
a count above its total, non-finite values) raises ValueError.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class RateTest:
    """The outcome of :func:`rising_test`. ``rate_ratio`` is None when the baseline rate is 0."""

    recent_count: int
    recent_total: int
    baseline_count: int
    baseline_total: int
    recent_rate: float
    baseline_rate: float
    rate_ratio: float | None
    p_value: float
    is_significant: bool


@dataclass(frozen=True)
class ProportionChange:
    """The outcome of :func:`proportion_change`: ``difference`` = after rate − before rate."""

    before_count: int
    before_total: int
    after_count: int
    after_total: int
    before_rate: float
    after_rate: float
    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    is_significant: bool


@dataclass(frozen=True)
class MeanChange:
    """The outcome of :func:`mean_change`: ``difference`` = after mean − before mean.

    A mean is None for an empty sample; the interval is None when it cannot be computed
    (fewer than two values on a side, or no variance on either side).
    """

    before_mean: float | None
    after_mean: float | None
    before_n: int
    after_n: int
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float
    is_significant: bool


def rising_test(
    recent_count: int,
    recent_total: int,
    baseline_count: int,
    baseline_total: int,
    *,
    alpha: float = 0.01,
    min_recent_count: int = 5,
    min_baseline_total: int = 20,
) -> RateTest:
    """Whether ``recent_count / recent_total`` is significantly higher than the baseline share.

    Totals are numbers of reviews in each window; counts are the reviews that mention the
    theme negatively. One-sided Fisher exact test on the 2×2 table (alternative "greater").
    Significant only when p < ``alpha``, the recent rate is above the baseline rate, the
    recent window has at least ``min_recent_count`` such reviews and the baseline window at
    least ``min_baseline_total`` reviews; the p-value is reported either way.
    """
    _check_count(recent_count, recent_total, "recent")
    _check_count(baseline_count, baseline_total, "baseline")
    recent_rate = _rate(recent_count, recent_total)
    baseline_rate = _rate(baseline_count, baseline_total)
    if recent_total and baseline_total:
        table = [
            [recent_count, recent_total - recent_count],
            [baseline_count, baseline_total - baseline_count],
        ]
        p_value = float(stats.fisher_exact(table, alternative="greater").pvalue)
    else:
        p_value = 1.0
    return RateTest(
        recent_count=recent_count,
        recent_total=recent_total,
        baseline_count=baseline_count,
        baseline_total=baseline_total,
        recent_rate=recent_rate,
        baseline_rate=baseline_rate,
        rate_ratio=recent_rate / baseline_rate if baseline_rate > 0 else None,
        p_value=p_value,
        is_significant=(
            p_value < alpha
            and recent_rate > baseline_rate
            and recent_count >= min_recent_count
            and baseline_total >= min_baseline_total
        ),
    )


def benjamini_hochberg(p_values: Sequence[float], alpha: float) -> list[bool]:
    """For each p-value, in the order given, whether it is a discovery at FDR ``alpha``.

    The Benjamini–Hochberg step-up procedure (scipy's ``false_discovery_control``): a
    p-value is a discovery when its adjusted value is at most ``alpha``.
    """
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1.")
    if not p_values:
        return []
    values = np.asarray(p_values, dtype=float)
    if not np.all((values >= 0) & (values <= 1)):
        raise ValueError("p-values must be between 0 and 1.")
    adjusted = stats.false_discovery_control(values, method="bh")
    return [bool(value <= alpha) for value in adjusted]


def proportion_change(
    before_count: int,
    before_total: int,
    after_count: int,
    after_total: int,
    *,
    confidence: float = 0.95,
) -> ProportionChange:
    """The change in a rate from before to after, with Newcombe's hybrid score interval.

    The interval (Newcombe 1998, method 10) combines the Wilson score intervals of the two
    rates; it behaves well for small counts and rates near 0 or 1. The p-value is the
    two-sided Fisher exact test, and ``is_significant`` means p < 1 − ``confidence``. The
    two come from different methods, so at the margin the interval can just exclude 0
    while p is just above the threshold (or the reverse); significance follows p. An empty
    window has rate 0 and the widest interval, (0, 1), and is never significant.
    """
    _check_confidence(confidence)
    _check_count(before_count, before_total, "before")
    _check_count(after_count, after_total, "after")
    before_rate = _rate(before_count, before_total)
    after_rate = _rate(after_count, after_total)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    before_low, before_high = _wilson(before_count, before_total, z)
    after_low, after_high = _wilson(after_count, after_total, z)
    difference = after_rate - before_rate
    ci_low = difference - math.hypot(after_rate - after_low, before_high - before_rate)
    ci_high = difference + math.hypot(after_high - after_rate, before_rate - before_low)
    if before_total and after_total:
        table = [
            [after_count, after_total - after_count],
            [before_count, before_total - before_count],
        ]
        p_value = float(stats.fisher_exact(table, alternative="two-sided").pvalue)
    else:
        p_value = 1.0
    return ProportionChange(
        before_count=before_count,
        before_total=before_total,
        after_count=after_count,
        after_total=after_total,
        before_rate=before_rate,
        after_rate=after_rate,
        difference=difference,
        ci_low=max(-1.0, ci_low),
        ci_high=min(1.0, ci_high),
        p_value=p_value,
        is_significant=p_value < 1 - confidence,
    )


def mean_change(
    before: Sequence[float], after: Sequence[float], *, confidence: float = 0.95
) -> MeanChange:
    """The change in a mean from before to after: Welch's t-test and interval.

    The interval uses the Welch–Satterthwaite degrees of freedom, so the two samples may
    have different variances and sizes. With fewer than two values on a side, or no
    variance on either side, there is no interval (None), p is 1.0 and the change is not
    significant. ``is_significant`` means p < 1 − ``confidence``.
    """
    _check_confidence(confidence)
    before_values = np.asarray(before, dtype=float)
    after_values = np.asarray(after, dtype=float)
    if not (np.all(np.isfinite(before_values)) and np.all(np.isfinite(after_values))):
        raise ValueError("Values must be finite numbers.")
    before_n, after_n = len(before_values), len(after_values)
    before_mean = float(before_values.mean()) if before_n else None
    after_mean = float(after_values.mean()) if after_n else None
    difference = (
        after_mean - before_mean if before_mean is not None and after_mean is not None else None
    )
    unknown = MeanChange(
        before_mean=before_mean,
        after_mean=after_mean,
        before_n=before_n,
        after_n=after_n,
        difference=difference,
        ci_low=None,
        ci_high=None,
        p_value=1.0,
        is_significant=False,
    )
    if before_n < 2 or after_n < 2:
        return unknown
    before_variance = float(before_values.var(ddof=1)) / before_n
    after_variance = float(after_values.var(ddof=1)) / after_n
    standard_error_squared = before_variance + after_variance
    if standard_error_squared <= 0:
        return unknown
    # Welch's t-test, written out: scipy's ttest_ind warns about precision loss when one
    # sample is constant, which is an ordinary case here (every rating a 5).
    change = float(after_values.mean() - before_values.mean())
    standard_error = math.sqrt(standard_error_squared)
    degrees_of_freedom = standard_error_squared**2 / (
        before_variance**2 / (before_n - 1) + after_variance**2 / (after_n - 1)
    )
    t = change / standard_error
    p_value = float(min(1.0, 2 * stats.t.sf(abs(t), degrees_of_freedom)))
    margin = float(stats.t.ppf(0.5 + confidence / 2, degrees_of_freedom)) * standard_error
    return MeanChange(
        before_mean=before_mean,
        after_mean=after_mean,
        before_n=before_n,
        after_n=after_n,
        difference=change,
        ci_low=change - margin,
        ci_high=change + margin,
        p_value=p_value,
        is_significant=p_value < 1 - confidence,
    )


def _rate(count: int, total: int) -> float:
    return count / total if total else 0.0


def _wilson(count: int, total: int, z: float) -> tuple[float, float]:
    """The Wilson score interval of ``count / total``; (0, 1) when ``total`` is 0."""
    if total == 0:
        return 0.0, 1.0
    rate = count / total
    denominator = 1 + z * z / total
    centre = (rate + z * z / (2 * total)) / denominator
    half_width = z * math.sqrt(rate * (1 - rate) / total + z * z / (4 * total * total))
    half_width /= denominator
    return max(0.0, centre - half_width), min(1.0, centre + half_width)


def _check_count(count: int, total: int, window: str) -> None:
    if total < 0 or count < 0 or count > total:
        raise ValueError(
            f"The {window} count must be between 0 and the {window} total (got {count} of {total})."
        )


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1.")
