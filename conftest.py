"""Fixtures shared by every app's tests: one person per role and a small shop."""

import pytest
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage

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
