"""Which group each member of a campaign's audience is in: variant A, variant B or holdout.

Deterministic: the group is a function of (campaign id, user id) only, through
SHA-256, so re-running a send (or recomputing it in a test) gives the same
split, and a person's group does not depend on who else is in the audience.
The hash is mapped to a number in [0, 1): below ``holdout_percent`` / 100 is
the holdout; the rest is split between the variants by their weights.
"""

import hashlib

SEED = "saypro.campaigns.assignment.v1"


def position(campaign_id: int, user_id: int) -> float:
    """A uniform-looking number in [0, 1) for this person in this campaign."""
    digest = hashlib.sha256(f"{SEED}:{campaign_id}:{user_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def group_of(
    campaign_id: int, user_id: int, *, holdout_percent: int, variant_weights: dict[str, int]
) -> str:
    """``"holdout"`` or a variant label; ``variant_weights`` are percents summing to 100."""
    value = position(campaign_id, user_id)
    holdout = holdout_percent / 100
    if value < holdout:
        return "holdout"
    within_treated = (value - holdout) / (1 - holdout)
    threshold = 0.0
    labels = sorted(variant_weights)
    for label in labels:
        threshold += variant_weights[label] / 100
        if within_treated < threshold:
            return label
    return labels[-1]
