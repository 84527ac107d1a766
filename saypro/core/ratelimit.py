"""Per-person rate limits for writes (sending messages, starting conversations…).

A rate is ``"<count>/<period>"`` with the period in ``s``, ``m``, ``h`` or
``d`` (optionally with a number: ``"10/15m"``). Counting uses fixed windows in
the cache: the process's memory in the embedded mode, Redis when
``REDIS_URL`` is set, so every web process shares the count. When the cache
is unreachable (Redis restarting) limits fail open: the action goes through
and the outage is logged once (``core.cache``), because refusing to store a
message is worse than not counting it for a few seconds.
"""

import re
import time

from django.core.cache import cache
from redis.exceptions import RedisError

from saypro.core.cache import cache_outage
from saypro.core.errors import ApplicationError

RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(ApplicationError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after


def with_retry_after(response, error: ApplicationError):
    """``response`` with the ``Retry-After`` header when ``error`` is a rate limit."""
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


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
    count = window_count(f"ratelimit:{scope}:{key}", period, now, what=f"rate limits ({scope})")
    if count is not None and count > limit:
        retry_after = retry_after_seconds(period, now)
        raise RateLimited(
            f"You can {action} at most {limit} times per {_period_text(period)}. "
            f"Try again in {retry_after} s.",
            retry_after=retry_after,
        )


def window_count(key: str, period: int, now: float, *, what: str) -> int | None:
    """One more in ``key``'s count for the ``period``-second window holding ``now``; the
    new count, or None while the cache is unreachable (the action goes through)."""
    try:
        count = cache.count(f"{key}:{int(now // period)}", period + 1)
    except (RedisError, OSError):  # Redis is down: let the action through, do not lose it
        cache_outage.failed(what)
        return None
    cache_outage.succeeded()
    return count


def retry_after_seconds(period: int, now: float) -> int:
    """Whole seconds until the window holding ``now`` ends (at least 1)."""
    return max(1, int((now // period + 1) * period - now + 0.999))


def _period_text(period: int) -> str:
    for unit, name in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if period % unit == 0:
            amount = period // unit
            return name if amount == 1 else f"{amount} {name}s"
    return "second" if period == 1 else f"{period} seconds"
