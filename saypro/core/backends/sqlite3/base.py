"""Django's SQLite backend, with each statement's placeholders converted once.

Django writes statements with ``%s`` placeholders and its SQLite cursor turns
them into SQLite's ``?`` on every execution, through a lazily compiled regular
expression (a proxy object in front of it). The same few hundred statements
run over and over, and on the message send path the conversion cost about a
tenth of the database thread's time (a py-spy profile of ``bench.messaging``,
docs/performance.md, tenth round). Here the converted text is kept per
statement text; everything else is Django's backend unchanged.
"""

from functools import lru_cache

from django.db.backends.sqlite3 import base


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return _qmark_style(query)
        return super().convert_query(query, param_names=param_names)


@lru_cache(maxsize=2048)
def _qmark_style(query: str) -> str:
    """Django's "format" → "qmark" conversion of one statement (``%s`` → ``?``, ``%%`` → ``%``)."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)
