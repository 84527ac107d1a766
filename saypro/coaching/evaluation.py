"""Measure the coach on labelled (review, answer) pairs: precision, recall and F1 per guideline.

The file format (JSON Lines, one pair per line) and the labelling rules are
in docs/coaching.md. A label of ``null`` means the guideline does not apply
to that pair and is not scored. The coach "says the answer meets the
guideline" when its verdict is pass or warn; only fail counts as a
violation. The positive class is "meets the guideline" (label true); the
same figures for the failing class are reported alongside.
"""

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from saypro.coaching.coach import coach
from saypro.coaching.review import ReviewInput

LABELLED = (
    "empathy",
    "professionalism",
    "personalisation",
    "thanks",
    "no_defensiveness",
    "next_step",
)
SHIPPED_SET = Path(__file__).resolve().parent / "eval" / "review_responses.jsonl"


class EvaluationFileInvalid(Exception):
    """The file cannot be evaluated; ``message`` names the line when there is one."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        self.message = f"line {line}: {message}" if line else message
        super().__init__(self.message)


@dataclass(frozen=True)
class LabelledPair:
    line: int
    review: ReviewInput
    answer: str
    labels: dict[str, bool | None]


@dataclass
class Tally:
    """A confusion matrix for one guideline; positive = meets the guideline."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0

    def add(self, *, label: bool, predicted: bool) -> None:
        if label and predicted:
            self.true_positive += 1
        elif predicted:
            self.false_positive += 1
        elif label:
            self.false_negative += 1
        else:
            self.true_negative += 1

    def metrics(self, *, failing: bool = False) -> dict[str, float | int]:
        tp, fp, fn = self.true_positive, self.false_positive, self.false_negative
        if failing:
            tp, fp, fn = self.true_negative, self.false_negative, self.false_positive
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "support": tp + fn,
        }


@dataclass(frozen=True)
class Mistake:
    line: int
    guideline: str
    label: bool
    verdict: str
    reason: str
    answer: str


@dataclass
class Evaluation:
    pairs: int = 0
    tallies: dict[str, Tally] = field(default_factory=lambda: {key: Tally() for key in LABELLED})
    mistakes: list[Mistake] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Per guideline: precision, recall, f1, support ("meets it"); the same under "failing"."""
        result: dict = {
            key: {**tally.metrics(), "failing": tally.metrics(failing=True)}
            for key, tally in self.tallies.items()
        }
        result["pairs"] = self.pairs
        return result


def read_pairs(path: Path) -> list[LabelledPair]:
    """Every pair in ``path``; EvaluationFileInvalid (line number included) at a bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise EvaluationFileInvalid(f"{path}: no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise EvaluationFileInvalid(f"{path}: cannot be read as UTF-8 text ({error})") from error
    pairs = [
        parse_pair(raw, line=number)
        for number, raw in enumerate(text.splitlines(), start=1)
        if raw.strip()
    ]
    if not pairs:
        raise EvaluationFileInvalid(f"{path}: no pairs (one JSON object per line expected)")
    return pairs


def parse_pair(raw: str, *, line: int) -> LabelledPair:
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as error:
        raise EvaluationFileInvalid(
            f"not valid JSON ({error.msg} at column {error.colno})", line=line
        ) from error
    if not isinstance(row, dict):
        raise EvaluationFileInvalid("expected a JSON object", line=line)
    missing = [key for key in ("review", "answer", "labels") if key not in row]
    if missing:
        raise EvaluationFileInvalid(f"missing {', '.join(missing)}", line=line)
    review, answer, labels = row["review"], row["answer"], row["labels"]
    if not isinstance(review, dict):
        raise EvaluationFileInvalid("review must be an object", line=line)
    if not isinstance(review.get("text"), str) or not isinstance(review.get("product"), str):
        raise EvaluationFileInvalid("review.text and review.product must be strings", line=line)
    rating = review.get("rating")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise EvaluationFileInvalid(
            f"review.rating must be an integer from 1 to 5, not {rating!r}", line=line
        )
    reviewer = review.get("reviewer", "")
    if not isinstance(reviewer, str):
        raise EvaluationFileInvalid("review.reviewer must be a string", line=line)
    if not isinstance(answer, str):
        raise EvaluationFileInvalid("answer must be a string", line=line)
    if not isinstance(labels, dict):
        raise EvaluationFileInvalid("labels must be an object", line=line)
    unknown = sorted(set(labels) - set(LABELLED))
    if unknown:
        raise EvaluationFileInvalid(
            f"unknown label {', '.join(unknown)} (expected {', '.join(LABELLED)})", line=line
        )
    for key, value in labels.items():
        if value is not None and not isinstance(value, bool):
            raise EvaluationFileInvalid(
                f"label {key} must be true, false or null, not {value!r}", line=line
            )
    return LabelledPair(
        line=line,
        review=ReviewInput(
            text=review["text"],
            rating=rating,
            product=review["product"],
            reviewer=reviewer,
            title=review.get("title", "") if isinstance(review.get("title", ""), str) else "",
        ),
        answer=answer,
        labels={key: labels.get(key) for key in LABELLED},
    )


def halves(pairs: Sequence[LabelledPair]) -> tuple[list[LabelledPair], list[LabelledPair]]:
    """The development half (first ⌈n/2⌉ pairs) and the held-out half (the rest)."""
    middle = (len(pairs) + 1) // 2
    return list(pairs[:middle]), list(pairs[middle:])


def evaluate(
    pairs: Iterable[LabelledPair], *, progress: Callable[[int], None] | None = None
) -> Evaluation:
    """Coach every answer against its review and tally the verdicts against the labels."""
    evaluation = Evaluation()
    for pair in pairs:
        coaching = coach(pair.review, pair.answer)
        evaluation.pairs += 1
        for key in LABELLED:
            label = pair.labels[key]
            if label is None:
                continue
            finding = coaching.finding(key)
            predicted = finding.verdict != "fail"
            evaluation.tallies[key].add(label=label, predicted=predicted)
            if predicted != label:
                evaluation.mistakes.append(
                    Mistake(pair.line, key, label, finding.verdict, finding.reason, pair.answer)
                )
        if progress:
            progress(1)
    return evaluation
