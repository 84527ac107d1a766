"""The HTTP handler's request threads: one per running request, reused afterwards."""

import asyncio
import contextlib
import os
import threading

import pytest
from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from saypro.core.handlers import IDLE_THREADS_KEPT, SyncMiddlewareASGIHandler

seen: list[int] = []  # the thread each request ran in
second_arrived = threading.Event()


def where(request):
    seen.append(threading.get_ident())
    return HttpResponse("ok")


def first(request):
    seen.append(threading.get_ident())
    assert second_arrived.wait(timeout=10), "the second request never ran beside the first"
    return HttpResponse("first")


def second(request):
    seen.append(threading.get_ident())
    second_arrived.set()
    return HttpResponse("second")


released = threading.Event()


def slow(request):
    seen.append(threading.get_ident())
    assert released.wait(timeout=10)
    return HttpResponse("slow")


urlpatterns = [
    path("where", where),
    path("first", first),
    path("second", second),
    path("slow", slow),
]


@pytest.fixture
def handler():
    seen.clear()
    second_arrived.clear()
    released.clear()
    with override_settings(ROOT_URLCONF=__name__):
        yield SyncMiddlewareASGIHandler()


async def _get(handler, url: str) -> int:
    communicator = HttpCommunicator(handler, "GET", url, headers=[(b"host", b"testserver")])
    return (await communicator.get_response(timeout=15))["status"]


def test_requests_one_after_another_reuse_one_thread(handler):
    async def two_requests():
        return [await _get(handler, "/where"), await _get(handler, "/where")]

    assert async_to_sync(two_requests)() == [200, 200]
    assert seen[0] == seen[1] != threading.get_ident()
    assert len(handler._idle) == 1


def test_requests_running_together_each_have_a_thread(handler):
    async def together():
        return await asyncio.gather(_get(handler, "/first"), _get(handler, "/second"))

    assert async_to_sync(together)() == [200, 200]
    assert len(set(seen)) == 2
    assert len(handler._idle) == 2


def test_idle_threads_beyond_the_limit_stop(handler):
    async def many_together():
        return await asyncio.gather(
            *(_get(handler, "/second") for _ in range(IDLE_THREADS_KEPT + 3))
        )

    assert set(async_to_sync(many_together)()) == {200}
    assert len(handler._idle) == IDLE_THREADS_KEPT


def test_a_request_whose_client_left_returns_its_thread_once_the_view_ends(handler):
    """uvicorn tells of a client that left with ``http.disconnect``: Django then drops the
    response, but sends ``request_finished`` in the request's thread, after the view."""

    async def abandoned():
        communicator = HttpCommunicator(handler, "GET", "/slow", headers=[(b"host", b"testserver")])
        await communicator.send_input({"type": "http.request", "body": b""})
        while not seen:  # the view is running in its thread
            await asyncio.sleep(0.01)
        await communicator.send_input({"type": "http.disconnect"})
        await asyncio.sleep(0.2)
        assert not communicator.future.done()  # waiting for the view's thread
        released.set()
        await asyncio.wait_for(communicator.future, timeout=5)
        return communicator.output_queue.empty()

    assert async_to_sync(abandoned)() is True  # no response was sent
    assert len(handler._idle) == 1


def test_a_thread_still_running_a_cancelled_request_is_not_reused(handler):
    """uvicorn cancels the requests still running when a shutdown's grace period
    (``timeout_graceful_shutdown``) ends; their views may go on in their threads."""

    async def abandoned_then_another():
        communicator = HttpCommunicator(handler, "GET", "/slow", headers=[(b"host", b"testserver")])
        await communicator.send_input({"type": "http.request", "body": b""})
        while not seen:  # the view is running in its thread
            await asyncio.sleep(0.01)
        communicator.future.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await communicator.future
        assert handler._idle == []  # its thread is still busy: not handed to the next request
        status = await _get(handler, "/where")
        released.set()
        return status

    assert async_to_sync(abandoned_then_another)() == 200
    assert seen[0] != seen[1]


def test_a_forked_process_starts_its_own_threads(handler):
    """A test server forked from a process that served requests: the parent's idle
    threads do not exist in the child, and work handed to them would never run."""
    assert async_to_sync(_get)(handler, "/where") == 200
    assert len(handler._idle) == 1
    child = os.fork()
    if child == 0:  # pragma: no cover (runs in the child)
        status = None
        try:
            status = async_to_sync(_get)(handler, "/where")
        finally:  # whatever happens, the child leaves here
            os._exit(0 if status == 200 else 1)
    _, exit_status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(exit_status) == 0
