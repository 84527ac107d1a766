"""The numbers of a scope: theme table, weekly sentiment, theme trends, products.

These take a scope but no user: callers have already decided the person may
see it (``overview``; ``improvements`` measures a plan's effect with
``theme_table``).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from saypro.catalog.models import Product, Store
from saypro.insights.models import ReviewAnalysis, Sentiment, Theme
from saypro.insights.selectors.scope import (
    PUBLISHED,
    in_period,
    local_day_start,
    mentions,
    scoped,
    share_of,
)
from saypro.reviews.models import Review


@dataclass(frozen=True)
class ThemeRow:
    """How a theme fares in a scope and period.

    ``negative_share`` = negative / mentions. ``average_rating`` is the mean
    stars of the published reviews mentioning the theme; ``rating_drag`` is that
    minus the mean stars of all published reviews of the scope in the period,
    so a theme that pulls ratings down has a negative drag.
    """

    theme: Theme
    mentions: int
    negative: int
    negative_share: float
    average_rating: float
    rating_drag: float | None


def average_rating(
    *, product: Product | None = None, store: Store | None = None, since=None, until=None
) -> tuple[int, float | None]:
    """How many published reviews the scope had in the period, and their mean stars."""
    reviews = in_period(
        scoped(Review.objects.filter(status=PUBLISHED), product=product, store=store),
        since,
        until,
        prefix="",
    )
    totals = reviews.aggregate(count=Count("pk"), average=Avg("rating"))
    return totals["count"], totals["average"]


def theme_table(
    *,
    product: Product | None = None,
    store: Store | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[ThemeRow]:
    """Every active theme mentioned in the scope and period, most negative mentions first.

    Ties go to more mentions, then the taxonomy's order. Three queries.
    """
    scope = {"product": product, "store": store, "since": since, "until": until}
    return theme_rows(scope, baseline=None)


def theme_rows(scope: dict, *, baseline: float | None) -> list[ThemeRow]:
    """``theme_table`` of ``scope``; ``baseline`` (the scope's mean stars) is read if ``None``."""
    counts = list(
        mentions(**scope)
        .values("theme")
        .annotate(
            mentions=Count("pk"),
            negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)),
            average_rating=Avg("review__rating"),
        )
        .order_by()
    )
    if not counts:
        return []
    themes = Theme.objects.in_bulk([row["theme"] for row in counts])
    if baseline is None:
        _, baseline = average_rating(**scope)
    rows = [
        ThemeRow(
            theme=themes[row["theme"]],
            mentions=row["mentions"],
            negative=row["negative"],
            negative_share=row["negative"] / row["mentions"],
            average_rating=row["average_rating"],
            rating_drag=row["average_rating"] - baseline if baseline is not None else None,
        )
        for row in counts
    ]
    rows.sort(key=lambda r: (-r.negative, -r.mentions, r.theme.position, r.theme.name))
    return rows


@dataclass(frozen=True)
class WeekSentiment:
    """Published reviews per overall sentiment in one ISO week (Monday to Sunday, site time),
    counted from ``first_day`` to ``last_day``: the whole week, less its days before the
    period and after today."""

    week_start: date
    first_day: date
    last_day: date
    negative: int = 0
    neutral: int = 0
    positive: int = 0

    @property
    def total(self) -> int:
        return self.negative + self.neutral + self.positive

    @property
    def starts_midweek(self) -> bool:
        """Whether the period starts after the week's Monday, so the week counts fewer days."""
        return self.first_day > self.week_start

    @property
    def iso_week(self) -> str:
        """``2025-W09``."""
        year, week, _ = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def negative_share(self) -> float | None:
        return share_of(self.negative, self.total)


def week_start_of(moment: datetime) -> date:
    """The Monday of ``moment``'s ISO week, in the site time zone."""
    day = timezone.localdate(moment)
    return day - timedelta(days=day.weekday())


def sentiment_by_week(
    *,
    product: Product | None = None,
    store: Store | None = None,
    weeks: int = 26,
    first_day: date | None = None,
    now: datetime | None = None,
) -> list[WeekSentiment]:
    """Published reviews per ISO week up to the current one, oldest first, empty weeks as zeros.

    The weeks are the last ``weeks``, or, given ``first_day`` (a site day), those from the
    week of ``first_day`` on. They count the reviews from the start of ``first_day`` (or of
    the first week) to ``now``, so the weeks add up to exactly the reviews of that period:
    a week the period starts in counts from ``first_day`` only (``starts_midweek``), and the
    current week ends today. A review belongs to the week of its ``published_at`` in the
    site time zone. One query.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    current = week_start_of(now)
    first_day = first_day or current - timedelta(weeks=weeks - 1)
    first = first_day - timedelta(days=first_day.weekday())
    tz = timezone.get_current_timezone()
    analyses = scoped(
        ReviewAnalysis.objects.filter(review__status=PUBLISHED), product=product, store=store
    )
    analyses = in_period(analyses, local_day_start(first_day), now)
    counts: dict[date, dict[str, int]] = {}
    rows = (
        analyses.annotate(week=TruncWeek("review__published_at", tzinfo=tz))
        .values("week", "sentiment")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        week = row["week"]
        day = timezone.localtime(week, tz).date() if isinstance(week, datetime) else week
        counts.setdefault(day, {})[row["sentiment"]] = row["count"]
    return [
        WeekSentiment(
            week_start=start,
            first_day=max(start, first_day),
            last_day=min(start + timedelta(days=6), today),
            **counts.get(start, {}),
        )
        for start in (first + timedelta(weeks=n) for n in range((current - first).days // 7 + 1))
    ]


# Trends compare the last this many days (today included) with as many days before them:
# two windows of the same length, however far into a month today is.
TREND_DAYS = 30


@dataclass(frozen=True)
class TrendWindow:
    """Whole days in the site time zone, ``first_day`` to ``last_day`` included."""

    first_day: date
    last_day: date

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def since(self) -> datetime:
        return local_day_start(self.first_day)

    @property
    def until(self) -> datetime:
        return local_day_start(self.last_day + timedelta(days=1))


def trend_windows(now: datetime) -> tuple[TrendWindow, TrendWindow]:
    """The ``TREND_DAYS`` days before the last ``TREND_DAYS``, then the last (to today)."""
    today = timezone.localdate(now)
    recent = today - timedelta(days=TREND_DAYS - 1)
    return (
        TrendWindow(recent - timedelta(days=TREND_DAYS), recent - timedelta(days=1)),
        TrendWindow(recent, today),
    )


@dataclass(frozen=True)
class MentionShare:
    """A theme's mentions in one trend window and how many were negative."""

    mentions: int
    negative: int

    @property
    def share(self) -> float | None:
        return share_of(self.negative, self.mentions)


# Below this many mentions in either window a share swings on one review: no trend is shown.
TREND_MINIMUM = 5


@dataclass(frozen=True)
class ThemeTrend:
    """The last ``TREND_DAYS`` days against the as many before (``trend_windows``); ``change``
    is the difference of negative shares (recent − previous, so a rise is positive), ``None``
    unless both windows have at least ``minimum`` mentions."""

    theme: Theme
    recent: MentionShare
    previous: MentionShare
    minimum: int = TREND_MINIMUM

    @property
    def change(self) -> float | None:
        if min(self.recent.mentions, self.previous.mentions) < max(self.minimum, 1):
            return None
        return self.recent.share - self.previous.share


def theme_trends(
    *,
    product: Product | None = None,
    store: Store | None = None,
    now: datetime | None = None,
    minimum: int = TREND_MINIMUM,
) -> list[ThemeTrend]:
    """Themes mentioned in either trend window, the biggest rise in negative share first.

    Themes without a comparable pair (``change`` is ``None``: fewer than ``minimum``
    mentions in a window) come last, by name. Two queries.
    """
    previous, recent = trend_windows(now or timezone.now())
    in_recent = Q(review__published_at__gte=recent.since)
    in_previous = ~in_recent
    negative = Q(sentiment=Sentiment.NEGATIVE)
    counts = list(
        mentions(product=product, store=store, since=previous.since, until=recent.until)
        .values("theme")
        .annotate(
            recent_mentions=Count("pk", filter=in_recent),
            recent_negative=Count("pk", filter=in_recent & negative),
            previous_mentions=Count("pk", filter=in_previous),
            previous_negative=Count("pk", filter=in_previous & negative),
        )
        .order_by()
    )
    if not counts:
        return []
    themes = Theme.objects.in_bulk([row["theme"] for row in counts])
    trends = [
        ThemeTrend(
            theme=themes[row["theme"]],
            recent=MentionShare(row["recent_mentions"], row["recent_negative"]),
            previous=MentionShare(row["previous_mentions"], row["previous_negative"]),
            minimum=minimum,
        )
        for row in counts
    ]
    trends.sort(key=lambda t: (t.change is None, -(t.change or 0), t.theme.position, t.theme.name))
    return trends


@dataclass(frozen=True)
class ProductRow:
    product: Product
    reviews: int
    negative: int
    average_rating: float

    @property
    def negative_share(self) -> float:
        return self.negative / self.reviews


def product_table(
    *, store: Store, since: datetime | None = None, until: datetime | None = None
) -> list[ProductRow]:
    """The store's products with published reviews in the period, most negative first.

    ``negative`` counts the reviews the analysis found negative overall (a
    review not analysed yet counts among ``reviews`` only). Two queries.
    """
    reviews = in_period(
        Review.objects.filter(store=store, status=PUBLISHED), since, until, prefix=""
    )
    counts = list(
        reviews.values("product")
        .annotate(
            reviews=Count("pk"),
            negative=Count("pk", filter=Q(analysis__sentiment=Sentiment.NEGATIVE)),
            average_rating=Avg("rating"),
        )
        .order_by()
    )
    products = Product.objects.in_bulk([row["product"] for row in counts])
    rows = [
        ProductRow(products[row["product"]], row["reviews"], row["negative"], row["average_rating"])
        for row in counts
    ]
    rows.sort(key=lambda r: (-r.negative, -r.reviews, r.product.title))
    return rows
