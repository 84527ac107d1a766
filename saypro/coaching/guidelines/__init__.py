"""The house guidelines and the checks behind them.

``empathy``, ``professionalism`` and ``defensiveness`` judge how the draft
treats the customer (sharing the phrase kinds in ``phrases``); ``content``
checks personalisation, thanks and the next step; ``form`` checks
timeliness and clarity. ``base`` holds GUIDELINES and the prepared Draft.
"""

from collections.abc import Sequence
from datetime import datetime

from saypro.coaching.guidelines.base import GUIDELINES, Draft, Guideline
from saypro.coaching.guidelines.content import check_next_step, check_personalisation, check_thanks
from saypro.coaching.guidelines.defensiveness import check_no_defensiveness
from saypro.coaching.guidelines.empathy import check_empathy
from saypro.coaching.guidelines.form import check_clarity, check_timeliness
from saypro.coaching.guidelines.professionalism import check_professionalism, profanity_words
from saypro.coaching.results import Finding

__all__ = ["GUIDELINES", "Draft", "Guideline", "assess", "profanity_words"]


def assess(draft: Draft, *, history: Sequence[str], now: datetime | None) -> tuple[Finding, ...]:
    """The eight findings for ``draft``, in GUIDELINES order."""
    return (
        check_empathy(draft),
        check_professionalism(draft),
        check_personalisation(draft, history),
        check_thanks(draft),
        check_no_defensiveness(draft),
        check_next_step(draft),
        check_timeliness(draft.review, now),
        check_clarity(draft),
    )
