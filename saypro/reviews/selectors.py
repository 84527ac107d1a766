"""Reads for reviews. Each takes the acting user and returns only what they may see."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog.models import OrderItem, Product, Store
from saypro.catalog.selectors import is_store_member
from saypro.reviews.models import (
    RESPONSE_GOAL,
    Answer,
    HelpfulVote,
    ProductRating,
    Review,
    StoreRating,
)

REVIEW_SORTS = {
    "newest": ("-published_at", "-pk"),
    "helpful": ("-helpful_count", "-published_at", "-pk"),
    "highest": ("-rating", "-published_at", "-pk"),
    "lowest": ("rating", "-published_at", "-pk"),
}
STATS_WINDOW = timedelta(days=30)


def _with_answer(reviews: QuerySet[Review]) -> QuerySet[Review]:
    answers = Answer.objects.filter(withdrawn_at__isnull=True).select_related("store")
    return reviews.select_related("author", "product", "store").prefetch_related(
        Prefetch("answer", queryset=answers)
    )


def published_answer(review: Review) -> Answer | None:
    """The review's answer if there is one that is not withdrawn."""
    try:
        answer = review.answer
    except Answer.DoesNotExist:
        return None
    return None if answer.is_withdrawn else answer


def product_reviews(
    product: Product,
    *,
    sort: str = "newest",
    stars: int | None = None,
    verified: bool | None = None,
    answered: bool | None = None,
) -> QuerySet[Review]:
    """Published reviews of a product, as the shop shows them to everyone."""
    reviews = Review.objects.filter(product=product, status=Review.Status.PUBLISHED)
    if stars is not None:
        reviews = reviews.filter(rating=stars)
    if verified is not None:
        reviews = reviews.filter(is_verified=verified)
    if answered is not None:
        reviews = reviews.filter(is_answered=answered)
    return _with_answer(reviews).order_by(*REVIEW_SORTS.get(sort, REVIEW_SORTS["newest"]))


def product_rating(product: Product) -> ProductRating:
    """The product's aggregate (all zeros before its first published review)."""
    return ProductRating.objects.filter(product=product).first() or ProductRating(product=product)


def store_rating(store: Store) -> StoreRating:
    return StoreRating.objects.filter(store=store).first() or StoreRating(store=store)


def helpful_review_ids(user: User, reviews) -> set[int]:
    """Which of ``reviews`` ``user`` already found helpful."""
    if not user.is_authenticated:
        return set()
    return set(
        HelpfulVote.objects.filter(voter=user, review__in=reviews).values_list(
            "review_id", flat=True
        )
    )


def visible_review(user: User, pk: int) -> Review | None:
    """A published review; also, its author's own, the store's for its team, any for staff."""
    visible = Q(status=Review.Status.PUBLISHED)
    if user.is_authenticated:
        if user.is_office_staff:
            visible = Q()
        else:
            visible |= Q(author=user) | Q(store__memberships__user=user)
    return _with_answer(Review.objects.filter(visible, pk=pk)).distinct().first()


def reviews_of_author(user: User) -> QuerySet[Review]:
    if not user.is_authenticated:
        return Review.objects.none()
    return _with_answer(Review.objects.filter(author=user)).order_by("-created_at")


def reviewable_items(user: User, product: Product | None = None) -> QuerySet[OrderItem]:
    """Delivered items ``user`` bought and has not reviewed yet."""
    if not user.is_authenticated:
        return OrderItem.objects.none()
    items = OrderItem.objects.filter(
        order__buyer=user, order__status="delivered", review__isnull=True
    ).select_related("order", "product", "order__store")
    if product is not None:
        items = items.filter(product=product)
    return items.order_by("-order__delivered_at")


# --- Seller Center ---------------------------------------------------------------


def store_reviews(
    user: User,
    store: Store,
    *,
    rating: int | None = None,
    product: Product | None = None,
    answered: bool | None = False,
    overdue: bool = False,
    theme: str | None = None,
    sentiment: str | None = None,
    now: datetime | None = None,
) -> QuerySet[Review]:
    """The store's published reviews, most urgent first, for its team.

    Urgency: unanswered before answered; negative (1–2 stars) before the rest;
    then least time left before the 48-hour goal. ``theme`` (a theme's slug)
    keeps reviews that mention it, and ``sentiment`` then means how they speak
    of it; without a theme, ``sentiment`` is the review's overall sentiment
    (both from the insights analysis).
    """
    if not is_store_member(user, store):
        return Review.objects.none()
    now = now or timezone.now()
    reviews = Review.objects.filter(store=store, status=Review.Status.PUBLISHED)
    if rating is not None:
        reviews = reviews.filter(rating=rating)
    if product is not None:
        reviews = reviews.filter(product=product)
    if answered is not None:
        reviews = reviews.filter(is_answered=answered)
    if overdue:
        reviews = reviews.filter(is_answered=False, response_due_at__lte=now)
    if theme:
        # One filter() call, so the theme and its sentiment are of the same mention row.
        mention = Q(theme_mentions__theme__slug=theme)
        if sentiment:
            mention &= Q(theme_mentions__sentiment=sentiment)
        reviews = reviews.filter(mention)
    elif sentiment:
        reviews = reviews.filter(analysis__sentiment=sentiment)
    negative_first = Case(
        When(rating__lte=2, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return _with_answer(reviews).order_by("is_answered", negative_first, "response_due_at", "pk")


@dataclass(frozen=True)
class ResponseStats:
    """A store's answering record over a window, as the KPI measures it, and its queue.

    ``due`` counts reviews published in the window that were answered or whose
    48 hours are up (a review still inside its 48 hours is not late yet);
    ``on_time`` those answered within 48 hours of publication. ``waiting`` and
    ``overdue`` are the answer queue, whenever the reviews were published: the
    unanswered reviews, and those of them past their 48 hours.
    """

    published: int
    answered: int
    due: int
    on_time: int
    waiting: int
    overdue: int

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.published if self.published else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


def store_response_stats(
    user: User, store: Store, *, now: datetime | None = None
) -> ResponseStats | None:
    """The store's record, for its team (``None`` for anyone else)."""
    if not is_store_member(user, store):
        return None
    return response_stats(store, now=now)


def response_stats(store: Store, *, now: datetime | None = None) -> ResponseStats:
    """The store's answering record; callers check who may see it."""
    now = now or timezone.now()
    reviews = Review.objects.filter(store=store, status=Review.Status.PUBLISHED)
    recent = Q(published_at__gt=now - STATS_WINDOW)
    answered = Q(is_answered=True)
    on_time = answered & Q(answer__response_time__lte=RESPONSE_GOAL)
    unanswered_late = Q(is_answered=False, response_due_at__lte=now)
    counts = reviews.aggregate(
        published=Count("pk", filter=recent),
        answered=Count("pk", filter=recent & answered),
        due=Count("pk", filter=recent & (answered | unanswered_late)),
        on_time=Count("pk", filter=recent & on_time),
        waiting=Count("pk", filter=Q(is_answered=False)),
        overdue=Count("pk", filter=unanswered_late),
    )
    return ResponseStats(**counts)


def answer_history(
    store: Store, *, exclude_review: Review | None = None, limit: int = 50
) -> list[str]:
    """The store's latest answers' texts, for the coach's near-duplicate check."""
    answers = Answer.objects.filter(store=store, withdrawn_at__isnull=True)
    if exclude_review is not None:
        answers = answers.exclude(review=exclude_review)
    return list(answers.order_by("-published_at").values_list("body", flat=True)[:limit])


# --- Moderation -----------------------------------------------------------------


def moderation_queue(user: User) -> QuerySet[Review]:
    """Held reviews and published ones with open reports, oldest first, for office staff."""
    if not user.is_authenticated or not user.is_office_staff:
        return Review.objects.none()
    reviews = Review.objects.filter(
        Q(status=Review.Status.HELD) | Q(status=Review.Status.PUBLISHED, open_report_count__gt=0)
    )
    return _with_answer(reviews).prefetch_related("reports__reporter").order_by("created_at", "pk")


def review_history(user: User, review: Review) -> dict:
    """Earlier versions and moderation decisions of a review, for office staff."""
    if not user.is_authenticated or not user.is_office_staff:
        return {"revisions": [], "decisions": []}
    return {
        "revisions": list(review.revisions.all()),
        "decisions": list(review.decisions.select_related("actor")),
    }


def own_order_item(user: User, pk: int) -> OrderItem | None:
    """An order item ``user`` bought, with its order and product."""
    if not user.is_authenticated:
        return None
    return (
        OrderItem.objects.filter(order__buyer=user, pk=pk)
        .select_related("order", "order__store", "product")
        .first()
    )


def store_review(user: User, store: Store, pk: int) -> Review | None:
    """A published review of ``store``, for its team."""
    if not is_store_member(user, store):
        return None
    return _with_answer(
        Review.objects.filter(store=store, pk=pk, status=Review.Status.PUBLISHED)
    ).first()


def review_of_item(user: User, item: OrderItem) -> Review | None:
    """``user``'s review of an item they bought, in whatever status."""
    if not user.is_authenticated:
        return None
    return Review.objects.filter(order_item=item, author=user).first()
