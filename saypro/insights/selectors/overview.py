"""One page's worth for the store's team: the insights of a store or one of its products."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog.models import Product, Store
from saypro.catalog.selectors import is_store_member
from saypro.insights.models import RisingIssue
from saypro.insights.selectors.feedback import (
    EmergingTopic,
    SuggestionRow,
    emerging_topics_for,
    suggestion_table,
)
from saypro.insights.selectors.figures import (
    ProductRow,
    ThemeRow,
    ThemeTrend,
    TrendWindow,
    WeekSentiment,
    average_rating,
    product_table,
    sentiment_by_week,
    theme_rows,
    theme_trends,
    trend_windows,
)
from saypro.insights.selectors.issues import LIVE_STATUSES, issue_evidence, store_issues
from saypro.insights.selectors.scope import local_day_start
from saypro.reviews.models import Review


@dataclass(frozen=True)
class ThemeEntry:
    """A theme table row with its trend (``None`` if not mentioned in the trend windows)."""

    row: ThemeRow
    trend: ThemeTrend | None


@dataclass(frozen=True)
class Overview:
    """What ``insights_overview`` found; ``since``/``until`` bound the period's figures."""

    store: Store
    product: Product | None
    since: datetime
    until: datetime
    days: int
    reviews: int
    average_rating: float | None
    issues: list[RisingIssue]
    evidence: dict[int, list[Review]]
    dismissed: list[RisingIssue]
    resolved: list[RisingIssue]
    weeks: list[WeekSentiment]
    themes: list[ThemeEntry]
    trends: list[ThemeTrend]
    suggestions: list[SuggestionRow]
    topics: list[EmergingTopic]
    products: list[ProductRow]
    trend_windows: tuple[TrendWindow, TrendWindow]

    @property
    def first_day(self) -> date:
        return timezone.localdate(self.since)

    @property
    def last_day(self) -> date:
        return timezone.localdate(self.until)

    @property
    def previous_window(self) -> TrendWindow:
        return self.trend_windows[0]

    @property
    def recent_window(self) -> TrendWindow:
        return self.trend_windows[1]


def insights_overview(
    user: User,
    store: Store,
    *,
    product: Product | None = None,
    days: int = 90,
    weeks: int | None = None,
    now: datetime | None = None,
) -> Overview | None:
    """Everything the insights page of a store (or one of its products) shows, for its team.

    The theme table, suggestions and product list cover the last ``days`` days
    (today and the ``days`` − 1 before it, whole days in the site time zone, so a
    drill-down by date finds exactly the reviews behind each number), and so do
    the issues resolved recently (by the time they were resolved, newest first);
    the rising issues themselves are the open and planned ones, whenever detected;
    the weekly chart the last ``weeks`` ISO weeks (by default the period itself, week
    by week, its first week counted from the period's first day, so the chart adds up
    to the period's reviews); trends the last 30 days against the 30 before them
    (``trend_windows``); emerging topics the last 90 days. ``None`` for anyone
    outside the store's team, or for a product of another store.
    """
    if not is_store_member(user, store) or (product is not None and product.store_id != store.pk):
        return None
    now = now or timezone.now()
    since = local_day_start(timezone.localdate(now) - timedelta(days=days - 1))
    chart = {"first_day": timezone.localdate(since)} if weeks is None else {"weeks": weeks}
    scope = {"product": product, "store": store}
    live = list(store_issues(store, LIVE_STATUSES, product))
    count, average = average_rating(**scope, since=since, until=now)
    rows = theme_rows({**scope, "since": since, "until": now}, baseline=average)
    trends = theme_trends(**scope, now=now)
    trend_of = {trend.theme.pk: trend for trend in trends}
    return Overview(
        store=store,
        product=product,
        since=since,
        until=now,
        days=days,
        reviews=count,
        average_rating=average,
        issues=live,
        evidence=issue_evidence(live),
        dismissed=list(store_issues(store, RisingIssue.Status.DISMISSED, product)[:20]),
        resolved=list(
            store_issues(store, RisingIssue.Status.RESOLVED, product)
            .filter(checked_at__gte=since)
            .order_by("-checked_at", "-pk")[:20]
        ),
        weeks=sentiment_by_week(**scope, **chart, now=now),
        themes=[ThemeEntry(row, trend_of.get(row.theme.pk)) for row in rows],
        trends=trends,
        suggestions=suggestion_table(**scope, since=since, until=now),
        topics=emerging_topics_for(**scope, now=now),
        products=[] if product is not None else product_table(store=store, since=since, until=now),
        trend_windows=trend_windows(now),
    )


def store_product(user: User, store: Store, pk: int) -> Product | None:
    """One product of ``store`` (active or not), for its team."""
    if not is_store_member(user, store):
        return None
    return Product.objects.filter(store=store, pk=pk).select_related("store").first()


def emerging_topic(
    user: User, store: Store, label: str, *, product: Product | None = None
) -> EmergingTopic | None:
    """The emerging topic called ``label`` in the store (or product) now, for its team.

    A topic that no longer stands out comes back with no reviews, so an old
    link shows an empty list rather than every review.
    """
    if not is_store_member(user, store):
        return None
    scope = {"product": product, "store": store}
    found = (t for t in emerging_topics_for(**scope) if t.label == label)
    return next(found, EmergingTopic(label=label, count=0, review_ids=(), sentences=()))
