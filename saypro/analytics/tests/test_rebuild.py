"""``saypro analytics rebuild``: from raw rows, resumable, restartable."""

from io import StringIO

import pytest
from django.core.management import call_command

from saypro.analytics import rollups
from saypro.analytics.models import DirtyStoreDay, MarketplaceDay, RebuildState, StoreQuarter
from saypro.analytics.tests.test_kpis import snapshot
from saypro.analytics.tests.world import NOW, build


class Interrupted(Exception):
    pass


def stop_after(days: int):
    class Bar:
        done = 0

        def update(self, n=1):
            Bar.done += n
            if Bar.done >= days:
                raise Interrupted

        def close(self):
            pass

    return lambda description, total: Bar()


@pytest.fixture
def world(db, settings):
    settings.TIME_ZONE = "Africa/Johannesburg"
    return build()


def test_an_interrupted_rebuild_resumes_after_its_last_day(world):
    rollups.rebuild(now=NOW)
    complete = snapshot()
    with pytest.raises(Interrupted):
        rollups.rebuild(restart=True, now=NOW, progress=stop_after(40))
    state = RebuildState.objects.get()
    assert state.finished_at is None
    assert (state.last_finished_day - state.from_day).days == 39
    days = []
    rollups.rebuild(now=NOW, progress=lambda description, total: days.append(total) or _Quiet())
    assert days == [(state.to_day - state.last_finished_day).days]  # only what was left
    assert snapshot() == complete
    assert RebuildState.objects.get().finished_at is not None
    assert not DirtyStoreDay.objects.exists()


class _Quiet:
    def update(self, n=1):
        pass

    def close(self):
        pass


def test_the_command_rebuilds_from_a_day(world):
    out = StringIO()
    call_command("analytics", "rebuild", "--no-progress", "--from", "2026-08-01", stdout=out)
    assert "KPI rollups rebuilt from 2026-08-01" in out.getvalue()
    assert MarketplaceDay.objects.order_by("day").first().day.isoformat() >= "2026-08-01"


@pytest.mark.django_db
def test_nothing_to_rebuild():
    out = StringIO()
    call_command("analytics", "rebuild", "--no-progress", stdout=out)
    assert "Nothing to roll up" in out.getvalue()


def test_demo_if_empty_completes_rollups_kept_before_store_quarters(world):
    """A database from before analytics 0004: store-days but no quarter rows. ``make run``
    (``demo --if-empty``) rebuilds them instead of showing empty rankings."""
    rollups.rebuild()
    quarters = sorted(StoreQuarter.objects.values_list("store_id", "quarter", "messages"))
    assert quarters and not rollups.missing_store_quarters()
    StoreQuarter.objects.all().delete()
    assert rollups.missing_store_quarters()

    stdout = StringIO()
    call_command("demo", "--if-empty", stdout=stdout, stderr=StringIO())

    assert "KPI rollups from an older version: rebuilding them." in stdout.getvalue()
    assert sorted(StoreQuarter.objects.values_list("store_id", "quarter", "messages")) == quarters
