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

The hop is the event loop's own ``run_in_executor`` with the caller's context
(a copy: the thread sees the caller's context variables, its changes stay in
the thread), not ``sync_to_async``, whose per-call bookkeeping (thread-local
loop records, a context copied back, a wrapper per call) cost the event loop
thread more than the hop itself; nothing on these threads calls back into
async code (event pushes are handed over, above).

Writes that may share a transaction (``run_together``, a message send) do so
when there is one writer (SQLite): the calls that arrive while the thread is
busy wait for it together and then run one after another in one transaction,
each in a savepoint of its own, so one call's error undoes only its own
writes. SQLite writes the pages the group changed once, at its one commit,
instead of once per call (a send and the next one touch the same index and
mailbox pages). If the transaction itself fails (the commit, or an error that
spoils it), each call of the group runs again alone, in its own transaction,
as ``run`` would have run it. A call's answer waits for the group's commit,
so a 2xx still means its writes are stored.
"""

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any, ParamSpec, TypeVar
from weakref import WeakKeyDictionary

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections, transaction
from django.db.utils import load_backend

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
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(
            _pool(), context.run, _call, partial(function, *args, **kwargs)
        )


# At most this many calls share a transaction (the later ones wait for the next).
GROUP_SIZE = 64


@dataclass
class _Waiting:
    """The calls waiting for the writer on one event loop, and whether it is on its way."""

    calls: list[tuple[contextvars.Context, Callable[[], Any], asyncio.Future]] = field(
        default_factory=list
    )
    draining: asyncio.Task | None = None


_waiting: "WeakKeyDictionary[asyncio.AbstractEventLoop, _Waiting]" = WeakKeyDictionary()


async def run_together(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``run``, sharing one transaction with the calls waiting beside it when there is
    one writer (SQLite); elsewhere exactly ``run``.

    For writes whose errors leave nothing to undo outside the database: each call runs in a
    savepoint, and may run a second time, alone, if its group's transaction fails.
    """
    if (
        settings.DATABASE_THREADS != 1
        or _vendor(settings.DATABASES["default"]["ENGINE"]) != "sqlite"
    ):
        return await run(function, *args, **kwargs)
    async with events.handing_over():
        loop = asyncio.get_running_loop()
        waiting = _waiting.setdefault(loop, _Waiting())
        future = loop.create_future()
        call = partial(function, *args, **kwargs)
        waiting.calls.append((contextvars.copy_context(), call, future))
        if waiting.draining is None:
            waiting.draining = loop.create_task(_drain(waiting))
        return await future


@cache
def _vendor(engine: str) -> str:
    """The vendor of a database backend, from its class.

    Not ``connections["default"].vendor``: on the event loop, Django keeps connection
    objects per asyncio context, so that built a whole new one for every request.
    """
    return load_backend(engine).DatabaseWrapper.vendor


async def _drain(waiting: _Waiting) -> None:
    """Run the waiting calls in groups on the writer until none are left."""
    loop = asyncio.get_running_loop()
    try:
        while waiting.calls:
            group = [call for call in waiting.calls[:GROUP_SIZE] if not call[2].cancelled()]
            del waiting.calls[:GROUP_SIZE]
            try:
                outcomes = await loop.run_in_executor(
                    _pool(), _call_group, [(context, call) for context, call, _ in group]
                )
            except Exception as error:  # no thread to run them (shut down): every caller hears it
                outcomes = [(False, error)] * len(group)
            except asyncio.CancelledError:  # the loop is closing: so are its callers
                for _, _, future in group + waiting.calls:
                    future.cancel()
                raise
            for (_, _, future), (done, value) in zip(group, outcomes, strict=True):
                if future.cancelled():
                    continue
                if done:
                    future.set_result(value)
                else:
                    future.set_exception(value)
    finally:
        waiting.draining = None


def _call_group(
    calls: list[tuple[contextvars.Context, Callable[[], Any]]],
) -> list[tuple[bool, Any]]:
    """Each call in a savepoint of one transaction: ``(True, result)`` or ``(False, error)``."""
    try:
        outcomes = []
        try:
            with transaction.atomic():
                for context, call in calls:
                    try:
                        with transaction.atomic():
                            outcomes.append((True, context.run(call)))
                    except Exception as error:
                        outcomes.append((False, error))
            return outcomes
        except Exception:  # the group's transaction failed: nothing of it was stored
            _keep_connections()
            return [_alone(context, call) for context, call in calls]
    finally:
        _keep_connections()


def _alone(context: contextvars.Context, call: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return True, _call(partial(context.run, call))
    except Exception as error:
        return False, error


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
