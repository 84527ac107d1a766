"""Demo insights: every demo review analysed and the rising issues detected, as of the demo's now.

Runs after the demo reviews (``saypro.reviews.demo``), in the same transaction
as the rest of ``saypro demo``. The reviews are written with bulk inserts, so
nothing has analysed them yet: ``load_demo_insights`` catches up through the
same services the periodic jobs use (``services.analyze_stale``, a batch per
savepoint, then ``services.detect_rising_issues`` with the demo's ``now``), so
the insights pages read exactly what they would in production.

What the detection should find are the planted problems of the "rising"
story products (``saypro.catalog.demo.STORIES``: a zip that breaks, a
charger that overheats); the report names them with the store and the owner
to log in as, since only a store's team sees its insights.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from saypro.catalog.demo import (
    DEFAULT_SEED,
    STORIES,
    story_products_in_database,
)
from saypro.catalog.models import Product, StoreMembership
from saypro.core.progress import ProgressFactory, no_progress
from saypro.insights import services
from saypro.insights.models import RisingIssue, Suggestion
from saypro.reviews.models import Review

MIN_REQUESTS = 3  # a suggestion key counted as "requested" once this many reviews make it


@dataclass(frozen=True)
class StoryIssues:
    """The open issues of one "rising" story product, and who can see them."""

    story: str
    product: str
    store: str
    owner_email: str
    subjects: tuple[str, ...]  # "Quality & durability", or an emerging topic's label


@dataclass(frozen=True)
class InsightsReport:
    analysed: int  # reviews analysed by this run (every one that was not up to date)
    rising_issues: int  # open after the detection
    products_with_issues: int
    suggestions: int  # suggestions of published reviews
    requested: int  # (product, key) pairs made by at least MIN_REQUESTS reviews
    stories: tuple[StoryIssues, ...]
    analysis_seconds: float
    seconds: float  # analysis and detection


def load_demo_insights(
    *, seed: int = DEFAULT_SEED, now: datetime, progress: ProgressFactory = no_progress
) -> InsightsReport:
    """Analyse every review not analysed yet, then detect rising issues as of ``now``.

    Every analysis batch is its own savepoint (``analyze_reviews`` is atomic); the
    caller's transaction makes the whole demo all or nothing. Detection compares the
    last four weeks before ``now`` with the half-year before, per product. ``seed``
    is the marketplace's, to name its story products in the report.
    """
    started = time.monotonic()
    pending = len(services.stale_review_ids())
    bar = progress("Analysis", pending)
    reported = 0

    def advance(done: int) -> None:
        nonlocal reported
        bar.update(done - reported)
        reported = done

    analysed = services.analyze_stale(progress=advance)
    bar.close()
    analysis_seconds = time.monotonic() - started

    bar = progress("Issues", 1)
    services.detect_rising_issues(now=now)
    bar.update(1)
    bar.close()

    open_issues = RisingIssue.objects.filter(status=RisingIssue.Status.OPEN)
    published = Suggestion.objects.filter(review__status=Review.Status.PUBLISHED)
    requested = (
        published.values("product_id", "key")
        .annotate(reviews=Count("review", distinct=True))
        .filter(reviews__gte=MIN_REQUESTS)
        .count()
    )
    return InsightsReport(
        analysed=analysed,
        rising_issues=open_issues.count(),
        products_with_issues=open_issues.values("product_id").distinct().count(),
        suggestions=published.count(),
        requested=requested,
        stories=_story_issues(seed),
        analysis_seconds=analysis_seconds,
        seconds=time.monotonic() - started,
    )


def _story_issues(seed: int) -> tuple[StoryIssues, ...]:
    products = story_products_in_database(seed)
    found = []
    for story in STORIES:
        if story.kind != "rising" or story.key not in products:
            continue
        product = Product.objects.select_related("store").get(pk=products[story.key])
        owner = (
            StoreMembership.objects.filter(store=product.store, role=StoreMembership.Role.OWNER)
            .select_related("user")
            .order_by("created_at", "pk")
            .first()
        )
        issues = (
            RisingIssue.objects.filter(product=product, status=RisingIssue.Status.OPEN)
            .select_related("theme")
            .order_by("p_value", "pk")
        )
        found.append(
            StoryIssues(
                story=story.key,
                product=product.title,
                store=product.store.name,
                owner_email=owner.user.email if owner else "",
                subjects=tuple(issue.subject for issue in issues),
            )
        )
    return tuple(found)
