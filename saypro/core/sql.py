"""Helpers for the few statements written out by hand on hot paths."""

from collections.abc import Sized


def placeholders(values: Sized) -> str:
    """``%s, %s, …``: one query parameter per value (for ``IN (…)`` and ``VALUES``)."""
    return ", ".join(["%s"] * len(values))
