"""What the coach reads from a review: its tone and the aspects the customer praised or criticised.

The reading is deliberately simple and explainable: a keyword → aspect map
(saypro.coaching.lexicon.ASPECTS) and a clause-level sentiment count with
negation ("not soft" is a complaint, "nothing broke" is praise). The rating
decides most of the tone; the text only moves a 3- or 4-star review between
"mixed" and "negative", or marks a high rating with clearly negative text.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from saypro.coaching import lexicon
from saypro.coaching.text import fold, stem, words


@dataclass(frozen=True)
class ReviewInput:
    """The review a draft answers. ``published_at`` is an aware UTC datetime (or None);
    ``answered_at`` when the store's answer went out, if it has (the draft then edits it)."""

    text: str
    rating: int
    product: str
    reviewer: str = ""
    title: str = ""
    published_at: datetime | None = None
    answered_at: datetime | None = None


class Tone(StrEnum):
    POSITIVE = "positive"
    MIXED = "mixed"
    NEGATIVE = "negative"


MAIN_ISSUES = 2  # the most complaints an apology names


@dataclass(frozen=True)
class AspectMention:
    """One aspect as the customer raised it: ``polarity`` +1 is praise, -1 a complaint.

    ``weight`` is how strongly they said it, added up over every time they raised
    it: each time, how far its clause leans that way (its sentiment count) plus
    one when their own words carry the verdict ("runs small"). A neutral word in
    a clause that leans neither way, taking the rating's side, weighs nothing.
    """

    aspect: str
    label: str
    polarity: int
    cue: str  # the customer's words that named it, lower case ("runs small")
    descriptive: bool = False  # the cue itself says good or bad ("runs small"), not just "size"
    weight: int = 0


@dataclass(frozen=True)
class ReviewProfile:
    review: ReviewInput
    tone: Tone
    mentions: tuple[AspectMention, ...]
    has_complaint: bool
    product_stems: frozenset[str]
    content_stems: frozenset[str]

    @property
    def praise(self) -> tuple[AspectMention, ...]:
        return tuple(mention for mention in self.mentions if mention.polarity > 0)

    @property
    def issues(self) -> tuple[AspectMention, ...]:
        return tuple(mention for mention in self.mentions if mention.polarity < 0)

    @property
    def main_issues(self) -> tuple[AspectMention, ...]:
        """The complaints an apology names: the ``MAIN_ISSUES`` that weigh most, in the
        order the customer raised them.

        Naming every complaint piles them up ("the sizing, the fit, the stitching, the
        comfort and …"). On equal weight a complaint in the customer's own words
        ("came loose") goes before a neutral word in a complaining sentence ("size"),
        then the one raised first.
        """
        issues = self.issues
        ranked = sorted(
            range(len(issues)),
            key=lambda index: (issues[index].weight, issues[index].descriptive),
            reverse=True,
        )
        return tuple(issues[index] for index in sorted(ranked[:MAIN_ISSUES]))

    @property
    def aspect_keys(self) -> frozenset[str]:
        return frozenset(mention.aspect for mention in self.mentions)

    @property
    def needs_apology(self) -> bool:
        return self.tone is Tone.NEGATIVE

    @property
    def needs_next_step(self) -> bool:
        return self.tone is not Tone.POSITIVE


def _aspect_pattern(aspect: lexicon.Aspect) -> re.Pattern:
    groups = [
        f"(?P<{name}>{'|'.join(cues)})"
        for name, cues in (
            ("complaint", aspect.complaint),
            ("praise", aspect.praise),
            ("neutral", aspect.neutral),
        )
        if cues
    ]
    return re.compile(r"(?<![\w-])(?:" + "|".join(groups) + r")(?![\w-])")


ASPECT_PATTERNS = tuple((aspect, _aspect_pattern(aspect)) for aspect in lexicon.ASPECTS)
_CLAUSE_BREAK = re.compile(
    r"[.!?;:\n]+|,?\s+(?:but|though(?!\s*(?:[.!?]|$))|although|however|"
    r"yet|except|whereas|apart from)\b"
    r"|,\s*(?=only\b)"
)
_COMPLAINT_PHRASES = tuple(re.compile(phrase) for phrase in lexicon.COMPLAINT_PHRASES)
_PRAISE_IDIOMS = re.compile("|".join(lexicon.PRAISE_IDIOMS))
_ADVICE_AGAINST_IDIOMS = re.compile("|".join(lexicon.ADVICE_AGAINST_IDIOMS))


def _read_as(word: str) -> Callable[[re.Match], str]:
    """For ``re.sub``: an idiom replaced by ``word``, padded to its length so offsets stay put."""
    return lambda match: word.ljust(len(match.group()))


_TITLE_NOISE = lexicon.vocabulary(
    "set pack kit mini pro max plus new classic men's women's kids kid's children's size "
    "large small medium extra edition collection piece pieces"
)


@functools.lru_cache(maxsize=512)
def profile_review(review: ReviewInput) -> ReviewProfile:
    """Read ``review`` once; cached, as a seller's drafts are all coached against one review."""
    body = ". ".join(part for part in (review.title.strip(), review.text.strip()) if part)
    folded = _PRAISE_IDIOMS.sub(_read_as("great"), fold(body))
    folded = _ADVICE_AGAINST_IDIOMS.sub(_read_as("avoid"), folded)
    clauses = _clauses(folded)
    scores = [_sentiment(folded[start:end]) for start, end in clauses]
    found = _mentions(folded, clauses, scores, rating=review.rating)
    complaining = {index for index, score in enumerate(scores) if score < 0}
    praising = {index for index, score in enumerate(scores) if score > 0}
    for index, mention in found:
        if mention.descriptive:
            (complaining if mention.polarity < 0 else praising).add(index)
    mentions = tuple(mention for _, mention in found)
    # How strongly the text complains: each complaining clause counts its score, at least 1.
    complaint_weight = sum(max(-scores[index], 1) for index in complaining)
    return ReviewProfile(
        review=review,
        tone=_tone(review.rating, complaints=complaint_weight, praise=len(praising - complaining)),
        mentions=mentions,
        has_complaint=bool(complaining) or any(mention.polarity < 0 for mention in mentions),
        product_stems=product_stems(review.product),
        content_stems=frozenset(
            stem(word.text)
            for word in words(folded)
            if len(word.text) > 2 and word.text.isalpha() and _is_content(word.text)
        ),
    )


def product_stems(title: str) -> frozenset[str]:
    """The title's telling words: "Men's Merino Socks 3-Pack" → merino, sock."""
    return frozenset(
        stem(word.text)
        for word in words(fold(title))
        if len(word.text) > 2
        and word.text.replace("-", "").isalpha()
        and word.text not in _TITLE_NOISE
        and _is_content(word.text)
    )


def _is_content(word: str) -> bool:
    return word not in lexicon.STOPWORDS and word not in lexicon.GENERIC_WORDS


def _tone(rating: int, *, complaints: int, praise: int) -> Tone:
    """``complaints``: weight of the complaining (≥ 1 per clause); ``praise``: praising clauses."""
    clearly_negative = praise == 0 and complaints >= (2 if rating <= 3 else 3)
    if rating <= 2 or clearly_negative:
        return Tone.NEGATIVE
    if rating == 3 or (rating == 4 and complaints):
        return Tone.MIXED
    return Tone.POSITIVE


def _clauses(folded: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _CLAUSE_BREAK.finditer(folded):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(folded):
        spans.append((start, len(folded)))
    return spans


def _sentiment(clause: str) -> int:
    """Positive words minus negative ones; a negator up to three words back flips a word."""
    tokens = [word.text for word in words(clause)]
    score = 0
    flipped_by = set()
    for index, token in enumerate(tokens):
        value = (token in lexicon.POSITIVE_WORDS) - (token in lexicon.NEGATIVE_WORDS)
        if token == "too" and index + 1 < len(tokens) and tokens[index + 1] not in ("much", "many"):
            value = -1  # "too tight", "too warm"
        if not value:
            continue
        for back in range(max(0, index - 3), index):
            if tokens[back] in lexicon.NEGATORS:
                value, flipped_by = -value, flipped_by | {back}
                break
        score += value
    for index, token in enumerate(tokens):
        if token in lexicon.COMPLAINING_NEGATORS and index not in flipped_by:
            score -= 1
    stripped = clause.strip()
    score -= sum(1 for phrase in _COMPLAINT_PHRASES if phrase.search(stripped))
    return score


def _mentions(
    folded: str, clauses: list[tuple[int, int]], scores: list[int], *, rating: int
) -> list[tuple[int, AspectMention]]:
    """(clause index, mention) for each aspect the review names.

    One mention per aspect and polarity, in the order the customer raised them,
    weighing every time they raised it (``AspectMention.weight``); a stretch of
    text names one aspect only (the first in ASPECTS that claims it).
    """
    found: dict[tuple[str, int], tuple[int, int, AspectMention]] = {}
    claimed: list[tuple[int, int]] = []
    for aspect, pattern in ASPECT_PATTERNS:
        for match in pattern.finditer(folded):
            if any(match.start() < end and start < match.end() for start, end in claimed):
                continue
            index = next(
                (i for i, (start, end) in enumerate(clauses) if start <= match.start() < end), 0
            )
            score = scores[index] if scores else 0
            inherent = match.lastgroup != "neutral"
            if inherent:
                polarity = -1 if match.lastgroup == "complaint" else 1
                clause_start = clauses[index][0] if clauses else 0
                if _negated(folded[clause_start : match.start()]):
                    polarity = -polarity
            else:
                polarity = (score > 0) - (score < 0)
                if polarity == 0:
                    polarity = 1 if rating >= 4 else -1 if rating <= 2 else 0
            if not polarity:
                continue
            claimed.append((match.start(), match.end()))
            weight = max(polarity * score, 0) + inherent
            mention = AspectMention(
                aspect.key, aspect.label, polarity, match.group(), inherent, weight
            )
            earlier = found.get((aspect.key, polarity))
            if earlier is None:
                found[aspect.key, polarity] = (match.start(), index, mention)
                continue
            start, first_index, before = earlier
            # Keep where the customer first raised it, in their most telling words
            # ("thin", not "fabric").
            kept = mention if inherent and not before.descriptive else before
            found[aspect.key, polarity] = (
                start,
                first_index,
                replace(kept, weight=before.weight + weight),
            )
    ordered = sorted(found.values(), key=lambda item: item[0])
    return [(index, mention) for _, index, mention in ordered]


def _negated(before: str) -> bool:
    """Whether one of the last three words of ``before`` (the clause so far) is a negator."""
    return any(word.text in lexicon.NEGATORS for word in words(before)[-3:])
