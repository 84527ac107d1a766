"""The shared cache, failing open: a Redis outage costs freshness, never a request.

Everything the product caches (rate-limit counts, the API throttle, who is
viewing a conversation, survey cards, banner absences, KPI figures…) can be
recomputed or skipped. So in scale-out mode the cache backend is
``FailOpenRedisCache``: while Redis is unreachable every read is a miss and
every write is dropped, instead of raising into the page, the send or the
commit hook that asked. The outage is logged once when it starts and once
when it ends (``cache_outage``), not on every call. ``incr`` and ``count`` still
raise: a counter cannot be faked, and ``ratelimit`` lets the action through instead.

Both backends of the product (``LocalCache`` in the embedded mode) have ``count``:
one more in an expiring counter, in one round trip to Redis (the rate limits and
the API throttle count every send with it).
"""

import functools
import logging
import threading
import time
from collections.abc import Callable

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)


class CacheOutage:
    """Logs a cache outage once when it starts and once when it ends, not on every call.

    ``failed`` is called when a cache call could not reach the cache,
    ``succeeded`` when one worked; the first failure after a success logs a
    warning, the first success after failures logs that the cache is back and
    how many calls were skipped meanwhile.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self.skipped = 0

    @property
    def is_down(self) -> bool:
        return self._down_since is not None

    def failed(self, what: str) -> None:
        with self._lock:
            self.skipped += 1
            starting = self._down_since is None
            if starting:
                self._down_since = time.monotonic()
        if starting:
            logger.warning(
                "The cache is unavailable: %s skipped until it is back", what, exc_info=True
            )

    def succeeded(self) -> None:
        if self._down_since is None:  # the common case: no lock taken
            return
        with self._lock:
            if self._down_since is None:
                return
            seconds = time.monotonic() - self._down_since
            skipped, self._down_since, self.skipped = self.skipped, None, 0
        logger.warning(
            "The cache is back after %.1f s; %d calls were skipped meanwhile", seconds, skipped
        )


cache_outage = CacheOutage()


def _fail_open(name: str, fallback: Callable) -> Callable:
    """``RedisCache.<name>``, answering ``fallback(*arguments)`` while Redis is unreachable."""
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            result = method(self, *args, **kwargs)
        except UNREACHABLE:
            cache_outage.failed(f"cache {name}s")
            return fallback(*args, **kwargs)
        cache_outage.succeeded()
        return result

    return call


def _nothing(*args, **kwargs) -> None:
    return None


def _no(*args, **kwargs) -> bool:
    return False


class SharedRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, with one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` for every cache call, and building one copies its
    table of response callbacks: under load, a tenth of the event loop's time went there.
    A ``redis.Redis`` is safe to share between threads (its pool hands out connections).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


# The counter and its expiry set by the first count, in one atomic command (EVALSHA).
COUNT_SCRIPT = """
local value = redis.call("INCR", KEYS[1])
if value == 1 then
    redis.call("EXPIRE", KEYS[1], ARGV[1])
end
return value
"""

# One client (and so one connection pool per server) per process for each server list and
# options; see ``FailOpenRedisCache._cache``.
_clients: dict[str, SharedRedisCacheClient] = {}
_clients_lock = threading.Lock()


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, with an outage read as a miss and writes dropped (see above).

    Django makes a cache object per thread *and per asyncio task*, and each made
    its own connection pool: on the event loop every request opened a new
    connection to Redis (and redis-py read its own package metadata for each).
    Here every object with the same servers and options shares one client, whose
    pools are thread-safe, so connections are reused across requests; and that client
    keeps its ``redis.Redis`` objects (``SharedRedisCacheClient``).
    """

    @cached_property
    def _cache(self) -> SharedRedisCacheClient:
        key = repr((self._servers, sorted(self._options.items())))
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = SharedRedisCacheClient(self._servers, **self._options)
        return client

    def count(self, key: str, timeout: int, version: int | None = None) -> int:
        """One more in the counter ``key``, which the first count makes, expiring after
        ``timeout`` seconds; the new value. One command (``COUNT_SCRIPT``), where Django's
        ``add`` then ``incr`` took three."""
        key = self.make_and_validate_key(key, version=version)
        return self._count_script(keys=[key], args=[timeout])

    @cached_property
    def _count_script(self):
        return self._cache.get_client(write=True).register_script(COUNT_SCRIPT)

    get = _fail_open("get", lambda key, default=None, version=None: default)
    get_many = _fail_open("get_many", lambda keys, version=None: {})
    has_key = _fail_open("has_key", _no)
    set = _fail_open("set", _nothing)
    set_many = _fail_open("set_many", lambda data, *args, **kwargs: list(data))
    add = _fail_open("add", _no)
    touch = _fail_open("touch", _no)
    delete = _fail_open("delete", _no)
    delete_many = _fail_open("delete_many", _nothing)


class LocalCache(LocMemCache):
    """The embedded mode's cache (this process's memory), with ``count`` as above."""

    def count(self, key: str, timeout: int, version: int | None = None) -> int:
        self.add(key, 0, timeout, version=version)
        try:
            return self.incr(key, version=version)
        except ValueError:  # expired between add and incr
            self.set(key, 1, timeout, version=version)
            return 1
