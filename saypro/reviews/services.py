"""Every write to reviews, answers, votes, reports and moderation.

Rating aggregates stay exact because every change of what counts goes
through ``_recount``: it runs while the review's row is locked
(``select_for_update``), compares what the review contributed before and
after, and applies the difference to ``ProductRating`` and ``StoreRating``
with ``F()`` expressions, so concurrent writers on other reviews of the same
product add up rather than overwrite each other.
"""

from collections import Counter, defaultdict
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog.models import Order, OrderItem, Store, StoreMembership
from saypro.catalog.selectors import is_store_member
from saypro.core.effects import enqueue_on_commit
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.insights import tasks as insights_tasks
from saypro.notifications import services as notifications
from saypro.notifications.models import NotificationType
from saypro.reviews.models import (
    ANSWER_MAX_LENGTH,
    BODY_MAX_LENGTH,
    DUE_SOON,
    RESPONSE_GOAL,
    TITLE_MAX_LENGTH,
    Answer,
    AnswerRevision,
    HelpfulVote,
    ModerationDecision,
    ProductRating,
    Report,
    Review,
    ReviewRevision,
    StoreRating,
)
from saypro.reviews.moderation import hold_reasons
from saypro.rewards import tasks as rewards_tasks

REASON_MAX_LENGTH = 500


# --- Validation ----------------------------------------------------------------


def _clean_rating(rating) -> int:
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed(
            "Rating must be a whole number of stars from 1 to 5.", details={"field": "rating"}
        )
    return rating


def _clean_text(
    value: str | None, *, field: str, label: str, max_length: int, required: bool
) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if required and not text:
        raise ValidationFailed(f"{label} cannot be empty.", details={"field": field})
    if len(text) > max_length:
        raise ValidationFailed(
            f"{label} can be at most {max_length:,} characters (this is {len(text):,}).",
            details={"field": field},
        )
    return text


def _clean_reason(reason: str | None) -> str:
    return _clean_text(
        reason, field="reason", label="The reason", max_length=REASON_MAX_LENGTH, required=True
    )


# --- Aggregates ------------------------------------------------------------------


def _contribution(review: Review) -> Counter:
    """What the review adds to the aggregates now: one vote for its stars if published."""
    return Counter({review.rating: 1}) if review.status == Review.Status.PUBLISHED else Counter()


def _recount(review: Review, before: Counter) -> None:
    """Apply the difference between ``before`` and the review's contribution now.

    Call with the review's row locked, so ``before`` is what the aggregates hold.
    """
    delta = Counter(_contribution(review))
    delta.subtract(before)
    changes = {stars: n for stars, n in delta.items() if n}
    if not changes:
        return
    updates = {
        "count": F("count") + sum(changes.values()),
        "total": F("total") + sum(stars * n for stars, n in changes.items()),
        **{f"stars_{stars}": F(f"stars_{stars}") + n for stars, n in changes.items()},
    }
    for model, key in (
        (ProductRating, {"product_id": review.product_id}),
        (StoreRating, {"store_id": review.store_id}),
    ):
        model.objects.bulk_create([model(**key)], ignore_conflicts=True)
        model.objects.filter(**key).update(**updates)


def _locked(review: Review) -> Review:
    """The review re-read under a row lock: the state every decision below is based on."""
    return Review.objects.select_for_update().get(pk=review.pk)


def _publish(review: Review, now: datetime) -> None:
    review.status = Review.Status.PUBLISHED
    review.hold_reason = ""
    if review.published_at is None:
        review.published_at = now
        review.response_due_at = now + RESPONSE_GOAL


def _record(review: Review, *, actor: User | None, action: str, reason: str, now: datetime) -> None:
    ModerationDecision.objects.create(
        review=review, actor=actor, action=action, reason=reason, created_at=now
    )


# --- Notifications ---------------------------------------------------------------


def _notify_store(
    store: Store,
    notification_type: str,
    *,
    subject,
    text: str,
    link: str,
    now: datetime,
    coalesce_key: str | None = None,
) -> None:
    """Tell every member of ``store``."""
    members = StoreMembership.objects.filter(store=store).values_list("user_id", flat=True)
    notifications.notify_many(
        list(members),
        notification_type,
        subject=subject,
        text=text,
        link=link,
        now=now,
        coalesce_key=coalesce_key,
    )


def _answer_link(review: Review) -> str:
    return reverse("seller_reviews:answer", kwargs={"slug": review.store.slug, "pk": review.pk})


DEADLINE_TEXT = {
    # (one review, several reviews)
    NotificationType.REVIEW_OVERDUE: (
        "Overdue: a review of {product} is past its 48-hour answer goal",
        "Overdue: {count} reviews are past their 48-hour answer goal",
    ),
    NotificationType.REVIEW_ANSWER_DUE: (
        "Answer due: a review of {product} has 12 hours or less left",
        "Answer due: {count} reviews have 12 hours or less left",
    ),
}


def _notify_deadline(reviews: list[Review], kind: str, now: datetime) -> None:
    """One notification per store and deadline per run, not one per review.

    A single review links to its answer form; several link to the queue.
    Runs within the coalescing window add up in the same notification.
    """
    one, several = DEADLINE_TEXT[kind]
    store = reviews[0].store
    if len(reviews) == 1:
        review = reviews[0]
        _notify_store(
            store,
            kind,
            subject=review,
            text=one.format(product=review.product.title),
            link=_answer_link(review),
            now=now,
        )
        return
    _notify_store(
        store,
        kind,
        subject=store,
        text=several.format(count=len(reviews)),
        link=reverse("seller_reviews:queue", kwargs={"slug": store.slug}),
        now=now,
        coalesce_key=f"deadline:{kind}:{store.pk}",
    )


def _notify_published(review: Review, now: datetime) -> None:
    stars = "★" * review.rating
    _notify_store(
        review.store,
        NotificationType.REVIEW_NEW,
        subject=review,
        text=f"New {stars} review of {review.product.title}: answer within 48 hours",
        link=_answer_link(review),
        now=now,
    )


# --- Reviews ---------------------------------------------------------------------


def check_reviewable(*, author: User, order_item: OrderItem) -> None:
    """Refuse, with the reason, unless ``author`` may review ``order_item`` now.

    The rules ``publish_review`` applies: the buyer of the order (403), once it
    is delivered (400), and once per item (409). Pages ask it before showing
    the review form, so a refusal comes before anything is typed.
    """
    order = order_item.order
    if order.buyer_id != author.pk:
        raise PermissionDenied("Only the buyer of this order can review it.")
    if order.status != Order.Status.DELIVERED:
        raise ValidationFailed(
            "You can review this product once your order has been delivered.", code="not_delivered"
        )
    if Review.objects.filter(order_item=order_item).exists():
        raise Conflict(
            "You have already reviewed this item; edit your review instead.",
            code="already_reviewed",
        )


@transaction.atomic
def publish_review(
    *,
    author: User,
    order_item: OrderItem,
    rating: int,
    title: str = "",
    body: str,
    now: datetime | None = None,
) -> Review:
    """Review a delivered order item: published at once, or held if a moderation rule says so."""
    now = now or timezone.now()
    rating = _clean_rating(rating)
    title = _clean_text(
        title, field="title", label="The title", max_length=TITLE_MAX_LENGTH, required=False
    )
    body = _clean_text(
        body, field="body", label="The review", max_length=BODY_MAX_LENGTH, required=True
    )
    check_reviewable(author=author, order_item=order_item)

    reasons = hold_reasons(title, body)
    review = Review(
        product_id=order_item.product_id,
        store_id=order_item.order.store_id,
        order_item=order_item,
        author=author,
        rating=rating,
        title=title,
        body=body,
        status=Review.Status.HELD,
        hold_reason=" ".join(reasons),
        created_at=now,
    )
    if not reasons:
        _publish(review, now)
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as error:  # a second submission raced this one
        raise Conflict("You have already reviewed this item.", code="already_reviewed") from error
    if reasons:
        _record(
            review,
            actor=None,
            action=ModerationDecision.Action.HOLD,
            reason=review.hold_reason,
            now=now,
        )
    _recount(review, before=Counter())
    if review.is_published:
        _notify_published(review, now)
        enqueue_on_commit(rewards_tasks.review_published, review.pk)
    enqueue_on_commit(insights_tasks.analyze_review, review.pk)
    return review


@transaction.atomic
def edit_review(
    *,
    author: User,
    review: Review,
    rating: int,
    title: str = "",
    body: str,
    now: datetime | None = None,
) -> Review:
    """Change a review within 30 days of writing it; the previous version is kept.

    The edit passes the moderation rules again: a published review that now
    breaks one is held; a review held by the rules that no longer breaks any is
    published. A review hidden by a moderator stays hidden.
    """
    now = now or timezone.now()
    rating = _clean_rating(rating)
    title = _clean_text(
        title, field="title", label="The title", max_length=TITLE_MAX_LENGTH, required=False
    )
    body = _clean_text(
        body, field="body", label="The review", max_length=BODY_MAX_LENGTH, required=True
    )
    if review.author_id != author.pk:
        raise PermissionDenied("Only its author can edit a review.")
    review = _locked(review)
    if now > review.editable_until():
        raise ValidationFailed(
            "Reviews can be edited for 30 days after they are written.", code="edit_window_closed"
        )
    if (rating, title, body) == (review.rating, review.title, review.body):
        return review
    before = _contribution(review)
    ReviewRevision.objects.create(
        review=review, rating=review.rating, title=review.title, body=review.body, replaced_at=now
    )
    review.rating, review.title, review.body, review.edited_at = rating, title, body, now
    reasons = hold_reasons(title, body)
    if review.status != Review.Status.HIDDEN:
        if reasons:
            review.status = Review.Status.HELD
            review.hold_reason = " ".join(reasons)
            _record(
                review,
                actor=None,
                action=ModerationDecision.Action.HOLD,
                reason=review.hold_reason,
                now=now,
            )
        else:
            _publish(review, now)
    review.save()
    _recount(review, before)
    enqueue_on_commit(insights_tasks.analyze_review, review.pk)
    return review


@transaction.atomic
def hide_review(
    *, moderator: User, review: Review, reason: str, now: datetime | None = None
) -> Review:
    """Take a review out of the shop and the aggregates; the reason is shown to its author."""
    now = now or timezone.now()
    _require_moderator(moderator)
    reason = _clean_reason(reason)
    review = _locked(review)
    if review.status == Review.Status.HIDDEN:
        raise Conflict("This review is already hidden.", code="already_hidden")
    before = _contribution(review)
    review.status = Review.Status.HIDDEN
    review.moderation_note = reason
    _resolve_reports(review, now)
    review.save()
    _record(review, actor=moderator, action=ModerationDecision.Action.HIDE, reason=reason, now=now)
    _recount(review, before)
    return review


@transaction.atomic
def restore_review(
    *, moderator: User, review: Review, reason: str, now: datetime | None = None
) -> Review:
    """Publish a held or hidden review, or keep a reported one: its open reports are resolved."""
    now = now or timezone.now()
    _require_moderator(moderator)
    reason = _clean_reason(reason)
    review = _locked(review)
    if review.status == Review.Status.PUBLISHED and not review.open_report_count:
        raise Conflict(
            "This review is published and has no open reports.", code="nothing_to_restore"
        )
    before = _contribution(review)
    first_publication = review.published_at is None
    _publish(review, now)
    review.moderation_note = reason
    _resolve_reports(review, now)
    review.save()
    _record(
        review, actor=moderator, action=ModerationDecision.Action.RESTORE, reason=reason, now=now
    )
    _recount(review, before)
    if first_publication:
        _notify_published(review, now)
        enqueue_on_commit(rewards_tasks.review_published, review.pk)
    return review


def _require_moderator(user: User) -> None:
    if not user.is_authenticated or not user.is_office_staff:
        raise PermissionDenied("Only marketplace office staff moderate reviews.")


def _resolve_reports(review: Review, now: datetime) -> None:
    review.reports.filter(resolved_at__isnull=True).update(resolved_at=now)
    review.open_report_count = 0


@transaction.atomic
def vote_helpful(*, voter: User, review: Review) -> Review:
    """Mark a published review helpful: once per person, never your own.

    The store's own team (owners and agents) may not vote on its reviews: their
    votes would push the reviews they like up the "Most helpful" sort and count
    toward the author's badges. Taking back an earlier vote stays open to them.
    """
    if review.author_id == voter.pk:
        raise PermissionDenied("You cannot vote on your own review.", code="own_review")
    if is_store_member(voter, review.store):
        raise PermissionDenied(
            "The store's team cannot vote on reviews of its own store.", code="own_store"
        )
    if review.status != Review.Status.PUBLISHED:
        raise NotFound("No such review.")
    try:
        with transaction.atomic():
            HelpfulVote.objects.create(review=review, voter=voter)
    except IntegrityError as error:
        raise Conflict(
            "You have already found this review helpful.", code="already_voted"
        ) from error
    Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
    review.refresh_from_db(fields=["helpful_count"])
    return review


@transaction.atomic
def withdraw_vote(*, voter: User, review: Review) -> Review:
    deleted, _ = HelpfulVote.objects.filter(review=review, voter=voter).delete()
    if not deleted:
        raise NotFound("You have not voted for this review.")
    Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") - 1)
    review.refresh_from_db(fields=["helpful_count"])
    return review


@transaction.atomic
def report_review(*, reporter: User, review: Review, reason: str, note: str = "") -> Report:
    """Send a review to the moderation queue with a reason; once per person."""
    if reason not in Report.Reason.values:
        raise ValidationFailed("Choose a reason from the list.", details={"field": "reason"})
    note = _clean_text(
        note, field="note", label="The note", max_length=500, required=reason == Report.Reason.OTHER
    )
    if review.author_id == reporter.pk:
        raise PermissionDenied(
            "You cannot report your own review; edit it instead.", code="own_review"
        )
    if review.status != Review.Status.PUBLISHED:
        raise NotFound("No such review.")
    try:
        with transaction.atomic():
            report = Report.objects.create(
                review=review, reporter=reporter, reason=reason, note=note
            )
    except IntegrityError as error:
        raise Conflict("You have already reported this review.", code="already_reported") from error
    Review.objects.filter(pk=review.pk).update(open_report_count=F("open_report_count") + 1)
    return report


# --- Answers ---------------------------------------------------------------------


@transaction.atomic
def answer_review(
    *,
    member: User,
    review: Review,
    body: str,
    coach_score: int | None = None,
    now: datetime | None = None,
) -> Answer:
    """Publish the store's answer to a review and record its response time.

    One answer per review. A withdrawn answer may be replaced; the response
    time is then measured to the new answer, as the review went unanswered.
    """
    now = now or timezone.now()
    body = _clean_text(
        body, field="body", label="The answer", max_length=ANSWER_MAX_LENGTH, required=True
    )
    if not is_store_member(member, review.store):
        raise PermissionDenied("Only the store's team can answer its reviews.")
    review = _locked(review)
    if review.status != Review.Status.PUBLISHED:
        raise Conflict("Only published reviews can be answered.", code="not_published")
    answer = Answer.objects.filter(review=review).first()
    if answer is not None and not answer.is_withdrawn:
        raise Conflict(
            "This review already has an answer; edit it instead.", code="already_answered"
        )
    answer = answer or Answer(review=review, store_id=review.store_id)
    answer.author = member
    answer.body = body
    answer.published_at = now
    answer.edited_at = None
    answer.withdrawn_at = None
    answer.response_time = now - review.published_at
    answer.coach_score = coach_score
    answer.save()
    review.is_answered = True
    review.deadline_flag, review.deadline_flagged_at = Review.DeadlineFlag.NONE, None
    review.save(update_fields=["is_answered", "deadline_flag", "deadline_flagged_at"])
    enqueue_on_commit(rewards_tasks.review_answered, review.pk, review.store_id)
    notify_answered(answer)
    return answer


def notify_answered(answer: Answer) -> None:
    """``review.answered`` for the review's author (answering does it; the demo replays it)."""
    review = answer.review
    notifications.notify(
        review.author,
        NotificationType.REVIEW_ANSWERED,
        subject=review,
        text=f"{review.store.name} answered your review of {review.product.title}",
        link=review.product.get_absolute_url() + f"#review-{review.pk}",
        now=answer.published_at,
    )


def _member_answer(member: User, answer: Answer) -> Answer:
    if not is_store_member(member, answer.store):
        raise PermissionDenied("Only the store's team can change its answers.")
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if answer.is_withdrawn:
        raise Conflict("This answer was withdrawn.", code="withdrawn")
    return answer


@transaction.atomic
def edit_answer(
    *,
    member: User,
    answer: Answer,
    body: str,
    coach_score: int | None = None,
    now: datetime | None = None,
) -> Answer:
    """Change a published answer, keeping the previous text; the response time stays."""
    now = now or timezone.now()
    body = _clean_text(
        body, field="body", label="The answer", max_length=ANSWER_MAX_LENGTH, required=True
    )
    answer = _member_answer(member, answer)
    if body == answer.body:
        return answer
    AnswerRevision.objects.create(answer=answer, body=answer.body, replaced_at=now)
    answer.body = body
    answer.edited_at = now
    answer.coach_score = coach_score
    answer.save(update_fields=["body", "edited_at", "coach_score"])
    return answer


@transaction.atomic
def withdraw_answer(*, member: User, answer: Answer, now: datetime | None = None) -> Answer:
    """Take an answer down; the review is unanswered again and back in the queue."""
    now = now or timezone.now()
    answer = _member_answer(member, answer)
    AnswerRevision.objects.create(answer=answer, body=answer.body, replaced_at=now)
    answer.withdrawn_at = now
    answer.save(update_fields=["withdrawn_at"])
    review = Review.objects.get(pk=answer.review_id)
    review.is_answered = False
    review.deadline_flag, review.deadline_flagged_at = _deadline_flag(review, now), now
    review.save(update_fields=["is_answered", "deadline_flag", "deadline_flagged_at"])
    return answer


# --- The response clock ----------------------------------------------------------


def _deadline_flag(review: Review, now: datetime) -> str:
    """The flag an unanswered published review deserves at ``now``."""
    if review.response_due_at <= now:
        return Review.DeadlineFlag.OVERDUE
    if review.response_due_at <= now + DUE_SOON:
        return Review.DeadlineFlag.DUE_SOON
    return Review.DeadlineFlag.NONE


@transaction.atomic
def flag_response_deadlines(*, now: datetime | None = None) -> dict[str, int]:
    """Mark unanswered published reviews due within 12 hours, or overdue.

    Idempotent: a review is flagged once per state, and ``deadline_flagged_at``
    says when, so reminders can be sent exactly once per state.
    """
    now = now or timezone.now()
    waiting = Review.objects.filter(status=Review.Status.PUBLISHED, is_answered=False)
    overdue = list(
        waiting.filter(response_due_at__lte=now)
        .exclude(deadline_flag=Review.DeadlineFlag.OVERDUE)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    due_soon = list(
        waiting.filter(
            response_due_at__gt=now,
            response_due_at__lte=now + DUE_SOON,
            deadline_flag=Review.DeadlineFlag.NONE,
        )
        .select_for_update()
        .values_list("pk", flat=True)
    )
    counts = {
        "overdue": Review.objects.filter(pk__in=overdue).update(
            deadline_flag=Review.DeadlineFlag.OVERDUE, deadline_flagged_at=now
        ),
        "due_soon": Review.objects.filter(pk__in=due_soon).update(
            deadline_flag=Review.DeadlineFlag.DUE_SOON, deadline_flagged_at=now
        ),
    }
    flagged = Review.objects.select_related("store", "product").filter(pk__in=overdue + due_soon)
    by_store: dict[tuple[int, str], list[Review]] = defaultdict(list)
    for review in flagged.order_by("pk"):
        kind = (
            NotificationType.REVIEW_OVERDUE
            if review.pk in overdue
            else NotificationType.REVIEW_ANSWER_DUE
        )
        by_store[(review.store_id, kind)].append(review)
    for (_, kind), reviews in by_store.items():
        _notify_deadline(reviews, kind, now)
    return counts
