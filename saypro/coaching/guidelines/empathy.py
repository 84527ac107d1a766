"""Empathy: apologise for a bad experience, acknowledge a mixed one, share a happy one."""

import re

from saypro.coaching.guidelines.base import Draft, join_words, make_finding
from saypro.coaching.guidelines.defensiveness import defensive_phrases
from saypro.coaching.guidelines.phrases import (
    APOLOGY,
    CONDITIONAL_APOLOGY,
    NON_APOLOGY,
    POSITIVE_ACK,
    UNDERSTANDING,
)
from saypro.coaching.results import Finding, Span
from saypro.coaching.review import ASPECT_PATTERNS, Tone
from saypro.coaching.text import quoted

THANKS_WORD = re.compile(r"\b(?:thank|thanks|thx|cheers|grateful|appreciate)")


def check_empathy(draft: Draft) -> Finding:
    profile = draft.profile
    apologies = draft.find(APOLOGY)
    non_apologies = draft.find(NON_APOLOGY)
    conditional = draft.find(CONDITIONAL_APOLOGY)
    understanding = draft.find(UNDERSTANDING)
    positive = draft.find(POSITIVE_ACK)
    undercut = _undercut_apologies(draft, apologies)
    genuine = [
        span
        for span in apologies
        if not _inside(span, non_apologies)
        and not _inside(span, conditional)
        and span not in undercut
    ]
    issues = join_words([mention.label for mention in profile.main_issues])
    say_sorry = (
        f"Say sorry for the problem itself, e.g. “We're sorry about {issues}.”"
        if issues
        else "Say sorry for what went wrong, in plain words: “We're sorry the … ”."
    )

    if non_apologies or (undercut and not genuine):
        bad = non_apologies or [_apology_sentence(draft, undercut[0])]
        reason = (
            f"{quoted(bad[0].text)} apologises for the customer's feelings, "
            "not for what went wrong."
            if non_apologies
            else f"The apology is taken back by what follows: {quoted(bad[0].text)}."
        )
        if profile.needs_apology or profile.tone is Tone.MIXED:
            return make_finding("empathy", "fail", spans=bad, reason=reason, suggestion=say_sorry)

    if profile.needs_apology:
        if genuine:
            return make_finding(
                "empathy",
                "pass",
                spans=genuine + understanding,
                reason=f"Apologises: {quoted(_apology_sentence(draft, genuine[0]).text)}.",
            )
        if conditional:
            return make_finding(
                "empathy",
                "warn",
                spans=conditional,
                reason="A hedged apology: "
                f"{quoted(_apology_sentence(draft, conditional[0]).text)}.",
                suggestion=say_sorry,
            )
        reason = (
            f"Acknowledges the problem but never apologises; a {profile.review.rating}-star "
            "review calls for an apology."
            if understanding
            else "No apology and no acknowledgement of what went wrong in a "
            f"{profile.review.rating}-star review."
        )
        return make_finding(
            "empathy", "fail", spans=understanding, reason=reason, suggestion=say_sorry
        )

    if profile.tone is Tone.MIXED:
        if genuine or understanding:
            return make_finding(
                "empathy",
                "pass",
                spans=genuine + understanding + positive,
                reason="Acknowledges the problem the customer raised.",
            )
        if conditional:
            return make_finding(
                "empathy",
                "warn",
                spans=conditional,
                reason="A hedged apology for the problem the customer raised.",
                suggestion=say_sorry,
            )
        raised = f" ({issues})" if issues else ""
        return make_finding(
            "empathy",
            "fail",
            spans=positive,
            reason=(
                f"Responds to the praise but not to the problem they raised{raised}."
                if positive
                else "Doesn't acknowledge the customer's experience, "
                f"nor the problem they raised{raised}."
            ),
            suggestion=(
                f"Show you heard the complaint: “We're sorry about {issues}.”"
                if issues
                else "Show you heard the complaint, e.g. “We're sorry it fell short of what "
                "you expected.”"
            ),
        )

    # A happy customer: share their pleasure in what they enjoyed.
    if positive or genuine or understanding:
        spans = positive or genuine or understanding
        return make_finding(
            "empathy",
            "pass",
            spans=spans,
            reason="Shares the customer's experience: "
            f"{quoted(_apology_sentence(draft, spans[0]).text)}.",
        )
    praised = [mention for mention in profile.praise if _mentions_aspect(draft, mention.aspect)]
    if praised and draft.find(THANKS_WORD):
        return make_finding(
            "empathy",
            "warn",
            reason=f"Picks up their praise ({praised[0].label}) "
            "but doesn't say you're glad they're happy.",
            suggestion="Add how you feel about it, e.g. “We're delighted you love it.”",
        )
    liked = join_words([mention.label for mention in profile.praise[:2]])
    return make_finding(
        "empathy",
        "fail",
        reason="Doesn't acknowledge what the customer enjoyed.",
        suggestion=(
            f"Say you're glad, and about what: “We're delighted you're happy with {liked}.”"
            if liked
            else "Say you're glad they're happy with it, e.g. “We're delighted you love it.”"
        ),
    )


def _inside(span: Span, containers: list[Span]) -> bool:
    return any(c.start <= span.start and span.end <= c.end for c in containers)


def _apology_sentence(draft: Draft, span: Span) -> Span:
    """From ``span`` to the end of its sentence: the apology as the seller wrote it."""
    _, end = draft.sentence_of(span.start)
    return draft.span(span.start, max(end, span.end))


def _undercut_apologies(draft: Draft, apologies: list[Span]) -> list[Span]:
    """Apologies followed, in the same sentence, by "but" and then a defensive phrase."""
    defensive = defensive_phrases(draft)
    last_defence = max((phrase.span.start for phrase in defensive), default=-1)
    undercut = []
    for apology in apologies:
        _, end = draft.sentence_of(apology.start)
        but = re.search(r"\bbut\b", draft.folded[apology.end : end])
        if but and last_defence > apology.end:
            undercut.append(apology)
    return undercut


def _mentions_aspect(draft: Draft, aspect_key: str) -> bool:
    return any(
        aspect.key == aspect_key and pattern.search(draft.folded)
        for aspect, pattern in ASPECT_PATTERNS
    )
