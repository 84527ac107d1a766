"""KPI figures: one rounding for the dashboard, the reports and the scorecard."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saypro.analytics import dashboard, figures, reports, selectors
from saypro.analytics.kpis import KPIS, get
from saypro.analytics.periods import Quarter

PERCENT_KPI = get("review_response_48h")
COUNT_KPI = get("improvements_from_feedback")


def value_of(kpi, value, previous, *, over=True) -> selectors.KpiValue:
    change = None if value is None or previous is None else value - previous
    percent = None if change is None or not previous else change / previous * 100
    return selectors.KpiValue(
        kpi=kpi,
        value=value,
        numerator=None,
        denominator=None,
        previous=previous,
        change=change,
        change_percent=percent,
        target=None,
        target_setting=None,
        forecast=None,
        forecast_low=None,
        forecast_high=None,
        status=None,
        over=over,
    )


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        ("review_response_48h", 95.24, "95.2 %"),
        ("first_response_median", 3.46, "3.5 h"),
        ("average_rating", 4.256, "4.26 ★"),
        ("coach_score_average", 84.37, "84.4"),
        ("messaging_interactions", 1204, "1,204"),
        ("improvements_from_feedback", 1.15, "1.15"),  # a +15 % target on 1: not "1"
        ("messaging_interactions", 328.4, "328"),
        ("messages_per_conversation", 3, "3.00"),
        ("review_response_48h", None, "—"),
    ],
)
def test_each_unit_is_shown_with_its_decimals(key, value, text):
    assert figures.shown(get(key), value) == text


def test_a_change_is_the_difference_of_the_figures_shown():
    # 52.34 → "52.3 %", 63.26 → "63.3 %": the change reads −11.0 pp, not the raw −10.9.
    item = value_of(PERCENT_KPI, 52.34, 63.26)
    assert dashboard.fmt_change(item) == "−11.0 pp"
    assert reports._row(item).change == -11.0


@given(
    kpi=st.sampled_from([kpi for kpi in KPIS if kpi.source == "rollup"]),
    value=st.floats(0, 10_000, allow_nan=False),
    previous=st.floats(0, 10_000, allow_nan=False),
)
def test_the_dashboard_and_the_report_say_the_same(kpi, value, previous):
    item = value_of(kpi, value, previous)
    row = reports._row(item)
    card = dashboard.card(item)
    assert card["value"] == figures.shown(kpi, row.value)
    assert card["previous"] == figures.shown(kpi, row.previous)
    assert card["change"].startswith(figures.signed(kpi, row.change))


@pytest.mark.parametrize(
    ("key", "setting", "previous", "target"),
    [
        ("improvements_from_feedback", 15, 1, 2),
        ("messaging_interactions", 25, 3530, 4413),
        ("messaging_interactions", 10, 100, 110),
        ("messaging_interactions", 25, 4, 5),
    ],
)
def test_a_count_target_is_whole_and_rounded_up(key, setting, previous, target):
    level = selectors._target_level(get(key), setting, previous)
    assert level == target
    assert figures.shown(get(key), level) == f"{target:,}"


def test_a_count_so_far_is_compared_only_once_the_period_is_over():
    item = value_of(get("review_volume"), 5520, 7086, over=False)
    assert dashboard.card(item)["change"] == "compared when the quarter ends"
    assert dashboard.card(item)["improving"] is None
    assert reports._row(item).change is None
    over = value_of(get("review_volume"), 5520, 7086)
    assert dashboard.card(over)["change"] == "−1,566 (−22.1 %)"
    assert reports._row(over).change == -1566
    rate = value_of(PERCENT_KPI, 52.34, 63.26, over=False)
    assert dashboard.card(rate)["change"] == "−11.0 pp" and reports._row(rate).change == -11.0


def test_a_change_that_rounds_away_is_no_change():
    # 4.0433 → "4.04 ★" and 4.0423 → "4.04 ★": neither worse (red) nor "−0.0 %".
    item = value_of(get("average_rating"), 4.0423, 4.0433)
    card = dashboard.card(item)
    assert (card["change"], card["improving"]) == ("±0.00 ★ (±0.0 %)", None)
    row = reports._row(item)
    assert (row.change, row.change_percent, row.improved) == (0, 0, None)


def test_a_relative_change_is_that_of_the_figures_shown():
    # 5.65 h → "5.7 h", 1.47 h → "1.5 h": −4.2 h of 5.7 h is −73.7 %, not the raw −74.0 %.
    item = value_of(get("first_response_median"), 1.4667, 5.65)
    assert dashboard.fmt_change(item) == "−4.2 h (−73.7 %)"
    assert reports._row(item).change_percent == -73.7


def test_the_dashboard_axis_ticks_fit_the_axis():
    # "100.0 %" was cut off at the chart's left edge; the reports' charts read "100 %".
    week = Quarter(2026, 3).first_day
    chart = dashboard.trend_chart(
        value_of(PERCENT_KPI, 50.0, 40.0), [(week, 50.0)], Quarter(2026, 3)
    )
    assert [tick["text"] for tick in chart["ticks"]] == ["0 %", "25 %", "50 %", "75 %", "100 %"]
    assert figures.tick_text(get("first_response_median"), 2.5) == "2.5 h"
    assert figures.tick_text(get("messaging_interactions"), 1500) == "1,500"
