"""Professional tone: no shouting, profanity, sarcasm, rudeness or excessive punctuation."""

import functools
import re

from saypro.coaching import lexicon
from saypro.coaching.guidelines.base import Draft, make_finding
from saypro.coaching.guidelines.phrases import RUDE, SARCASM, TAUTOLOGY
from saypro.coaching.results import Finding, Span
from saypro.coaching.text import quoted, words

EXCESS_PUNCTUATION = re.compile(r"[!?]*(?:!\?|\?!)[!?]*|\?{2,}|!{2,}")


def profanity_words() -> tuple[str, ...]:
    """The default list plus Django's ``COACH_PROFANITY_WORDS`` (read only if Django is set up)."""
    extra: tuple[str, ...] = ()
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is installed wherever saypro runs
        settings = None
    if settings is not None and settings.configured:
        extra = tuple(getattr(settings, "COACH_PROFANITY_WORDS", None) or ())
    return tuple(
        sorted({*lexicon.DEFAULT_PROFANITY_WORDS, *(w.strip().lower() for w in extra if w.strip())})
    )


@functools.lru_cache(maxsize=8)
def _profanity_pattern(vocabulary: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(word) for word in sorted(vocabulary, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?:s|es|ed|ing|er|ers)?(?![\w-])")


def check_professionalism(draft: Draft) -> Finding:
    problems: list[tuple[str, str, list[Span]]] = []
    shouting = _shouting(draft)
    if shouting:
        problems.append(("Shouts", "Write in sentence case; capitals read as shouting.", shouting))
    swearing = draft.find(_profanity_pattern(profanity_words()))
    if swearing:
        problems.append(
            ("Profanity or insult", "Remove the swearing or insult entirely.", swearing)
        )
    sarcasm = draft.find(SARCASM) + draft.find(TAUTOLOGY)
    if sarcasm:
        problems.append(
            ("Sarcastic", "Say it plainly and kindly; sarcasm reads as contempt.", sarcasm)
        )
    rude = draft.find(RUDE)
    if rude:
        problems.append(
            ("Rude", "Stay courteous even when you disagree; offer help instead.", rude)
        )
    punctuation = draft.find(EXCESS_PUNCTUATION)
    if punctuation:
        problems.append(
            (
                "Excessive punctuation",
                "Use a single full stop, question mark or exclamation mark.",
                punctuation,
            )
        )
    if problems:
        return make_finding(
            "professionalism",
            "fail",
            spans=[span for _, _, spans in problems for span in spans],
            reason=" ".join(f"{kind}: {quoted(spans[0].text)}." for kind, _, spans in problems[:3]),
            suggestion=" ".join(advice for _, advice, _ in problems[:3]),
        )
    exclamations = [draft.span(i, i + 1) for i, char in enumerate(draft.text) if char == "!"]
    if len(exclamations) >= 4:
        return make_finding(
            "professionalism",
            "warn",
            spans=exclamations,
            reason=f"{len(exclamations)} exclamation marks: it reads as over-excited.",
            suggestion="Keep one exclamation mark at most; let the words carry the warmth.",
        )
    return make_finding(
        "professionalism", "pass", reason="Courteous: no shouting, sarcasm, profanity or rudeness."
    )


def _shouting(draft: Draft) -> list[Span]:
    """Runs of capitalised words, except acronyms and words the review or product capitalise."""
    own_capitals = {
        word.text
        for source in (draft.review.product, draft.review.text, draft.review.title)
        for word in words(source)
        if word.text.isupper()
    }
    shouted = []
    for word in words(draft.text):
        token = word.text
        letters = token.replace("'", "").replace("-", "")
        if not letters.isalpha() or not token.isupper() or token in own_capitals:
            continue
        lower = token.lower()
        if lower in lexicon.ACRONYMS or len(letters) == 1:
            continue
        if len(letters) == 2 and lower not in lexicon.SHOUTED_SHORT_WORDS:
            continue
        shouted.append(draft.span(word.start, word.end))
    runs: list[Span] = []
    for span in shouted:
        between = draft.text[runs[-1].end : span.start] if runs else None
        if runs and between is not None and not re.search(r"[a-z]", between) and len(between) <= 3:
            runs[-1] = draft.span(runs[-1].start, span.end)
        else:
            runs.append(span)
    return runs
