"""Improvement action plans: what a store will change because of its reviews, and whether it helped.

A ``Plan`` is for one product of one store. It may come from customer
feedback — a rising issue, a theme, a suggestion key (any combination) — and
then counts towards the "improvements from feedback" KPI once it ships. Its
``evidence`` are the reviews behind the problem statement.

Status moves only along ``Plan.TRANSITIONS`` (proposed → in progress →
shipped → measured), through ``services.change_status`` and
``services.measure_plan``; ``shipped_at`` is the instant the change reached
buyers and splits reviews into "before" and "after" for the impact.
``impact`` is the snapshot the measurement stored when the plan became
``measured``: later reviews never rewrite it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from saypro.catalog.models import Product, Store
from saypro.insights.models import RisingIssue, Theme
from saypro.reviews.models import Review

TITLE_MAX_LENGTH = 160
PROBLEM_MAX_LENGTH = 3000
STEP_MAX_LENGTH = 500
SUGGESTION_KEY_MAX_LENGTH = 80
MAX_STEPS = 20


class Plan(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        IN_PROGRESS = "in_progress", "In progress"
        SHIPPED = "shipped", "Shipped"
        MEASURED = "measured", "Measured"

    # status -> the statuses it may move to. ``measured`` is reached only by a
    # successful measurement (services.measure_plan), never set by hand.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.PROPOSED: (Status.IN_PROGRESS,),
        Status.IN_PROGRESS: (Status.PROPOSED, Status.SHIPPED),
        Status.SHIPPED: (Status.MEASURED,),
        Status.MEASURED: (),
    }

    class Template(models.TextChoices):
        RECURRING_DEFECT = "recurring_defect", "Fix a recurring defect"
        CLARIFY_LISTING = "clarify_listing", "Clarify the listing"
        CHANGE_SIZING = "change_sizing", "Change sizing"
        PACKAGING_DELIVERY = "packaging_delivery", "Packaging or delivery change"
        REQUESTED_FEATURE = "requested_feature", "Add a requested feature"

    class Metric(models.TextChoices):
        NEGATIVE_SHARE = "negative_share", "Share of reviews complaining about the theme (%)"
        AVERAGE_RATING = "average_rating", "Average rating (stars)"

    class Verdict(models.TextChoices):
        HELPED = "helped", "Helped"
        NO_CLEAR_CHANGE = "no_clear_change", "No clear change yet"
        GOT_WORSE = "got_worse", "Got worse"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="improvement_plans")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="improvement_plans")
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="improvement_plans"
    )
    rising_issue = models.ForeignKey(
        RisingIssue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_plans",
    )
    suggestion_key = models.CharField(max_length=SUGGESTION_KEY_MAX_LENGTH, blank=True)
    template = models.CharField(max_length=20, choices=Template.choices)

    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    problem = models.TextField(help_text="The problem statement, in plain text.")
    evidence = models.ManyToManyField(Review, blank=True, related_name="improvement_plans")

    goal_metric = models.CharField(max_length=20, choices=Metric.choices)
    goal_current = models.FloatField(
        null=True, blank=True, help_text="The metric when the plan was made (% or stars)."
    )
    goal_target = models.FloatField(help_text="Where the metric should be (% or stars).")
    goal_due = models.DateField(help_text="By when the target should be reached.")

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    shipped_at = models.DateTimeField(
        null=True, blank=True, help_text="When the change reached buyers (UTC)."
    )
    measured_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=16, choices=Verdict.choices, blank=True)
    impact = models.JSONField(
        null=True, blank=True, help_text="The measurement snapshot stored when measured."
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="improvement_plans",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["store", "status"]),
            models.Index(fields=["status", "shipped_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(shipped_at__isnull=True) | Q(status__in=["shipped", "measured"]),
                name="improvement_plan_shipped_at_only_when_shipped",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "in_progress"]) | Q(shipped_at__isnull=False),
                name="improvement_plan_shipped_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.product})"

    def get_absolute_url(self) -> str:
        return reverse("improvements:plan", kwargs={"slug": self.store.slug, "pk": self.pk})

    @property
    def is_from_feedback(self) -> bool:
        """Linked to customer feedback: what the KPI counts."""
        return bool(self.theme_id or self.rising_issue_id or self.suggestion_key)

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return self.TRANSITIONS[self.status]

    @property
    def is_open(self) -> bool:
        """Still being worked on or waiting for its measurement."""
        return self.status != self.Status.MEASURED

    @property
    def steps_done(self) -> int:
        """Completed steps (uses prefetched steps when there are)."""
        return sum(1 for step in self.steps.all() if step.is_done)

    @property
    def unit(self) -> str:
        return "%" if self.goal_metric == self.Metric.NEGATIVE_SHARE else "★"


class Step(models.Model):
    """One concrete thing to do for a plan, owned by a member of the store."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=STEP_MAX_LENGTH)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_steps",
    )
    due_date = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None
