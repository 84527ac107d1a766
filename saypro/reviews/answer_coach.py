"""The response coach applied to a real review: the bridge from reviews to ``saypro.coaching``."""

from datetime import datetime

from django.utils import timezone

from saypro.coaching.coach import Coaching, ReviewInput, coach
from saypro.reviews.models import Review
from saypro.reviews.selectors import answer_history, published_answer


def coaching_for(review: Review, draft: str, *, now: datetime | None = None) -> Coaching:
    """The coach's verdict on ``draft`` as the store's answer to ``review``.

    The store's other answers are the history the coach compares against, so
    pasting one earlier answer under many reviews is caught. Once the review is
    answered, the draft edits that answer and the deadline no longer counts.
    """
    answer = published_answer(review)
    return coach(
        ReviewInput(
            text=review.body,
            rating=review.rating,
            product=review.product.title,
            reviewer=review.author.first_name,
            title=review.title,
            published_at=review.published_at,
            answered_at=answer.published_at if answer else None,
        ),
        draft,
        answer_history(review.store, exclude_review=review),
        now=now or timezone.now(),
    )
