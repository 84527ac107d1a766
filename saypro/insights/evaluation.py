"""How well sentiment is predicted: the figures ``saypro insights evaluate`` prints.

Labels arrive as star ratings (1–2 negative, 3 neutral, 4–5 positive) or as
the words themselves. ``binary_accuracy`` follows the usual two-class
convention: over items whose true label is not neutral, the prediction is
whichever of negative and positive has the higher probability.
"""

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from saypro.insights.sentiment import LABELS

RATING_LABELS = {"1": 0, "2": 0, "3": 1, "4": 2, "5": 2}
WORD_LABELS = {label: index for index, label in enumerate(LABELS)}


class LabelError(ValueError):
    """A label that is neither a 1–5 rating nor negative / neutral / positive."""


def label_index(value: str) -> int:
    cleaned = value.strip().lower()
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    if cleaned in RATING_LABELS:
        return RATING_LABELS[cleaned]
    if cleaned in WORD_LABELS:
        return WORD_LABELS[cleaned]
    raise LabelError(
        f"{value!r} is not a label: use a rating 1–5 or negative / neutral / positive."
    )


def labels_from_column(values: Iterable[str]) -> np.ndarray:
    return np.array([label_index(value) for value in values], np.int64)


def scores(labels: np.ndarray, probabilities: np.ndarray) -> dict:
    """Accuracy, macro-F1, binary accuracy and per-class precision / recall, rounded to 4."""
    labels = np.asarray(labels)
    predicted = np.asarray(probabilities).argmax(axis=1)
    per_class = {}
    f1_values = []
    for index, label in enumerate(LABELS):
        true_positive = int(np.sum((predicted == index) & (labels == index)))
        predicted_count = int(np.sum(predicted == index))
        actual_count = int(np.sum(labels == index))
        precision = true_positive / predicted_count if predicted_count else 0.0
        recall = true_positive / actual_count if actual_count else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if actual_count:
            f1_values.append(f1)
        per_class[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": actual_count,
        }
    polar = labels != 1
    binary_predicted = np.where(probabilities[polar, 0] > probabilities[polar, 2], 0, 2)
    return {
        "accuracy": round(float(np.mean(predicted == labels)), 4) if len(labels) else 0.0,
        "macro_f1": round(float(np.mean(f1_values)), 4) if f1_values else 0.0,
        "binary_accuracy": (
            round(float(np.mean(binary_predicted == labels[polar])), 4) if polar.any() else 0.0
        ),
        "per_class": per_class,
        "count": len(labels),
    }


THEME_SET = Path(__file__).with_name("eval") / "themes.jsonl"


def read_theme_set(path: Path = THEME_SET) -> list[dict]:
    """Labelled sentences: ``{"text", "domain", "themes": {slug: sentiment}}`` per line."""
    if not path.is_file():
        raise ValueError(f"{path}: no such file.")
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            items.append({"text": str(item["text"]), "themes": dict(item["themes"])})
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}, line {number}: not a labelled sentence ({error}).") from None
    return items


def theme_scores(items: list[dict], predicted: list[dict[str, str]]) -> dict:
    """Micro precision / recall / F1 of theme detection, and the sentiment accuracy of the
    themes found correctly, overall and per theme."""
    found = expected = correct = sentiment_right = 0
    per_theme: dict[str, dict[str, int]] = {}
    for item, guess in zip(items, predicted, strict=True):
        truth = item["themes"]
        for slug in set(truth) | set(guess):
            counts = per_theme.setdefault(slug, {"found": 0, "expected": 0, "correct": 0})
            counts["found"] += slug in guess
            counts["expected"] += slug in truth
            if slug in guess and slug in truth:
                counts["correct"] += 1
                correct += 1
                sentiment_right += guess[slug] == truth[slug]
        found += len(guess)
        expected += len(truth)

    def f1(right: int, guessed: int, wanted: int) -> dict:
        precision = right / guessed if guessed else 0.0
        recall = right / wanted if wanted else 0.0
        score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(score, 4)}

    return {
        **{f"micro_{k}": v for k, v in f1(correct, found, expected).items()},
        "theme_sentiment_accuracy": round(sentiment_right / correct, 4) if correct else 0.0,
        "per_theme": {
            slug: {**f1(c["correct"], c["found"], c["expected"]), "support": c["expected"]}
            for slug, c in sorted(per_theme.items())
        },
        "sentences": len(items),
    }
