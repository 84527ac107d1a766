"""Contact details and links in messages, and the digest that spots repeated messages.

Buyers and sellers are asked to keep the conversation on the marketplace (that
is what protects both of them), so a message with an email address, a phone
number, a link or a messaging handle is either confirmed by its sender after
a warning or has those parts masked (``MESSAGING_CONTACT_POLICY``).
"""

import hashlib
import re

from saypro.reviews.moderation import EMAIL, LINK, PHONE

# "@handle" and the messaging apps people move conversations to.
HANDLE = re.compile(
    r"(?<![\w.])@[a-z0-9_]{3,30}\b"
    r"|\b(?:whats\s?app|telegram|signal|wechat|viber|snapchat|insta(?:gram)?|t\.me)\b",
    re.IGNORECASE,
)
PATTERNS = (EMAIL, PHONE, LINK, HANDLE)
MASK = "[hidden]"


def contact_details(text: str) -> list[str]:
    """The contact details, links and messaging handles in ``text``, in order."""
    spans: list[tuple[int, int]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            if not any(start < match.end() and match.start() < end for start, end in spans):
                spans.append(match.span())
    return [text[start:end] for start, end in sorted(spans)]


def masked(text: str) -> str:
    for pattern in PATTERNS:
        text = pattern.sub(MASK, text)
    return text


def fingerprint(text: str, attachment_ids: list[int], product_ids: list[int]) -> str:
    """The same for the same content: what a retry must repeat, and what spam repeats."""
    content = f"{text}\x00{sorted(attachment_ids)}\x00{sorted(product_ids)}"
    return hashlib.sha256(content.encode()).hexdigest()
