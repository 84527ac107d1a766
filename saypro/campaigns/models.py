"""Campaigns: a message to a segment of members, with A/B variants, a holdout and measured lift.

A ``Segment`` is a named set of rules (``segments.CRITERIA``) evaluated at any
time into the people who match. A ``Campaign`` sends one or two ``Variant``s
of a message to a segment on one channel. When it is sent the audience is
frozen: each person matching the segment then gets a ``CampaignMember`` row,
assigned to variant A, variant B or the holdout by a deterministic hash
(``assignment``). The holdout gets nothing; comparing its messaging activity
with the treated members' over the following ``LIFT_WINDOW`` is the lift.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

LIFT_WINDOW = timedelta(days=14)
HOLDOUT_PERCENT_DEFAULT = 10
HOLDOUT_PERCENT_MAX = 50


class Segment(models.Model):
    """Who a campaign is for: rules by criterion key (validated by ``segments.clean_rules``)."""

    name = models.CharField(max_length=120)
    rules = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    class Channel(models.TextChoices):
        BANNER = "in_app_banner", "In-app banner"
        NOTIFICATION = "notification", "Notification"
        EMAIL = "email", "Email"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    name = models.CharField(max_length=120)
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="campaigns")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    holdout_percent = models.PositiveSmallIntegerField(
        default=HOLDOUT_PERCENT_DEFAULT,
        validators=[MinValueValidator(0), MaxValueValidator(HOLDOUT_PERCENT_MAX)],
        help_text="Share of the audience that gets nothing, to measure the lift against.",
    )
    send_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "send_at"], name="campaign_due")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)

    @property
    def measured_until(self):
        return self.sent_at + LIFT_WINDOW if self.sent_at else None


class Variant(models.Model):
    """One version of the message; with two, ``weight`` splits the treated members."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="variants")
    label = models.CharField(max_length=1, choices=[("A", "A"), ("B", "B")])
    title = models.CharField(max_length=120)
    body = models.TextField(help_text="Markdown.")
    cta_label = models.CharField(max_length=40)
    cta_path = models.CharField(max_length=300, help_text="A site path, e.g. /seller/.")
    weight = models.PositiveSmallIntegerField(
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Percent of the treated members who get this variant.",
    )

    class Meta:
        ordering = ["campaign", "label"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "label"], name="campaign_variant_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.label}"


class CampaignMember(models.Model):
    """One person of a sent campaign's frozen audience, and what happened with the message."""

    class Group(models.TextChoices):
        A = "A", "Variant A"
        B = "B", "Variant B"
        HOLDOUT = "holdout", "Holdout"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_memberships"
    )
    group = models.CharField(max_length=8, choices=Group.choices)
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="campaign_member_once")
        ]
        indexes = [models.Index(fields=["user", "dismissed_at"], name="campaign_member_banner")]

    def __str__(self) -> str:
        return f"user {self.user_id} in campaign {self.campaign_id} ({self.group})"
