"""Quarters and months in the marketplace time zone."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saypro.analytics.periods import Month, Quarter

ZONE = ZoneInfo("Africa/Johannesburg")


@pytest.fixture(autouse=True)
def _zone(settings):
    settings.TIME_ZONE = "Africa/Johannesburg"


def test_a_quarter():
    quarter = Quarter.parse("2026-Q4")
    assert quarter == Quarter(2026, 4) == Quarter.parse("2026 q4")
    assert quarter.label == "2026 Q4"
    assert quarter.key == "2026-Q4"
    assert quarter.start == datetime(2026, 10, 1, tzinfo=ZONE)
    assert quarter.end == datetime(2027, 1, 1, tzinfo=ZONE)
    assert len(quarter.days()) == 92
    assert quarter.next() == Quarter(2027, 1)
    assert quarter.next().previous() == quarter
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)


def test_the_day_is_the_marketplace_day():
    # 23:30 UTC on 30 June is already 1 July (Q3) in Johannesburg.
    late = datetime(2026, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert Quarter.of(late) == Quarter(2026, 3)
    assert Month.of(late) == Month(2026, 7)
    assert Quarter.of(date(2026, 6, 30)) == Quarter(2026, 2)


def test_a_month():
    month = Month.parse("2027-01")
    assert month.label == "January 2027"
    assert month.previous() == Month(2026, 12)
    assert month.quarter == Quarter(2027, 1)
    assert len(Month(2028, 2).days()) == 29


@pytest.mark.parametrize("text", ["", "2026", "2026-Q0", "2026-Q5", "Q4-2026", "2026-13"])
def test_bad_periods_are_refused(text):
    with pytest.raises(ValueError):
        Quarter.parse(text) if "Q" in text or "-" not in text else Month.parse(text)


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_is_in_exactly_one_quarter_and_month(day):
    quarter, month = Quarter.of(day), Month.of(day)
    assert day in quarter and day in month
    assert day not in quarter.next() and day not in quarter.previous()
    assert quarter.days()[0] == quarter.first_day
    assert quarter.days()[-1] + timedelta(days=1) == quarter.next().first_day
