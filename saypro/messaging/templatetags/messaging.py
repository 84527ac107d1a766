"""Template filters of the messaging pages.

Durations are written the way ``static/js/messaging.js`` writes them when it
refreshes the page live ("5 min", "3 h 20 min", "2 d 4 h"), so a server-rendered
badge and a live-updated one read the same.
"""

from datetime import datetime

from django import template

from saypro.core.durations import compact_duration
from saypro.reviews.schemas import public_name as _public_name

register = template.Library()


@register.filter
def since(moment: datetime | None, now: datetime) -> str:
    """How long ago ``moment`` was, compactly (``waiting_since|since:now``)."""
    if moment is None:
        return ""
    return compact_duration((now - moment).total_seconds())


@register.filter
def until(moment: datetime | None, now: datetime) -> str:
    """How far ``moment`` is from ``now``, either way (``due_at|until:now``)."""
    if moment is None:
        return ""
    return compact_duration(abs((moment - now).total_seconds()))


@register.filter
def is_past(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment <= now


@register.filter
def public_name(user) -> str:
    """How a person appears to the other side ("Thandi M.")."""
    return _public_name(user)
