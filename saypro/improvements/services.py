"""Every write to improvement plans: create, edit, steps, status, measurement.

Each function is one use case: it validates its input, checks that the actor
is on the plan's store team (office staff may read plans but not change
them), and runs in one transaction under the plan's row lock, so a refused
call changes nothing and two people acting at once cannot both move a plan.

A product has at most one open (unmeasured) plan per rising issue, per theme and
per suggestion: plans for a product are created one at a time, under its row lock.
Creating a plan from a rising issue marks the issue ``planned`` through
``insights.services.set_issue_status`` in the same transaction; measuring the
plan with the verdict "helped" marks it ``resolved`` through
``insights.services.resolve_issue_by_plan``, also in the measurement's
transaction (so it leaves the seller's rising issues).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import isfinite

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog.models import Product, Store
from saypro.catalog.selectors import is_store_member
from saypro.core.errors import Conflict, PermissionDenied, ValidationFailed
from saypro.improvements import impact, selectors
from saypro.improvements.models import (
    MAX_STEPS,
    PROBLEM_MAX_LENGTH,
    STEP_MAX_LENGTH,
    SUGGESTION_KEY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Plan,
    Step,
)
from saypro.insights import services as insights_services
from saypro.insights.models import RisingIssue, Theme
from saypro.reviews.models import Review

FURTHEST_DUE = timedelta(days=730)  # how far ahead a goal or a step may be due


@dataclass(frozen=True)
class StepInput:
    text: str
    due_date: date | None
    owner: User | None = None  # None: the acting member


@dataclass(frozen=True)
class PlanInput:
    """A new plan. ``evidence`` = review ids; ``None`` links the reviews behind the source."""

    product: Product
    template: str
    title: str
    problem: str
    goal_metric: str
    goal_target: float
    goal_due: date
    steps: Sequence[StepInput]
    goal_current: float | None = None
    theme: Theme | None = None
    rising_issue: RisingIssue | None = None
    suggestion_key: str = ""
    evidence: Sequence[int] | None = None


@dataclass(frozen=True)
class PlanChanges:
    """Fields of a plan to change; ``None`` leaves a field as it is."""

    title: str | None = None
    problem: str | None = None
    goal_current: float | None = None
    goal_target: float | None = None
    goal_due: date | None = None
    shipped_at: datetime | None = None


# --- Validation ------------------------------------------------------------------------


def _clean_text(value: str | None, *, field: str, label: str, max_length: int) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if not text:
        raise ValidationFailed(f"{label} cannot be empty.", details={"field": field})
    if len(text) > max_length:
        raise ValidationFailed(
            f"{label} can be at most {max_length:,} characters (this is {len(text):,}).",
            details={"field": field},
        )
    return text


def _clean_value(value, *, metric: str, field: str, label: str) -> float:
    """A goal value in the metric's unit: 0–100 % or 1–5 stars."""
    low, high, unit = (0, 100, "%") if metric == Plan.Metric.NEGATIVE_SHARE else (1, 5, "stars")
    if isinstance(value, bool) or not isinstance(value, int | float) or not isfinite(value):
        raise ValidationFailed(f"{label} must be a number.", details={"field": field})
    if not low <= value <= high:
        raise ValidationFailed(
            f"{label} must be between {low} and {high} {unit}.", details={"field": field}
        )
    return round(float(value), 2)


def _clean_due(due, *, today: date, kept: date | None, field: str, label: str) -> date:
    """A due date: given, not in the past (unless it is the date already set) and within
    ``FURTHEST_DUE`` (a plan is a change to ship and measure, not a wish)."""
    if not isinstance(due, date):
        raise ValidationFailed(f"Give {label} a due date.", details={"field": field})
    if due < today and due != kept:
        raise ValidationFailed(
            f"The due date of {label} is in the past; choose today or later.",
            details={"field": field},
        )
    latest = today + FURTHEST_DUE
    if due > latest and due != kept:
        raise ValidationFailed(
            f"The due date of {label} is more than two years away; "
            f"choose {latest:%-d %b %Y} or earlier.",
            details={"field": field},
        )
    return due


def _clean_goal(
    *,
    metric: str,
    current: float | None,
    target: float,
    due: date,
    has_theme: bool,
    today: date,
    kept_due: date | None = None,
) -> tuple[str, float | None, float]:
    """The goal's metric and values; the target must be better than the current value."""
    if metric not in Plan.Metric.values:
        raise ValidationFailed(
            "Choose a goal metric from the list.", details={"field": "goal_metric"}
        )
    if metric == Plan.Metric.NEGATIVE_SHARE and not has_theme:
        raise ValidationFailed(
            "Only a plan about a theme can aim at the theme's share of negative reviews; "
            "aim at the average rating instead.",
            details={"field": "goal_metric"},
        )
    if current is not None:
        current = _clean_value(
            current, metric=metric, field="goal_current", label="The current value"
        )
    target = _clean_value(target, metric=metric, field="goal_target", label="The target")
    if current is not None:
        # Better is lower for complaints, higher for ratings; at the best value, hold it.
        best, sign = (0, -1) if metric == Plan.Metric.NEGATIVE_SHARE else (5, 1)
        if sign * (target - current) < 0 or (target == current != best):
            aim = (
                f"below today's {current:g} %: the goal is fewer complaints"
                if sign < 0
                else f"above today's {current:g} ★: the goal is a better rating"
            )
            raise ValidationFailed(f"Aim {aim}.", details={"field": "goal_target"})
    _clean_due(due, today=today, kept=kept_due, field="goal_due", label="the goal")
    return metric, current, target


def _clean_step(
    store: Store, data: StepInput, *, actor: User, today: date, kept_due: date | None = None
) -> tuple[str, User, date]:
    text = _clean_text(data.text, field="text", label="The step", max_length=STEP_MAX_LENGTH)
    owner = data.owner or actor
    if not is_store_member(owner, store):
        raise ValidationFailed(
            "A step's owner must be on the store's team.", details={"field": "owner"}
        )
    due = _clean_due(data.due_date, today=today, kept=kept_due, field="due_date", label="a step")
    return text, owner, due


def _require_member(actor: User, store: Store) -> None:
    if not is_store_member(actor, store):
        raise PermissionDenied("Only the store's team can change its improvement plans.")


def _locked(plan: Plan) -> Plan:
    """The plan re-read under a row lock: the state every decision below is based on."""
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("store", "product", "theme", "rising_issue")
        .get(pk=plan.pk)
    )


def _editable(actor: User, plan: Plan) -> Plan:
    _require_member(actor, plan.store)
    plan = _locked(plan)
    if plan.status == Plan.Status.MEASURED:
        raise Conflict("This plan is measured; its record stays as it was.", code="plan_measured")
    return plan


def _touch(plan: Plan, now: datetime, *fields: str) -> None:
    plan.updated_at = now
    plan.save(update_fields=[*fields, "updated_at"])


# --- Plans ----------------------------------------------------------------------------


def _refuse_second_open_plan(
    product: Product, *, issue: RisingIssue | None, theme: Theme | None, suggestion_key: str
) -> None:
    """409 ``already_planned``, naming the plan, when one of ``product``'s open (unmeasured)
    plans is for the same rising issue, theme or suggestion; ``details.plan_id`` is its id.

    One plan at a time per subject: a measured plan is history, so a new one may follow it.
    Called under the product's row lock (``create_plan``).
    """
    subjects: list[tuple[str, Q]] = []  # (the refusal, up to the plan's title; the match)
    if issue is not None:
        subjects.append(("This issue already has a plan", Q(rising_issue=issue)))
    if theme is not None:
        subjects.append((f"{product.title} already has a plan about {theme.name}", Q(theme=theme)))
    if suggestion_key:
        subjects.append(
            (
                f"{product.title} already has a plan for the suggestion “{suggestion_key}”",
                Q(suggestion_key=suggestion_key),
            )
        )
    open_plans = Plan.objects.filter(product=product).exclude(status=Plan.Status.MEASURED)
    for refusal, same in subjects:
        existing = open_plans.filter(same).order_by("pk").first()
        if existing is not None:
            raise Conflict(
                f"{refusal}: “{existing.title}”.",
                code="already_planned",
                details={"plan_id": existing.pk},
            )


@transaction.atomic
def create_plan(*, actor: User, store: Store, data: PlanInput, now: datetime | None = None) -> Plan:
    """Write a plan for one of the store's products, with its steps and evidence.

    From a rising issue: the issue must be of this store and product and still
    open or planned; it is marked ``planned``. A theme-less issue about a theme
    lends the plan its theme, so the impact can be measured on it. A second open
    plan for the same issue, theme or suggestion of the product is refused
    (``_refuse_second_open_plan``); the product's row lock, held to the end,
    makes two saves at once (a double click) wait for each other, so the second
    sees the first's plan.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    _require_member(actor, store)
    if data.product.store_id != store.pk:
        raise ValidationFailed("Choose one of the store's products.", details={"field": "product"})
    # NO KEY: reviews and orders that refer to the product are not held up by the lock.
    product = Product.objects.select_for_update(no_key=True).get(pk=data.product.pk)
    if data.template not in Plan.Template.values:
        raise ValidationFailed("Choose a template from the list.", details={"field": "template"})
    title = _clean_text(data.title, field="title", label="The title", max_length=TITLE_MAX_LENGTH)
    problem = _clean_text(
        data.problem, field="problem", label="The problem statement", max_length=PROBLEM_MAX_LENGTH
    )
    issue, theme = data.rising_issue, data.theme
    if issue is not None:
        issue = RisingIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.store_id != store.pk or issue.product_id != product.pk:
            raise ValidationFailed(
                "The rising issue is about another product.", details={"field": "rising_issue"}
            )
        if issue.status not in (RisingIssue.Status.OPEN, RisingIssue.Status.PLANNED):
            raise ValidationFailed(
                f"The rising issue is {issue.get_status_display().lower()}; plans are made from "
                f"open issues.",
                details={"field": "rising_issue"},
            )
        if issue.theme_id:
            if theme is not None and theme.pk != issue.theme_id:
                raise ValidationFailed(
                    "The theme differs from the rising issue's theme.", details={"field": "theme"}
                )
            theme = issue.theme
    suggestion_key = (data.suggestion_key or "").strip()
    if suggestion_key:
        if len(suggestion_key) > SUGGESTION_KEY_MAX_LENGTH:
            raise ValidationFailed(
                "The suggestion key is too long.", details={"field": "suggestion_key"}
            )
        if not selectors.has_suggestion(product, suggestion_key):
            raise ValidationFailed(
                f"No review of {product.title} suggests “{suggestion_key}”.",
                details={"field": "suggestion_key"},
            )
    _refuse_second_open_plan(product, issue=issue, theme=theme, suggestion_key=suggestion_key)
    metric, current, target = _clean_goal(
        metric=data.goal_metric,
        current=data.goal_current,
        target=data.goal_target,
        due=data.goal_due,
        has_theme=theme is not None,
        today=today,
    )
    if not data.steps:
        raise ValidationFailed("Add at least one step.", details={"field": "steps"})
    if len(data.steps) > MAX_STEPS:
        raise ValidationFailed(
            f"A plan can have at most {MAX_STEPS} steps.", details={"field": "steps"}
        )
    steps = [_clean_step(store, step, actor=actor, today=today) for step in data.steps]
    if data.evidence is None:
        evidence = selectors.evidence_ids(
            actor,
            store,
            product=product,
            theme=theme,
            issue=issue,
            suggestion_key=suggestion_key,
            now=now,
        )
    else:
        evidence = list(dict.fromkeys(int(pk) for pk in data.evidence))
        found = set(
            Review.objects.filter(
                pk__in=evidence, product=product, status=Review.Status.PUBLISHED
            ).values_list("pk", flat=True)
        )
        missing = [pk for pk in evidence if pk not in found]
        if missing:
            raise ValidationFailed(
                f"Evidence must be published reviews of {product.title}; "
                f"these are not: {', '.join(map(str, missing[:10]))}.",
                details={"field": "evidence"},
            )

    plan = Plan.objects.create(
        store=store,
        product=product,
        theme=theme,
        rising_issue=issue,
        suggestion_key=suggestion_key,
        template=data.template,
        title=title,
        problem=problem,
        goal_metric=metric,
        goal_current=current,
        goal_target=target,
        goal_due=data.goal_due,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    Step.objects.bulk_create(
        Step(plan=plan, position=position, text=text, owner=owner, due_date=due)
        for position, (text, owner, due) in enumerate(steps, start=1)
    )
    plan.evidence.set(evidence)
    if issue is not None and issue.status == RisingIssue.Status.OPEN:
        insights_services.set_issue_status(
            actor=actor, issue=issue, status=RisingIssue.Status.PLANNED
        )
    return plan


@transaction.atomic
def update_plan(
    *, actor: User, plan: Plan, changes: PlanChanges, now: datetime | None = None
) -> Plan:
    """Edit a plan's text, goal or shipping date (not once it is measured).

    ``shipped_at`` can be corrected only while the plan is shipped; it may not
    be in the future or before the plan was made.
    """
    now = now or timezone.now()
    plan = _editable(actor, plan)
    fields = []
    if changes.title is not None:
        plan.title = _clean_text(
            changes.title, field="title", label="The title", max_length=TITLE_MAX_LENGTH
        )
        fields.append("title")
    if changes.problem is not None:
        plan.problem = _clean_text(
            changes.problem,
            field="problem",
            label="The problem statement",
            max_length=PROBLEM_MAX_LENGTH,
        )
        fields.append("problem")
    if (
        changes.goal_current is not None
        or changes.goal_target is not None
        or changes.goal_due is not None
    ):
        _, current, target = _clean_goal(
            metric=plan.goal_metric,
            current=changes.goal_current if changes.goal_current is not None else plan.goal_current,
            target=changes.goal_target if changes.goal_target is not None else plan.goal_target,
            due=changes.goal_due or plan.goal_due,
            has_theme=plan.theme_id is not None,
            today=timezone.localdate(now),
            kept_due=plan.goal_due,
        )
        plan.goal_current, plan.goal_target = current, target
        plan.goal_due = changes.goal_due or plan.goal_due
        fields += ["goal_current", "goal_target", "goal_due"]
    if changes.shipped_at is not None:
        if plan.status != Plan.Status.SHIPPED:
            raise Conflict(
                "The shipping date can be set by marking the plan shipped.",
                code="not_shipped",
                details={"field": "shipped_at"},
            )
        plan.shipped_at = _clean_shipped_at(plan, changes.shipped_at, now)
        fields.append("shipped_at")
    if fields:
        _touch(plan, now, *fields)
    return plan


def _clean_shipped_at(plan: Plan, shipped_at: datetime | None, now: datetime) -> datetime:
    shipped_at = shipped_at or now
    if timezone.is_naive(shipped_at):
        raise ValidationFailed(
            "Give the shipping time with its time zone.", details={"field": "shipped_at"}
        )
    if shipped_at > now:
        raise ValidationFailed(
            "The change cannot have shipped in the future.", details={"field": "shipped_at"}
        )
    if shipped_at < plan.created_at:
        raise ValidationFailed(
            "The change cannot have shipped before the plan was made.",
            details={"field": "shipped_at"},
        )
    return shipped_at


@transaction.atomic
def change_status(
    *,
    actor: User,
    plan: Plan,
    status: str,
    shipped_at: datetime | None = None,
    now: datetime | None = None,
) -> Plan:
    """Move a plan one step along ``Plan.TRANSITIONS``.

    Shipping records ``shipped_at`` (now unless given: not in the future, not
    before the plan was made). Moving to ``measured`` measures the plan and is
    refused until enough reviews have arrived (see ``measure_plan``).
    """
    now = now or timezone.now()
    if status not in Plan.Status.values:
        raise ValidationFailed("Choose a status from the list.", details={"field": "status"})
    plan = _editable(actor, plan)
    if status not in plan.next_statuses:
        raise Conflict(
            f"A plan that is {plan.get_status_display().lower()} cannot move to "
            f"“{Plan.Status(status).label}”.",
            code="invalid_transition",
            details={"field": "status", "allowed": list(plan.next_statuses)},
        )
    if status == Plan.Status.MEASURED:
        return _measure(plan, now=now)
    if shipped_at is not None and status != Plan.Status.SHIPPED:
        raise ValidationFailed(
            "A shipping date goes with the status “shipped”.", details={"field": "shipped_at"}
        )
    plan.status = status
    is_shipping = status == Plan.Status.SHIPPED
    plan.shipped_at = _clean_shipped_at(plan, shipped_at, now) if is_shipping else None
    _touch(plan, now, "status", "shipped_at")
    return plan


def _measure(plan: Plan, *, now: datetime) -> Plan:
    """Store the measurement and move the (locked, shipped) plan to ``measured``.

    When the change helped, the rising issue the plan was made from is
    resolved (if it is still planned), its row lock taken while the plan's is
    held.
    """
    result = impact.assess(plan, now=now)
    if not result["ready"]:
        raise Conflict(result["summary"], code="not_enough_reviews", details=result)
    plan.status = Plan.Status.MEASURED
    plan.measured_at = now
    plan.verdict = result["verdict"]
    plan.impact = result
    _touch(plan, now, "status", "measured_at", "verdict", "impact")
    if plan.verdict == Plan.Verdict.HELPED and plan.rising_issue_id is not None:
        plan.rising_issue = insights_services.resolve_issue_by_plan(issue=plan.rising_issue)
    return plan


@transaction.atomic
def measure_plan(*, actor: User | None, plan: Plan, now: datetime | None = None) -> Plan:
    """Measure a shipped plan's impact now and, if there are enough reviews, store it.

    ``actor`` is a member of the store ("Measure now") or ``None`` for the
    periodic task. Refused (409 ``not_enough_reviews``, the summary says what
    is missing) until both periods hold ``impact.MIN_REVIEWS`` reviews. The
    stored snapshot never changes afterwards.
    """
    now = now or timezone.now()
    if actor is not None:
        _require_member(actor, plan.store)
    plan = _locked(plan)
    if plan.status != Plan.Status.SHIPPED:
        code = "plan_measured" if plan.status == Plan.Status.MEASURED else "not_shipped"
        raise Conflict(
            "Only a shipped plan can be measured; this one is "
            f"{plan.get_status_display().lower()}.",
            code=code,
        )
    return _measure(plan, now=now)


def measure_shipped_plans(*, now: datetime | None = None) -> dict[str, int]:
    """Measure every shipped plan that has enough reviews; leave the others for later.

    Each plan is its own transaction, so one failure does not undo the rest;
    safe to retry (a measured plan is no longer shipped).
    """
    now = now or timezone.now()
    counts = {"measured": 0, "waiting": 0}
    for pk in selectors.due_for_measurement(now=now):
        plan = Plan.objects.filter(pk=pk, status=Plan.Status.SHIPPED).first()
        if plan is None:
            continue
        try:
            measure_plan(actor=None, plan=plan, now=now)
        except Conflict:
            counts["waiting"] += 1
        else:
            counts["measured"] += 1
    return counts


# --- Steps ------------------------------------------------------------------------------


@transaction.atomic
def add_step(*, actor: User, plan: Plan, data: StepInput, now: datetime | None = None) -> Step:
    now = now or timezone.now()
    plan = _editable(actor, plan)
    text, owner, due = _clean_step(plan.store, data, actor=actor, today=timezone.localdate(now))
    count = plan.steps.count()
    if count >= MAX_STEPS:
        raise ValidationFailed(
            f"A plan can have at most {MAX_STEPS} steps.", details={"field": "text"}
        )
    last = plan.steps.order_by("-position").values_list("position", flat=True).first() or 0
    step = Step.objects.create(plan=plan, position=last + 1, text=text, owner=owner, due_date=due)
    _touch(plan, now)
    return step


@transaction.atomic
def edit_step(*, actor: User, step: Step, data: StepInput, now: datetime | None = None) -> Step:
    """Change a step's text, owner (a store member) or due date."""
    now = now or timezone.now()
    plan = _editable(actor, step.plan)
    step = Step.objects.select_for_update().get(pk=step.pk, plan=plan)
    step.text, step.owner, step.due_date = _clean_step(
        plan.store, data, actor=actor, today=timezone.localdate(now), kept_due=step.due_date
    )
    step.save(update_fields=["text", "owner", "due_date"])
    _touch(plan, now)
    return step


@transaction.atomic
def complete_step(*, actor: User, step: Step, now: datetime | None = None) -> Step:
    """Tick a step off, recording who and when (once)."""
    now = now or timezone.now()
    plan = _editable(actor, step.plan)
    step = Step.objects.select_for_update().get(pk=step.pk, plan=plan)
    if step.completed_at is not None:
        raise Conflict("This step is already done.", code="already_done")
    step.completed_at, step.completed_by = now, actor
    step.save(update_fields=["completed_at", "completed_by"])
    _touch(plan, now)
    return step
