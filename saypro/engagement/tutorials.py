"""The guided tours, defined in code: which page each belongs to and its ordered steps.

A step highlights the first element matching ``target`` (a CSS selector on
that page); when nothing matches, its dialog shows without a highlight.
``static/js/tutorial.js`` walks through them. Texts are plain text.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    target: str
    title: str
    text: str
    link_label: str = ""
    link: str = ""


@dataclass(frozen=True)
class Tutorial:
    code: str
    title: str
    url_name: str  # the page (``namespace:name``) the tour belongs to
    for_sellers: bool
    steps: tuple[Step, ...]


NOTIFICATION_STEP = Step(
    target=".notification-menu summary",
    title="Choose how you hear about messages",
    text=(
        "The bell counts what is new. In your notification settings you choose, for each "
        "kind, a live pop-up, an email now, a daily digest, or nothing, and your quiet hours."
    ),
    link_label="Open notification settings",
    link="/notifications/settings/",
)

TUTORIALS: dict[str, Tutorial] = {
    tutorial.code: tutorial
    for tutorial in (
        Tutorial(
            code="buyer_messages",
            title="Your Messages",
            url_name="messaging:inbox",
            for_sellers=False,
            steps=(
                Step(
                    target=".messaging .page-head h1",
                    title="Ask a store anything",
                    text=(
                        "To start a conversation, open a product or one of your orders and "
                        "press “Ask the seller”. The store's answer appears here, live."
                    ),
                    link_label="Browse the shop",
                    link="/",
                ),
                Step(
                    target="[data-conversation-list]",
                    title="Every conversation in one list",
                    text=(
                        "Your conversations with stores, newest first, with what is unread. "
                        "Open one to read and reply."
                    ),
                ),
                Step(
                    target="[data-conversation-list]",
                    title="Stores answer quickly",
                    text=(
                        "Stores keep quick replies for common questions, so answers about "
                        "sizes, delivery or returns often come within minutes."
                    ),
                ),
                Step(
                    target="[data-conversation-list]",
                    title="Product cards",
                    text=(
                        "A store may recommend products in its answer as cards with the "
                        "price: press a card to open the product."
                    ),
                ),
                NOTIFICATION_STEP,
            ),
        ),
        Tutorial(
            code="seller_inbox",
            title="Your Seller Center inbox",
            url_name="seller_inbox:inbox",
            for_sellers=True,
            steps=(
                Step(
                    target="[data-conversation-list]",
                    title="Buyers start conversations",
                    text=(
                        "Buyers write from your product and order pages with “Ask the "
                        "seller”. Each question lands here; open it to answer."
                    ),
                ),
                Step(
                    target=".inbox-boxes",
                    title="Whoever waits longest comes first",
                    text=(
                        "Buyers waiting for an answer are on top, the one due soonest first. "
                        "Answer within 24 hours; “Waiting” shows only them."
                    ),
                ),
                Step(
                    target=".inbox-head a[href$='/quick-replies/']",
                    title="Quick replies",
                    text=(
                        "Save answers to common questions once, with the buyer's name or the "
                        "product filled in, and insert them with one click. The inbox "
                        "suggests the right one for each question."
                    ),
                ),
                Step(
                    target="[data-conversation-list]",
                    title="Product cards",
                    text=(
                        "When you answer, add product cards: the buyer sees the product "
                        "with its price and opens it in one tap."
                    ),
                ),
                NOTIFICATION_STEP,
            ),
        ),
    )
}


def tutorial_for_page(url_name: str) -> Tutorial | None:
    """The tour of the page named ``namespace:name``, if it has one."""
    return next((t for t in TUTORIALS.values() if t.url_name == url_name), None)
