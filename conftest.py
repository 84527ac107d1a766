"""Fixtures shared by every app's tests: one person per role and a small shop."""

import pytest
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.db import connections

from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.catalog.tests.factories import MembershipFactory, ProductFactory, StoreFactory
from saypro.messaging.models import Attachment


@pytest.fixture
def buyer(db):
    return UserFactory(email="buyer@example.test", first_name="Thandi")


@pytest.fixture
def store(db):
    return StoreFactory(name="Cape Linen Co", slug="cape-linen-co")


@pytest.fixture
def seller(store):
    """The owner of ``store``."""
    return MembershipFactory(store=store, user__email="owner@example.test").user


@pytest.fixture
def agent(store):
    return MembershipFactory(store=store, user__email="agent@example.test", role="agent").user


@pytest.fixture
def staff(db):
    return StaffFactory(email="office@example.test")


@pytest.fixture
def product(store):
    return ProductFactory(store=store, title="Linen shirt", stock=5)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so rate limits and cached reads never leak."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _private_attachments(tmp_path, monkeypatch):
    """Message attachments go to the test's own folder, never into var/."""
    storage = FileSystemStorage(location=tmp_path / "attachments", base_url=None)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)


@pytest.fixture(scope="session", autouse=True)
def _close_database_pools(django_db_setup, django_db_blocker):
    """Close PostgreSQL connection pools before the test database is dropped.

    A pooled connection that Django "closes" stays open in its pool, and
    PostgreSQL refuses to drop a database that still has sessions.
    """
    yield
    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            if connection.vendor == "postgresql":
                connection.close_pool()
