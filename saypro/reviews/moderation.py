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
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?", re.IGNORECASE)
REPEATS = re.compile(r"(.)\1{2,}")


@cache
def _profanity(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(word.strip().lower() for word in words if word.strip())


def _folded(word: str) -> str:
    return REPEATS.sub(r"\1", word.lower())


def profane_words(text: str) -> list[str]:
    words = _profanity(tuple(settings.PROFANITY_WORDS))
    found = []
    for match in WORD.finditer(text):
        word = match.group().lower()
        if word in words or _folded(word) in words:
            found.append(match.group())
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
