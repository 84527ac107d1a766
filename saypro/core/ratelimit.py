"""Per-person rate limits for writes (sending messages, starting conversations…).

A rate is ``"<count>/<period>"`` with the period in ``s``, ``m``, ``h`` or
``d`` (optionally with a number: ``"10/15m"``). Counting uses fixed windows in
the cache: the process's memory in the embedded mode, Redis when
``REDIS_URL`` is set, so every web process shares the count. When the cache
is unreachable (Redis restarting) limits fail open: the action goes through
and a warning is logged (once per outage, see ``CacheOutage``), because
refusing to store a message is worse than not counting it for a few seconds.
"""

import logging
import re
import threading
import time

from django.core.cache import cache

from saypro.core.errors import ApplicationError

logger = logging.getLogger(__name__)

RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class CacheOutage:
    """Logs a cache outage once when it starts and once when it ends, not on every request.

    While Redis is down every send would otherwise log a warning with its
    traceback (hundreds a second under load). ``failed`` is called when a cache
    call raised, ``succeeded`` when one worked; the first failure after a
    success logs a warning, the first success after failures logs that the
    cache is back. Shared by everything that fails open on the cache (the rate
    limits, the API throttle, messaging's presence): one outage, two lines.
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
            "The cache is back after %.1f s; %d checks were skipped meanwhile",
            seconds,
            skipped,
        )


cache_outage = CacheOutage()


class RateLimited(ApplicationError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after


def parse_rate(rate: str) -> tuple[int, int]:
    """``(count, period in seconds)``; ``ValueError`` for a rate that is not understood."""
    match = RATE.match(rate)
    if match is None:
        raise ValueError(f"Rate {rate!r} is not of the form '<count>/<period>', e.g. '30/m'.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * SECONDS[unit]


def hit(scope: str, key: object, rate: str, *, action: str) -> None:
    """Count one ``scope`` action by ``key``; raise ``RateLimited`` when over ``rate``."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    try:
        count = _count(cache_key, period)
    except Exception:  # the cache (Redis) is down: let the action through, do not lose it
        cache_outage.failed(f"rate limits ({scope} first)")
        return
    cache_outage.succeeded()
    if count > limit:
        retry_after = max(1, int((window + 1) * period - now + 0.999))
        raise RateLimited(
            f"You can {action} at most {limit} times per {_period_text(period)}. "
            f"Try again in {retry_after} s.",
            retry_after=retry_after,
        )


def _count(cache_key: str, period: int) -> int:
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        return 1


def _period_text(period: int) -> str:
    for unit, name in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if period % unit == 0:
            amount = period // unit
            return name if amount == 1 else f"{amount} {name}s"
    return "second" if period == 1 else f"{period} seconds"
