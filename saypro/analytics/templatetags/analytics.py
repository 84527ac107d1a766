"""Small formatting filters for the KPI pages."""

from django import template

register = template.Library()


@register.filter
def hours(seconds) -> str:
    """Seconds as hours with one decimal ("25.0 h"); an en dash for none."""
    if seconds is None or seconds == "":
        return "–"
    return f"{int(seconds) / 3600:.1f} h"
