"""The scale-out cache fails open: a Redis outage costs freshness, never a page or a write."""

import contextvars
import time

import pytest
from asgiref.sync import async_to_sync
from django.core.cache import cache
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from saypro.core.cache import LocalCache, cache_outage
from saypro.core.testing import redis_down
from saypro.surveys.models import Response
from saypro.surveys.tests.factories import InvitationFactory


@pytest.fixture(autouse=True)
def _outage_ends():
    yield
    cache_outage.succeeded()  # the next test starts with the cache up


def test_the_scale_out_cache_reads_an_outage_as_a_miss_and_drops_writes():
    with redis_down():
        assert cache.get("k", "default") == "default"
        assert async_to_sync(cache.aget)("k") is None
        assert cache.get_many(["a", "b"]) == {}
        assert cache.add("k", 1) is False and cache.delete("k") is False
        assert cache.set_many({"a": 1}) == ["a"]
        cache.set("k", 1)
        async_to_sync(cache.aset)("k", 1)
        with pytest.raises(RedisConnectionError):  # a count cannot be faked: ratelimit decides
            cache.incr("k")
        assert cache_outage.is_down


def test_pages_and_writes_that_use_the_cache_work_while_redis_is_down(client, buyer, seller, store):
    """Survey card and banner checks (every page), knowledge links, the store's learning
    signals, and a survey answer, which forgets the cached card inside its write."""
    invitation = InvitationFactory(user=buyer)
    with redis_down():
        client.force_login(buyer)
        for url in ("/", "/help/", "/messages/", "/academy/"):
            assert client.get(url).status_code == 200, url
        answer = reverse("surveys:answer", kwargs={"token": invitation.token})
        assert client.post(answer, {"score": "5", "comment": "Quick and kind."}).status_code == 302
        client.force_login(seller)
        assert client.get(reverse("seller:home", args=[store.slug])).status_code == 200
        assert client.get("/academy/").status_code == 200
        assert cache_outage.is_down
    assert Response.objects.get(invitation=invitation).score == 5


def test_cache_objects_of_every_thread_and_task_share_one_client(settings):
    """Django makes a cache object per thread and per asyncio task: they share connections."""
    settings.CACHES = {
        "default": {
            "BACKEND": "saypro.core.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    from django.core.cache import caches

    def in_a_new_context():  # as each request's task is, when it first asks for the cache
        return contextvars.Context().run(lambda: caches["default"])

    here, elsewhere = in_a_new_context(), in_a_new_context()
    assert here is not elsewhere
    assert here._cache is elsewhere._cache
    here.set("shared", 1)
    assert elsewhere.get("shared") == 1
    # and each call reuses the client's redis.Redis (Django built a new one per call)
    assert here._cache.get_client(write=True) is elsewhere._cache.get_client(write=True)
    with redis_down():  # another server: another client
        assert in_a_new_context()._cache is not here._cache


@pytest.mark.parametrize(
    "backend",
    [
        {"BACKEND": "saypro.core.cache.LocalCache"},
        {
            "BACKEND": "saypro.core.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        },
    ],
)
def test_a_count_starts_at_one_and_expires_as_the_first_count_said(settings, backend):
    settings.CACHES = {"default": backend}
    from django.core.cache import caches

    counter = caches["default"]
    counter.delete("counted")
    assert [counter.count("counted", 60) for _ in range(3)] == [1, 2, 3]
    assert counter.count("counted", 5) == 4  # later counts keep the first expiry
    assert counter.get("counted") == 4
    assert 55 < seconds_left(counter, "counted") <= 60


def seconds_left(cache, key: str) -> float:
    """How long ``key`` has to live, read from the backend itself."""
    key = cache.make_and_validate_key(key)
    if isinstance(cache, LocalCache):
        return cache._expire_info[key] - time.time()
    return cache._cache.get_client(write=True).ttl(key)
