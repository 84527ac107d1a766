"""Side effects that must only happen once the write that caused them commits.

Services call these instead of talking to Huey (or, later, the channel layer)
directly, so a rolled-back transaction never enqueues a task or sends an email
(Zulip's ``send_event_on_commit``; Saleor's after-commit events).
"""

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue a Huey task after commit; tasks load rows by id, so they see the write."""
    transaction.on_commit(lambda: enqueue_committed(task, *args, **kwargs))


def enqueue_committed(task: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue a Huey task from an on-commit callback.

    If the queue (Redis) is unreachable the error is logged, not raised: the
    write has committed, and answering it with a 500 would tell the client it
    failed. Work that must not be skipped has a periodic catch-up (stale
    analyses, pending emails, dirty KPI rollups).
    """
    try:
        task(*args, **kwargs)
    except Exception:
        logger.exception("Could not enqueue %s after commit", getattr(task, "name", task))
