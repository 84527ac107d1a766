"""Text primitives for the checks: words, sentences and stems, with offsets kept.

The checks match against :func:`fold` of the draft, a copy of the same length
(straight quotes and dashes, lower case), so a match in the folded copy is
also a span of the draft as typed: ``draft[start:end]`` is the phrase to show.
"""

import re
from dataclasses import dataclass

_SAME_WIDTH = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n\s*")


def fold(text: str) -> str:
    """``text`` with straight quotes and dashes, lower-cased, exactly as long as ``text``.

    Offsets into the folded copy are offsets into the text as typed (the insights
    matchers rely on it too).
    """
    if text.isascii():
        return text.lower()
    straight = text.translate(_SAME_WIDTH)
    lowered = straight.lower()
    if len(lowered) == len(straight):
        return lowered
    # A few characters grow when lower-cased (e.g. "İ"); keep those as they are.
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in straight)


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    text: str  # as found in the folded text: lower case, straight apostrophes


def words(folded: str) -> list[Word]:
    """The words of a folded text, with their offsets ("don't" and "see-through" are one word)."""
    return [Word(match.start(), match.end(), match.group()) for match in _WORD.finditer(folded)]


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed of surrounding white space; line breaks end one."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for begin, end in spans:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if begin < end:
            trimmed.append((begin, end))
    return trimmed


def stem(word: str) -> str:
    """A crude stem, so "shoes"/"shoe", "washed"/"washing" and "loves"/"loving" compare equal.

    Only ever compared with another :func:`stem`, so consistency matters more
    than linguistics.
    """
    word = word.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    else:
        if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word


def quoted(text: str, limit: int = 70) -> str:
    """``text`` in curly quotes, shortened with an ellipsis past ``limit`` characters.

    A closing full stop is left out: the sentence that quotes it ends with its own.
    """
    text = " ".join(text.split()).removesuffix(".")
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"\u201c{text}\u201d"


_NAME = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


def first_name(reviewer: str) -> str:
    """The reviewer's first name as a greeting would write it ("" when it doesn't look like one)."""
    match = _NAME.match(reviewer.strip())
    if not match or len(match.group()) > 30:
        return ""
    name = match.group()
    return name.capitalize() if name.isupper() or name.islower() else name
