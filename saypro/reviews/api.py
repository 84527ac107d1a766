"""/api/v1 endpoints for reviews, helpful votes, reports, store answers and moderation.

Each endpoint reads through ``selectors`` (which apply who-may-see-what) and
writes through ``services`` (which check who-may-do-what); this module only
translates between JSON and those calls. A review someone may not see is a
404; one they may see but not act on is a 403 from the service.
"""

from ninja import Query, Router, Status

from saypro.catalog import selectors as catalog_selectors
from saypro.catalog.models import OrderItem, Product, Store
from saypro.core.api import AUTH, ERRORS, PUBLIC, Id, Page, Paging, Slug
from saypro.core.errors import NotFound, PermissionDenied, ValidationFailed
from saypro.knowledge import selectors as knowledge_selectors
from saypro.reviews import selectors, services
from saypro.reviews.answer_coach import coaching_for
from saypro.reviews.models import Answer, Review
from saypro.reviews.schemas import (
    AnswerIn,
    CoachIn,
    CoachingOut,
    HelpfulOut,
    HistoryOut,
    ModerationIn,
    ModerationReviewOut,
    ProductReviewFilters,
    RatingOut,
    ReportIn,
    ReportOut,
    ResponseStatsOut,
    ReviewDetailOut,
    ReviewEditIn,
    ReviewIn,
    ReviewOut,
    StoreReviewFilters,
    StoreReviewOut,
)

router = Router(tags=["reviews"])


def _product(request, product_id: int) -> Product:
    product = catalog_selectors.visible_product(request.auth, product_id)
    if product is None:
        raise NotFound(f"No product {product_id}.")
    return product


def _team_store(request, slug: str) -> Store:
    store = catalog_selectors.existing_store(slug)
    if not catalog_selectors.is_store_member(request.auth, store):
        raise PermissionDenied("Only the store's team can see its review queue.")
    return store


def _review(request, review_id: int) -> Review:
    review = selectors.visible_review(request.auth, review_id)
    if review is None:
        raise NotFound(f"No review {review_id}.")
    return review


def _answer(review: Review) -> Answer:
    answer = selectors.published_answer(review)
    if answer is None:
        raise NotFound("This review has no answer.")
    return answer


def _order_item(request, order_item_id: int) -> OrderItem:
    item = selectors.own_order_item(request.auth, order_item_id)
    if item is None:
        raise ValidationFailed(
            f"No order item {order_item_id} among your orders.",
            details={"field": "order_item_id"},
        )
    return item


def _require_office_staff(request) -> None:
    if not request.auth.is_office_staff:
        raise PermissionDenied("Only marketplace office staff moderate reviews.")


# --- The shop: a product's reviews and rating ----------------------------------------


@router.get(
    "/products/{product_id}/reviews", response={200: Page[ReviewOut], **ERRORS}, auth=PUBLIC
)
def list_product_reviews(request, product_id: Id, filters: Query[ProductReviewFilters]):
    """Published reviews of a product, filtered and sorted."""
    reviews = selectors.product_reviews(
        _product(request, product_id),
        sort=filters.sort,
        stars=filters.stars,
        verified=filters.verified,
        answered=filters.answered,
    )
    return filters.page(reviews)


@router.get("/products/{product_id}/rating", response={200: RatingOut, **ERRORS}, auth=PUBLIC)
def get_product_rating(request, product_id: Id):
    """The average and the number of published reviews per stars (all zero before the first)."""
    return selectors.product_rating(_product(request, product_id))


# --- Reviews: write, read, edit --------------------------------------------------------


@router.get("/reviews/mine", response={200: Page[ReviewDetailOut], **ERRORS}, auth=AUTH)
def list_my_reviews(request, paging: Query[Paging]):
    """Your reviews in any status, newest first, with why any is held or hidden."""
    return paging.page(selectors.reviews_of_author(request.auth))


@router.post("/reviews", response={201: ReviewDetailOut, **ERRORS}, auth=AUTH)
def create_review(request, data: ReviewIn):
    """Review a delivered item you bought: published at once, or held for a moderator."""
    review = services.publish_review(
        author=request.auth,
        order_item=_order_item(request, data.order_item_id),
        rating=data.rating,
        title=data.title,
        body=data.body,
    )
    return Status(201, _review(request, review.pk))


@router.get("/reviews/{review_id}", response={200: ReviewDetailOut, **ERRORS}, auth=PUBLIC)
def get_review(request, review_id: Id):
    """A published review; its author, its store's team and office staff also see it otherwise."""
    return _review(request, review_id)


@router.put("/reviews/{review_id}", response={200: ReviewDetailOut, **ERRORS}, auth=AUTH)
def update_review(request, review_id: Id, data: ReviewEditIn):
    """Replace your review's rating, title and body (within 30 days of writing it)."""
    review = services.edit_review(
        author=request.auth,
        review=_review(request, review_id),
        rating=data.rating,
        title=data.title,
        body=data.body,
    )
    return _review(request, review.pk)


# --- Helpful votes and reports -------------------------------------------------------


@router.post("/reviews/{review_id}/helpful", response={200: HelpfulOut, **ERRORS}, auth=AUTH)
def vote_helpful(request, review_id: Id):
    """Count yourself among those who found a published review helpful (not your own)."""
    review = services.vote_helpful(voter=request.auth, review=_review(request, review_id))
    return HelpfulOut(review_id=review.pk, helpful_count=review.helpful_count, voted=True)


@router.delete("/reviews/{review_id}/helpful", response={200: HelpfulOut, **ERRORS}, auth=AUTH)
def withdraw_helpful_vote(request, review_id: Id):
    """Take back your helpful vote (404 if you had none)."""
    review = services.withdraw_vote(voter=request.auth, review=_review(request, review_id))
    return HelpfulOut(review_id=review.pk, helpful_count=review.helpful_count, voted=False)


@router.post("/reviews/{review_id}/reports", response={201: ReportOut, **ERRORS}, auth=AUTH)
def report_review(request, review_id: Id, data: ReportIn):
    """Send a published review to the moderators, once per person; ``other`` needs a note."""
    report = services.report_review(
        reporter=request.auth,
        review=_review(request, review_id),
        reason=data.reason,
        note=data.note,
    )
    return Status(201, report)


# --- Seller Center: the store's queue and its answers -------------------------------------


@router.get("/stores/{slug}/reviews", response={200: Page[StoreReviewOut], **ERRORS}, auth=AUTH)
def list_store_reviews(request, slug: Slug, filters: Query[StoreReviewFilters]):
    """The store's published reviews, most urgent first (the store's team).

    Unanswered before answered, 1–2 stars before the rest, then least time left.
    """
    store = _team_store(request, slug)
    product = None
    if filters.product_id is not None:
        product = catalog_selectors.visible_product(request.auth, filters.product_id)
        if product is None or product.store_id != store.pk:
            raise ValidationFailed(
                f"No product {filters.product_id} in this store.",
                details={"field": "product_id"},
            )
    reviews = selectors.store_reviews(
        request.auth,
        store,
        rating=filters.rating,
        product=product,
        answered=filters.answered,
        overdue=filters.overdue,
    )
    return filters.page(reviews)


@router.get("/stores/{slug}/review-stats", response={200: ResponseStatsOut, **ERRORS}, auth=AUTH)
def get_store_review_stats(request, slug: Slug):
    """How the store answered reviews published in the last 30 days (the store's team)."""
    stats = selectors.store_response_stats(request.auth, _team_store(request, slug))
    return ResponseStatsOut.from_stats(stats)


@router.post("/reviews/{review_id}/answer", response={201: StoreReviewOut, **ERRORS}, auth=AUTH)
def answer_review(request, review_id: Id, data: AnswerIn):
    """Publish the store's answer to one of its published reviews (the store's team)."""
    review = _review(request, review_id)
    services.answer_review(member=request.auth, review=review, body=data.body)
    return Status(201, _review(request, review.pk))


@router.put("/reviews/{review_id}/answer", response={200: StoreReviewOut, **ERRORS}, auth=AUTH)
def update_answer(request, review_id: Id, data: AnswerIn):
    """Replace the text of the store's answer; its response time stays (the store's team)."""
    review = _review(request, review_id)
    services.edit_answer(member=request.auth, answer=_answer(review), body=data.body)
    return _review(request, review.pk)


@router.delete("/reviews/{review_id}/answer", response={200: StoreReviewOut, **ERRORS}, auth=AUTH)
def withdraw_answer(request, review_id: Id):
    """Take the store's answer down: the review is unanswered again (the store's team)."""
    review = _review(request, review_id)
    services.withdraw_answer(member=request.auth, answer=_answer(review))
    return _review(request, review.pk)


# --- Moderation (office staff) ----------------------------------------------------------


@router.get("/moderation/reviews", response={200: Page[ModerationReviewOut], **ERRORS}, auth=AUTH)
def list_moderation_queue(request, paging: Query[Paging]):
    """Held reviews and published ones with open reports, oldest first."""
    _require_office_staff(request)
    return paging.page(selectors.moderation_queue(request.auth))


@router.post("/reviews/{review_id}/hide", response={200: ModerationReviewOut, **ERRORS}, auth=AUTH)
def hide_review(request, review_id: Id, data: ModerationIn):
    """Take a review out of the shop and the ratings; the reason is shown to its author."""
    _require_office_staff(request)
    review = services.hide_review(
        moderator=request.auth, review=_review(request, review_id), reason=data.reason
    )
    return _review(request, review.pk)


@router.post(
    "/reviews/{review_id}/restore", response={200: ModerationReviewOut, **ERRORS}, auth=AUTH
)
def restore_review(request, review_id: Id, data: ModerationIn):
    """Publish a held or hidden review, or keep a reported one; its open reports are resolved."""
    _require_office_staff(request)
    review = services.restore_review(
        moderator=request.auth, review=_review(request, review_id), reason=data.reason
    )
    return _review(request, review.pk)


@router.get("/reviews/{review_id}/history", response={200: HistoryOut, **ERRORS}, auth=AUTH)
def get_review_history(request, review_id: Id):
    """Earlier versions of a review and every moderation decision on it, newest first."""
    _require_office_staff(request)
    return selectors.review_history(request.auth, _review(request, review_id))


# --- The response coach -------------------------------------------------------------


@router.post("/coach/review-response", response={200: CoachingOut, **ERRORS}, auth=AUTH)
def coach_review_response(request, data: CoachIn):
    """Score a draft answer against the house guidelines, as the Seller Center form does.

    For the review's store team only; writes nothing.
    """
    review = _review(request, data.review_id)
    if not catalog_selectors.is_store_member(request.auth, review.store):
        raise PermissionDenied("Only the store's team can be coached on its reviews.")
    result = coaching_for(review, data.draft).as_dict()
    article_urls = knowledge_selectors.guideline_article_urls()
    for finding in result["findings"]:
        finding["article_url"] = article_urls.get(finding["guideline"])
    return result
