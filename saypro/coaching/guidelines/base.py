"""The eight house guidelines and the prepared draft every check reads."""

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from saypro.coaching.results import Finding, Span, Verdict
from saypro.coaching.review import ReviewProfile
from saypro.coaching.text import Word, fold, sentences, stem, words


@dataclass(frozen=True)
class Guideline:
    key: str
    label: str
    weight: int  # share of the 0-100 score; the weights add up to 100


GUIDELINES: dict[str, Guideline] = {
    guideline.key: guideline
    for guideline in (
        Guideline("empathy", "Empathy", 15),
        Guideline("professionalism", "Professional tone", 20),
        Guideline("personalisation", "Personal, not a template", 10),
        Guideline("thanks", "Thanks the customer", 10),
        Guideline("no_defensiveness", "No defensiveness", 20),
        Guideline("next_step", "Offers a next step", 15),
        Guideline("timeliness", "Answered within 48 hours", 5),
        Guideline("clarity", "Clear and readable", 5),
    )
}


class Draft:
    """A draft prepared once for all the checks: folded text, words, sentences, stems.

    Patterns run on ``folded`` (same length as ``text``), so every match is
    turned into a :class:`Span` of the draft as the seller typed it.
    """

    def __init__(self, text: str, profile: ReviewProfile) -> None:
        self.text = text
        self.folded = fold(text)
        self.profile = profile
        self.review = profile.review
        self.memo: dict[str, object] = {}  # results one check computes and another reuses

    @cached_property
    def words(self) -> list[Word]:
        return words(self.folded)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return sentences(self.text)

    @cached_property
    def stems(self) -> frozenset[str]:
        return frozenset(stem(word.text) for word in self.words)

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    def find(self, pattern: re.Pattern) -> list[Span]:
        """Every match of ``pattern`` in the folded draft, as spans of the draft."""
        return [
            self.span(*match.span())
            for match in pattern.finditer(self.folded)
            if match.end() > match.start()
        ]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [start for start, _ in self.sentences]

    def sentence_around(self, span: Span) -> Span:
        """The whole sentence holding ``span`` (at least the span itself)."""
        start, end = self.sentence_of(span.start)
        return self.span(min(start, span.start), max(end, span.end))

    def sentence_of(self, position: int) -> tuple[int, int]:
        """(start, end) of the sentence holding ``position``; (position, position) if none."""
        index = bisect.bisect_right(self._sentence_starts, position) - 1
        if index >= 0:
            start, end = self.sentences[index]
            if position < end:
                return start, end
        return position, position

    def sentence_text(self, position: int) -> str:
        start, end = self.sentence_of(position)
        return self.folded[start:end]


def make_finding(
    key: str,
    verdict: Verdict,
    *,
    reason: str,
    suggestion: str = "",
    spans: list[Span] | tuple[Span, ...] = (),
    applies: bool = True,
) -> Finding:
    """A Finding with its label filled in and its spans in draft order, overlaps merged."""
    return Finding(
        guideline=key,
        label=GUIDELINES[key].label,
        verdict=verdict,
        spans=merge_spans(spans),
        reason=reason,
        suggestion=suggestion,
        applies=applies,
    )


def merge_spans(spans) -> tuple[Span, ...]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                text = last.text + span.text[last.end - span.start :]
                merged[-1] = Span(last.start, span.end, text)
            continue
        merged.append(span)
    return tuple(merged)


def compile_any(*patterns: str) -> re.Pattern:
    """One pattern matching any of ``patterns`` (each already carries its own word boundaries)."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def join_words(items: list[str], conjunction: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
