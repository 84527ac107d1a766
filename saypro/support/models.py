"""Support tickets from sellers, their conversation with the office, canned replies and the rota.

A ticket belongs to a store and is opened by one of its members (the
requester); every member of the store can follow it. Office staff answer it.
Due times are stored (``first_response_due``, ``resolution_due``) so the queue
can sort by them in SQL; ``saypro.support.targets`` holds the rules that set
them. Times are UTC.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from saypro.messaging.models import attachment_path, attachment_storage
from saypro.support import targets

SUBJECT_MAX_LENGTH = 160
BODY_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 1000


class Category(models.TextChoices):
    REVIEWS = "reviews", "Reviews"
    MESSAGING = "messaging", "Messaging"
    NOTIFICATIONS = "notifications", "Notifications"
    POINTS_AND_BADGES = "points-and-badges", "Points and badges"
    IMPROVEMENTS = "improvements", "Improvements"
    ACADEMY = "academy", "Seller Academy"
    ACCOUNT = "account", "Account"
    OTHER = "other", "Something else"


class Priority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    HIGH = "high", "High"
    NORMAL = "normal", "Normal"
    LOW = "low", "Low"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    WAITING_ON_SELLER = "waiting_on_seller", "Waiting on seller"
    WAITING_ON_OFFICE = "waiting_on_office", "Waiting on office"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


# Statuses in which the resolution clock runs (it stands still in the others).
CLOCK_RUNNING = frozenset({Status.OPEN, Status.WAITING_ON_OFFICE})
ACTIVE = frozenset({Status.OPEN, Status.WAITING_ON_SELLER, Status.WAITING_ON_OFFICE})


class Ticket(models.Model):
    code = models.CharField(max_length=20, unique=True)
    store = models.ForeignKey("catalog.Store", on_delete=models.CASCADE, related_name="tickets")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_tickets"
    )
    subject = models.CharField(max_length=SUBJECT_MAX_LENGTH)
    category = models.CharField(max_length=20, choices=Category.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    first_response_due = models.DateTimeField()
    resolution_due = models.DateTimeField()
    # The resolution clock: stopped since ``paused_at`` (None while it runs), and the
    # total time it stood still before that.
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    satisfaction = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction_comment = models.TextField(blank=True, max_length=COMMENT_MAX_LENGTH)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "first_response_due"]),
            models.Index(fields=["store", "-updated_at"]),
            models.Index(fields=["rated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="support_satisfaction_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("support:ticket", kwargs={"code": self.code})

    def get_office_url(self) -> str:
        return reverse("office_support:ticket", kwargs={"code": self.code})

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def paused(self) -> timedelta:
        return timedelta(seconds=self.paused_seconds)

    def first_response_left(self, now) -> timedelta | None:
        """Time left to the first response; None once answered or no longer active."""
        if self.first_response_at is not None or not self.is_active:
            return None
        return targets.time_left(self.first_response_due, now)

    def resolution_left(self, now) -> timedelta | None:
        """Time left to resolve (frozen while waiting on the seller); None once resolved."""
        if not self.is_active:
            return None
        return targets.time_left(self.resolution_due, now, paused_at=self.paused_at)

    def first_response_met(self) -> bool | None:
        if self.first_response_at is None:
            return None
        return self.first_response_at <= self.first_response_due

    def resolution_met(self) -> bool | None:
        if self.resolved_at is None:
            return None
        return self.resolved_at <= self.resolution_due

    def survey_label(self) -> str:
        return f"About your support ticket “{self.subject}”"


class TicketMessage(models.Model):
    """A reply on a ticket, or an internal note (office only: never shown to the seller)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_messages"
    )
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    is_internal = models.BooleanField(default=False)
    from_office = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk} on {self.ticket_id}"


class Attachment(models.Model):
    """An image or PDF on a ticket message, stored privately (``STORAGES["attachments"]``)."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        PDF = "pdf", "PDF"

    message = models.ForeignKey(TicketMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=attachment_storage)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class CannedReply(models.Model):
    """A reply the office starts from; shipped ones are loaded by slug, staff add their own."""

    slug = models.SlugField(max_length=80, unique=True)
    category = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=160)
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category", "title"]
        verbose_name_plural = "canned replies"

    def __str__(self) -> str:
        return self.title


class DutyShift(models.Model):
    """An office person on the support desk from ``starts_at`` to ``ends_at`` (UTC)."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_shifts"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "staff_id"]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="support_shift_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"
