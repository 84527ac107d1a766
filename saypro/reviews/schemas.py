"""API shapes of reviews: what goes in and out of /api/v1 for reviews, answers and moderation.

Who may read which field is decided here only where one shape serves several
roles: ``hold_reason`` and ``moderation_note`` of ``ReviewDetailOut`` are for
the review's author and office staff, ``null`` for everyone else. A reviewer
is always shown by first name and last initial, never by email address.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import Strict

from saypro.accounts.models import User
from saypro.catalog.schemas import StoreRef
from saypro.core.api import BodyId, Id, Paging
from saypro.reviews.models import (
    ANSWER_MAX_LENGTH,
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Report,
    Review,
)
from saypro.reviews.selectors import REVIEW_SORTS, STATS_WINDOW, ResponseStats, published_answer
from saypro.reviews.services import REASON_MAX_LENGTH

Stars = Annotated[int, Field(ge=1, le=5, description="Whole stars, 1 to 5.")]
# In a JSON body a rating must be a JSON integer, as ids must (``BodyId``): lax parsing would
# read true as 1 (and "5" or 5.0 as 5). Query values arrive as text, so filters there stay lax.
StrictStars = Annotated[Stars, Strict()]
REPORT_NOTE_MAX_LENGTH = 500


def public_name(user: User) -> str:
    """First name and last initial ("Thandi M."): how a reviewer appears to everyone."""
    first = user.first_name.strip()
    if not first:
        return "A buyer"
    last = user.last_name.strip()
    return f"{first} {last[0]}." if last else first


def _sees_moderation_details(context, review: Review) -> bool:
    user = context["request"].auth
    return user.is_authenticated and (user.pk == review.author_id or user.is_office_staff)


# --- Out ---------------------------------------------------------------------------


class ProductRef(Schema):
    id: int
    title: str


class AnswerOut(Schema):
    body: str
    published_at: datetime
    edited_at: datetime | None
    store_name: str

    @staticmethod
    def resolve_store_name(answer) -> str:
        return answer.store.name


class ReviewOut(Schema):
    """A review as the shop shows it."""

    id: int
    product: ProductRef
    rating: int
    title: str
    body: str
    author_name: str = Field(description="First name and last initial.")
    is_verified: bool = Field(description="Bought through the marketplace.")
    published_at: datetime | None
    edited_at: datetime | None
    helpful_count: int
    answer: AnswerOut | None = Field(description="The store's answer, if it has one.")

    @staticmethod
    def resolve_author_name(review: Review) -> str:
        return public_name(review.author)

    @staticmethod
    def resolve_answer(review: Review):
        return published_answer(review)


class ReviewDetailOut(ReviewOut):
    """A review with its moderation state (only published ones are in the shop)."""

    status: Literal[tuple(Review.Status.values)]  # type: ignore[valid-type]
    created_at: datetime
    editable_until: datetime = Field(description="Its author may edit it until then.")
    hold_reason: str | None = Field(
        description="Why the rules hold it for a moderator; author and office staff only."
    )
    moderation_note: str | None = Field(
        description="Why moderation hid or restored it; author and office staff only."
    )

    @staticmethod
    def resolve_editable_until(review: Review) -> datetime:
        return review.editable_until()

    @staticmethod
    def resolve_hold_reason(review: Review, context) -> str | None:
        return review.hold_reason if _sees_moderation_details(context, review) else None

    @staticmethod
    def resolve_moderation_note(review: Review, context) -> str | None:
        return review.moderation_note if _sees_moderation_details(context, review) else None


class StoreReviewOut(ReviewOut):
    """A review in its store's answering queue."""

    is_answered: bool
    response_due_at: datetime | None = Field(description="48 hours after publication.")
    seconds_left: int | None = Field(
        description="Seconds until response_due_at, negative when overdue; null once answered."
    )
    deadline_flag: Literal[tuple(Review.DeadlineFlag.values)] = Field(  # type: ignore[valid-type]
        description="What the periodic check last found: '', 'due_soon' or 'overdue'."
    )

    @staticmethod
    def resolve_seconds_left(review: Review) -> int | None:
        if review.is_answered or review.response_due_at is None:
            return None
        return int((review.response_due_at - timezone.now()).total_seconds())


class ReportOut(Schema):
    id: int
    reason: str
    note: str
    created_at: datetime
    resolved_at: datetime | None


class ModerationReportOut(ReportOut):
    reporter: str = Field(description="The reporter's email address.")

    @staticmethod
    def resolve_reporter(report) -> str:
        return report.reporter.email


class ModerationReviewOut(ReviewDetailOut):
    store: StoreRef
    open_report_count: int
    reports: list[ModerationReportOut]

    @staticmethod
    def resolve_reports(review: Review) -> list:
        return list(review.reports.all())


class RevisionOut(Schema):
    rating: int
    title: str
    body: str
    replaced_at: datetime


class DecisionOut(Schema):
    actor: str | None = Field(description="Email of the moderator; null for the automatic rules.")
    action: str
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_actor(decision) -> str | None:
        return decision.actor.email if decision.actor else None


class HistoryOut(Schema):
    revisions: list[RevisionOut] = Field(description="Earlier versions, newest first.")
    decisions: list[DecisionOut] = Field(description="Holds, hides and restores, newest first.")


class RatingOut(Schema):
    average: float | None = Field(description="Mean stars to one decimal; null without reviews.")
    count: int
    histogram: dict[str, int] = Field(description='Reviews per stars: {"5": n, …, "1": n}.')

    @staticmethod
    def resolve_histogram(rating) -> dict[str, int]:
        return {str(stars): count for stars, count in rating.histogram()}


class ResponseStatsOut(Schema):
    """How the store answers, over reviews published in the last ``window_days``, and
    its answer queue (``waiting``, ``overdue``: whenever published)."""

    window_days: int
    published: int
    answered: int
    due: int = Field(description="Answered, or unanswered with the 48 hours up.")
    on_time: int = Field(description="Answered within 48 hours.")
    waiting: int = Field(description="Not answered yet, whenever published.")
    overdue: int = Field(description="Not answered and the 48 hours are up, whenever published.")
    response_rate: float | None = Field(description="answered / published; null if none.")
    on_time_rate: float | None = Field(description="on_time / due; null if none.")

    @staticmethod
    def from_stats(stats: ResponseStats) -> "ResponseStatsOut":
        return ResponseStatsOut(
            window_days=STATS_WINDOW.days,
            published=stats.published,
            answered=stats.answered,
            due=stats.due,
            on_time=stats.on_time,
            waiting=stats.waiting,
            overdue=stats.overdue,
            response_rate=stats.response_rate,
            on_time_rate=stats.on_time_rate,
        )


class HelpfulOut(Schema):
    review_id: int
    helpful_count: int
    voted: bool = Field(description="Whether you now count among those who found it helpful.")


# --- In and filters ------------------------------------------------------------------


class ReviewEditIn(Schema):
    rating: StrictStars
    title: str = Field("", max_length=TITLE_MAX_LENGTH)
    body: str = Field(min_length=1, max_length=BODY_MAX_LENGTH)


class ReviewIn(ReviewEditIn):
    order_item_id: BodyId = Field(description="A delivered item of one of your orders.")


class AnswerIn(Schema):
    body: str = Field(min_length=1, max_length=ANSWER_MAX_LENGTH)


class ReportIn(Schema):
    reason: Literal[tuple(Report.Reason.values)]  # type: ignore[valid-type]
    note: str = Field("", max_length=REPORT_NOTE_MAX_LENGTH, description="Required for 'other'.")


class ModerationIn(Schema):
    reason: str = Field(
        min_length=1, max_length=REASON_MAX_LENGTH, description="Shown to the review's author."
    )


class ProductReviewFilters(Paging):
    stars: Stars | None = None
    verified: bool | None = Field(None, description="Only verified purchases (or only not).")
    answered: bool | None = Field(None, description="Only answered reviews (or only not).")
    sort: Literal[tuple(REVIEW_SORTS)] = "newest"  # type: ignore[valid-type]


class StoreReviewFilters(Paging):
    rating: Stars | None = None
    product_id: Id | None = Field(None, description="One of the store's products.")
    answered: bool | None = Field(None, description="Only answered (or unanswered); omit for all.")
    overdue: bool = Field(False, description="Only unanswered reviews past their 48 hours.")


class CoachIn(Schema):
    review_id: BodyId
    draft: str = Field(max_length=ANSWER_MAX_LENGTH)


class SpanOut(Schema):
    start: int
    end: int
    text: str


class FindingOut(Schema):
    guideline: str
    label: str
    verdict: Literal["pass", "warn", "fail"]
    applies: bool
    spans: list[SpanOut]
    reason: str
    suggestion: str
    article_url: str | None = Field(
        None, description="The knowledge-base article explaining this guideline, if published."
    )


class CoachingOut(Schema):
    score: int = Field(ge=0, le=100)
    findings: list[FindingOut]
    suggested_answer: str
