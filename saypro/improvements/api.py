"""/api/v1 endpoints for improvement plans, their steps, status and measured impact.

Reads go through ``selectors`` (a store's plans are for its team and office
staff; anyone else gets 403 on a store's list and 404 on a plan), writes
through ``services`` (the store's team only: office staff get 403). This
module only translates between JSON and those calls.
"""

from ninja import Query, Router, Status

from saypro.catalog import selectors as catalog_selectors
from saypro.catalog.models import Store
from saypro.core.api import AUTH, ERRORS, Id, Page, Slug
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.improvements import selectors, services
from saypro.improvements.models import Plan, Step
from saypro.improvements.schemas import (
    CandidateOut,
    ImpactOut,
    PlanCreateIn,
    PlanFilters,
    PlanOut,
    PlanSummaryOut,
    PlanUpdateIn,
    StatusIn,
    StepIn,
    StepOut,
)

router = Router(tags=["improvements"])


def _readable_store(request, slug: str) -> Store:
    store = catalog_selectors.existing_store(slug)
    if not selectors.can_read_plans(request.auth, store):
        raise PermissionDenied("Only the store's team and office staff can see its plans.")
    return store


def _team_store(request, slug: str) -> Store:
    store = catalog_selectors.existing_store(slug)
    if not catalog_selectors.is_store_member(request.auth, store):
        raise PermissionDenied("Only the store's team can plan improvements.")
    return store


def _plan(request, plan_id: int) -> Plan:
    plan = selectors.visible_plan(request.auth, plan_id)
    if plan is None:
        raise NotFound(f"No improvement plan {plan_id}.")
    return plan


def _step(plan: Plan, step_id: int) -> Step:
    step = next((step for step in plan.steps.all() if step.pk == step_id), None)
    if step is None:
        raise NotFound(f"No step {step_id} in this plan.")
    return step


def _owner(request, store: Store, owner_id: int | None):
    if not catalog_selectors.is_store_member(request.auth, store):
        raise PermissionDenied("Only the store's team can change its improvement plans.")
    if owner_id is None:
        return None
    membership = selectors.assignable_members(request.auth, store).filter(user_id=owner_id).first()
    if membership is None:
        raise ValidationFailed(
            f"No member {owner_id} on the store's team.", details={"field": "owner_id"}
        )
    return membership.user


def _step_input(request, store: Store, data: StepIn) -> services.StepInput:
    return services.StepInput(
        text=data.text, due_date=data.due_date, owner=_owner(request, store, data.owner_id)
    )


def _source(request, store: Store, data: PlanCreateIn) -> selectors.Source:
    product = selectors.product_of_store(request.auth, store, data.product_id)
    if product is None:
        raise ValidationFailed(
            f"No product {data.product_id} in this store.", details={"field": "product_id"}
        )
    issue = theme = None
    if data.rising_issue_id is not None:
        issue = selectors.store_issue(request.auth, store, data.rising_issue_id)
        if issue is None:
            raise ValidationFailed(
                f"No open rising issue {data.rising_issue_id} in this store.",
                details={"field": "rising_issue_id"},
            )
    if data.theme is not None:
        theme = selectors.theme_by_slug(data.theme)
        if theme is None:
            raise ValidationFailed(f"No theme “{data.theme}”.", details={"field": "theme"})
    return selectors.Source(
        product=product, issue=issue, theme=theme, suggestion_key=data.suggestion_key or ""
    )


# --- Candidates --------------------------------------------------------------------------


@router.get(
    "/stores/{slug}/improvement-candidates",
    response={200: list[CandidateOut], **ERRORS},
    auth=AUTH,
)
def list_candidates(request, slug: Slug):
    """What the store could improve, highest priority first (the store's team).

    Priority = frequency × negativity × (1 + max(0, −rating drag)), over the
    last 90 days: open rising issues, themes reviews speak negatively of, and
    the most requested suggestions.
    """
    return selectors.plan_candidates(request.auth, _team_store(request, slug))


# --- Plans ----------------------------------------------------------------------------------


@router.get(
    "/stores/{slug}/improvement-plans",
    response={200: Page[PlanSummaryOut], **ERRORS},
    auth=AUTH,
)
def list_plans(request, slug: Slug, filters: Query[PlanFilters]):
    """The store's plans, newest first (the store's team and office staff)."""
    store = _readable_store(request, slug)
    return filters.page(selectors.store_plans(request.auth, store, status=filters.status))


@router.post("/stores/{slug}/improvement-plans", response={201: PlanOut, **ERRORS}, auth=AUTH)
def create_plan(request, slug: Slug, data: PlanCreateIn):
    """Make a plan for one of the store's products (the store's team).

    Name its source — ``rising_issue_id``, ``theme`` and/or ``suggestion_key``
    — and whatever you leave out (title, problem, goal, steps) comes from the
    template's draft. From a rising issue, the issue becomes "planned".
    """
    store = _team_store(request, slug)
    source = _source(request, store, data)
    draft = selectors.plan_draft(source, template=data.template)
    steps = (
        [_step_input(request, store, step) for step in data.steps]
        if data.steps is not None
        else [services.StepInput(text=step.text, due_date=step.due_date) for step in draft.steps]
    )
    metric = data.goal_metric or draft.goal_metric
    same_metric = metric == draft.goal_metric
    current, target = data.goal_current, data.goal_target
    if same_metric:
        current = current if current is not None else draft.goal_current
        target = target if target is not None else draft.goal_target
    plan = services.create_plan(
        actor=request.auth,
        store=store,
        data=services.PlanInput(
            product=source.product,
            template=draft.template,
            title=data.title or draft.title,
            problem=data.problem or draft.problem,
            goal_metric=metric,
            goal_current=current,
            goal_target=target,
            goal_due=data.goal_due or draft.goal_due,
            steps=steps,
            theme=source.theme,
            rising_issue=source.issue,
            suggestion_key=source.suggestion_key,
            evidence=data.evidence_review_ids,
        ),
    )
    return Status(201, _plan(request, plan.pk))


@router.get("/improvement-plans/{plan_id}", response={200: PlanOut, **ERRORS}, auth=AUTH)
def get_plan(request, plan_id: Id):
    """One plan with its evidence, steps and stored impact (its store's team, office staff)."""
    return _plan(request, plan_id)


@router.patch("/improvement-plans/{plan_id}", response={200: PlanOut, **ERRORS}, auth=AUTH)
def update_plan(request, plan_id: Id, data: PlanUpdateIn):
    """Change the title, problem, goal or (while shipped) the shipping time.

    A measured plan is history: 409 ``plan_measured``.
    """
    plan = services.update_plan(
        actor=request.auth,
        plan=_plan(request, plan_id),
        changes=services.PlanChanges(
            title=data.title,
            problem=data.problem,
            goal_current=data.goal_current,
            goal_target=data.goal_target,
            goal_due=data.goal_due,
            shipped_at=data.shipped_at,
        ),
    )
    return _plan(request, plan.pk)


@router.post("/improvement-plans/{plan_id}/status", response={200: PlanOut, **ERRORS}, auth=AUTH)
def change_status(request, plan_id: Id, data: StatusIn):
    """Move the plan along proposed → in_progress → shipped → measured.

    ``in_progress`` may also go back to ``proposed``. Anything else is 409
    ``invalid_transition``; ``measured`` is 409 ``not_enough_reviews`` until
    the impact can be measured.
    """
    plan = services.change_status(
        actor=request.auth,
        plan=_plan(request, plan_id),
        status=data.status,
        shipped_at=data.shipped_at,
    )
    return _plan(request, plan.pk)


@router.post("/improvement-plans/{plan_id}/measure", response={200: PlanOut, **ERRORS}, auth=AUTH)
def measure_plan(request, plan_id: Id):
    """Measure a shipped plan now: stores the before/after snapshot and marks it measured.

    409 ``not_enough_reviews`` (the message says how many there are) until both
    periods hold 20 published reviews; 409 ``not_shipped`` / ``plan_measured``
    otherwise.
    """
    plan = services.measure_plan(actor=request.auth, plan=_plan(request, plan_id))
    return _plan(request, plan.pk)


@router.get("/improvement-plans/{plan_id}/impact", response={200: ImpactOut, **ERRORS}, auth=AUTH)
def get_live_impact(request, plan_id: Id):
    """The before/after comparison recomputed now (the stored snapshot stays as it was).

    409 ``not_shipped`` before the change has shipped.
    """
    plan = _plan(request, plan_id)
    result = selectors.plan_impact(request.auth, plan)
    if result is None:
        raise Conflict("The change has not shipped yet.", code="not_shipped")
    return result


# --- Steps ------------------------------------------------------------------------------


@router.post("/improvement-plans/{plan_id}/steps", response={201: StepOut, **ERRORS}, auth=AUTH)
def add_step(request, plan_id: Id, data: StepIn):
    """Add a step at the end (the store's team); the owner must be on the team."""
    plan = _plan(request, plan_id)
    step = services.add_step(
        actor=request.auth, plan=plan, data=_step_input(request, plan.store, data)
    )
    return Status(201, _step(_plan(request, plan.pk), step.pk))


@router.patch(
    "/improvement-plans/{plan_id}/steps/{step_id}", response={200: StepOut, **ERRORS}, auth=AUTH
)
def edit_step(request, plan_id: Id, step_id: Id, data: StepIn):
    """Replace a step's text, owner and due date (the store's team)."""
    plan = _plan(request, plan_id)
    step = services.edit_step(
        actor=request.auth,
        step=_step(plan, step_id),
        data=_step_input(request, plan.store, data),
    )
    return _step(_plan(request, plan.pk), step.pk)


@router.post(
    "/improvement-plans/{plan_id}/steps/{step_id}/complete",
    response={200: StepOut, **ERRORS},
    auth=AUTH,
)
def complete_step(request, plan_id: Id, step_id: Id):
    """Tick a step off (the store's team); 409 ``already_done`` the second time."""
    plan = _plan(request, plan_id)
    step = services.complete_step(actor=request.auth, step=_step(plan, step_id))
    return _step(_plan(request, plan.pk), step.pk)
