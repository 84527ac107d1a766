"""Rising-issue and impact statistics (pure functions, no database)."""

import math

import numpy as np
import pytest

from saypro.insights.statistics import (
    MeanChange,
    ProportionChange,
    RateTest,
    benjamini_hochberg,
    mean_change,
    proportion_change,
    rising_test,
)

# --- rising_test ----------------------------------------------------------------------------


def test_a_tripled_complaint_rate_is_rising() -> None:
    result = rising_test(30, 200, 20, 400)

    assert result == RateTest(
        recent_count=30,
        recent_total=200,
        baseline_count=20,
        baseline_total=400,
        recent_rate=0.15,
        baseline_rate=0.05,
        rate_ratio=pytest.approx(3.0),
        p_value=pytest.approx(4.8679e-05, rel=1e-3),
        is_significant=True,
    )


def test_a_rise_drawn_from_known_rates_is_found() -> None:
    rng = np.random.default_rng(20240601)
    recent = int((rng.random(300) < 0.12).sum())
    baseline = int((rng.random(900) < 0.04).sum())

    result = rising_test(recent, 300, baseline, 900)

    assert result.is_significant is True
    assert result.p_value < 0.001
    assert result.rate_ratio is not None and 2 < result.rate_ratio < 4.5


def test_equal_rates_are_not_rising() -> None:
    result = rising_test(10, 200, 20, 400)

    assert result.rate_ratio == pytest.approx(1.0)
    assert result.p_value > 0.4
    assert result.is_significant is False


def test_a_falling_rate_is_not_rising() -> None:
    assert rising_test(5, 200, 60, 400).is_significant is False


def test_a_tiny_sample_is_not_significant_even_with_a_small_p_value() -> None:
    result = rising_test(3, 4, 10, 400)

    assert result.p_value < 0.001
    assert result.is_significant is False


def test_a_small_baseline_is_not_significant() -> None:
    result = rising_test(40, 100, 0, 19)

    assert result.p_value < 0.01
    assert result.rate_ratio is None
    assert result.is_significant is False


def test_empty_windows_are_not_significant() -> None:
    assert rising_test(0, 0, 0, 0) == RateTest(0, 0, 0, 0, 0.0, 0.0, None, 1.0, False)


@pytest.mark.parametrize(
    "arguments", [(5, 4, 1, 10), (-1, 4, 1, 10), (1, 4, 11, 10), (1, -4, 1, 10)]
)
def test_rising_test_rejects_impossible_counts(arguments: tuple[int, int, int, int]) -> None:
    with pytest.raises(ValueError, match="count must be between 0 and"):
        rising_test(*arguments)


# --- benjamini_hochberg -----------------------------------------------------------------------


def test_benjamini_hochberg_steps_up() -> None:
    p_values = [0.001, 0.2, 0.01, 0.04, 0.03, 0.5]

    # sorted: 0.001 ≤ 0.05·1/6, 0.01 ≤ 0.05·2/6, 0.03 ≤ 0.05·3/6? no (0.025), 0.04 ≤ 0.05·4/6
    # (0.0333)? no; 0.2, 0.5 no. The largest k with p(k) ≤ k·α/m is 2.
    assert benjamini_hochberg(p_values, 0.05) == [True, False, True, False, False, False]
    assert benjamini_hochberg(p_values, 0.2) == [True, False, True, True, True, False]


def test_benjamini_hochberg_edge_cases() -> None:
    assert benjamini_hochberg([], 0.05) == []
    assert benjamini_hochberg([0.04], 0.05) == [True]
    with pytest.raises(ValueError, match="p-values"):
        benjamini_hochberg([1.5], 0.05)
    with pytest.raises(ValueError, match="alpha"):
        benjamini_hochberg([0.1], 0)


# --- proportion_change ------------------------------------------------------------------------


def test_proportion_change_matches_newcombes_published_interval() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, example (56/70 vs 48/80): 0.0524 to 0.3339.
    result = proportion_change(48, 80, 56, 70)

    assert result.difference == pytest.approx(0.2)
    assert (round(result.ci_low, 4), round(result.ci_high, 4)) == (0.0524, 0.3339)
    assert result.is_significant is True


def test_a_known_drop_in_the_complaint_rate_is_found() -> None:
    rng = np.random.default_rng(20240601)
    before = int((rng.random(800) < 0.30).sum())
    after = int((rng.random(800) < 0.15).sum())

    result = proportion_change(before, 800, after, 800)

    assert result.is_significant is True
    assert result.ci_high < 0
    assert result.ci_low <= -0.15 <= result.ci_high


def test_no_change_in_the_rate_is_not_significant() -> None:
    rng = np.random.default_rng(7)
    before = int((rng.random(500) < 0.2).sum())
    after = int((rng.random(500) < 0.2).sum())

    result = proportion_change(before, 500, after, 500)

    assert result.is_significant is False
    assert result.ci_low < 0 < result.ci_high


def test_proportion_change_of_empty_windows_is_wide_and_not_significant() -> None:
    assert proportion_change(0, 0, 0, 0) == ProportionChange(
        before_count=0,
        before_total=0,
        after_count=0,
        after_total=0,
        before_rate=0.0,
        after_rate=0.0,
        difference=0.0,
        ci_low=-1.0,
        ci_high=1.0,
        p_value=1.0,
        is_significant=False,
    )


def test_proportion_change_with_no_events_has_a_symmetric_interval() -> None:
    result = proportion_change(0, 10, 0, 10)

    assert result.difference == 0.0
    assert result.ci_low == pytest.approx(-result.ci_high)
    assert result.p_value == 1.0


def test_proportion_change_rejects_bad_confidence() -> None:
    with pytest.raises(ValueError, match="confidence"):
        proportion_change(1, 10, 2, 10, confidence=95)


# --- mean_change ------------------------------------------------------------------------------


def test_a_known_rise_in_the_average_rating_is_found() -> None:
    rng = np.random.default_rng(11)
    before = rng.normal(3.4, 1.1, 300)
    after = rng.normal(4.0, 1.0, 250)

    result = mean_change(list(before), list(after))

    assert result.is_significant is True
    assert result.ci_low is not None and result.ci_high is not None
    assert 0 < result.ci_low <= 0.6 <= result.ci_high
    assert (result.before_n, result.after_n) == (300, 250)


def test_mean_change_agrees_with_welchs_test() -> None:
    result = mean_change([1, 2, 3, 4], [3, 4, 5, 6])

    assert result.difference == 2.0
    assert result.p_value == pytest.approx(0.070988, abs=1e-6)
    assert (round(result.ci_low or 0, 4), round(result.ci_high or 0, 4)) == (-0.2337, 4.2337)
    assert result.is_significant is False


def test_no_change_in_the_average_rating_is_not_significant() -> None:
    rng = np.random.default_rng(12)

    result = mean_change(list(rng.normal(3.8, 1.0, 300)), list(rng.normal(3.8, 1.0, 300)))

    assert result.is_significant is False
    assert result.ci_low is not None and result.ci_high is not None
    assert result.ci_low < 0 < result.ci_high


def test_one_constant_sample_still_gives_an_interval() -> None:
    result = mean_change([5, 5, 5, 5], [3, 4, 5, 4])

    assert result.difference == -1.0
    assert result.ci_low is not None and result.ci_high is not None
    assert result.ci_low < -1.0 < result.ci_high


@pytest.mark.parametrize(
    ("before", "after", "before_mean", "after_mean", "difference"),
    [
        ([], [], None, None, None),
        ([], [4.0], None, 4.0, None),
        ([3.0], [4.0, 5.0], 3.0, 4.5, 1.5),
        ([5.0, 5.0, 5.0], [5.0, 5.0], 5.0, 5.0, 0.0),
        ([3.0, 3.0, 3.0], [5.0, 5.0, 5.0], 3.0, 5.0, 2.0),
    ],
)
def test_degenerate_samples_are_not_significant(
    before: list[float],
    after: list[float],
    before_mean: float | None,
    after_mean: float | None,
    difference: float | None,
) -> None:
    assert mean_change(before, after) == MeanChange(
        before_mean=before_mean,
        after_mean=after_mean,
        before_n=len(before),
        after_n=len(after),
        difference=difference,
        ci_low=None,
        ci_high=None,
        p_value=1.0,
        is_significant=False,
    )


def test_mean_change_rejects_values_that_are_not_finite() -> None:
    with pytest.raises(ValueError, match="finite"):
        mean_change([1.0, math.nan], [2.0, 3.0])
