"""``analyze(texts)``: everything the insights pages know about a batch of reviews.

Pure and batched: no database, no Django. Per review it returns the
sentiment with a probability per class, the sentences (character offsets
into the text) each with its sentiment, themes and per-theme sentiment,
the customer suggestions, and key phrases. A suggestion is listed only with
a key to count it by: a vague ask ("could be better with a few changes")
marks its sentence as a suggestion, so it is no complaint, but asks for
nothing in particular.

How the parts fit: the whole batch is tokenised once; the review, every
sentence and the clause around every theme mention are token ranges of that
one stream, scored together by ``SentimentModel.probabilities``. A theme's
sentiment in a sentence is its clause's ("pretty colour **but** the fabric
is thin" → appearance positive, material negative); across a review the
most negative mention wins, because one complaint is what a seller needs to
see. A negative sentence with no theme is a *complaint*: the raw material of
emerging topics.
"""

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from saypro.insights.phrases import key_phrases as find_key_phrases
from saypro.insights.sentiment import LABELS, SentimentModel, default_model
from saypro.insights.suggestions import find_suggestions, suggestion_key
from saypro.insights.text import Span, fold, split_sentences
from saypro.insights.themes import (
    DEFAULT_THEMES,
    ThemeHit,
    ThemeMatcher,
    ThemeSpec,
    theme_clauses,
)

NEGATIVE, NEUTRAL, POSITIVE = LABELS
SEVERITY = {NEGATIVE: 0, NEUTRAL: 1, POSITIVE: 2}
# A clause is called neutral about its theme only when negative and positive are this close.
# Chosen on the first half of eval/themes.jsonl (theme-sentiment accuracy 0.83 there; wider
# margins call too many plain complaints neutral: 0.15 → 0.81, 0.35 → 0.77).
CLAUSE_MARGIN = 0.05
# Only a sentence with one of these words or a semicolon can have clauses of different
# sentiment (``themes.theme_clause`` cuts there); elsewhere a theme takes its sentence's.
_TURN_WORDS = ("but", "however", "except", "although", "though", "whereas", "yet")
_LABELS = np.asarray(LABELS)


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
        """Negative, about no theme of the taxonomy, and not a suggestion.

        A request ("Please offer a refill") is counted as a suggestion; read as a complaint
        as well, its words would turn up as a problem among the emerging topics.
        """
        return self.sentiment == NEGATIVE and not self.themes and not self.is_suggestion


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
        with _collector_paused():
            results.extend(_analyze_batch(batch, matcher, model, with_key_phrases))
    return results


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector for one batch.

    A batch allocates tens of thousands of small containers (spans, hits, results) and
    makes no reference cycles; every 700 allocations would otherwise start a collection,
    some of them full passes over every result so far (about a fifth of the analysis
    time on 10,000 reviews: docs/insights.md). Mercurial does the same around its
    allocation-heavy loops (``util.nogc``). Reference counting still frees everything;
    the collector runs again after the batch.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _analyze_batch(
    texts: list[str], matcher: ThemeMatcher, model: SentimentModel, with_key_phrases: bool
) -> list[Analysis]:
    tokens = model.tokens(texts)
    sentences = [split_sentences(text) for text in texts]
    hits = [matcher.by_span(text, spans) for text, spans in zip(texts, sentences, strict=True)]
    # Every character range to score, as (text index, start, end): each review and its
    # sentences, then one clause per theme mention in a sentence that turns (a mention
    # elsewhere is scored as its sentence, with no range of its own).
    ranges: list[tuple[int, int, int]] = []
    clauses: list[tuple[int, int, int]] = []
    turning: list[list[bool]] = []
    for index, text in enumerate(texts):
        spans = sentences[index]
        ranges.append((index, 0, len(text)))
        ranges.extend((index, span.start, span.end) for span in spans)
        turns = _turning(text, spans, hits[index])
        turning.append(turns)
        for span, by_theme, turns_here in zip(spans, hits[index], turns, strict=True):
            if turns_here:
                mentions = [hit for theme_hits in by_theme.values() for hit in theme_hits]
                clauses.extend(
                    (index, clause.start, clause.end)
                    for clause in theme_clauses(text, span, mentions)
                )
    probabilities = model.probabilities(tokens, _token_segments(tokens, ranges + clauses))
    scored = probabilities[: len(ranges)]
    rows = scored.tolist()
    sentence_labels = _LABELS[scored.argmax(axis=1)].tolist()
    margin_labels = _margin_labels(probabilities)
    clause_labels = margin_labels[len(ranges) :]

    results = []
    cursor = 0
    clause_cursor = 0
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
                    mentions = clause_labels[clause_cursor : clause_cursor + len(theme_hits)]
                    clause_cursor += len(theme_hits)
                    label = min(mentions, key=SEVERITY.__getitem__)
                else:
                    label = margin_labels[first_sentence + position]
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
                    Suggestion(position, spans[position].text, key)
                    for position in sorted(suggestion_indexes)
                    if (key := suggestion_key(spans[position].text))
                ),
                key_phrases=tuple(find_key_phrases(text)) if with_key_phrases else (),
            )
        )
    return results


def _turning(text: str, spans: list[Span], hits: list[dict[str, list[ThemeHit]]]) -> list[bool]:
    """For each sentence: whether it mentions a theme and has a turn."""
    turns = _turns(fold(text))
    if not turns:
        return [False] * len(spans)
    return [
        bool(by_theme) and any(span.start <= turn < span.end for turn in turns)
        for span, by_theme in zip(spans, hits, strict=True)
    ]


def _turns(folded: str) -> list[int]:
    """Where a turn word (a whole word) or a semicolon is in ``folded``.

    Plain substring searches: three times faster than one regular expression with word
    boundaries, which has no literal to skip ahead to.
    """
    turns = []
    at = folded.find(";")
    while at >= 0:
        turns.append(at)
        at = folded.find(";", at + 1)
    for word in _TURN_WORDS:
        at = folded.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or not _is_word_character(folded[at - 1])) and (
                end == len(folded) or not _is_word_character(folded[end])
            ):
                turns.append(at)
            at = folded.find(word, end)
    return turns


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def _margin_labels(probabilities: np.ndarray) -> list[str]:
    """Each row's label with the clause margin: neutral unless one side leads by it."""
    lean = probabilities[:, 0].astype(np.float64) - probabilities[:, 2].astype(np.float64)
    return _LABELS[
        np.where(lean >= CLAUSE_MARGIN, 0, np.where(-lean >= CLAUSE_MARGIN, 2, 1))
    ].tolist()


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
