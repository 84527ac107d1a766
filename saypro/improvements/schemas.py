"""API shapes of improvement plans: what goes in and out of /api/v1 for plans and steps.

Goal values are in the goal metric's unit: percent (0–100) for
``negative_share``, stars (1–5) for ``average_rating``. Times are ISO 8601;
dates are calendar dates in the marketplace time zone.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from saypro.catalog.schemas import StoreRef
from saypro.core.api import BodyId, Paging, Slug
from saypro.improvements.models import (
    MAX_STEPS,
    PROBLEM_MAX_LENGTH,
    STEP_MAX_LENGTH,
    SUGGESTION_KEY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Plan,
)
from saypro.reviews.schemas import ProductRef, public_name

PlanStatus = Literal[tuple(Plan.Status.values)]  # type: ignore[valid-type]
Template = Literal[tuple(Plan.Template.values)]  # type: ignore[valid-type]
Metric = Literal[tuple(Plan.Metric.values)]  # type: ignore[valid-type]
Verdict = Literal[("", *Plan.Verdict.values)]  # type: ignore[valid-type]
GoalValue = Annotated[
    float,
    Field(ge=0, le=100, allow_inf_nan=False, description="Percent (0–100) or stars (1–5)."),
]
Text = Annotated[str, Field(pattern=r"^[^\x00]*$")]
# A suggestion key ("pockets", "longer_sleeves"): one line of text, no control characters.
Key = Annotated[
    str,
    Field(min_length=1, max_length=SUGGESTION_KEY_MAX_LENGTH, pattern=r"^[^\x00-\x1f\x7f]*$"),
]


# --- Out -------------------------------------------------------------------------------------


class PlanThemeRef(Schema):
    slug: str
    name: str


class MemberRef(Schema):
    id: int
    name: str = Field(description="First name and last initial.")

    @staticmethod
    def resolve_name(user) -> str:
        return public_name(user)


class StepOut(Schema):
    id: int
    position: int
    text: str
    owner: MemberRef | None
    due_date: date | None
    completed_at: datetime | None
    is_done: bool


class GoalOut(Schema):
    metric: Metric
    unit: Literal["%", "★"]
    current: float | None = Field(description="The metric when the plan was made.")
    target: float
    due: date


class PeriodOut(Schema):
    start: datetime
    end: datetime = Field(description="Exclusive.")
    reviews: int


class ProportionOut(Schema):
    """The theme's negative share before and after (rates 0–1)."""

    before_count: int
    before_total: int
    after_count: int
    after_total: int
    before_rate: float
    after_rate: float
    difference: float = Field(description="after_rate − before_rate.")
    ci_low: float
    ci_high: float
    p_value: float
    is_significant: bool


class MeanOut(Schema):
    """The product's average rating before and after (stars)."""

    before_mean: float
    after_mean: float
    before_n: int
    after_n: int
    difference: float = Field(description="after_mean − before_mean.")
    ci_low: float
    ci_high: float
    p_value: float
    is_significant: bool


class ImpactOut(Schema):
    """A before/after comparison; ``ready`` is false until both periods have enough reviews."""

    ready: bool
    summary: str = Field(description="One sentence: what changed, or what is still missing.")
    verdict: Verdict = ""
    minimum_reviews: int
    primary: Metric | None = None
    theme: str | None = None
    confidence: float | None = None
    computed_at: datetime | None = None
    period_days: float | None = None
    before: PeriodOut | None = None
    after: PeriodOut | None = None
    negative_share: ProportionOut | None = None
    average_rating: MeanOut | None = None
    details: list[str] = Field(default_factory=list)


class PlanSummaryOut(Schema):
    id: int
    store: StoreRef
    product: ProductRef
    theme: PlanThemeRef | None
    rising_issue_id: int | None
    suggestion_key: str
    is_from_feedback: bool = Field(description="Counts towards the improvements KPI when shipped.")
    template: Template
    title: str
    status: PlanStatus
    next_statuses: list[PlanStatus]
    goal: GoalOut
    shipped_at: datetime | None
    measured_at: datetime | None
    verdict: Verdict
    steps_done: int
    steps_total: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_goal(plan: Plan) -> dict:
        return {
            "metric": plan.goal_metric,
            "unit": plan.unit,
            "current": plan.goal_current,
            "target": plan.goal_target,
            "due": plan.goal_due,
        }

    @staticmethod
    def resolve_next_statuses(plan: Plan) -> list[str]:
        return list(plan.next_statuses)

    @staticmethod
    def resolve_steps_done(plan: Plan) -> int:
        return sum(1 for step in plan.steps.all() if step.is_done)

    @staticmethod
    def resolve_steps_total(plan: Plan) -> int:
        return len(plan.steps.all())


class PlanOut(PlanSummaryOut):
    problem: str
    evidence_review_ids: list[int] = Field(description="The reviews behind the problem.")
    steps: list[StepOut]
    impact: ImpactOut | None = Field(
        description="The snapshot stored when the plan was measured (null before)."
    )

    @staticmethod
    def resolve_evidence_review_ids(plan: Plan) -> list[int]:
        return sorted((review.pk for review in plan.evidence.all()), reverse=True)

    @staticmethod
    def resolve_steps(plan: Plan) -> list:
        return list(plan.steps.all())


class CandidateOut(Schema):
    """Something worth a plan and its priority: frequency × negativity × drag weight."""

    kind: Literal["issue", "theme", "suggestion"]
    product: ProductRef
    subject: str
    frequency: int = Field(description="Reviews of the last 90 days mentioning it.")
    negativity: float = Field(description="Share of those that are negative (0–1).")
    rating_drag: float | None = Field(
        description="Their average stars minus the product's average (negative pulls down)."
    )
    drag_weight: float = Field(description="1 + max(0, −rating_drag).")
    score: float
    rising_issue_id: int | None
    theme: PlanThemeRef | None
    suggestion_key: str
    plan_id: int | None = Field(description="An unmeasured plan already made from it.")

    @staticmethod
    def resolve_rising_issue_id(candidate) -> int | None:
        return candidate.issue.pk if candidate.issue else None

    @staticmethod
    def resolve_plan_id(candidate) -> int | None:
        return candidate.plan.pk if candidate.plan else None


# --- In and filters ----------------------------------------------------------------------------


class StepIn(Schema):
    text: Text = Field(min_length=1, max_length=STEP_MAX_LENGTH)
    owner_id: BodyId | None = Field(None, description="A member of the store; you if omitted.")
    due_date: date


class PlanCreateIn(Schema):
    """A new plan. Omitted text, goal and steps are filled in from the template's draft."""

    product_id: BodyId
    rising_issue_id: BodyId | None = Field(None, description="An open rising issue of the product.")
    theme: Slug | None = Field(None, description="A theme's slug.")
    suggestion_key: Key | None = Field(None, description="A suggestion key of the product.")
    template: Template | None = Field(None, description="Default: the one that fits the source.")
    title: Text | None = Field(None, min_length=1, max_length=TITLE_MAX_LENGTH)
    problem: Text | None = Field(None, min_length=1, max_length=PROBLEM_MAX_LENGTH)
    goal_metric: Metric | None = None
    goal_current: GoalValue | None = None
    goal_target: GoalValue | None = None
    goal_due: date | None = None
    steps: list[StepIn] | None = Field(None, min_length=1, max_length=MAX_STEPS)
    evidence_review_ids: list[BodyId] | None = Field(
        None, max_length=100, description="Default: the reviews behind the source."
    )


class PlanUpdateIn(Schema):
    title: Text | None = Field(None, min_length=1, max_length=TITLE_MAX_LENGTH)
    problem: Text | None = Field(None, min_length=1, max_length=PROBLEM_MAX_LENGTH)
    goal_current: GoalValue | None = None
    goal_target: GoalValue | None = None
    goal_due: date | None = None
    shipped_at: datetime | None = Field(None, description="Only while the plan is shipped.")


class StatusIn(Schema):
    status: PlanStatus
    shipped_at: datetime | None = Field(
        None, description="With status 'shipped': when it shipped (default now)."
    )


class PlanFilters(Paging):
    status: PlanStatus | None = None
