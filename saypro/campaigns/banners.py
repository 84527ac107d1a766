"""A cache of "this person has no campaign banner", so most page views cost no query.

The banner context processor runs on every page. Most people have no banner
most of the time, so that answer is cached per person for
``ABSENCE_SECONDS``, under a version that ``invalidate`` replaces when a
banner campaign is sent: everyone is looked up again on their next page. A
banner that is shown is never cached (dismissing or clicking it takes effect
at once). The worker may run in another process with its own local-memory
cache (single-process mode): a banner it sends then shows within
``ABSENCE_SECONDS``; with Redis, at once.
"""

import uuid

from django.core.cache import cache

ABSENCE_SECONDS = 60
VERSION_KEY = "campaigns:banner-version"
ABSENT = "absent"


def _key(user_id: int, version: str) -> str:
    return f"campaigns:no-banner:{version}:{user_id}"


def _version() -> str:
    return cache.get(VERSION_KEY) or "0"


def known_absent(user_id: int) -> bool:
    return cache.get(_key(user_id, _version())) == ABSENT


def remember_absent(user_id: int) -> None:
    cache.set(_key(user_id, _version()), ABSENT, ABSENCE_SECONDS)


def invalidate() -> None:
    """A banner campaign was sent: forget every cached absence."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
