"""``coach()``: the response coach's one entry point.

    coaching = coach(review, draft, seller_history, now=timezone.now())
    coaching.score, coaching.finding("empathy").verdict, coaching.as_dict()

Pure and deterministic: no database, no network, no model. The score is the
weighted share of the applicable guidelines met (pass = full weight, warn =
half, fail = none); the weights are in GUIDELINES and docs/coaching.md.
"""

import math
from collections.abc import Sequence
from datetime import datetime

from saypro.coaching.guidelines import GUIDELINES, Draft, assess
from saypro.coaching.results import Coaching, Finding, Span
from saypro.coaching.review import ReviewInput, profile_review
from saypro.coaching.suggest import suggest_answer

__all__ = ["GUIDELINES", "Coaching", "Finding", "ReviewInput", "Span", "coach", "score"]

CREDIT = {"pass": 1.0, "warn": 0.5, "fail": 0.0}


def coach(
    review: ReviewInput,
    draft: str,
    seller_history: Sequence[str] = (),
    *,
    now: datetime | None = None,
) -> Coaching:
    """Score ``draft`` as the seller's answer to ``review``.

    ``seller_history`` holds the seller's earlier answers (texts), to catch a
    reused answer. ``now`` (aware, UTC; default: the current time) is when the
    answer would go out, for the 48-hour goal. Raises ValueError for a rating
    outside 1..5 or a naive datetime.
    """
    if not 1 <= review.rating <= 5:
        raise ValueError(f"rating must be between 1 and 5, not {review.rating!r}")
    profile = profile_review(review)
    findings = assess(Draft(draft, profile), history=seller_history, now=now)
    return Coaching(
        findings=findings, score=score(findings), suggested_answer=suggest_answer(profile)
    )


def score(findings: Sequence[Finding]) -> int:
    """0..100: the weighted share of the applicable guidelines met (a warn earns half)."""
    applicable = [finding for finding in findings if finding.applies]
    total = sum(GUIDELINES[finding.guideline].weight for finding in applicable)
    if not total:
        return 100
    earned = sum(GUIDELINES[f.guideline].weight * CREDIT[f.verdict] for f in applicable)
    return math.floor(100 * earned / total + 0.5)  # half rounds up: 92.5 → 93
