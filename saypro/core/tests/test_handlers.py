"""The HTTP handler's request threads: one per running request, reused afterwards."""

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from saypro.core.handlers import IDLE_THREADS_KEPT, SyncMiddlewareASGIHandler

seen: list[dict] = []
second_arrived = threading.Event()


def where(request):
    seen.append({"thread": threading.get_ident()})
    return HttpResponse("ok")


def first(request):
    seen.append({"thread": threading.get_ident()})
    assert second_arrived.wait(timeout=10), "the second request never ran beside the first"
    return HttpResponse("first")


def second(request):
    seen.append({"thread": threading.get_ident()})
    second_arrived.set()
    return HttpResponse("second")


urlpatterns = [path("where", where), path("first", first), path("second", second)]


@pytest.fixture
def handler():
    seen.clear()
    second_arrived.clear()
    with override_settings(ROOT_URLCONF=__name__):
        yield SyncMiddlewareASGIHandler()


async def _get(handler, url: str) -> int:
    communicator = HttpCommunicator(handler, "GET", url, headers=[(b"host", b"testserver")])
    return (await communicator.get_response(timeout=15))["status"]


def test_requests_one_after_another_reuse_one_thread(handler):
    async def two_requests():
        return [await _get(handler, "/where"), await _get(handler, "/where")]

    assert async_to_sync(two_requests)() == [200, 200]
    assert seen[0]["thread"] == seen[1]["thread"] != threading.get_ident()
    assert len(handler._idle) == 1


def test_requests_running_together_each_have_a_thread(handler):
    async def together():
        return await asyncio.gather(_get(handler, "/first"), _get(handler, "/second"))

    assert async_to_sync(together)() == [200, 200]
    assert len({entry["thread"] for entry in seen}) == 2
    assert len(handler._idle) == 2


def test_idle_threads_beyond_the_limit_stop(handler):
    async def many_together():
        return await asyncio.gather(
            *(_get(handler, "/second") for _ in range(IDLE_THREADS_KEPT + 3))
        )

    assert set(async_to_sync(many_together)()) == {200}
    assert len(handler._idle) == IDLE_THREADS_KEPT
