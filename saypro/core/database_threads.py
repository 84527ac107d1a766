"""A small, fixed set of threads for the database work of hot async endpoints.

Django runs each sync view in a thread of its own (a new one per request,
under ASGI), with a new database connection each time. Under load that means
as many threads as requests competing for the GIL with the event loop that
delivers socket pushes, a connection opened and closed per request, and, on
SQLite, dozens of writers sleeping in the busy handler for the write lock.

An async endpoint hands its database work to ``run`` instead: at most
``DATABASE_THREADS`` such calls run at once per process (the rest queue, in
order), and each thread keeps its connection for the life of the process
(closed and reopened only after an error leaves it unusable). On SQLite the
default is one thread: writers queue on the pool instead of the file lock.
Event pushes after commit (``core.events.push``) do not wait for the event
loop here: they are handed to it and awaited by the caller before it returns,
so a thread moves on to the next write while the loop delivers.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections

from saypro.core import events

P = ParamSpec("P")
R = TypeVar("R")

_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(
            max_workers=settings.DATABASE_THREADS, thread_name_prefix="database"
        )
    return _executor


async def run(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``function(*args, **kwargs)`` on one of the database threads; its result or exception.

    With ``DATABASE_THREADS = 0`` (the tests' default: their transaction lives on
    the test's own connection) it runs where Django runs sync code, like
    ``sync_to_async``.
    """
    async with events.handing_over():
        if settings.DATABASE_THREADS == 0:
            return await sync_to_async(partial(function, *args, **kwargs))()
        return await sync_to_async(_call, thread_sensitive=False, executor=_pool())(
            partial(function, *args, **kwargs)
        )


def _call(function: Callable[[], R]) -> R:
    try:
        return function()
    finally:
        _keep_connections()


def _keep_connections() -> None:
    """Keep this thread's connections open for its next call, unless they are broken.

    Django closes a PostgreSQL connection after each request (``CONN_MAX_AGE=0``:
    it goes back to the pool); these threads live as long as the process, so
    their connections may too. A connection left in a transaction
    or whose last error made it unusable is closed (reopened on next use).
    """
    for connection in connections.all(initialized_only=True):
        connection.close_at = None  # no age limit (set from CONN_MAX_AGE at connect)
        connection.close_if_unusable_or_obsolete()
