"""The changes made for speed at scale (docs/performance.md, "KPI dashboards") keep every
figure the same: numpy histogram sums, per-call range totals, the education figures from
the rollups, the rankings sorted in SQL, and the raw-time-stamp indexes the rebuild reads by."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from saypro.analytics import education, histogram, selectors
from saypro.analytics.periods import Quarter

Q3 = Quarter(2026, 3)


day_histograms = st.lists(
    st.dictionaries(st.integers(0, histogram.OVERFLOW).map(str), st.integers(1, 50), max_size=30),
    max_size=8,
)


@given(day_histograms)
def test_summed_histogram_equals_adding_the_days_key_by_key(days):
    totals = selectors.Totals()
    expected = Counter()
    for counts in days:
        row = dict.fromkeys(selectors.COUNTER_FIELDS, 0)
        row["response_histogram"] = counts
        totals.add(row)
        histogram.add(expected, counts)
    assert totals.histogram == +expected


def test_a_day_range_is_summed_once_per_call(world):
    rows = selectors._rows(Q3.first_day, Q3.last_day)
    first = selectors._total(rows, Q3.first_day, Q3.last_day)
    assert selectors._total(rows, Q3.first_day, Q3.last_day) is first
    assert first["messages"] == sum(row["messages"] for row in rows.values())


def test_reading_without_the_histogram_gives_the_same_counters(world):
    full = selectors._rows(Q3.first_day, Q3.last_day)
    light = selectors._rows(Q3.first_day, Q3.last_day, with_histogram=False)
    assert light.keys() == full.keys()
    for day, row in light.items():
        assert "response_histogram" not in row
        assert all(row[name] == full[day][name] for name in selectors.COUNTER_FIELDS)


def test_active_sellers_of_some_stores_are_the_marketplace_ones_in_those_stores(world):
    start, end = Q3.start, Q3.end
    everyone = education.sellers(start, end, None)
    for store in (world.store_a, world.store_b):
        members = set(store.memberships.values_list("user_id", flat=True))
        assert education.sellers(start, end, [store.pk]) == everyone & members


def test_education_figures_read_no_raw_orders_or_messages(world):
    with CaptureQueriesContext(connection) as context:
        everyone = education.compute(Q3.start, Q3.end)
        one_store = education.compute(Q3.start, Q3.end, [world.store_a.pk])
    assert everyone["training_participation"].denominator
    assert one_store["training_participation"].denominator
    tables = " ".join(query["sql"] for query in context.captured_queries)
    assert "analytics_storequarter" in tables
    assert "catalog_order" not in tables and "messaging_message" not in tables


def test_a_ranking_is_two_queries_sorted_in_sql(world, django_assert_num_queries):
    best = selectors.store_ranking("messaging_interactions", Q3)
    with django_assert_num_queries(2):  # the ordered StoreQuarter rows, their stores' names
        assert selectors.store_ranking("messaging_interactions", Q3) == best
    assert selectors.store_ranking("messaging_interactions", Q3, worst=True) == best[::-1]


@pytest.mark.django_db
def test_the_rebuild_reads_raw_rows_by_indexed_time_stamps():
    with connection.cursor() as cursor:
        for table, column in (
            ("messaging_message", "created_at"),
            ("messaging_conversation", "created_at"),
            ("messaging_wait", "started_at"),
            ("reviews_review", "published_at"),
            ("reviews_answer", "published_at"),
        ):
            constraints = connection.introspection.get_constraints(cursor, table)
            assert any(
                found["index"] and found["columns"] == [column] for found in constraints.values()
            ), table
