"""Timeliness and clarity: when the answer goes out and whether it reads well."""

import math
from collections import Counter
from datetime import UTC, datetime, timedelta

from saypro.coaching import lexicon
from saypro.coaching.guidelines.base import Draft, make_finding
from saypro.coaching.results import Finding, Span
from saypro.coaching.review import ReviewInput
from saypro.core.durations import compact_duration

ANSWER_GOAL = timedelta(hours=48)
NEARLY_DUE = timedelta(hours=12)

TOO_SHORT, SHORT = 12, 20  # words: fail below TOO_SHORT, warn below SHORT
LONG, TOO_LONG = 200, 250  # words: warn above LONG, fail above TOO_LONG
LONG_SENTENCE = 40  # words
WALL_OF_TEXT = 120  # words in a single paragraph


def check_timeliness(review: ReviewInput, now: datetime | None) -> Finding:
    """Hours left of the 48-hour goal, counted from ``review.published_at`` to ``now`` (aware, UTC).

    Hours left round down; lateness is written as the seller pages write it
    ("5 h 12 min", "238 d 5 h"). Once the answer is out, the deadline is behind
    it: the finding says how soon it went out and does not count.
    """
    if review.published_at is None:
        return make_finding(
            "timeliness",
            "pass",
            applies=False,
            reason="No publication time, so there is no deadline to check.",
        )
    now = now or datetime.now(UTC)
    moments = [(review.published_at, "published_at"), (now, "now")]
    if review.answered_at is not None:
        moments.append((review.answered_at, "answered_at"))
    for moment, name in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{name} must be an aware datetime (UTC), not {moment!r}")
    if review.answered_at is not None:
        took = review.answered_at - review.published_at
        goal = "within" if took <= ANSWER_GOAL else "after"
        return make_finding(
            "timeliness",
            "pass",
            applies=False,
            reason=f"Answered {compact_duration(took.total_seconds())} after publication, "
            f"{goal} the 48-hour goal.",
        )
    left = review.published_at + ANSWER_GOAL - now
    hours = left.total_seconds() / 3600
    if left <= timedelta(0):
        return make_finding(
            "timeliness",
            "fail",
            reason=f"Overdue by {compact_duration(-left.total_seconds())}.",
            suggestion="Answer now: a late answer still helps, and the next customers read it too.",
        )
    left_text = f"{math.floor(hours)} h left" if hours >= 1 else "Less than 1 h left"
    if left <= NEARLY_DUE:
        return make_finding(
            "timeliness",
            "warn",
            reason=f"{left_text} of the 48-hour goal.",
            suggestion="Publish soon to answer within 48 hours.",
        )
    return make_finding("timeliness", "pass", reason=f"{left_text} of the 48-hour goal.")


def check_clarity(draft: Draft) -> Finding:
    count = len(draft.words)
    if count == 0:
        return make_finding(
            "clarity",
            "fail",
            reason="The draft is empty.",
            suggestion="Write two to five short sentences.",
        )
    if count < TOO_SHORT:
        return make_finding(
            "clarity",
            "fail",
            reason=f"Too short: {count} word{'' if count == 1 else 's'}. "
            f"A helpful answer takes {SHORT} to {LONG}.",
            suggestion="Add a sentence about what they wrote and what happens next.",
        )
    if count > TOO_LONG:
        return make_finding(
            "clarity",
            "fail",
            reason=f"Too long: {count} words. Keep it under {LONG}.",
            suggestion="Cut it to the thanks, the answer to their point and the next step.",
        )
    problems: list[tuple[str, str, list[Span]]] = []
    if count < SHORT:
        problems.append((f"Short: {count} words.", "Add a sentence about what they wrote.", []))
    if count > LONG:
        problems.append((f"Long: {count} words.", f"Trim it towards {LONG} words.", []))
    long_sentences = [
        draft.span(start, end)
        for start, end in draft.sentences
        if sum(1 for word in draft.words if start <= word.start < end) > LONG_SENTENCE
    ]
    if long_sentences:
        problems.append(
            (
                f"{len(long_sentences)} sentence(s) over {LONG_SENTENCE} words.",
                "Split long sentences in two.",
                long_sentences,
            )
        )
    paragraphs = [part for part in draft.text.split("\n") if part.strip()]
    longest = max(len(part.split()) for part in paragraphs)
    if longest > WALL_OF_TEXT:
        problems.append(
            (
                f"A wall of text ({longest} words in one paragraph).",
                "Break it into short paragraphs.",
                [],
            )
        )
    repeated = _repeated_words(draft)
    if repeated:
        problems.append(
            (
                f"Repeats words: {', '.join(dict.fromkeys(s.text.lower() for s in repeated))}.",
                "Vary the wording or cut the repetition.",
                repeated,
            )
        )
    if problems:
        return make_finding(
            "clarity",
            "warn",
            spans=[span for _, _, spans in problems for span in spans],
            reason=" ".join(reason for reason, _, _ in problems),
            suggestion=" ".join(advice for _, advice, _ in problems),
        )
    return make_finding(
        "clarity",
        "pass",
        reason=f"{count} words in {len(draft.sentences)} sentence(s); easy to read.",
    )


def _repeated_words(draft: Draft) -> list[Span]:
    """A word typed twice in a row ("the the"), or a content word used four times or more."""
    spans = []
    for previous, word in zip(draft.words, draft.words[1:], strict=False):
        typed_twice = not draft.text[previous.end : word.start].strip()
        if word.text == previous.text and word.text.isalpha() and typed_twice:
            spans.append(draft.span(previous.start, word.end))
    counts = Counter(
        word.text
        for word in draft.words
        if len(word.text) > 3 and word.text not in lexicon.STOPWORDS
    )
    overused = {text for text, n in counts.items() if n >= 4 and n / len(draft.words) >= 0.04}
    seen = set()
    for word in draft.words:
        if word.text in overused and word.text not in seen:
            seen.add(word.text)
            spans.append(draft.span(word.start, word.end))
    return spans
