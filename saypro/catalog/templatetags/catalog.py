from decimal import Decimal

from django import template

from saypro.catalog.models import Order

register = template.Library()

CURRENCY_SYMBOLS = {"ZAR": "R", "USD": "$", "EUR": "€", "GBP": "£"}
# Colour-blind-safe, AA-contrast backgrounds for white initials on product thumbnails.
SWATCHES = ["#0f5f73", "#7a3e9d", "#a34a00", "#1d6b3a", "#3b4a9e", "#8a2f4d", "#4d5b12", "#005f8f"]


@register.filter
def money(amount: Decimal | None, currency: str = "ZAR") -> str:
    """``1234.5, "ZAR"`` → ``R 1,234.50``."""
    if amount is None:
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    return f"{symbol} {amount:,.2f}".replace("  ", " ")


@register.filter
def swatch(key: int) -> str:
    return SWATCHES[(key or 0) % len(SWATCHES)]


@register.filter
def store_actions(status: str) -> list[str]:
    """The statuses a store's team may move an order in ``status`` to."""
    return [to for to, actor in Order.TRANSITIONS.get(status, {}).items() if actor == "store"]
