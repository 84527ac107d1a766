"""Fixtures of the improvements tests: a rival store's owner, a theme, a rising issue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from saypro.catalog.tests.factories import MembershipFactory
from saypro.improvements.tests.factories import reviews_between
from saypro.insights.tests.factories import RisingIssueFactory, ThemeFactory


@pytest.fixture
def rival(db):
    """The owner of another store."""
    return MembershipFactory(user__email="rival@example.test").user


@pytest.fixture
def fit(db):
    return ThemeFactory(slug="fit_size", name="Fit & size")


@pytest.fixture
def complaints(product, fit):
    """Ten reviews of ``product`` in the last 30 days: four complain about fit (2★), six
    praise it (4★)."""
    now = timezone.now()
    return reviews_between(product, start=now - timedelta(days=30), end=now, count=10, negative=4)


@pytest.fixture
def issue(product, fit, complaints):
    """An open rising issue about fit on ``product``, its evidence the four complaints."""
    return RisingIssueFactory(
        product=product, theme=fit, evidence=[review.pk for review in complaints[:4]]
    )
