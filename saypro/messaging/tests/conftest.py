from types import SimpleNamespace

import pytest

from saypro.core import ratelimit
from saypro.messaging import services


@pytest.fixture
def conversation(buyer, store, seller, product):
    """A buyer's question to ``store`` about ``product`` (the API tests start theirs by HTTP)."""
    started, _, _ = services.start_conversation(
        buyer, store_id=store.pk, product_id=product.pk, text="Is the shirt in stock in M?"
    )
    return started


@pytest.fixture
def mid_minute(monkeypatch):
    """The limits' clock stopped 30 s into a minute: no window ends between two sends."""
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))
