"""Which conversation each person is looking at right now, kept in the shared cache.

A thread page's live client tells the socket ``{"type": "viewing",
"conversation_id": N}`` when it opens and with every heartbeat (25 s), and
``conversation_id: null`` when the tab is hidden. The mark expires after
``VIEWING_TTL_SECONDS``, so a closed tab stops suppressing notifications within
a minute. Only the person themself can set their mark, and it only ever
silences their own notifications, so it needs no permission check (and the
socket's hot path no query).

The cache is shared by every process with ``REDIS_URL`` (local memory
otherwise, where one process serves both the socket and the writes). When
the cache is unreachable, its reads miss (``core.cache``) and nobody counts as
viewing: a notification too many beats one lost.
"""

from django.core.cache import cache

VIEWING_TTL_SECONDS = 60


def _key(user_id: int) -> str:
    return f"messaging:viewing:{user_id}"


async def set_viewing(user_id: int, conversation_id: int | None) -> None:
    """Record (or, with None, clear) the conversation ``user_id`` has open."""
    if conversation_id is None:
        await cache.adelete(_key(user_id))
    else:
        await cache.aset(_key(user_id), conversation_id, VIEWING_TTL_SECONDS)


def viewers(user_ids: list[int], conversation_id: int) -> set[int]:
    """The people among ``user_ids`` who have ``conversation_id`` open (one cache round trip)."""
    if not user_ids:
        return set()
    found = cache.get_many([_key(user_id) for user_id in user_ids])
    return {user_id for user_id in user_ids if found.get(_key(user_id)) == conversation_id}
