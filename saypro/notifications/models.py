"""Notifications: what each person is told, how (their preferences), and the emails sent.

A ``Notification`` is one line in a person's notification centre. It points at
its subject (a conversation, a review, a rising issue…) through a content type
and object id, so any app can notify without this app importing it. Several
notifications with the same ``coalesce_key`` within a few minutes become one
(``count`` says how many), so a burst of messages is one line, not ten.

How a person hears about each type is their ``Preference`` (type × channel),
else the office's ``DefaultPreference``, else ``BUILT_IN_DEFAULTS``. Every email
is an ``EmailDelivery`` row first, sent by a task; failures are recorded there
and retried, so none is lost silently.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from saypro.core.timezones import validate_time_zone

TEXT_MAX_LENGTH = 200


class NotificationType(models.TextChoices):
    MESSAGE_NEW = "message.new", "New message"
    MESSAGE_WAITING = "message.waiting", "A buyer is waiting for your answer"
    REVIEW_NEW = "review.new", "New review of your store"
    REVIEW_ANSWER_DUE = "review.answer_due", "Review answer due within 12 hours"
    REVIEW_OVERDUE = "review.overdue", "Review answer overdue"
    REVIEW_ANSWERED = "review.answered", "Your review was answered"
    RISING_ISSUE = "insights.rising_issue", "Rising issue found"
    COURSE_REMINDER = "academy.course_reminder", "Course reminder"
    WEBINAR_REMINDER = "academy.webinar_reminder", "Webinar reminder"
    CONSULTATION_REMINDER = "academy.consultation_reminder", "Consultation reminder"
    SUPPORT_TICKET_UPDATE = "support.ticket_update", "Support ticket update"
    BADGE_EARNED = "engagement.badge_earned", "Badge earned"
    CAMPAIGN_MESSAGE = "engagement.campaign", "Marketplace news and campaigns"
    ORDER_STATUS = "order.status", "Order updates"


# What only a store's team or the office hears about (answers due, rising issues, the
# Seller Academy, support tickets): not offered in a buyer's settings.
TEAM_TYPES = frozenset(
    {
        NotificationType.MESSAGE_WAITING,
        NotificationType.REVIEW_NEW,
        NotificationType.REVIEW_ANSWER_DUE,
        NotificationType.REVIEW_OVERDUE,
        NotificationType.RISING_ISSUE,
        NotificationType.COURSE_REMINDER,
        NotificationType.WEBINAR_REMINDER,
        NotificationType.CONSULTATION_REMINDER,
        NotificationType.SUPPORT_TICKET_UPDATE,
    }
)


class Channel(models.TextChoices):
    IN_APP = "in_app", "In-app only"
    TOAST = "toast", "In-app + live pop-up"
    EMAIL = "email", "Email now + in-app"
    DIGEST = "digest", "Email digest + in-app"
    OFF = "off", "Off"


EMAIL_CHANNELS = frozenset({Channel.EMAIL, Channel.DIGEST})

# Quiet by default: only what needs a person soon is pushed (a new message pops up,
# deadlines, answers to one's own review and order updates are emailed); the rest waits
# in-app.
BUILT_IN_DEFAULTS: dict[str, str] = {
    NotificationType.MESSAGE_NEW: Channel.TOAST,
    NotificationType.MESSAGE_WAITING: Channel.EMAIL,
    NotificationType.REVIEW_NEW: Channel.IN_APP,
    NotificationType.REVIEW_ANSWER_DUE: Channel.EMAIL,
    NotificationType.REVIEW_OVERDUE: Channel.EMAIL,
    NotificationType.REVIEW_ANSWERED: Channel.EMAIL,
    NotificationType.RISING_ISSUE: Channel.EMAIL,
    NotificationType.COURSE_REMINDER: Channel.EMAIL,
    NotificationType.WEBINAR_REMINDER: Channel.EMAIL,
    NotificationType.CONSULTATION_REMINDER: Channel.EMAIL,
    NotificationType.SUPPORT_TICKET_UPDATE: Channel.EMAIL,
    NotificationType.BADGE_EARNED: Channel.IN_APP,
    NotificationType.CAMPAIGN_MESSAGE: Channel.DIGEST,
    NotificationType.ORDER_STATUS: Channel.EMAIL,
}


class DigestFrequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    type = models.CharField(max_length=40, choices=NotificationType.choices)
    channel = models.CharField(
        max_length=10, choices=Channel.choices, help_text="The channel it was sent on."
    )
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    text = models.CharField(max_length=TEXT_MAX_LENGTH)
    link = models.CharField(max_length=300, help_text="A site path, e.g. /messages/12/.")
    count = models.PositiveIntegerField(default=1, help_text="How many were coalesced into it.")
    coalesce_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        "EmailDelivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digest_items",
        help_text="The digest email that carried it (digest channel).",
    )

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-updated_at"], name="notification_recent"),
            models.Index(
                fields=["recipient", "coalesce_key"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_key",
            ),
            models.Index(
                fields=["channel", "recipient"],
                condition=models.Q(read_at__isnull=True, digest__isnull=True),
                name="notification_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} for user {self.recipient_id}: {self.text}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationSettings(models.Model):
    """A person's time zone, quiet hours and digest frequency (defaults when absent)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
    )
    time_zone = models.CharField(
        max_length=64, default=settings.TIME_ZONE, validators=[validate_time_zone]
    )
    quiet_hours_start = models.TimeField(
        null=True, blank=True, help_text="Local time; emails wait until the end."
    )
    quiet_hours_end = models.TimeField(null=True, blank=True)
    digest_frequency = models.CharField(
        max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.DAILY
    )

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"notification settings of user {self.user_id}"


class Preference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    type = models.CharField(max_length=40, choices=NotificationType.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "type"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.type} → {self.channel} for user {self.user_id}"


class DefaultPreference(models.Model):
    """The office's default channel for a type; people who chose nothing get it."""

    type = models.CharField(max_length=40, choices=NotificationType.choices, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        ordering = ["type"]

    def __str__(self) -> str:
        return f"default {self.type} → {self.channel}"


class EmailDelivery(models.Model):
    """One email to send: a single notification, or a digest of several."""

    class Kind(models.TextChoices):
        NOTIFICATION = "notification", "Notification"
        DIGEST = "digest", "Digest"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Nothing to send"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_deliveries"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    send_after = models.DateTimeField(
        default=timezone.now, help_text="Not before: the end of the person's quiet hours."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "email deliveries"
        indexes = [models.Index(fields=["status", "send_after"], name="email_delivery_due")]

    def __str__(self) -> str:
        return f"{self.kind} email {self.pk} to user {self.recipient_id} ({self.status})"
