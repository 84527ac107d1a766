"""Reviews, seller answers, votes, reports, moderation and rating aggregates.

A review belongs to one delivered order item (a verified purchase) and is
written by that order's buyer. Its ``status`` decides whether it counts:
only ``published`` reviews appear in the shop and in the rating aggregates
(``ProductRating`` / ``StoreRating``), which services keep exact by applying
deltas with ``F()`` expressions while holding the review's row lock.

The 48-hour response clock starts at ``published_at``; ``response_due_at``
stores the deadline and ``deadline_flag`` what the periodic task last found
(due soon, overdue) so notifications can remind without recomputing.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from saypro.catalog.models import OrderItem, Product, Store

RESPONSE_GOAL = timedelta(hours=48)
DUE_SOON = timedelta(hours=12)
EDIT_WINDOW = timedelta(days=30)
TITLE_MAX_LENGTH = 120
BODY_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 5000


class Review(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HELD = "held", "Held for moderation"
        HIDDEN = "hidden", "Hidden by moderation"

    class DeadlineFlag(models.TextChoices):
        NONE = "", "On track"
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="reviews")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="reviews")
    order_item = models.OneToOneField(OrderItem, on_delete=models.PROTECT, related_name="review")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)
    body = models.TextField()
    is_verified = models.BooleanField(
        default=True, help_text="Bought through the marketplace (not an imported review)."
    )
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices)
    hold_reason = models.CharField(max_length=300, blank=True)
    moderation_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="Why moderation hid or restored it; shown to the author.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    response_due_at = models.DateTimeField(null=True, blank=True)
    deadline_flag = models.CharField(
        max_length=10, choices=DeadlineFlag.choices, default=DeadlineFlag.NONE, blank=True
    )
    deadline_flagged_at = models.DateTimeField(null=True, blank=True)
    is_answered = models.BooleanField(default=False)

    helpful_count = models.PositiveIntegerField(default=0)
    open_report_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["product", "status", "-published_at"]),
            models.Index(fields=["store", "status", "is_answered", "response_due_at"]),
            models.Index(fields=["status", "deadline_flag"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.product} by {self.author}"

    @property
    def is_negative(self) -> bool:
        return self.rating <= 2

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def editable_until(self):
        return self.created_at + EDIT_WINDOW


class ReviewRevision(models.Model):
    """A review as it was before one edit (the history staff can read)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    rating = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)
    body = models.TextField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"Review {self.review_id} before {self.replaced_at:%Y-%m-%d %H:%M}"


class Answer(models.Model):
    """A store's public answer to a review: one per review, editable, withdrawable."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="answer")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="review_answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_answers"
    )
    body = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    response_time = models.DurationField(help_text="published_at − the review's published_at")
    coach_score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at"]
        indexes = [models.Index(fields=["store", "published_at"])]

    def __str__(self) -> str:
        return f"Answer to review {self.review_id}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_on_time(self) -> bool:
        return self.response_time <= RESPONSE_GOAL


class AnswerRevision(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"Answer {self.answer_id} before {self.replaced_at:%Y-%m-%d %H:%M}"


class HelpfulVote(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="helpful_votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_votes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "voter"], name="one_helpful_vote_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.voter} found review {self.review_id} helpful"


class Report(models.Model):
    class Reason(models.TextChoices):
        OFF_TOPIC = "off_topic", "Not about the product"
        OFFENSIVE = "offensive", "Offensive or abusive"
        PERSONAL_DATA = "personal_data", "Contains personal or contact details"
        SPAM = "spam", "Spam or advertising"
        FAKE = "fake", "Not a genuine customer"
        OTHER = "other", "Something else"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_reports"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["review", "reporter"], name="one_report_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: review {self.review_id}"


class ModerationDecision(models.Model):
    """The audit trail: every hold, hide and restore, by whom (None = the rules), when, why."""

    class Action(models.TextChoices):
        HOLD = "hold", "Held automatically"
        HIDE = "hide", "Hidden"
        RESTORE = "restore", "Restored"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_decisions",
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: review {self.review_id}"


class RatingCounts(models.Model):
    """How many published reviews gave each number of stars; the average follows."""

    count = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    stars_1 = models.PositiveIntegerField(default=0)
    stars_2 = models.PositiveIntegerField(default=0)
    stars_3 = models.PositiveIntegerField(default=0)
    stars_4 = models.PositiveIntegerField(default=0)
    stars_5 = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 1) if self.count else None

    def histogram(self) -> list[tuple[int, int]]:
        """(stars, count) from 5 down to 1."""
        return [(stars, getattr(self, f"stars_{stars}")) for stars in range(5, 0, -1)]


class ProductRating(RatingCounts):
    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="rating"
    )

    def __str__(self) -> str:
        return f"{self.product}: {self.average}★ ({self.count})"


class StoreRating(RatingCounts):
    store = models.OneToOneField(
        Store, on_delete=models.CASCADE, primary_key=True, related_name="rating"
    )

    def __str__(self) -> str:
        return f"{self.store}: {self.average}★ ({self.count})"
