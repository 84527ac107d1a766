"""The KPI chart geometry: pure functions, checked on numbers worked out by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saypro.core import charts


@pytest.mark.parametrize(
    ("value", "top"),
    [
        (0, 1),
        (-3, 1),
        (0.8, 1),
        (1, 1),
        (1.2, 2),
        (2.1, 2.5),
        (3, 5),
        (7, 10),
        (95, 100),
        (101, 200),
    ],
)
def test_nice_top(value, top):
    assert charts.nice_top(value) == top


@given(st.floats(min_value=1e-6, max_value=1e12))
def test_nice_top_is_above_and_close(value):
    top = charts.nice_top(value)
    assert value <= top * (1 + 1e-9)
    assert top <= value * 2.5 * (1 + 1e-9)


def percent(value: float) -> str:
    return f"{value:g} %"


def number(value: float) -> str:
    return f"{value:,g}"


def test_line_with_a_gap_and_a_target():
    chart = charts.line(
        [("w1", 0.0), ("w2", 50.0), ("w3", None), ("w4", 100.0)],
        tick_text=percent,
        target=95,
        maximum=100,
    )
    # Plot: x from 100.36 (see the next test) to 620 (3 steps of 173.21), y from 184 (0) up
    # to 16 (100).
    assert chart["segments"] == ["100.36,184.0 273.57,100.0", "620.0,16.0"]
    assert [marker["label"] for marker in chart["markers"]] == ["w1", "w2", "w4"]
    assert chart["target_y"] == pytest.approx(184 - 168 * 0.95)
    assert [tick["value"] for tick in chart["ticks"]] == [0, 25, 50, 75, 100]
    assert [tick["text"] for tick in chart["ticks"]] == ["0 %", "25 %", "50 %", "75 %", "100 %"]
    assert chart["ticks"][-1]["y"] == 16


def test_the_y_axis_title_clears_the_tick_labels():
    chart = charts.line([("w1", 80.0)], tick_text=percent, maximum=100)
    # "100 %" at 19 px, the size on a phone: 3 digits of 0.64 em, a space of 0.32 em and a
    # "%" of 1 em = 3.24 em = 61.56 units, more than DejaVu Sans draws it (60.3).
    widest = charts.text_width("100 %")
    assert widest == pytest.approx(61.56)
    # From the left: 4, the title's 22.8 (centred on 15.4), 6, the label, 6, the plot.
    assert chart["y_axis_label_x"] == pytest.approx(15.4)
    assert chart["tick_x"] == pytest.approx(94.36)
    assert chart["plot_left"] == pytest.approx(100.36)
    title_right = chart["y_axis_label_x"] + charts.AXIS_TITLE_HALF_HEIGHT
    assert title_right < chart["tick_x"] - widest


def test_the_x_labels_clear_the_lowest_tick_label_and_the_x_axis_title():
    chart = charts.line([("1 Oct", 400.0), ("8 Oct", 480.0)], tick_text=number)
    lowest_tick_bottom = chart["plot_bottom"] + charts.AXIS_TITLE_HALF_HEIGHT
    assert chart["label_y"] - charts.CAP_HEIGHT >= lowest_tick_bottom
    assert chart["label_y"] + charts.DESCENT < chart["x_axis_label_y"] - charts.CAP_HEIGHT


@pytest.mark.parametrize("largest", [8.0, 2_000.0, 1_500_000.0])
def test_longer_tick_labels_move_the_plot_right(largest):
    chart = charts.line([("w1", largest)], tick_text=number)
    widest = max(charts.text_width(tick["text"]) for tick in chart["ticks"])
    assert chart["y_axis_label_x"] + charts.AXIS_TITLE_HALF_HEIGHT < chart["tick_x"] - widest
    assert chart["plot_left"] == pytest.approx(chart["tick_x"] + charts.LINE_GAP)
    assert chart["markers"][0]["x"] == chart["plot_left"]


def test_line_scales_to_the_target_when_it_is_higher():
    chart = charts.line([("a", 10.0), ("b", 20.0)], tick_text=number, target=30)
    assert chart["ticks"][-1]["value"] == 50  # nice_top(30)
    assert chart["target_y"] == pytest.approx(184 - 168 * 30 / 50)


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [
        (25, [0, 5, 10, 15, 20, 25]),
        (8, [0, 2, 4, 6, 8, 10]),
        (100, [0, 25, 50, 75, 100]),
        (2, [0, 1, 2]),
        (1, [0, 1]),
    ],
)
def test_count_ticks_fall_on_whole_numbers(largest, ticks):
    chart = charts.line([("a", float(largest))], tick_text=number, whole=True)
    assert [tick["value"] for tick in chart["ticks"]] == ticks


def test_line_without_data():
    chart = charts.line([("a", None), ("b", None)], tick_text=number)
    assert chart["segments"] == [] and chart["markers"] == [] and chart["target_y"] is None


def test_line_labels_thin_out():
    chart = charts.line([(str(n), float(n)) for n in range(14)], tick_text=number)
    assert [label["label"] for label in chart["labels"]] == ["0", "2", "4", "6", "8", "10", "12"]


def test_sparkline_scales_between_low_and_high():
    chart = charts.sparkline([1.0, None, 3.0, 2.0])
    # x: 3 + n × 38; y: 3 (highest) to 29 (lowest).
    assert chart["segments"] == ["3.0,29.0", "79.0,3.0 117.0,16.0"]
    assert chart["last"] == {"x": 117.0, "y": 16.0}


def test_a_flat_or_empty_sparkline():
    assert charts.sparkline([4.0, 4.0])["segments"] == ["3.0,16.0 117.0,16.0"]
    empty = charts.sparkline([])
    assert empty["segments"] == [] and empty["last"] is None


def test_horizontal_bars():
    chart = charts.horizontal_bars([("Under 1 h", 30.0), ("1–4 h", 15.0), ("48 h or more", 0.0)])
    # The top is nice_top(30) = 50 over 370 units.
    assert [bar["width"] for bar in chart["bars"]] == [222.0, 111.0, 0.0]
    assert [bar["y"] for bar in chart["bars"]] == [10, 40, 70]
    assert chart["plot_bottom"] == 100
    assert [tick["value"] for tick in chart["ticks"]] == [0, 25, 50]


def test_funnel_shares():
    chart = charts.funnel([("Inquiries", 200), ("Replied", 150), ("Bought", 30)])
    widths = [bar["width"] for bar in chart["bars"]]
    assert widths == [600.0, 450.0, 90.0]
    assert [bar["x"] for bar in chart["bars"]] == [20.0, 95.0, 275.0]  # centred on 320
    assert [bar["of_previous"] for bar in chart["bars"]] == [None, 0.75, 0.2]
    assert [bar["of_first"] for bar in chart["bars"]] == [1.0, 0.75, 0.15]


def test_an_empty_funnel():
    chart = charts.funnel([("Inquiries", 0), ("Replied", 0)])
    assert [bar["width"] for bar in chart["bars"]] == [0.0, 0.0]
    assert chart["bars"][1]["of_previous"] is None and chart["bars"][1]["of_first"] is None


@given(st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=1e6)), max_size=20))
def test_line_stays_inside_the_plot(values):
    chart = charts.line(
        [(str(n), value) for n, value in enumerate(values)], tick_text=number, target=50.0
    )
    for marker in chart["markers"]:
        assert chart["plot_left"] <= marker["x"] <= chart["plot_right"]
        assert chart["plot_top"] <= marker["y"] <= chart["plot_bottom"]
    assert len(chart["markers"]) == sum(value is not None for value in values)
