"""The first-response histogram: fixed buckets, additive, exact to the minute below 48 hours.

Bucket ``i`` for ``i < 2880`` holds response times in ``[i, i + 1)`` minutes
(one bucket per minute up to 48 hours); from 48 hours to 30 days one bucket per
hour; the last bucket holds 30 days and more. Rows store only the non-empty
buckets as ``{"<index>": count}``, so a day with five answered waits costs five
keys, and histograms of any set of days add up key by key.

Percentiles use the nearest rank: the p-th percentile of ``n`` times is the
``ceil(p·n)``-th smallest, reported as its bucket's lower edge, so a median
below 48 hours is exact to the minute (rounded down).
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping

MINUTE_BUCKETS = 48 * 60
HOUR_BUCKETS = 30 * 24 - 48
OVERFLOW = MINUTE_BUCKETS + HOUR_BUCKETS


def bucket_of(seconds: int) -> int:
    minutes = max(0, seconds) // 60
    if minutes < MINUTE_BUCKETS:
        return minutes
    hours = minutes // 60
    return min(OVERFLOW, MINUTE_BUCKETS + hours - 48)


def lower_edge_minutes(bucket: int) -> int:
    if bucket < MINUTE_BUCKETS:
        return bucket
    return (48 + bucket - MINUTE_BUCKETS) * 60


def build(seconds: Iterable[int]) -> dict[str, int]:
    counts = Counter(bucket_of(value) for value in seconds)
    return {str(bucket): count for bucket, count in sorted(counts.items())}


def add(into: Counter, histogram: Mapping[str, int], sign: int = 1) -> Counter:
    for bucket, count in histogram.items():
        into[int(bucket)] += sign * count
    return into


def as_dict(counts: Counter) -> dict[str, int]:
    return {str(bucket): count for bucket, count in sorted(counts.items()) if count}


def percentile_minutes(counts: Mapping[int, int], share: float) -> int | None:
    """The nearest-rank ``share`` percentile in whole minutes (None without data)."""
    total = sum(counts.values())
    if not total:
        return None
    rank = max(1, math.ceil(share * total))
    seen = 0
    for bucket in sorted(counts):
        seen += counts[bucket]
        if seen >= rank:
            return lower_edge_minutes(bucket)
    return None


def rank_minutes(counts: Mapping[int, int], rank: int) -> int | None:
    """The ``rank``-th smallest time (1-based, clamped), in minutes."""
    total = sum(counts.values())
    if not total:
        return None
    rank = min(max(1, rank), total)
    seen = 0
    for bucket in sorted(counts):
        seen += counts[bucket]
        if seen >= rank:
            return lower_edge_minutes(bucket)
    return None


# Coarse bands for the response-time distribution chart: (label, first minute, end minute).
BANDS = (
    ("under 1 h", 0, 60),
    ("1–4 h", 60, 240),
    ("4–12 h", 240, 720),
    ("12–24 h", 720, 1440),
    ("24–48 h", 1440, 2880),
    ("48 h or more", 2880, None),
)


def bands(counts: Mapping[int, int]) -> list[tuple[str, int]]:
    result = []
    for label, first, end in BANDS:
        total = sum(
            count
            for bucket, count in counts.items()
            if lower_edge_minutes(bucket) >= first
            and (end is None or lower_edge_minutes(bucket) < end)
        )
        result.append((label, total))
    return result
