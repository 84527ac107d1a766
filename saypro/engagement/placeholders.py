"""Placeholders of prompt texts and links, and the built-in prompts.

A title, text or call-to-action label may use ``{name}`` placeholders; which
ones depends on the placement (a product page knows its store and product, an
inbox only its store) and, for the figures, on the built-in prompt. A link may
use the ids and slug of what the page is about. Anything else in braces is
refused when the prompt is saved, so rendering never meets an unknown name.
"""

import re

from saypro.engagement.models import Audience, Placement

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

TEXT_PLACEHOLDERS = {
    "first_name": "the person's first name",
    "store": "the store's name",
    "product": "the product's title",
    "order_number": "the order's number",
    "response_time": "the store's usual first-response time, e.g. “2 hours” (ask_store only)",
    "waiting_buyers": "how many buyers are waiting, e.g. “3 buyers” (buyers_waiting_* only)",
}
LINK_PLACEHOLDERS = {
    "store_id": "the store's id",
    "store_slug": "the store's slug",
    "product_id": "the product's id",
    "order_id": "the order's id",
}

_STORE = {"store", "store_id", "store_slug"}
PLACEMENT_PLACEHOLDERS: dict[str, set[str]] = {
    Placement.PRODUCT_PAGE: {"first_name", "product", "product_id", *_STORE},
    Placement.ORDER_PAGE: {"first_name", "order_number", "order_id", *_STORE},
    Placement.BUYER_MESSAGES: {"first_name"},
    Placement.SELLER_INBOX: {"first_name", *_STORE},
    Placement.SELLER_DASHBOARD: {"first_name", *_STORE},
    Placement.REVIEW_POSTED: {"first_name", "product", "product_id", *_STORE},
}

# The built-in prompts: code → the row the data migration writes. Staff edit the wording,
# dates, cap and priority, or switch one off; the code fixes its placement and figure.
BUILT_IN_PROMPTS: dict[str, dict] = {
    "ask_store": {
        "name": "Ask the store (response time)",
        "placement": Placement.PRODUCT_PAGE,
        "audience": Audience.SIGNED_IN,
        "title": "Questions? Ask {store}",
        "text": "{store} usually replies within {response_time}.",
        "cta_label": "Ask the seller",
        "cta_link": "/messages/new/?store={store_id}&product={product_id}",
        "max_shows": 5,
        "per_days": 7,
        "priority": 80,
    },
    "buyers_waiting_inbox": {
        "name": "Buyers waiting (inbox)",
        "placement": Placement.SELLER_INBOX,
        "audience": Audience.SELLERS,
        "title": "{waiting_buyers} waiting for an answer",
        "text": "The buyer who asked first is due soonest: answer from the top of the list.",
        "cta_label": "Show who is waiting",
        "cta_link": "/seller/{store_slug}/inbox/?box=waiting",
        "max_shows": 20,
        "per_days": 1,
        "priority": 90,
    },
    "buyers_waiting_home": {
        "name": "Buyers waiting (Seller Center home)",
        "placement": Placement.SELLER_DASHBOARD,
        "audience": Audience.SELLERS,
        "title": "{waiting_buyers} waiting for an answer",
        "text": "Answer within 24 hours to keep them buying; the most urgent is on top.",
        "cta_label": "Open the inbox",
        "cta_link": "/seller/{store_slug}/inbox/?box=waiting",
        "max_shows": 10,
        "per_days": 1,
        "priority": 90,
    },
    "quick_replies_tip": {
        "name": "Reply faster with quick replies",
        "placement": Placement.SELLER_INBOX,
        "audience": Audience.SELLERS,
        "title": "Reply faster with quick replies",
        "text": (
            "Save answers to the questions buyers ask most (sizes, delivery, returns) and "
            "insert them with one click, with the buyer's name filled in."
        ),
        "cta_label": "Set up quick replies",
        "cta_link": "/seller/{store_slug}/inbox/quick-replies/",
        "max_shows": 3,
        "per_days": 7,
        "priority": 40,
    },
}
BUILT_IN_FIGURES = {
    "ask_store": {"response_time"},
    "buyers_waiting_inbox": {"waiting_buyers"},
    "buyers_waiting_home": {"waiting_buyers"},
}


def allowed(placement: str, code: str | None) -> set[str]:
    """The placeholders a prompt at ``placement`` (built-in ``code``) may use."""
    return PLACEMENT_PLACEHOLDERS[placement] | BUILT_IN_FIGURES.get(code or "", set())


def unknown(value: str, names: set[str]) -> list[str]:
    """What in ``value`` is not a usable placeholder: unknown names and stray braces."""
    found = [name for name in PLACEHOLDER.findall(value) if name not in names]
    if "{" in PLACEHOLDER.sub("", value) or "}" in PLACEHOLDER.sub("", value):
        found.append("a brace that is not part of a {placeholder}")
    return found


def fill(value: str, values: dict[str, str]) -> str:
    """``value`` with its placeholders replaced (saved prompts use only known ones)."""
    return PLACEHOLDER.sub(lambda match: values.get(match[1], ""), value)
