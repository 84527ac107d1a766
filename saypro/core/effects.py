"""Side effects that must only happen once the write that caused them commits.

Services call these instead of talking to Huey (or, later, the channel layer)
directly, so a rolled-back transaction never enqueues a task or sends an email
(Zulip's ``send_event_on_commit``; Saleor's after-commit events).
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue a Huey task after commit; tasks load rows by id, so they see the write."""
    transaction.on_commit(lambda: task(*args, **kwargs))
