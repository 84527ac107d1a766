from datetime import UTC, datetime, timedelta

import pytest

from saypro.catalog.tests.factories import MembershipFactory
from saypro.consultations.tests.factories import make_expert, make_slot, make_topic

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def topic(db):
    return make_topic()


@pytest.fixture
def expert(topic):
    return make_expert(topics=[topic])


@pytest.fixture
def slot(expert):
    """A free hour three days after NOW."""
    return make_slot(expert, NOW + timedelta(days=3))


@pytest.fixture
def other_seller(db):
    """The owner of another store."""
    return MembershipFactory(store__name="Rival Goods", user__email="rival@example.test").user
