"""In-app prompts and guided tutorials, each one measured.

A ``Prompt`` is a short card shown at one placement (the product page, the
Seller Center inbox…) to the people its audience rules select, at most
``max_shows`` times per ``per_days`` days per person and never again once
they dismissed it, between ``starts_at`` and ``ends_at``. The office writes
them in the product; built-in prompts are rows too, told apart by ``code``,
and their text gets real figures (a store's response time, the buyers
waiting). Every showing, click and dismissal is a ``PromptEvent``; whether a
click was followed by a message is read from messaging, not stored.

A ``TutorialProgress`` records one person's walk through one guided tour
(the tours themselves are defined in code, ``tutorials.py``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from saypro.catalog.models import Product, Store


class Placement(models.TextChoices):
    PRODUCT_PAGE = "product_page", "Product page"
    ORDER_PAGE = "order_page", "Order page"
    BUYER_MESSAGES = "buyer_messages", "Buyer’s Messages"
    SELLER_INBOX = "seller_inbox", "Seller Center inbox"
    SELLER_DASHBOARD = "seller_dashboard", "Seller Center home"
    REVIEW_POSTED = "review_posted", "After a review is posted"


SELLER_PLACEMENTS = frozenset({Placement.SELLER_INBOX, Placement.SELLER_DASHBOARD})


class Audience(models.TextChoices):
    SIGNED_IN = "signed_in", "Anyone signed in"
    BUYERS = "buyers", "Buyers (people without a store)"
    SELLERS = "sellers", "Sellers (store owners and agents)"


class Prompt(models.Model):
    code = models.CharField(
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Set on built-in prompts only; their text gets real figures.",
    )
    name = models.CharField(max_length=80, help_text="For the office; people never see it.")
    placement = models.CharField(max_length=20, choices=Placement.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.SIGNED_IN)
    joined_within_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Only accounts created within this many days."
    )
    only_never_messaged = models.BooleanField(
        default=False, help_text="Only people who have never sent a message."
    )
    only_with_buyers_waiting = models.BooleanField(
        default=False, help_text="Only sellers whose store has buyers waiting for an answer."
    )
    title = models.CharField(max_length=120)
    text = models.CharField(max_length=300, blank=True)
    cta_label = models.CharField("call to action", max_length=40)
    cta_link = models.CharField("call-to-action link", max_length=300)
    max_shows = models.PositiveSmallIntegerField(default=3)
    per_days = models.PositiveSmallIntegerField(default=7)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    priority = models.PositiveSmallIntegerField(
        default=50, help_text="Higher first when several prompts fit one placement."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["placement", "-priority", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="engagement_prompt_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(max_shows__gte=1) & Q(per_days__gte=1),
                name="engagement_prompt_cap_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_built_in(self) -> bool:
        return bool(self.code)


class PromptEvent(models.Model):
    class Kind(models.TextChoices):
        SHOWN = "shown", "Shown"
        CLICKED = "clicked", "Clicked"
        DISMISSED = "dismissed", "Dismissed"

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prompt_events"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    store = models.ForeignKey(
        Store, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["prompt", "user", "kind", "at"], name="prompt_event_person"),
            models.Index(fields=["at", "kind"], name="prompt_event_period"),
        ]
        constraints = [
            # A prompt is dismissed once per person, however many requests race to do it.
            models.UniqueConstraint(
                fields=["prompt", "user"],
                condition=models.Q(kind="dismissed"),
                name="prompt_dismissed_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.prompt_id} {self.kind} by user {self.user_id}"


class TutorialProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tutorial_progress"
    )
    tutorial = models.CharField(max_length=40)
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text="The first time the person reached the last step."
    )
    skipped_at = models.DateTimeField(
        null=True, blank=True, help_text="Skipped before ever completing it."
    )
    last_step = models.PositiveSmallIntegerField(
        default=1, help_text="The furthest step seen (1 is the first)."
    )
    replays = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "tutorial progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "tutorial"], name="engagement_tutorial_once")
        ]

    def __str__(self) -> str:
        return f"{self.tutorial} for user {self.user_id}"
