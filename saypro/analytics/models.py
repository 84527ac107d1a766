"""KPI rollups (additive counters per store / category / marketplace per local day) and targets.

``StoreDay`` holds, for one store and one marketplace-local day, only numbers
that add up: counts, sums and a sparse histogram of first-response minutes.
Any period or filter is then a SUM over its days. ``CategoryDay`` and
``MarketplaceDay`` are the same counters summed over the stores of a category
/ over every store, kept by the difference whenever a store-day is recomputed,
so the office dashboard reads ~90 rows per quarter, not one per store and day.

``DirtyStoreDay`` is the queue of store-days a domain change made stale
(written in the change's own transaction); ``RebuildState`` remembers how far
``saypro analytics rebuild`` got. ``Target`` is append-only: the latest row per
quarter and KPI wins.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from saypro.catalog.models import Category, Store

# The additive counters (numerators, denominators, sums) every rollup row carries.
COUNTER_FIELDS = (
    "messages",
    "conversations",
    "conversations_by_buyer",
    "conversation_messages",
    "inquiries_replied",
    "inquiries_replied_purchased",
    "conversations_purchased",
    "card_conversations",
    "card_conversations_purchased",
    "waits_decided_24h",
    "waits_within_24h",
    "waits_decided_48h",
    "waits_abandoned",
    "waits_answered",
    "reviews",
    "rating_sum",
    "rating_square_sum",
    "reviews_negative",
    "reviews_due",
    "reviews_answered_48h",
    "negative_reviews_due",
    "negative_reviews_answered_48h",
    "coach_answers",
    "coach_score_sum",
    "coach_score_square_sum",
    "plans_started",
    "plans_shipped",
    "plans_from_feedback_shipped",
    "plans_measured_positive",
)
# Per store only (StoreDay, StoreQuarter): what makes the store's members "active sellers" for
# the education KPIs. Orders placed (any status, imported too) and buyer messages (spam too),
# as ``surveys.selectors.active_people`` counts them. Not summed into categories or the
# marketplace, and not a KPI: a store-day holding only these has no KPI figures.
ACTIVITY_FIELDS = ("orders", "buyer_messages")
STORE_FIELDS = COUNTER_FIELDS + ACTIVITY_FIELDS


class Counters(models.Model):
    messages = models.PositiveIntegerField(default=0)
    conversations = models.PositiveIntegerField(default=0)
    conversations_by_buyer = models.PositiveIntegerField(default=0)
    conversation_messages = models.PositiveIntegerField(default=0)
    inquiries_replied = models.PositiveIntegerField(default=0)
    inquiries_replied_purchased = models.PositiveIntegerField(default=0)
    conversations_purchased = models.PositiveIntegerField(default=0)
    card_conversations = models.PositiveIntegerField(default=0)
    card_conversations_purchased = models.PositiveIntegerField(default=0)
    waits_decided_24h = models.PositiveIntegerField(default=0)
    waits_within_24h = models.PositiveIntegerField(default=0)
    waits_decided_48h = models.PositiveIntegerField(default=0)
    waits_abandoned = models.PositiveIntegerField(default=0)
    waits_answered = models.PositiveIntegerField(default=0)
    reviews = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_square_sum = models.PositiveIntegerField(default=0)
    reviews_negative = models.PositiveIntegerField(default=0)
    reviews_due = models.PositiveIntegerField(default=0)
    reviews_answered_48h = models.PositiveIntegerField(default=0)
    negative_reviews_due = models.PositiveIntegerField(default=0)
    negative_reviews_answered_48h = models.PositiveIntegerField(default=0)
    coach_answers = models.PositiveIntegerField(default=0)
    coach_score_sum = models.PositiveIntegerField(default=0)
    coach_score_square_sum = models.PositiveIntegerField(default=0)
    plans_started = models.PositiveIntegerField(default=0)
    plans_shipped = models.PositiveIntegerField(default=0)
    plans_from_feedback_shipped = models.PositiveIntegerField(default=0)
    plans_measured_positive = models.PositiveIntegerField(default=0)
    # First-response times of the waits answered, as {"<bucket index>": count}; see histogram.py.
    response_histogram = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def counters(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTER_FIELDS}


class StoreCounters(Counters):
    orders = models.PositiveIntegerField(default=0)
    buyer_messages = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def counters(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in STORE_FIELDS}

    def counts_activity(self) -> bool:
        """Whether the store's members are active sellers by this row (ACTIVITY_FIELDS)."""
        return self.orders > 0 or self.buyer_messages > 0


class StoreDay(StoreCounters):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    # The store's main department when this row was computed (see rollups.store_category).
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "day"], name="analytics_one_row_per_store_day")
        ]
        indexes = [
            models.Index(fields=["day", "store"]),
            models.Index(fields=["category", "day"]),
        ]

    def __str__(self) -> str:
        return f"store {self.store_id} on {self.day}"


class StoreQuarter(StoreCounters):
    """A store's counters and histogram summed over a quarter's days (``quarter`` is its first
    day), kept by the same difference as ``CategoryDay``: the store rankings, the marketplace
    medians and the active sellers read ~one row per store, not one per store and day. The
    percentile KPIs' per-store values are kept on the row (nearest-rank minutes, see
    histogram.py), so no histogram is parsed per request."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    quarter = models.DateField()
    response_p50_minutes = models.IntegerField(null=True, blank=True)
    response_p90_minutes = models.IntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "quarter"], name="analytics_one_row_per_store_quarter"
            )
        ]
        indexes = [models.Index(fields=["quarter", "store"])]

    def __str__(self) -> str:
        return f"store {self.store_id} in the quarter from {self.quarter}"


class ActiveSeller(models.Model):
    """A person who is an active seller in a quarter (``quarter`` is its first day): an active,
    non-staff member of a store whose ``StoreQuarter`` row counts an order or a buyer message
    (``surveys.selectors.active_people``'s definition over the whole quarter). Kept by
    ``rollups.refresh_active_sellers`` whenever a store's quarter turns active or idle, a
    membership comes or goes, or a person's active or staff flag changes, so the office
    dashboard counts one index range per quarter instead of joining every active store's
    members (~65 ms at 50,000 stores on PostgreSQL)."""

    quarter = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quarter", "user"], name="analytics_one_active_seller")
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} active in the quarter from {self.quarter}"


class MarketplaceMedian(models.Model):
    """The median store's value of each rollup KPI over a quarter (stores with at least
    ``selectors.MIN_DENOMINATOR`` in the denominator), and its top and bottom stores,
    recomputed from ``StoreQuarter`` whenever a refresh or rebuild changed the quarter: the
    scorecard reads 8 rows, the rankings one each, not 50,000. ``median`` is None when no
    store qualifies."""

    quarter = models.DateField()
    kpi = models.CharField(max_length=40)
    median = models.FloatField(null=True, blank=True)
    stores = models.PositiveIntegerField(default=0)
    # The top and bottom stores (selectors.KEPT_RANKS) in store_ranking's order, each as
    # [store id, value, numerator, denominator]: the dashboard's rankings read this row.
    best = models.JSONField(default=list, blank=True)
    worst = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quarter", "kpi"], name="analytics_one_median")
        ]

    def __str__(self) -> str:
        return f"median {self.kpi} in the quarter from {self.quarter}: {self.median}"


class CategoryDay(Counters):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    # The histogram packed (histogram.pack), what the dashboards read; b"" until computed.
    response_blob = models.BinaryField(default=b"", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category", "day"], name="analytics_one_row_per_category_day"
            )
        ]

    def __str__(self) -> str:
        return f"category {self.category_id} on {self.day}"


class MarketplaceDay(Counters):
    day = models.DateField(unique=True)
    # As CategoryDay's.
    response_blob = models.BinaryField(default=b"", blank=True)

    def __str__(self) -> str:
        return f"marketplace on {self.day}"


class DirtyStoreDay(models.Model):
    store_id = models.BigIntegerField()
    day = models.DateField()
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store_id", "day"], name="analytics_dirty_once")
        ]

    def __str__(self) -> str:
        return f"store {self.store_id} on {self.day} (stale)"


class RebuildState(models.Model):
    """The one row of ``saypro analytics rebuild``'s progress."""

    started_at = models.DateTimeField(default=timezone.now)
    from_day = models.DateField()
    to_day = models.DateField()
    last_finished_day = models.DateField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"rebuild {self.from_day}–{self.to_day} (done to {self.last_finished_day})"


class Target(models.Model):
    """One setting of a KPI's target for a quarter; the latest per quarter and KPI wins."""

    quarter = models.CharField(max_length=7, help_text='Like "2026-Q4".')
    kpi = models.CharField(max_length=40)
    value = models.FloatField(
        help_text="A level in the KPI's unit, or for change targets the % change wanted."
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["kpi", "quarter", "-set_at"])]

    def __str__(self) -> str:
        return f"{self.kpi} {self.quarter}: {self.value}"


class Cursor(models.Model):
    """A named instant a periodic job has handled everything up to (e.g. "aging")."""

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at}"


class ReportEmail(models.Model):
    """The monthly report was emailed to the office: one row per month, so it goes out once."""

    month = models.CharField(max_length=7, unique=True, help_text='Like "2027-01".')
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"report {self.month} sent to {self.recipients}"
