"""``analyze(texts)``: everything the insights pages know about a batch of reviews.

Pure and batched: no database, no Django. Per review it returns the
sentiment with a probability per class, the sentences (character offsets
into the text) each with its sentiment, themes and per-theme sentiment,
the customer suggestions, and key phrases.

How the parts fit: the whole batch is tokenised once; the review, every
sentence and the clause around every theme mention are token ranges of that
one stream, scored together by ``SentimentModel.probabilities``. A theme's
sentiment in a sentence is its clause's ("pretty colour **but** the fabric
is thin" → appearance positive, material negative); across a review the
most negative mention wins, because one complaint is what a seller needs to
see. A negative sentence with no theme is a *complaint*: the raw material of
emerging topics.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from saypro.insights.phrases import key_phrases as find_key_phrases
from saypro.insights.sentiment import LABELS, SentimentModel, default_model
from saypro.insights.suggestions import find_suggestions, suggestion_key
from saypro.insights.text import split_sentences
from saypro.insights.themes import DEFAULT_THEMES, ThemeMatcher, ThemeSpec, theme_clause

NEGATIVE, NEUTRAL, POSITIVE = LABELS
SEVERITY = {NEGATIVE: 0, NEUTRAL: 1, POSITIVE: 2}
# A clause is called neutral about its theme only when negative and positive are this close.
# Chosen on the first half of eval/themes.jsonl (theme-sentiment accuracy 0.83 there; wider
# margins call too many plain complaints neutral: 0.15 → 0.81, 0.35 → 0.77).
CLAUSE_MARGIN = 0.05
# Only a sentence with one of these can have clauses of different sentiment
# (``themes.theme_clause`` cuts there); elsewhere a theme takes its sentence's sentiment.
_TURNS = re.compile(r"\b(?:but|however|except|although|though|whereas|yet)\b|;", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SentenceAnalysis:
    start: int
    end: int
    text: str
    sentiment: str
    probabilities: tuple[float, float, float]
    themes: dict[str, str]
    is_suggestion: bool

    @property
    def is_complaint(self) -> bool:
        """Negative and about no theme of the taxonomy."""
        return self.sentiment == NEGATIVE and not self.themes


@dataclass(frozen=True, slots=True)
class Suggestion:
    sentence_index: int
    text: str
    key: str


@dataclass(frozen=True, slots=True)
class Analysis:
    sentiment: str
    probabilities: dict[str, float]
    sentences: tuple[SentenceAnalysis, ...]
    themes: dict[str, str]
    suggestions: tuple[Suggestion, ...]
    key_phrases: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "sentiment": self.sentiment,
            "probabilities": self.probabilities,
            "themes": self.themes,
            "sentences": [
                {
                    "start": sentence.start,
                    "end": sentence.end,
                    "text": sentence.text,
                    "sentiment": sentence.sentiment,
                    "themes": sentence.themes,
                    "suggestion": sentence.is_suggestion,
                }
                for sentence in self.sentences
            ],
            "suggestions": [
                {"text": suggestion.text, "key": suggestion.key} for suggestion in self.suggestions
            ],
            "key_phrases": list(self.key_phrases),
        }


@lru_cache(maxsize=8)
def matcher_for(themes: tuple[ThemeSpec, ...]) -> ThemeMatcher:
    """One matcher per taxonomy; a changed taxonomy is a new key, so edits apply at once."""
    return ThemeMatcher(themes)


def analyze(
    texts: Sequence[str],
    *,
    themes: Sequence[ThemeSpec] = DEFAULT_THEMES,
    model: SentimentModel | None = None,
    with_key_phrases: bool = True,
    batch_size: int = 256,
) -> list[Analysis]:
    """Analyse ``texts`` in batches; the result is in the same order, one per text."""
    model = model or default_model()
    matcher = matcher_for(tuple(themes))
    results: list[Analysis] = []
    for first in range(0, len(texts), batch_size):
        batch = [text or "" for text in texts[first : first + batch_size]]
        results.extend(_analyze_batch(batch, matcher, model, with_key_phrases))
    return results


def _analyze_batch(
    texts: list[str], matcher: ThemeMatcher, model: SentimentModel, with_key_phrases: bool
) -> list[Analysis]:
    tokens = model.tokens(texts)
    sentences = [split_sentences(text) for text in texts]
    hits = [matcher.by_span(text, spans) for text, spans in zip(texts, sentences, strict=True)]
    # Every character range to score, as (text index, start, end): the review, its
    # sentences, then one clause per theme mention.
    # A hit in a sentence without a turn is scored as its sentence (no range of its own).
    ranges: list[tuple[int, int, int]] = []
    turning: list[list[bool]] = []
    for index, text in enumerate(texts):
        ranges.append((index, 0, len(text)))
        ranges.extend((index, span.start, span.end) for span in sentences[index])
        turns = [
            bool(by_theme) and _TURNS.search(span.text) is not None
            for span, by_theme in zip(sentences[index], hits[index], strict=True)
        ]
        turning.append(turns)
        for span, by_theme, turns_here in zip(sentences[index], hits[index], turns, strict=True):
            if turns_here:
                for theme_hits in by_theme.values():
                    for hit in theme_hits:
                        clause = theme_clause(text, span, hit)
                        ranges.append((index, clause.start, clause.end))
    probabilities = model.probabilities(tokens, _token_segments(tokens, ranges))
    rows = probabilities.tolist()
    labels = [_clause_label(row) for row in rows]
    sentence_labels = np.asarray(LABELS)[probabilities.argmax(axis=1)].tolist()

    results = []
    cursor = 0
    for index, text in enumerate(texts):
        review = cursor
        spans = sentences[index]
        first_sentence = cursor + 1
        cursor += 1 + len(spans)
        suggestion_indexes = set(find_suggestions(text, spans))
        sentence_results = []
        review_themes: dict[str, str] = {}
        for position, (span, by_theme) in enumerate(zip(spans, hits[index], strict=True)):
            sentence_themes = {}
            for slug, theme_hits in by_theme.items():
                if turning[index][position]:
                    clause_labels = labels[cursor : cursor + len(theme_hits)]
                    cursor += len(theme_hits)
                    label = min(clause_labels, key=SEVERITY.__getitem__)
                else:
                    label = labels[first_sentence + position]
                sentence_themes[slug] = label
                if slug not in review_themes or SEVERITY[label] < SEVERITY[review_themes[slug]]:
                    review_themes[slug] = label
            sentence_results.append(
                SentenceAnalysis(
                    span.start,
                    span.end,
                    span.text,
                    sentence_labels[first_sentence + position],
                    tuple(rows[first_sentence + position]),
                    sentence_themes,
                    position in suggestion_indexes,
                )
            )
        results.append(
            Analysis(
                sentiment=sentence_labels[review],
                probabilities={
                    label: round(value, 4)
                    for label, value in zip(LABELS, rows[review], strict=True)
                },
                sentences=tuple(sentence_results),
                themes=review_themes,
                suggestions=tuple(
                    Suggestion(position, spans[position].text, suggestion_key(spans[position].text))
                    for position in sorted(suggestion_indexes)
                ),
                key_phrases=tuple(find_key_phrases(text)) if with_key_phrases else (),
            )
        )
    return results


def _clause_label(probabilities: list[float]) -> str:
    negative, _, positive = probabilities
    if negative - positive >= CLAUSE_MARGIN:
        return NEGATIVE
    if positive - negative >= CLAUSE_MARGIN:
        return POSITIVE
    return NEUTRAL


def _token_segments(tokens, ranges: list[tuple[int, int, int]]) -> np.ndarray:
    """Character ranges → token ranges, all at once (tokens sorted within each text)."""
    if not ranges:
        return np.zeros((0, 2), np.int64)
    spec = np.asarray(ranges, np.int64)
    # Make character positions global: text i's characters start at i * stride.
    stride = int(spec[:, 2].max()) + 1  # every text has its whole-text range in ``ranges``
    owner = np.repeat(np.arange(len(tokens.bounds) - 1), np.diff(tokens.bounds))
    token_starts = owner * stride + tokens.char_starts
    starts = np.searchsorted(token_starts, spec[:, 0] * stride + spec[:, 1], side="left")
    ends = np.searchsorted(token_starts, spec[:, 0] * stride + spec[:, 2], side="left")
    return np.stack([starts, ends], axis=1)
