"""Helpers for the few statements written out by hand on hot paths."""

from collections.abc import Sequence, Sized
from functools import cache
from typing import TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


def placeholders(values: Sized) -> str:
    """``%s, %s, …``: one query parameter per value (for ``IN (…)`` and ``VALUES``)."""
    return ", ".join(["%s"] * len(values))


def columns(model: type[Model], alias: str) -> str:
    """``alias.col, …``: every column of ``model``, in the order ``instances`` reads them."""
    return ", ".join(f"{alias}.{connection.ops.quote_name(c)}" for c in _layout(model)[1])


def instances(model: type[M], sql: str, params: Sequence, *, extra: Sequence[str] = ()) -> list[M]:
    """``model`` instances from a ``SELECT columns(model, …)`` followed by ``extra`` columns.

    Values pass through the same converters as the ORM's (on SQLite, text to aware
    datetimes); each ``extra`` column is set as an attribute. What ``.raw()`` does,
    without mapping the cursor's columns to fields again on every call: on the send
    path that mapping cost more than the statements.
    """
    names, _, converters = _layout(model)
    width = len(names)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        values = list(row[:width])
        for position, functions, expression in converters:
            for function in functions:
                values[position] = function(values[position], expression, connection)
        instance = model.from_db(connection.alias, names, values)
        for name, value in zip(extra, row[width:], strict=True):
            setattr(instance, name, value)
        found.append(instance)
    return found


@cache
def _layout(model: type[Model]) -> tuple[list[str], list[str], list[tuple]]:
    """Attribute names, column names and per-column converters of ``model`` (this backend)."""
    fields = model._meta.concrete_fields
    converters = []
    for position, field in enumerate(fields):
        expression = field.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        if functions:
            converters.append((position, functions, expression))
    return [f.attname for f in fields], [f.column for f in fields], converters
