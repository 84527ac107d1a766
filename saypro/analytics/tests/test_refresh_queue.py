"""A rollup refresh that cannot be queued (Redis down) never fails the write that marked it."""

import logging
from datetime import date
from types import SimpleNamespace

import pytest

from saypro.analytics import rollups, tasks
from saypro.analytics.models import DirtyStoreDay
from saypro.catalog.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_an_unreachable_queue_is_logged_and_the_mark_stays_for_the_periodic_run(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    store = StoreFactory()

    def unreachable():
        raise ConnectionError("Connection closed by server.")

    monkeypatch.setattr(tasks, "refresh_rollups", unreachable)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        rollups.mark_dirty([(store.pk, date(2026, 11, 2))])
    assert DirtyStoreDay.objects.filter(store_id=store.pk, day=date(2026, 11, 2)).exists()
    assert "Could not enqueue" in caplog.text


def test_a_burst_of_commits_queues_one_delayed_refresh_per_window(monkeypatch):
    """With a real queue (not inline), commits within ``REFRESH_COALESCE_SECONDS`` of the
    first share one refresh scheduled that long later; the next burst gets its own."""
    scheduled, clock = [], [0.0]

    class Queued:
        @staticmethod
        def schedule(*, delay):
            scheduled.append((clock[0], delay))

    monkeypatch.setattr(tasks, "refresh_rollups", Queued)
    monkeypatch.setattr(rollups, "HUEY", SimpleNamespace(immediate=False))
    monkeypatch.setattr(rollups, "monotonic", lambda: clock[0])
    monkeypatch.setattr(rollups, "_refresh_due", 0.0)

    for moment in (1000.0, 1000.5, 1001.9, 1002.0, 1003.0, 1004.5):
        clock[0] = moment
        rollups._enqueue_refresh()  # what each commit that marked store-days runs

    delay = rollups.REFRESH_COALESCE_SECONDS
    assert scheduled == [(1000.0, delay), (1002.0, delay), (1004.5, delay)]
