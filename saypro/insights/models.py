"""What the analysis of each review found, the theme taxonomy, and rising issues.

``ReviewAnalysis`` holds one review's result (sentiment, sentences with their
themes, suggestions, key phrases) and the model and taxonomy versions that
produced it, so ``saypro insights reanalyze`` knows what is stale. The
per-theme, per-suggestion and per-unthemed-complaint rows beside it
(``ThemeMention``, ``Suggestion``, ``Complaint``) exist so the seller pages
aggregate with indexed ``GROUP BY`` queries instead of reading JSON.

Rows are rewritten as a whole by ``services.analyze_reviews`` whenever the
review is published, edited or reanalysed. Whether a review counts is never
copied here: queries join ``review__status`` so a hidden review drops out of
every figure at once.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from saypro.catalog.models import Product, Store
from saypro.reviews.models import Review


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    NEUTRAL = "neutral", "Neutral"
    POSITIVE = "positive", "Positive"


class Theme(models.Model):
    """One entry of the taxonomy office staff edit; its phrases drive matching at once."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60, unique=True)
    description = models.CharField(max_length=300, blank=True)
    phrases = models.JSONField(default=list, help_text="Example phrases, matched as written.")
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ReviewAnalysis(models.Model):
    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, primary_key=True, related_name="analysis"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices)
    negative = models.FloatField()
    neutral = models.FloatField()
    positive = models.FloatField()
    sentences = models.JSONField(
        default=list,
        help_text='[{"start", "end", "sentiment", "themes": {slug: sentiment}, "suggestion"}]',
    )
    key_phrases = models.JSONField(default=list)
    model_version = models.CharField(max_length=40)
    taxonomy_version = models.CharField(max_length=40)
    analyzed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["product", "sentiment"]),
            models.Index(fields=["store", "sentiment"]),
            models.Index(fields=["model_version", "taxonomy_version"]),
        ]

    def __str__(self) -> str:
        return f"Review {self.review_id}: {self.sentiment}"


class ThemeMention(models.Model):
    """A review mentions a theme; ``sentiment`` is how it speaks of it (worst clause wins)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="theme_mentions")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="mentions")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices)
    sentence_indexes = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "theme"], name="one_mention_per_theme")
        ]
        indexes = [
            models.Index(fields=["product", "theme", "sentiment"]),
            models.Index(fields=["store", "theme", "sentiment"]),
        ]

    def __str__(self) -> str:
        return f"Review {self.review_id}: {self.theme_id} {self.sentiment}"


class Suggestion(models.Model):
    """A customer suggestion or feature request, grouped by ``key`` ("pockets")."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="suggestions")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    text = models.CharField(max_length=500)
    sentence_index = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["product", "key"]),
            models.Index(fields=["store", "key"]),
        ]

    def __str__(self) -> str:
        return self.text


class Complaint(models.Model):
    """A negative sentence that matched no theme: the raw material of emerging topics."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="complaints")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=500)
    sentence_index = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["product"]), models.Index(fields=["store"])]

    def __str__(self) -> str:
        return self.text


class RisingIssue(models.Model):
    """A theme or emerging topic whose negative mentions rose significantly on one product.

    Exactly one of ``theme`` and ``topic`` is set. While an issue is open or
    planned it is updated in place by each detection run; once dismissed or
    resolved a new rise opens a new issue.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PLANNED = "planned", "Plan started"
        DISMISSED = "dismissed", "Dismissed"
        RESOLVED = "resolved", "Resolved"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="rising_issues")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="rising_issues")
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="rising_issues"
    )
    topic = models.CharField(max_length=80, blank=True, help_text="Emerging topic label.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    baseline_start = models.DateTimeField()
    recent_count = models.PositiveIntegerField()
    recent_total = models.PositiveIntegerField()
    baseline_count = models.PositiveIntegerField()
    baseline_total = models.PositiveIntegerField()
    p_value = models.FloatField()
    evidence = models.JSONField(default=list, help_text="Ids of the recent reviews behind it.")
    detected_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-detected_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(theme__isnull=False) & Q(topic=""))
                | (Q(theme__isnull=True) & ~Q(topic="")),
                name="rising_issue_theme_xor_topic",
            ),
            models.UniqueConstraint(
                fields=["product", "theme"],
                condition=Q(status__in=["open", "planned"], theme__isnull=False),
                name="one_live_issue_per_theme",
            ),
            models.UniqueConstraint(
                fields=["product", "topic"],
                condition=Q(status__in=["open", "planned"], theme__isnull=True),
                name="one_live_issue_per_topic",
            ),
        ]
        indexes = [models.Index(fields=["store", "status"])]

    def __str__(self) -> str:
        return f"{self.subject} on {self.product}"

    @property
    def subject(self) -> str:
        return self.theme.name if self.theme_id else self.topic

    @property
    def recent_rate(self) -> float:
        return self.recent_count / self.recent_total if self.recent_total else 0.0

    @property
    def baseline_rate(self) -> float:
        return self.baseline_count / self.baseline_total if self.baseline_total else 0.0
