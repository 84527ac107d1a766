"""Webinars and workshops: monthly series, their sessions, and who registered.

Times are stored in UTC (``Session.starts_at``). A series stores its rule in
local terms (the n-th weekday of each month at a wall-clock time in a named
time zone), so every generated session keeps that wall-clock time across
daylight-saving changes. A registration's place on the waiting list is its
``created_at`` (then its id); seats are counted from the registrations, never
stored, and every change to them holds the session's row lock.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse

DURATION_MINUTES = (15, 480)


class Format(models.TextChoices):
    WEBINAR = "webinar", "Webinar"
    WORKSHOP = "workshop", "Workshop"


class Series(models.Model):
    """Monthly recurring sessions: the ``week_of_month``-th ``weekday`` at ``local_time``.

    ``week_of_month`` is 1–4, or -1 for the last such weekday of the month;
    ``weekday`` is 0 (Monday) – 6 (Sunday). Sessions are generated
    ``WEBINARS_SERIES_MONTHS_AHEAD`` months ahead (``services.extend_series``).
    """

    description_slug = models.SlugField(blank=True, help_text="The shipped description used.")
    title = models.CharField(max_length=200)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.WEBINAR)
    summary = models.TextField()
    agenda = models.JSONField(default=list, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_series"
    )
    host_name = models.CharField(max_length=120, blank=True)
    host_role = models.CharField(max_length=160, blank=True)
    duration_minutes = models.PositiveIntegerField()
    capacity = models.PositiveIntegerField()
    join_url = models.URLField(blank=True)
    weekday = models.PositiveSmallIntegerField()
    week_of_month = models.SmallIntegerField()
    local_time = models.TimeField()
    time_zone = models.CharField(max_length=64)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    @property
    def rule_text(self) -> str:
        ordinal = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
        day = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        return (
            f"{ordinal[self.week_of_month].capitalize()} {day[self.weekday]} of each month "
            f"at {self.local_time:%H:%M} {self.time_zone}"
        )


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    description_slug = models.SlugField(blank=True)
    title = models.CharField(max_length=200)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.WEBINAR)
    summary = models.TextField()
    agenda = models.JSONField(default=list, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_sessions"
    )
    host_name = models.CharField(max_length=120, blank=True, help_text="Shown as the presenter.")
    host_role = models.CharField(max_length=160, blank=True)
    starts_at = models.DateTimeField(db_index=True)
    duration_minutes = models.PositiveIntegerField()
    capacity = models.PositiveIntegerField()
    join_url = models.URLField(blank=True)
    recording_url = models.URLField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "starts_at"], name="one_session_per_slot"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("webinars:session", args=[self.pk])

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def presenter(self) -> str:
        return self.host_name or self.host.get_full_name() or self.host.email

    def survey_label(self) -> str:
        return f"About the {self.get_format_display().lower()} “{self.title}”"


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered"
        WAITLISTED = "waitlisted", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webinar_registrations"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(help_text="Also the place on the waiting list.")
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True, help_text="Unknown until marked.")
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    reminded_day_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_registration_per_person"),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED
