"""The dashboards benchmark (``bench/dashboards.py``) at a tiny size: it loads a world, builds
the rollups and measures every query set, on the test database. Not a timing test."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from bench import dashboards
from saypro.analytics import selectors
from saypro.analytics.periods import Quarter
from saypro.messaging.models import Message, Wait
from saypro.reviews.models import Review

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)

# On PostgreSQL the generator COPYs each table in its own statement into a database of its
# own (`--db postgres`, foreign-key triggers off for the load); into the shared test
# database the rows of a table would be checked before the tables they point at exist.
pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the PostgreSQL path loads its own database: python -m bench.dashboards --db postgres",
)


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_loads_rebuilds_and_measures_at_a_tiny_size():
    results = dashboards.run(
        messages=1_000,
        reviews=100,
        stores=10,
        runs=2,
        naive_runs=1,
        now=NOW,
        progress=False,
        fast_load=False,
    )

    sizes = results["sizes"]
    assert sizes["messaging_message"] == Message.objects.count() == 1_000
    assert sizes["reviews_review"] == Review.objects.count() == 100
    assert sizes["catalog_store"] == 10
    assert sizes["analytics_marketplaceday"] > 0
    # At most a row per store and quarter: the three quarters of data, and the one before for
    # the orders of the first reviews.
    assert 0 < sizes["analytics_storequarter"] <= 10 * 4
    assert set(results["query_sets"]) == {
        "office_dashboard",
        "seller_scorecard",
        "quarterly_report",
        "naive_office_dashboard",
        "office_dashboard_warm_cache",
        "seller_scorecard_warm_cache",
    }
    for figures in results["query_sets"].values():
        assert figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]
    assert set(results["targets"]) == {"office_dashboard", "seller_scorecard", "quarterly_report"}
    assert all(isinstance(target["passed"], bool) for target in results["targets"].values())


@pytest.mark.django_db(transaction=True)
def test_the_generated_world_is_consistent_with_the_rollups():
    dashboards.run(
        messages=1_000,
        reviews=100,
        stores=10,
        runs=1,
        naive_runs=1,
        now=NOW,
        progress=False,
        fast_load=False,
    )
    quarter = Quarter.of(NOW)
    interactions = selectors.kpi_value("messaging_interactions", quarter, as_of=NOW)
    raw = Message.objects.filter(
        is_spam=False, created_at__gte=quarter.start, created_at__lt=NOW
    ).count()
    assert interactions.value == raw
    # Every wait belongs to a buyer message of its conversation; one open wait at most each.
    for wait in Wait.objects.select_related("message")[:200]:
        assert wait.message.side == "buyer"
        assert wait.message.conversation_id == wait.conversation_id
