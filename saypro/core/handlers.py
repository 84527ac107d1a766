"""The ASGI handler for HTTP: Django's, with the middleware run in one thread hop, on
request threads that are reused.

Django's ``ASGIHandler`` runs middleware in async mode, and every middleware
built on ``MiddlewareMixin`` (sessions, CSRF, auth, messages, …: all of ours
but htmx and allauth) then calls each of its hooks through ``sync_to_async``:
about ten hops between the event loop and the request's thread per request,
each waiting for the loop, which under load is busy delivering socket pushes.
Here the whole middleware chain runs synchronously in the request's thread
(one hop in); an async view (the send endpoint) is run by Django on the event
loop from there, a sync view in that same thread.

Django also gives each request a thread of its own (``ThreadSensitiveContext``
makes a one-thread executor per request, so a thread is started and stopped
per request). A request here still has a thread to itself for as long as it
runs, but the thread is taken from a free list and goes back to it afterwards
(unless the request was cancelled with its code still running there), as in a
WSGI server's thread pool: nothing a request leaves in thread-local
state outlives it that would not under such a server. When a request ends,
Django closes its database connections if they are unusable or past
``CONN_MAX_AGE``: on PostgreSQL (0) they go back to the pool; on SQLite
(``None``) each thread keeps its own, as persistent connections do.
"""

import os
from concurrent.futures import Future, ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler

IDLE_THREADS_KEPT = 64  # beyond this many idle request threads, a finished one stops


class RequestThread(ThreadPoolExecutor):
    """One thread; knows whether work it was given is still running."""

    def __init__(self) -> None:
        super().__init__(max_workers=1, thread_name_prefix="request")
        self.running: set[Future] = set()

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future = super().submit(fn, *args, **kwargs)
        self.running.add(future)
        future.add_done_callback(self.running.discard)
        return future


class SyncMiddlewareASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self._idle: list[RequestThread] = []
        self._pid = os.getpid()

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        self._middleware_chain = self.adapt_method_mode(True, self._middleware_chain, False)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        if self._pid != os.getpid():  # forked (a test server): the parent's threads are not here
            self._idle, self._pid = [], os.getpid()
        # Only the event loop's thread takes and returns executors: no lock needed.
        executor = self._idle.pop() if self._idle else RequestThread()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            # A cancelled request (uvicorn cancels those still running when a shutdown's
            # grace period ends) may leave its sync code running: that thread finishes
            # it and stops, rather than make the next request wait. A client that left
            # does not get here early: Django sends request_finished in its thread.
            if not executor.running and len(self._idle) < IDLE_THREADS_KEPT:
                self._idle.append(executor)
            else:
                executor.shutdown(wait=False)
