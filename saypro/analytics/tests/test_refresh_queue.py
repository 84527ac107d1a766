"""A rollup refresh that cannot be queued (Redis down) never fails the write that marked it."""

import logging
from datetime import date

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
