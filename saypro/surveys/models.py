"""Surveys: short questions asked after something happened, and the answers.

A ``Survey`` is one question (a 1–5 rating or a 0–10 "would you recommend"),
with an optional comment, fired by a ``Trigger``: a buyer–store conversation
that closed, or a periodic round of people active lately. Each person asked
gets an ``Invitation`` about a subject (the conversation, the round, later a
course or webinar), answered at most once by a ``Response``.

Invariants kept here: one invitation per survey, person and subject (a
person is never asked the same survey twice about the same thing), one
response per invitation. The caps that span rows (one open invitation per
person, a minimum gap between two invitations) are checked by
``services.invite`` under a lock on the person's row.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

TITLE_MAX_LENGTH = 120
QUESTION_MAX_LENGTH = 200
PROMPT_MAX_LENGTH = 200
COMMENT_MAX_LENGTH = 1000


class Trigger(models.TextChoices):
    """What makes a survey ask someone."""

    CONVERSATION_CLOSED = "conversation_closed", "After a conversation with a store closes"
    PERIODIC = "periodic", "Periodically, people active lately"
    COURSE_COMPLETED = "course_completed", "After a Seller Academy course is completed"
    WEBINAR_ATTENDED = "webinar_attended", "After attending a webinar or workshop"
    CONSULTATION_HELD = "consultation_held", "After a one-on-one consultation"


class Kind(models.TextChoices):
    RATING_5 = "rating_5", "Rating from 1 to 5"
    NPS_11 = "nps_11", "Likelihood to recommend, 0 to 10 (NPS)"


class Audience(models.TextChoices):
    BUYERS = "buyers", "Buyers"
    SELLERS = "sellers", "Sellers"
    BOTH = "both", "Buyers and sellers"


SCORES = {Kind.RATING_5: range(1, 6), Kind.NPS_11: range(0, 11)}
# Satisfied: 4–5 of 5, or a promoter (9–10 of 10). Detractors are 0–6, passives 7–8.
SATISFIED_FROM = {Kind.RATING_5: 4, Kind.NPS_11: 9}
PASSIVE_FROM = 7


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Survey(models.Model):
    title = models.CharField(max_length=TITLE_MAX_LENGTH, help_text="Seen by the office only.")
    question = models.CharField(max_length=QUESTION_MAX_LENGTH)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RATING_5)
    comment_prompt = models.CharField(
        max_length=PROMPT_MAX_LENGTH,
        blank=True,
        help_text="The invitation to add a comment; empty: no comment box.",
    )
    trigger = models.CharField(max_length=40, choices=Trigger.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.BUYERS)
    sample_percent = models.PositiveSmallIntegerField(
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The share of eligible people who are asked.",
    )
    period_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Periodic surveys: days between two rounds."
    )
    is_active = models.BooleanField(default=True)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["trigger", "is_active"])]

    def __str__(self) -> str:
        return self.title

    @property
    def scores(self) -> range:
        return SCORES[self.kind]

    def is_live(self, now) -> bool:
        return (
            self.is_active
            and self.starts_at <= now
            and (self.ends_at is None or now < self.ends_at)
        )


class Round(models.Model):
    """One round of a periodic survey: the people active in ``period_start``–``period_end``."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"round of {self.survey} on {self.period_end:%Y-%m-%d}"


class TriggerCheck(models.Model):
    """How far a trigger's periodic task has looked (e.g. conversations closed until then)."""

    trigger = models.CharField(max_length=40, choices=Trigger.choices, unique=True)
    checked_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.trigger} checked until {self.checked_until:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    token = models.CharField(max_length=32, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    shown_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user", "subject_type", "subject_id"],
                name="surveys_once_per_subject",
            )
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="surveys_invitation_recent"),
            models.Index(
                fields=["user", "expires_at"],
                condition=Q(answered_at__isnull=True, dismissed_at__isnull=True),
                name="surveys_invitation_open",
            ),
            models.Index(fields=["survey", "created_at"], name="surveys_invitation_survey"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} for user {self.user_id}"

    def is_open(self, now) -> bool:
        return self.answered_at is None and self.dismissed_at is None and now < self.expires_at


class Response(models.Model):
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="response")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_LENGTH)
    sentiment = models.CharField(
        max_length=10, blank=True, help_text="Of the comment (insights analyzer); empty until then."
    )
    probabilities = models.JSONField(
        default=dict, blank=True, help_text="{negative, neutral, positive} of the comment."
    )
    analyzed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["survey", "created_at"], name="surveys_response_survey")]

    def __str__(self) -> str:
        return f"{self.score} to {self.survey}"

    @property
    def is_satisfied(self) -> bool:
        return self.score >= SATISFIED_FROM[self.survey.kind]
