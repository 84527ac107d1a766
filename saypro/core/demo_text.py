"""Sentence helpers shared by the demo generators (reviews, messaging)."""

import re

SLOT = re.compile(r"\{([^{}]*)\}")


def render(template: str, slots: dict[str, str], plural: bool) -> str:
    """Fill ``{name}`` slots and choose ``{one|many}`` forms."""

    def fill(match: re.Match) -> str:
        name = match.group(1)
        if "|" in name:
            one, many = name.split("|")
            return many if plural else one
        return slots[name]

    return SLOT.sub(fill, template)


def lower_first(sentence: str) -> str:
    """Lower-case a sentence's first letter to join it to another, unless it starts a name."""
    first_word = sentence.split(" ", 1)[0]
    if first_word in ("I", "I'm", "I've", "I'd", "I'll") or first_word[1:2].isupper():
        return sentence
    return sentence[:1].lower() + sentence[1:]
