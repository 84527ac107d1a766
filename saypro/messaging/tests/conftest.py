import pytest

from saypro.messaging import services


@pytest.fixture
def conversation(buyer, store, seller, product):
    """A buyer's question to ``store`` about ``product`` (the API tests start theirs by HTTP)."""
    started, _, _ = services.start_conversation(
        buyer, store_id=store.pk, product_id=product.pk, text="Is the shirt in stock in M?"
    )
    return started
