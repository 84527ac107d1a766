"""Buyer–store conversations, their messages, waits for an answer, and safety records.

A ``Conversation`` is between one buyer and one store (every member of the
store sees it), about the store in general, one product or one order:
``topic`` ("", "product:<id>", "order:<id>") makes that triple unique, so
"Ask the seller" always finds the same conversation.

Each person in a conversation has a ``Participant`` row: their unread count,
how far they have read, archive and mute. Store members get one when the
conversation starts and, lazily, when they join the store later.

A buyer message that finds no open ``Wait`` starts one, due
``MESSAGING_RESPONSE_GOAL_HOURS`` later; a store member's reply ends it
(``answered``) and "no response needed" ends it without counting against the
store. The conversation keeps the open wait's times for sorting the inbox.
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone

from saypro.catalog.models import Order, Product, Store

TEXT_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 500
MAX_CARDS = 6  # product cards in one message
# How long resolving a report may pause a buyer–store pair's messages (0: not at all).
PAUSE_DAYS = (0, 7, 30)


class Side(models.TextChoices):
    BUYER = "buyer", "Buyer"
    STORE = "store", "Store"


class Conversation(models.Model):
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="buyer_conversations"
    )
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="conversations")
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="conversations"
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="conversations"
    )
    topic = models.CharField(max_length=40, blank=True)
    started_by = models.CharField(max_length=5, choices=Side.choices, default=Side.BUYER)
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    last_message = models.ForeignKey(
        "Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message_count = models.PositiveIntegerField(default=0)
    # The open wait, if any (copied from it for sorting the inbox by urgency).
    waiting_since = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    first_response_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="From the first buyer message to the first store reply."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "store", "topic"], name="messaging_one_conversation_per_topic"
            )
        ]
        indexes = [models.Index(fields=["store", "-last_message_at"])]

    def __str__(self) -> str:
        return f"conversation {self.pk}: {self.buyer} and {self.store}"

    @property
    def subject_label(self) -> str:
        if self.order_id:
            return f"Order {self.order.number}"
        if self.product_id:
            return self.product.title
        return "General question"


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_states"
    )
    side = models.CharField(max_length=5, choices=Side.choices)
    unread = models.PositiveIntegerField(default=0)
    last_read_message_id = models.BigIntegerField(default=0)
    last_read_at = models.DateTimeField(null=True, blank=True)
    archived = models.BooleanField(default=False)
    muted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="messaging_one_state_per_person"
            )
        ]
        indexes = [models.Index(fields=["user", "archived"])]

    def __str__(self) -> str:
        return f"{self.user} in conversation {self.conversation_id}"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="messages_sent"
    )
    side = models.CharField(max_length=5, choices=Side.choices)
    text = models.TextField()
    # NULL, not "": many messages have no client_id, and NULLs never collide in the unique key.
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    fingerprint = models.CharField(
        max_length=64, help_text="Digest of text, attachments and cards: tells a retry apart."
    )
    quick_reply = models.ForeignKey(
        "QuickReply", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    contact_details = models.BooleanField(
        default=False, help_text="Contact details or links were found (and masked or confirmed)."
    )
    is_spam = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "client_id"], name="messaging_one_message_per_client_id"
            )
        ]
        indexes = [
            models.Index(fields=["conversation", "id"]),
            models.Index(fields=["sender", "fingerprint", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in conversation {self.conversation_id}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


def attachment_storage():
    """The private storage of attachments (``STORAGES["attachments"]``)."""
    return storages["attachments"]


class Attachment(models.Model):
    """An uploaded image or PDF; attached to a message when the message is sent."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        PDF = "pdf", "PDF"

    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, storage=attachment_storage)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class ProductCard(models.Model):
    """A product a store member recommended in a message; clicks counted."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="cards")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="message_cards")
    position = models.PositiveSmallIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["message", "product"], name="messaging_card_once")
        ]

    def __str__(self) -> str:
        return f"{self.product} in message {self.message_id}"


class Wait(models.Model):
    """A buyer waiting for the store: from the buyer message that started it to its end."""

    class Outcome(models.TextChoices):
        OPEN = "open", "Waiting"
        ANSWERED = "answered", "Answered"
        NO_RESPONSE_NEEDED = "no_response", "No response needed"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="waits")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    response_seconds = models.PositiveIntegerField(null=True, blank=True)
    reminded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the store was reminded that the due time is near."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation"],
                condition=Q(outcome="open"),
                name="messaging_one_open_wait",
            )
        ]
        indexes = [models.Index(fields=["outcome", "due_at"])]

    def __str__(self) -> str:
        return f"wait in conversation {self.conversation_id} ({self.outcome})"

    @property
    def on_time(self) -> bool | None:
        if self.outcome != self.Outcome.ANSWERED:
            return None
        return self.ended_at <= self.due_at


class QuickReply(models.Model):
    class Topic(models.TextChoices):
        AVAILABILITY = "availability", "Availability"
        SIZING = "sizing", "Sizing and fit"
        DELIVERY = "delivery", "Delivery time"
        RETURNS = "returns", "Returns and refunds"
        OTHER = "other", "Other"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="quick_replies")
    title = models.CharField(max_length=80)
    body = models.TextField(max_length=TEXT_MAX_LENGTH)
    topic = models.CharField(max_length=12, choices=Topic.choices, default=Topic.OTHER)
    usage_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["store", "title"], name="messaging_quick_reply_title")
        ]

    def __str__(self) -> str:
        return self.title


class Block(models.Model):
    """One side of a buyer–store pair refusing messages from the other, or the office
    stopping the pair's messages after a report (``until`` a time: it lifts itself)."""

    OFFICE = "office"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="blocks")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="store_blocks"
    )
    blocked_by = models.CharField(
        max_length=6, choices=[*Side.choices, (OFFICE, "Marketplace office")]
    )
    until = models.DateTimeField(
        null=True, blank=True, help_text="Empty: until the side that blocked unblocks."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "buyer", "blocked_by"], name="messaging_block_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.blocked_by} blocked ({self.buyer} / {self.store})"


class ConversationReport(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the spam check filed it.",
    )
    reason = models.CharField(max_length=REASON_MAX_LENGTH)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    messages_stopped_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when resolving it stopped the buyer's and the store's messages.",
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"report on conversation {self.conversation_id} ({self.status})"


class StaffAccess(models.Model):
    """Audit trail: office staff opened a conversation they are not part of."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="staff_accesses"
    )
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=REASON_MAX_LENGTH)
    accessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.staff} read conversation {self.conversation_id}"
