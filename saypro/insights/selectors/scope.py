"""What every insight read shares: the scope (product, store), the period, the site day."""

from datetime import date, datetime, time

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from saypro.catalog.models import Product, Store
from saypro.insights.models import Complaint, Suggestion, ThemeMention
from saypro.reviews.models import Review

PUBLISHED = Review.Status.PUBLISHED


def scoped(queryset: QuerySet, *, product: Product | None, store: Store | None) -> QuerySet:
    """``queryset`` limited to a product and/or a store (through its own ``product``/``store``)."""
    if product is not None:
        queryset = queryset.filter(product=product)
    if store is not None:
        queryset = queryset.filter(store=store)
    return queryset


def in_period(
    queryset: QuerySet, since: datetime | None, until: datetime | None, prefix: str = "review__"
) -> QuerySet:
    """``queryset`` limited to reviews published in ``since`` ≤ published_at < ``until``."""
    if since is not None:
        queryset = queryset.filter(**{f"{prefix}published_at__gte": since})
    if until is not None:
        queryset = queryset.filter(**{f"{prefix}published_at__lt": until})
    return queryset


def mentions(*, product=None, store=None, since=None, until=None) -> QuerySet[ThemeMention]:
    """Mentions of active themes in published reviews of the scope and period."""
    found = ThemeMention.objects.filter(review__status=PUBLISHED, theme__is_active=True)
    return in_period(scoped(found, product=product, store=store), since, until)


def share_of(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def local_day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site time zone, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def with_analysis(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """``reviews`` with what ``drill_down.matching_spans`` reads, fetched up front."""
    return reviews.select_related("analysis", "product", "author").prefetch_related(
        Prefetch("suggestions", queryset=Suggestion.objects.order_by("sentence_index")),
        Prefetch("complaints", queryset=Complaint.objects.order_by("sentence_index")),
    )
