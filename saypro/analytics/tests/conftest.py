"""The hand-built world (``world.py``), its rollups refreshed as the signals queued them."""

import pytest

from saypro.analytics import rollups
from saypro.analytics.tests.world import NOW, World, build


@pytest.fixture
def world(db, settings) -> World:
    settings.TIME_ZONE = "Africa/Johannesburg"
    built = build()
    # The world was written row by row: the signals queued its store-days; refresh them all.
    while rollups.refresh_dirty(now=NOW):
        pass
    return built
