"""What the coach returns: a finding per guideline, a score and a suggested answer."""

from dataclasses import dataclass
from typing import Any, Literal

Verdict = Literal["pass", "warn", "fail"]


@dataclass(frozen=True)
class Span:
    """A phrase of the draft: ``draft[start:end] == text`` (character offsets, end exclusive)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Finding:
    """One guideline's verdict on a draft.

    ``spans`` are the phrases behind a warn or fail (or, on a pass, the ones
    that satisfied the guideline). A guideline that does not apply to this
    review (``applies=False``) always passes and says why in ``reason``.
    """

    guideline: str
    label: str
    verdict: Verdict
    spans: tuple[Span, ...]
    reason: str
    suggestion: str
    applies: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "guideline": self.guideline,
            "label": self.label,
            "verdict": self.verdict,
            "applies": self.applies,
            "spans": [{"start": s.start, "end": s.end, "text": s.text} for s in self.spans],
            "reason": self.reason,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Coaching:
    """The coach's answer: ``findings`` always has the eight guidelines, in GUIDELINES order."""

    findings: tuple[Finding, ...]
    score: int
    suggested_answer: str

    def finding(self, guideline: str) -> Finding:
        """The finding for ``guideline`` (a GUIDELINES key); KeyError for an unknown key."""
        for finding in self.findings:
            if finding.guideline == guideline:
                return finding
        raise KeyError(guideline)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Coaching":
        """The coaching ``as_dict`` gave (e.g. stored as JSON), as objects again."""
        return cls(
            findings=tuple(
                Finding(
                    guideline=row["guideline"],
                    label=row["label"],
                    verdict=row["verdict"],
                    spans=tuple(Span(**span) for span in row["spans"]),
                    reason=row["reason"],
                    suggestion=row["suggestion"],
                    applies=row["applies"],
                )
                for row in data["findings"]
            ),
            score=data["score"],
            suggested_answer=data["suggested_answer"],
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: plain dicts, lists, strings, numbers and booleans only."""
        return {
            "score": self.score,
            "findings": [finding.as_dict() for finding in self.findings],
            "suggested_answer": self.suggested_answer,
        }
