"""The automatic moderation rules: what makes a new or edited review wait for a person.

A review is held when it contains contact details (an email address, a phone
number), a link, or a word from the profanity list. The list is
``settings.PROFANITY_WORDS`` (``PROFANITY_WORDS_FILE``, one word per line,
replaces the built-in list); a word matches whole, in any case, with simple
letter-repeats ("fuuuck") folded.
"""

import re
from functools import cache

from django.conf import settings

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# Nine or more digits, optionally grouped by spaces, dots, dashes or brackets,
# optionally starting with +: local and international phone numbers, not prices or sizes.
PHONE = re.compile(r"(?<![\w.])\+?\(?\d(?:[\s().-]{0,2}\d){8,}(?!\w)")
LINK = re.compile(
    r"\b(?:https?://|www\.)\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|io|co|shop|store|online|site|za|uk)"
    r"(?:/\S*)?\b",
    re.IGNORECASE,
)
REPEATS = re.compile(r"(.)\1{2,}")


@cache
def _profanity_pattern(words: tuple[str, ...]) -> re.Pattern | None:
    """One regex for the whole list: a single scan of the text instead of a lookup per word."""
    listed = sorted({word.strip().lower() for word in words if word.strip()}, key=len, reverse=True)
    if not listed:
        return None
    return re.compile(r"(?<![a-z'])(?:" + "|".join(map(re.escape, listed)) + r")(?![a-z'])")


def profane_words(text: str) -> list[str]:
    """Listed words in ``text``, whole, in any case, also with letter-repeats folded."""
    pattern = _profanity_pattern(tuple(settings.PROFANITY_WORDS))
    if pattern is None:
        return []
    lowered = text.lower()
    found = pattern.findall(lowered)
    folded = REPEATS.sub(r"\1", lowered)
    if folded != lowered:
        found += pattern.findall(folded)
    return found


def hold_reasons(*texts: str) -> list[str]:
    """Why these texts (a review's title and body) must wait for a moderator; [] if not."""
    text = "\n".join(texts)
    reasons = []
    if EMAIL.search(text) or PHONE.search(text):
        reasons.append("Contains contact details (an email address or phone number).")
    if LINK.search(EMAIL.sub("", text)):
        reasons.append("Contains a link.")
    if profane_words(text):
        reasons.append("Contains words on the profanity list.")
    return reasons
