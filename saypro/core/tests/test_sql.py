"""``core.sql.instances``: rows written out by hand load as the ORM loads them."""

import pytest
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory
from saypro.core.models import Event
from saypro.core.sql import columns, instances

pytestmark = pytest.mark.django_db


def test_instances_equal_what_the_orm_loads_and_carry_the_extra_columns():
    user = UserFactory()
    stored = Event.objects.create(
        user=user,
        type="message.created",
        data={"text": "Hé", "ids": [1, 2], "nested": {"ok": True}},
        previous_id=0,
        created_at=timezone.now(),
    )
    sql = (
        f"SELECT {columns(Event, 'e')}, e.id * 2 AS doubled FROM core_event e WHERE e.user_id = %s"
    )
    [loaded] = instances(Event, sql, [user.pk], extra=("doubled",))
    expected = Event.objects.get(pk=stored.pk)
    for field in Event._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert loaded.created_at.tzinfo is not None  # converted as the ORM converts (SQLite: text)
    assert loaded.data["nested"] == {"ok": True}
    assert loaded.doubled == stored.pk * 2
    assert not loaded._state.adding  # a loaded row: saving it updates


def test_no_rows_is_an_empty_list():
    assert instances(Event, f"SELECT {columns(Event, 'e')} FROM core_event e WHERE 0 = 1", []) == []
