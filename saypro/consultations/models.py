"""One-on-one consultations: topics, office experts, their bookable slots and sellers' bookings.

Times are stored in UTC. A weekly pattern is kept in the expert's own time
zone (its weekday and hours are wall-clock times there) and turned into
concrete ``Slot`` rows for the coming weeks. The invariants that matter:

- one active booking per slot: a partial unique index (``status = booked``)
  backs the row lock the booking service takes on the slot;
- an expert's slots never overlap and a seller never holds two active
  bookings at the same time: checked by the services under a row lock on the
  expert's profile and on the seller's user row.
"""

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from saypro.core.timezones import validate_time_zone

NOTE_MAX_LENGTH = 1000
PRIVATE_NOTES_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 500


class Topic(models.Model):
    """A subject sellers can book; loaded from the shipped content by slug."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    duration_minutes = models.PositiveSmallIntegerField()
    articles = models.JSONField(
        default=list, blank=True, help_text='Read first: [{"slug": ..., "title": ...}].'
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="Inactive topics cannot be booked.")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:topic", kwargs={"slug": self.slug})


class Expert(models.Model):
    """An office-staff member who takes consultations on some topics."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_expert"
    )
    bio = models.TextField(blank=True, max_length=2000)
    topics = models.ManyToManyField(Topic, related_name="experts", blank=True)
    time_zone = models.CharField(
        max_length=64, default=settings.TIME_ZONE, validators=[validate_time_zone]
    )
    meeting_link = models.URLField(help_text="The video room sellers join.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WeeklyAvailability(models.Model):
    """Every ``weekday`` from ``start_time`` to ``end_time`` (expert's zone), in slots."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="weekly")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()
    slot_minutes = models.PositiveSmallIntegerField(default=60)

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name_plural = "weekly availability"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="weekly_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class Slot(models.Model):
    """A bookable time of one expert; ``removed_at`` hides it (booked slots stay)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    pattern = models.ForeignKey(
        WeeklyAvailability, on_delete=models.SET_NULL, null=True, blank=True, related_name="slots"
    )
    created_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["expert", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at) / timedelta(minutes=1))


class Booking(models.Model):
    """A seller's booking of a slot; ``private_notes`` are for the expert only."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"
        RESCHEDULED = "rescheduled", "Moved to another time"
        COMPLETED = "completed", "Held"
        NO_SHOW = "no_show", "Seller did not come"

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultations"
    )
    store = models.ForeignKey(
        "catalog.Store", on_delete=models.CASCADE, related_name="consultations"
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="bookings")
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    meeting_link = models.URLField()
    private_notes = models.TextField(max_length=PRIVATE_NOTES_MAX_LENGTH, blank=True)
    rescheduled_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rescheduled_to"
    )
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the expert marked it held or a no-show."
    )
    reminded_day_before_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_before_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status="booked"),
                name="one_active_booking_per_slot",
            )
        ]
        indexes = [models.Index(fields=["seller", "status"])]

    def __str__(self) -> str:
        return f"{self.topic} with {self.slot.expert} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("consultations:booking", kwargs={"pk": self.pk})

    def survey_label(self) -> str:
        return f"About your consultation “{self.topic.title}”"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.BOOKED
