"""The results maths, pure: from score counts to the figures the office and the KPIs read.

Definitions (docs/surveys.md):

- **satisfied**: 4 or 5 on a 1–5 rating; 9 or 10 ("promoter") on a 0–10 survey.
- **NPS** (0–10 surveys): the share of promoters (9–10) minus the share of
  detractors (0–6), in points from −100 to 100, rounded to a whole number.
- **groups**: low / middle / high, for the chart: 1–2, 3, 4–5 of a rating;
  detractors 0–6, passives 7–8, promoters 9–10 of a 0–10 survey.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from saypro.surveys.models import PASSIVE_FROM, SATISFIED_FROM, SCORES, Kind

GROUP_LABELS = {
    Kind.RATING_5: ("Dissatisfied (1–2)", "Neutral (3)", "Satisfied (4–5)"),
    Kind.NPS_11: ("Detractors (0–6)", "Passives (7–8)", "Promoters (9–10)"),
}
LOW_UNTIL = {Kind.RATING_5: 2, Kind.NPS_11: PASSIVE_FROM - 1}  # the last score of "low"


@dataclass(frozen=True)
class Summary:
    kind: str
    responses: int
    counts: dict[int, int]  # every score of the scale, 0 when nobody gave it
    average: float | None
    satisfied: int
    satisfied_share: float | None
    low: int
    middle: int
    high: int
    nps: int | None  # 0–10 surveys only

    @property
    def distribution(self) -> list[dict]:
        """Each score with its count and share of the responses (0.0 when there are none)."""
        return [
            {
                "score": score,
                "count": count,
                "share": count / self.responses if self.responses else 0.0,
            }
            for score, count in self.counts.items()
        ]

    @property
    def groups(self) -> list[dict]:
        labels = GROUP_LABELS[self.kind]
        return [
            {"key": key, "label": label, "count": count}
            for key, label, count in zip(
                ("low", "middle", "high"), labels, (self.low, self.middle, self.high), strict=True
            )
        ]


def summarize(kind: str, counts: Mapping[int, int]) -> Summary:
    """The figures of ``counts`` (score → how many gave it) on ``kind``'s scale.

    Scores outside the scale are a programming error (the service refuses them).
    """
    scale = SCORES[Kind(kind)]
    unknown = set(counts) - set(scale)
    if unknown:
        raise ValueError(f"Scores {sorted(unknown)} are not on the {kind} scale.")
    full = {score: int(counts.get(score, 0)) for score in scale}
    responses = sum(full.values())
    satisfied = sum(count for score, count in full.items() if score >= SATISFIED_FROM[kind])
    low = sum(count for score, count in full.items() if score <= LOW_UNTIL[kind])
    high = satisfied
    middle = responses - low - high
    average = sum(score * count for score, count in full.items()) / responses if responses else None
    nps = None
    if kind == Kind.NPS_11 and responses:
        nps = round((high - low) * 100 / responses)
    return Summary(
        kind=kind,
        responses=responses,
        counts=full,
        average=average,
        satisfied=satisfied,
        satisfied_share=satisfied / responses if responses else None,
        low=low,
        middle=middle,
        high=high,
        nps=nps,
    )


def sampled(key: str, percent: int) -> bool:
    """Whether ``key`` falls in the first ``percent`` of 100 (stable: a hash, not chance)."""
    bucket = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") % 10_000
    return bucket < percent * 100
