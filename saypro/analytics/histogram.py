"""The first-response histogram: fixed buckets, additive, exact to the minute below 48 hours.

Bucket ``i`` for ``i < 2880`` holds response times in ``[i, i + 1)`` minutes
(one bucket per minute up to 48 hours); from 48 hours to 30 days one bucket per
hour; the last bucket holds 30 days and more. Rows store only the non-empty
buckets as ``{"<index>": count}``, so a day with five answered waits costs five
keys, and histograms of any set of days add up key by key.

Category and marketplace rows also keep their histogram packed (``pack``: the dense
counts as little-endian 32-bit integers, zlib-compressed): a marketplace day at millions of
messages fills ~3,500 buckets, and decoding that JSON on every read was most of a
dashboard's time; ``unpack`` gives the numpy array directly.

Percentiles use the nearest rank: the p-th percentile of ``n`` times is the
``ceil(p·n)``-th smallest, reported as its bucket's lower edge, so a median
below 48 hours is exact to the minute (rounded down).
"""

import math
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np

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


# --- Dense arrays ------------------------------------------------------------------------------


def pack(counts: Mapping) -> bytes:
    """A histogram (``{"<index>": count}`` or a Counter) as compressed dense int32 counts."""
    dense = np.zeros(OVERFLOW + 1, dtype="<i4")
    for bucket, count in counts.items():
        dense[int(bucket)] += count
    return zlib.compress(dense.tobytes(), 1)


def unpack(blob: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(zlib.decompress(blob), dtype="<i4").astype(np.int64)


def array_of(counts: Mapping) -> np.ndarray:
    dense = np.zeros(OVERFLOW + 1, dtype=np.int64)
    if counts:
        buckets = np.fromiter(map(int, counts), dtype=np.int64, count=len(counts))
        dense[buckets] = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
    return dense


def array_rank_minutes(dense: np.ndarray, rank: int) -> int | None:
    """``rank_minutes`` of a dense array (the same nearest rank, clamped)."""
    total = int(dense.sum())
    if not total:
        return None
    rank = min(max(1, rank), total)
    return lower_edge_minutes(int(np.searchsorted(np.cumsum(dense), rank)))


def array_percentile_minutes(dense: np.ndarray, share: float) -> int | None:
    """``percentile_minutes`` of a dense array."""
    total = int(dense.sum())
    if not total:
        return None
    return array_rank_minutes(dense, max(1, math.ceil(share * total)))


def array_bands(dense: np.ndarray) -> list[tuple[str, int]]:
    """``bands`` of a dense array: below 48 hours a bucket's index is its first minute."""
    return [(label, int(dense[first:end].sum())) for label, first, end in BANDS]
