"""Sentences and words of a buyer's review, with character offsets into the text as typed.

Reviews are written fast on phones: missing spaces after a full stop ("fit.but
the colour"), sentences that start in lower case, "!!!" and "?!", ellipses,
emoticons, bullet lines, prices and heights (``$12.99``, ``5'8"``). The
splitter reads the whole text with one compiled regex, :data:`_BOUNDARY`, and
decides each candidate boundary from its few neighbouring characters; a
60-word review takes about 15 µs.

Contract of :func:`split_sentences`: the spans are in text order, do not
overlap, carry ``text == original[start:end]`` with no surrounding white
space, and together cover every non-space character of the original (bullet
markers such as "-" stay at the front of their line's span; a line of only
punctuation is a span of its own).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from saypro.coaching.text import fold


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the original text: ``text == original[start:end]``, trimmed of white space."""

    start: int
    end: int
    text: str


class LearnedTable(dict):
    """A dict that fills itself: a missing key's value is computed by ``learn`` and kept.

    For per-word look-ups on the analysis hot path: ``map(table.__getitem__, words)`` runs
    entirely in C for every word seen before. At most ``limit`` keys are kept, so text
    with endless new words (typos, codes) cannot grow a long-running process without bound.
    """

    __slots__ = ("learn", "limit")

    def __init__(self, learn: Callable, limit: int) -> None:
        super().__init__()
        self.learn = learn
        self.limit = limit

    def __missing__(self, key):
        value = self.learn(key)
        if len(self) < self.limit:
            self[key] = value
        return value


# A sentence longer than this is cut at a comma or "and" (or, failing that, between words),
# so one run-on paragraph without punctuation does not become one huge "sentence".
MAX_SENTENCE_WORDS = 60
MAX_SENTENCE_CHARS = 400

_EMOTICON = r"(?:[:;=][-'^]?[()\[\]DPpOo3/\\|*]+|<3+)"
_EMOJI_CHARACTER = r"[\u2600-\u27bf\U0001f000-\U0001faff]"
_EMOJI = rf"(?:{_EMOJI_CHARACTER}[\ufe0f\u200d]*)"
# Candidate boundaries, read left to right by one finditer. The pattern starts with one
# character class (so the regex engine skips ahead with its fast character-set scan) and
# then tells the kinds apart by looking back at that character:
# - ``line``: a line break (with any blank lines after it) always ends a sentence;
# - ``run`` + ``tail``: a run of . ! ? … with closing quotes or brackets and any emoticons or
#   emoji that trail it ("Great! :)", 'it said "Made in Italy."');
# - ``emoticon`` / ``emoji``: a smiley with no full stop, which ends a sentence only when a
#   capitalised word follows ("Love it :) The colour is ...").
_BOUNDARY = re.compile(
    rf"""
    [\n.!?\u2026:;=<\u2600-\u27bf\U0001f000-\U0001faff]
    (?:
        (?<=\n)(?P<line>\s*)
      | (?<=[.!?\u2026])(?P<run>[.!?\u2026]*)
        (?P<tail>["'\u201d\u2019)\]]*(?:[ \t]*{_EMOJI}|[ \t]+{_EMOTICON}(?!\S))*)
      | (?<=[:;=])(?<!\S[:;=])(?P<emoticon>[-'^]?[()\[\]DPpOo3/\\|*]+(?!\S))
      | (?<=<)(?<!\S<)(?P<heart>3+(?!\S))
      | (?<={_EMOJI_CHARACTER})(?P<emoji>[\ufe0f\u200d]*{_EMOJI}*)
    )
    """,
    re.VERBOSE,
)
_ALPHANUMERIC = re.compile(r"[^\W_]")
_LETTERS = re.compile(r"[^\W\d_]+")
_OPENING = "\"'([{\u201c\u2018*"

# Never end a sentence: titles and Latin abbreviations are always followed by more.
_NEVER_FINAL = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "e.g", "i.e", "cf", "approx"}
)
# End a sentence unless a number follows ("no. 5", "size no. 10", "pg. 3").
_NUMBER_PREFIX = frozenset({"no", "nos", "nr", "num", "pg", "pp", "vol", "ch", "art", "ref"})
# End a sentence only when a capitalised word follows ("socks etc. The box ...").
_MAYBE_FINAL = frozenset(
    {
        "etc", "inc", "ltd", "co", "corp", "est", "incl", "excl", "dept", "min", "max",
        "ft", "in", "oz", "lb", "lbs", "qty", "pcs", "a.m", "p.m", "u.s", "u.k", "u.s.a",
    }
)  # fmt: skip
# "amazon.com", "takealot.co.za": a full stop followed straight by one of these is a web address.
_DOMAIN_ENDINGS = frozenset(
    {"com", "net", "org", "co", "za", "uk", "io", "de", "fr", "au", "ca", "nz", "us", "eu"}
    | {"info", "biz", "shop", "store", "app", "gov", "edu", "ly", "me", "html", "jpg", "png"}
)
_ABBREVIATIONS = _NEVER_FINAL | _NUMBER_PREFIX | _MAYBE_FINAL
_LONGEST_ABBREVIATION = max(len(abbreviation) for abbreviation in _ABBREVIATIONS)
# The last three characters before the full stop of every abbreviation, a short one with
# whatever may stand before it: anything else before ". " ends a sentence.
_ABBREVIATION_TAILS = frozenset(
    abbreviation[-3:] for abbreviation in _ABBREVIATIONS if len(abbreviation) >= 3
) | frozenset(
    before + abbreviation
    for abbreviation in _ABBREVIATIONS
    if len(abbreviation) < 3
    for before in ("", " ", "\n", "\t", *_OPENING)
)
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_NON_SPACE = re.compile(r"\S+")
_LONG_BREAK = re.compile(r",\s*|\s+(?=(?:and|but|so|then)\b)", re.IGNORECASE)


def split_sentences(text: str) -> list[Span]:
    """The sentences of ``text`` in order, as trimmed spans of it; ``[]`` for blank text.

    Semicolons never end a sentence; a line break always does. A sentence longer than
    :data:`MAX_SENTENCE_WORDS` words or :data:`MAX_SENTENCE_CHARS` characters is cut at its
    commas and "and"s where it can, between words where it cannot.
    """
    cuts = [0]
    length = len(text)
    for match in _BOUNDARY.finditer(text):
        kind = match.lastgroup
        end = match.end()
        if kind == "line":
            cuts.append(end)
            continue
        start = match.start()
        # Punctuation before any word ("...and then", "!!! Great") joins the next sentence.
        if not (start and text[start - 1].isalnum()) and not _ALPHANUMERIC.search(
            text, cuts[-1], start
        ):
            continue
        if kind != "tail":  # an emoticon or emoji ends a sentence before a capitalised word
            if _next_visible(text, end).isupper():
                cuts.append(end)
        elif end == start + 1 and text[start] == "." and end < length and text[end] == " ":
            # The common case, "word. ": only a short word can be an abbreviation or a number.
            if (
                text[start - 3 if start > 3 else 0 : start].lower() not in _ABBREVIATION_TAILS
                and not text[start - 1].isdigit()
            ) or _ends_sentence(text, start, end, end):
                cuts.append(end)
        elif end < length and _ends_sentence(text, start, match.end("run"), end):
            cuts.append(end)
    cuts.append(length)

    spans: list[Span] = []
    for begin, finish in pairwise(cuts):
        chunk = text[begin:finish]
        stripped = chunk.strip()
        if not stripped:
            continue
        start = begin + len(chunk) - len(chunk.lstrip())
        end = start + len(stripped)
        if end - start > MAX_SENTENCE_CHARS or stripped.count(" ") >= MAX_SENTENCE_WORDS:
            spans.extend(_cut_long(text, start, end))
        else:
            spans.append(Span(start, end, stripped))
    return spans


def words(text: str) -> list[str]:
    """Lower-case word tokens of ``text``: "don't", "see-through" and "usb-c" are one word each.

    Curly apostrophes become straight ones, so "don’t" and "don't" are the same token.
    """
    return _WORD.findall(fold(text))


def _ends_sentence(text: str, start: int, run_end: int, end: int) -> bool:
    """Whether the run of . ! ? … from ``start`` to ``run_end`` ends a sentence.

    ``end`` is where the run's tail (closing quotes, emoticons) ends; it is before the end
    of the text.
    """
    following = text[end]
    is_full_stop = run_end == start + 1 and text[start] == "."
    if following.isspace():
        if not is_full_stop:
            return True
        token = _short_token_before(text, start)
        if token not in _ABBREVIATIONS and not token.isdigit():
            return True
        if token in _NEVER_FINAL:
            return False
        next_visible = _next_visible(text, end)
        if token in _NUMBER_PREFIX and (next_visible.isdigit() or next_visible == "#"):
            return False
        if token in _MAYBE_FINAL and not next_visible.isupper():
            return False
        # "1. Too short" at the start of a line is a numbered list, not a sentence "1."
        return not (token.isdigit() and len(token) <= 2 and _starts_line(text, start - len(token)))
    if following.isalpha():
        if not is_full_stop:
            return True
        # "fit.but the colour" ends a sentence; "e.g", "U.S.A", "amazon.com" do not.
        token = _token_before(text, start)
        if len(token) < 2 or "." in token or "@" in token or "/" in token or "www" in token:
            return False
        if token in _NEVER_FINAL:
            return False
        next_word = _LETTERS.match(text, end)
        return next_word is None or next_word.group().lower() not in _DOMAIN_ENDINGS
    if following.isdigit():
        # "3.5", "$12.99", "v2.0" are numbers; "Amazing!5 stars" is a new sentence.
        return not is_full_stop
    return following in _OPENING


def _short_token_before(text: str, position: int) -> str:
    """The lower-cased word before ``position`` if it is short enough to be an abbreviation.

    Abbreviations and list numbers are at most :data:`_LONGEST_ABBREVIATION` characters, so
    only that many are read back; a longer word comes back as "".
    """
    begin = position - _LONGEST_ABBREVIATION - 1
    window = text[begin:position] if begin > 0 else text[:position]
    parts = window.split()
    if not parts or (begin > 0 and len(parts) == 1 and not window[0].isspace()):
        return ""
    return parts[-1].lstrip(_OPENING).lower()


def _token_before(text: str, position: int) -> str:
    """The lower-cased word run just before ``position``, without opening quotes or brackets."""
    begin = max(text.rfind(" ", 0, position), text.rfind("\n", 0, position)) + 1
    tab = text.rfind("\t", begin, position)
    if tab >= 0:
        begin = tab + 1
    return text[begin:position].lstrip(_OPENING).lower()


def _next_visible(text: str, position: int) -> str:
    """The first non-space character at or after ``position`` ("" at the end of the text)."""
    length = len(text)
    while position < length and text[position].isspace():
        position += 1
    return text[position] if position < length else ""


def _starts_line(text: str, position: int) -> bool:
    line_start = text.rfind("\n", 0, position) + 1
    return not text[line_start:position].strip()


def _cut_long(text: str, start: int, end: int) -> list[Span]:
    """Cut an over-long sentence into pieces within the word and character limits.

    Each piece ends at the last comma or "and"/"but"/"so"/"then" before the limit; without
    one it ends at the last word that fits (or mid-word, for a single word past the limit).
    """
    pieces: list[Span] = []
    offsets = [match.start() for match in _NON_SPACE.finditer(text, start, end)]
    first_word = 0
    piece_start = start
    while True:
        limit_word = first_word + MAX_SENTENCE_WORDS
        limit = min(
            offsets[limit_word] if limit_word < len(offsets) else end,
            piece_start + MAX_SENTENCE_CHARS,
        )
        if limit >= end:
            piece_end = end
        else:
            piece_end = limit
            breaks = [
                match.end() if match.group().startswith(",") else match.start()
                for match in _LONG_BREAK.finditer(text, piece_start, limit)
            ]
            minimum = piece_start + (limit - piece_start) // 3
            usable = [position for position in breaks if position > minimum]
            if usable:
                piece_end = usable[-1]
            else:
                between_words = [offset for offset in offsets if piece_start < offset <= limit]
                if between_words:
                    piece_end = between_words[-1]
        chunk = text[piece_start:piece_end]
        stripped = chunk.strip()
        if stripped:
            begin = piece_start + len(chunk) - len(chunk.lstrip())
            pieces.append(Span(begin, begin + len(stripped), stripped))
        if piece_end >= end:
            return pieces
        piece_start = piece_end
        while first_word < len(offsets) and offsets[first_word] < piece_start:
            first_word += 1
