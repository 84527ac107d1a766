"""Demo targets: the office set the quarter's targets for the last three quarters.

Runs in ``saypro demo`` after the campaigns, in the same transaction, through
``services.set_target`` as the demo office person, each at its quarter's
start; this quarter's review target was first set a little lower and then
raised, so the history has a revision. The rollups themselves are rebuilt by
the demo command after the transaction (``rollups.rebuild``).

Idempotent: nothing is written when any target exists or without the demo office person.
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from saypro.accounts.models import User
from saypro.analytics import services
from saypro.analytics.models import Target
from saypro.analytics.periods import Quarter
from saypro.catalog.demo import DEMO_EMAIL_DOMAIN

# Per quarter, oldest first: the office's targets (KPI key -> level, or % change).
TARGETS = (
    {
        "messaging_interactions": 20,
        "review_response_48h": 90,
        "negative_review_response_48h": 85,
        "training_participation": 70,
    },
    {
        "messaging_interactions": 25,
        "review_response_48h": 93,
        "negative_review_response_48h": 88,
        "training_participation": 75,
        "improvements_from_feedback": 10,
    },
    {
        "messaging_interactions": 25,
        "review_response_48h": 95,
        "negative_review_response_48h": 90,
        "training_participation": 80,
        "improvements_from_feedback": 15,
        "satisfaction_education": 90,
    },
)
REVISED = ("review_response_48h", 92)  # this quarter's first setting, raised a week later


@dataclass(frozen=True)
class AnalyticsReport:
    created: bool
    targets: int = 0
    quarters: tuple[str, ...] = ()
    seconds: float = 0.0


def load_demo_analytics(*, now: datetime | None = None) -> AnalyticsReport:
    started = time.monotonic()
    now = now or timezone.now()
    office = User.objects.filter(email=f"office@{DEMO_EMAIL_DOMAIN}", is_active=True).first()
    if office is None or Target.objects.exists():
        return AnalyticsReport(created=False, seconds=time.monotonic() - started)
    current = Quarter.of(now)
    quarters = [current.previous().previous(), current.previous(), current]
    count = 0
    for quarter, targets in zip(quarters, TARGETS, strict=True):
        set_at = min(now, quarter.start + timedelta(hours=9))
        if quarter == current:
            key, value = REVISED
            services.set_target(office, quarter, key, value, now=set_at)
            count += 1
            set_at = min(now, set_at + timedelta(days=7))
        for key, value in targets.items():
            services.set_target(office, quarter, key, value, now=set_at)
            count += 1
    return AnalyticsReport(
        created=True,
        targets=count,
        quarters=tuple(quarter.label for quarter in quarters),
        seconds=time.monotonic() - started,
    )
