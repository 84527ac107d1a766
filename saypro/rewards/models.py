"""Points, badges and rewards.

Points are an append-only ledger: every earning and every redemption is one
``PointsEntry`` row, never changed or deleted, and a person's balance is the
sum of their rows (``selectors.balance``). ``EarningRule`` rows say how many
points each kind of deed is worth and how many a person may earn from it per
day; the office edits them. A rule and its source object (the store, review
or wait the points are for) are unique per person, so nothing pays twice.

A ``Badge`` is a rule over a window of time (a share of answers on time, a
number of helpful votes) with thresholds the office edits; its ``kind`` names
the measure in ``badge_rules.KINDS``. ``BadgeAward`` rows are the history:
a current award has no ``lost_at``; losing a badge closes the row, earning it
again opens a new one.

A ``Reward`` is what points buy (a discount code); a ``Redemption`` is one
purchase, tied one-to-one to the negative ledger entry that paid for it.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from saypro.catalog.models import Store
from saypro.rewards.badge_rules import KINDS

NOTE_MAX_LENGTH = 200


class AppendOnlyError(Exception):
    """A ledger row was about to be changed or deleted: the ledger only grows."""


class PointsEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Points entries are never changed; add a correcting entry.")

    def delete(self):
        raise AppendOnlyError("Points entries are never deleted; add a correcting entry.")


class EarningRule(models.Model):
    """How many points one kind of deed earns, and the most a person earns from it per day."""

    class Audience(models.TextChoices):
        BUYER = "buyer", "Buyers"
        SELLER = "seller", "Store members"

    code = models.SlugField(max_length=40, unique=True, help_text="Used by the code; not editable.")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300)
    audience = models.CharField(max_length=6, choices=Audience.choices)
    points = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    daily_cap = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Most points one person earns from this rule per day (empty: no cap).",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["audience", "name"]

    def __str__(self) -> str:
        return self.name


class PointsEntry(models.Model):
    """One line of a person's points ledger: positive when earned, negative when redeemed."""

    class Reason(models.TextChoices):
        EARNED = "earned", "Earned"
        REDEEMED = "redeemed", "Redeemed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="points_entries"
    )
    points = models.IntegerField()
    reason = models.CharField(max_length=10, choices=Reason.choices)
    rule = models.ForeignKey(
        EarningRule, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    note = models.CharField(max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PointsEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "points entries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "rule", "source_type", "source_id"],
                condition=Q(rule__isnull=False),
                name="rewards_points_once_per_source",
            ),
            models.CheckConstraint(condition=~Q(points=0), name="rewards_points_not_zero"),
        ]
        indexes = [models.Index(fields=["user", "rule", "created_at"])]

    def __str__(self) -> str:
        return f"{self.points:+d} for {self.user_id}: {self.note}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Points entries are never changed; add a correcting entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Points entries are never deleted; add a correcting entry.")


class Badge(models.Model):
    """A badge and its thresholds; ``kind`` names how it is measured (``badge_rules.KINDS``)."""

    class Audience(models.TextChoices):
        STORE = "store", "Stores"
        BUYER = "buyer", "Buyers"
        SELLER = "seller", "Each seller"

    class Colour(models.TextChoices):
        TEAL = "teal", "Teal"
        GOLD = "gold", "Gold"
        GREEN = "green", "Green"
        PLUM = "plum", "Plum"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=300, help_text="What it takes, shown to everyone.")
    audience = models.CharField(max_length=6, choices=Audience.choices)
    kind = models.CharField(max_length=40, help_text="The measure, from the badge rule registry.")
    min_rate = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Least share (0–1) that earns the badge; empty for count-only kinds.",
    )
    min_count = models.PositiveIntegerField(
        default=1, help_text="Least number of cases in the window (messages, reviews, votes)."
    )
    window_days = models.PositiveIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    icon = models.CharField(max_length=8, help_text="One emoji.")
    colour = models.CharField(max_length=5, choices=Colour.choices, default=Colour.TEAL)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["audience", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def requirement(self) -> str:
        """What it takes, from the current thresholds (``badge_rules.KINDS``)."""
        kind = KINDS.get(self.kind)
        if kind is None:
            return ""
        rate = f"{float(self.min_rate):.0%}" if self.min_rate is not None else ""
        return kind.requirement.format(rate=rate, count=self.min_count, days=self.window_days)

    def clean(self) -> None:
        kind = KINDS.get(self.kind)
        if kind is None:
            raise ValidationError({"kind": f"Choose one of: {', '.join(sorted(KINDS))}."})
        if kind.audience != self.audience:
            raise ValidationError({"audience": f"“{self.kind}” measures {kind.audience}s."})
        if kind.uses_rate and self.min_rate is None:
            raise ValidationError({"min_rate": "This kind of badge needs a least share."})


class BadgeAward(models.Model):
    """A badge held by a store or a buyer from ``earned_at`` until ``lost_at`` (open: held)."""

    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, null=True, blank=True, related_name="badge_awards"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="badge_awards",
    )
    earned_at = models.DateTimeField()
    lost_at = models.DateTimeField(null=True, blank=True)
    rate = models.FloatField(null=True, blank=True, help_text="The share measured when earned.")
    count = models.PositiveIntegerField(help_text="The number of cases measured when earned.")

    class Meta:
        ordering = ["-earned_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(store__isnull=True) ^ Q(user__isnull=True),
                name="rewards_award_store_or_user",
            ),
            models.UniqueConstraint(
                fields=["badge", "store"],
                condition=Q(lost_at__isnull=True, store__isnull=False),
                name="rewards_one_current_store_award",
            ),
            models.UniqueConstraint(
                fields=["badge", "user"],
                condition=Q(lost_at__isnull=True, user__isnull=False),
                name="rewards_one_current_user_award",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.badge} for {self.store or self.user}"

    @property
    def is_current(self) -> bool:
        return self.lost_at is None


class Reward(models.Model):
    """Something points buy, defined by the office: today a discount code."""

    class Kind(models.TextChoices):
        DISCOUNT_CODE = "discount_code", "Discount code"

    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DISCOUNT_CODE)
    cost = models.PositiveIntegerField(validators=[MinValueValidator(1)], help_text="In points.")
    percent_off = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    amount_off = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="In rand.",
    )
    stock = models.PositiveIntegerField(
        null=True, blank=True, help_text="Codes left to issue (empty: unlimited)."
    )
    valid_days = models.PositiveIntegerField(
        default=90,
        validators=[MinValueValidator(1)],
        help_text="How long an issued code can be used.",
    )
    is_active = models.BooleanField(default=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cost", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_off__isnull=True) ^ Q(amount_off__isnull=True),
                name="rewards_reward_one_discount",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (self.percent_off is None) == (self.amount_off is None):
            raise ValidationError("Give either a percentage or an amount off, not both.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The end must come after the start."})

    @property
    def discount_label(self) -> str:
        if self.percent_off is not None:
            return f"{self.percent_off}% off"
        return f"R{self.amount_off:,.2f} off"


class Redemption(models.Model):
    """A reward bought with points: the code issued and the ledger entry that paid for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="redemptions"
    )
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    entry = models.OneToOneField(PointsEntry, on_delete=models.PROTECT, related_name="redemption")
    code = models.CharField(max_length=20, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(
        null=True, blank=True, help_text="Set by checkout when the code is applied to an order."
    )

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} ({self.reward})"
