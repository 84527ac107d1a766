"""The SQLite backend (``saypro.core.backends.sqlite3``): Django's, placeholders converted once."""

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper as DjangoCursor
from hypothesis import given
from hypothesis import strategies as st

from saypro.core.backends.sqlite3.base import SQLiteCursorWrapper

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend")
STATEMENT_PARTS = st.sampled_from(["SELECT ", "%s", "%%", "%", "'a%s'", " x = ", ", ", "?", "\n"])


@given(parts=st.lists(STATEMENT_PARTS, max_size=20))
def test_a_statement_converts_as_djangos_cursor_converts_it(parts):
    query = "".join(parts)
    expected = DjangoCursor.convert_query(None, query)
    assert SQLiteCursorWrapper.convert_query(None, query) == expected
    assert SQLiteCursorWrapper.convert_query(None, query) == expected  # again, from the cache


@sqlite_only
@pytest.mark.django_db
def test_the_projects_connections_use_it():
    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, SQLiteCursorWrapper)
        cursor.execute("SELECT %s, '%%', %s", [1, 2])
        assert cursor.fetchone() == (1, "%", 2)
        cursor.execute("SELECT %(b)s, %(a)s", {"a": 1, "b": 2})  # named: Django's own path
        assert cursor.fetchone() == (2, 1)
