"""Benchmark the response coach on one core; prints one JSON object.

    .venv/bin/python bench/coach.py [--rounds 5] [--history 50]

Every answer of the shipped evaluation set is coached against its review,
``--rounds`` times, with ``--history`` earlier answers from the same set as
the seller's history (for the near-duplicate check). The review cache is
cleared before every call, so each timing includes reading the review and
writing the suggested answer: the cost of a seller's first keystroke, not the
cheaper ones after it. Pure Python; no Django settings, database or network.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--history", type=int, default=50)
    options = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    from saypro.coaching.coach import coach
    from saypro.coaching.evaluation import SHIPPED_SET, read_pairs
    from saypro.coaching.review import profile_review

    pairs = read_pairs(SHIPPED_SET)
    history = [pair.answer for pair in pairs[: options.history]]
    coach(pairs[0].review, pairs[0].answer, history)  # warm up: first use of each pattern

    timings = []
    for _ in range(options.rounds):
        for pair in pairs:
            profile_review.cache_clear()
            started = time.perf_counter()
            coach(pair.review, pair.answer, history)
            timings.append((time.perf_counter() - started) * 1000)

    timings.sort()
    print(
        json.dumps(
            {
                "drafts": len(timings),
                "mean_ms": round(statistics.fmean(timings), 3),
                "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 3),
                "max_ms": round(timings[-1], 3),
                "history_answers": len(history),
            }
        )
    )


if __name__ == "__main__":
    main()
