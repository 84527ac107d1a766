"""Benchmark review analysis on one CPU core; prints one JSON object.

    .venv/bin/python -m bench.analysis [--reviews 10000] [--rounds 5]

Reviews come from ``../shared/data/clothing-reviews-train.csv.gz`` (real
texts, about 60 words each). The process is pinned to one core and numpy's
thread pools to one thread before numpy loads. Three figures, each the best
of ``--rounds`` passes over the same reviews after one warm-up pass:

- ``sentiment_only``: review-level sentiment (``SentimentModel.predict_proba``);
- ``sentiment_themes_suggestions``: ``analyze(..., with_key_phrases=False)``:
  sentences, review, sentence and per-theme-clause sentiment, themes,
  suggestions (the issue's target: ≥ 5,000 reviews/s);
- ``full``: ``analyze(...)`` with key phrases as well.
"""

import argparse
import csv
import gzip
import json
import os
import sys
import time
from pathlib import Path

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "clothing-reviews-train.csv.gz"


def _reviews(count: int) -> list[str]:
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle) if row["text"].strip()]
    return (texts * (count // len(texts) + 1))[:count]


def _rate(function, texts: list[str], rounds: int) -> float:
    function(texts)
    best = min(_timed(function, texts) for _ in range(rounds))
    return round(len(texts) / best, 1)


def _timed(function, texts: list[str]) -> float:
    started = time.perf_counter()
    function(texts)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    sys.path.insert(0, str(ROOT))

    from saypro.insights.analysis import analyze
    from saypro.insights.sentiment import default_model

    texts = _reviews(options.reviews)
    model = default_model()
    words = sum(len(text.split()) for text in texts) / len(texts)
    print(
        json.dumps(
            {
                "reviews": len(texts),
                "mean_words": round(words, 1),
                "cores": 1,
                "model": model.version,
                "reviews_per_second": {
                    "sentiment_only": _rate(model.predict_proba, texts, options.rounds),
                    "sentiment_themes_suggestions": _rate(
                        lambda batch: analyze(batch, with_key_phrases=False),
                        texts,
                        options.rounds,
                    ),
                    "full": _rate(analyze, texts, options.rounds),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
