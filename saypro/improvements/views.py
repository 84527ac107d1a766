"""Seller Center › Improvements: the board, the candidates, new plans from templates, each plan.

Pages live under ``/seller/<store slug>/improvements/`` and answer 404 to
anyone outside the store's team (``store_for_member``); office staff read
plans through the API and the admin. Every write calls one service; a
refusal is shown next to the field it names or as a message on the page it was
posted from, with the error's 4xx status (only "Measure now" with too few
reviews yet is a warning after a redirect: information, not a refusal).
"""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from saypro.catalog.selectors import store_products
from saypro.catalog.views.seller import seller_context, store_for_member
from saypro.core.auth import login_required
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error
from saypro.improvements import impact, selectors, services
from saypro.improvements.forms import (
    PlanEditForm,
    PlanForm,
    ShipForm,
    StepForm,
    StepFormSet,
    TemplateChoiceForm,
)
from saypro.improvements.models import SUGGESTION_KEY_MAX_LENGTH, Plan

NEW_STEP_DUE = timedelta(days=7)
# The plan form's fields are "plan-title", …: the template menu above it keeps the plain
# "template" the page's links use, and the two no longer share the id "id_template".
PLAN_PREFIX = "plan"


def _number(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


@login_required
def board(request, slug: str):
    """Plans in four columns by status, and the candidates ranked by priority."""
    store = store_for_member(request, slug)
    context = seller_context(
        request,
        store,
        columns=selectors.plan_board(request.user, store),
        candidates=selectors.plan_candidates(request.user, store),
        explanation=selectors.PRIORITY_EXPLANATION,
        minimum_reviews=impact.MIN_REVIEWS,
    )
    return render(request, "improvements/pages/board.html", context)


def _source(request, store) -> selectors.Source:
    """The source named in the query string (``issue``, or ``product`` with ``theme`` and/or
    ``suggestion``); 404 if it is not this store's."""
    params = request.GET
    issue = theme = None
    if params.get("issue"):
        issue = selectors.store_issue(request.user, store, _number(params["issue"]))
        if issue is None:
            raise Http404("No open rising issue with this number in your store.")
        product = issue.product
    else:
        product = selectors.product_of_store(request.user, store, _number(params.get("product")))
        if product is None:
            raise Http404("No such product in this store.")
    if params.get("theme"):
        theme = selectors.theme_by_slug(params["theme"])
        if theme is None:
            raise Http404("No such theme.")
    key = params.get("suggestion", "").strip()[:SUGGESTION_KEY_MAX_LENGTH]
    if key and not selectors.has_suggestion(product, key):
        raise Http404("No review of this product makes that suggestion.")
    return selectors.Source(product=product, issue=issue, theme=theme, suggestion_key=key)


@login_required
def new(request, slug: str):
    """A new plan, pre-filled from the template that fits its source.

    ``?issue=<id>``, ``?theme=<slug>&product=<id>`` or
    ``?suggestion=<key>&product=<id>``; ``&template=<name>`` picks another
    template. Without a source, the page asks for a product.
    """
    store = store_for_member(request, slug)
    if not (request.GET.get("issue") or request.GET.get("product")):
        context = seller_context(request, store, products=store_products(request.user, store))
        return render(request, "improvements/pages/pick_product.html", context)
    source = _source(request, store)
    chooser = TemplateChoiceForm(request.GET)
    template = chooser.cleaned_data["template"] if chooser.is_valid() else None
    draft = selectors.plan_draft(source, template=template)
    chooser = TemplateChoiceForm(initial={"template": draft.template})
    has_theme = bool(source.theme or (source.issue and source.issue.theme_id))
    members = selectors.team_users(request.user, store)
    form = PlanForm(
        request.POST or None,
        prefix=PLAN_PREFIX,
        has_theme=has_theme,
        initial={
            "template": draft.template,
            "title": draft.title,
            "problem": draft.problem,
            "goal_metric": draft.goal_metric,
            "goal_current": draft.goal_current,
            "goal_target": draft.goal_target,
            "goal_due": draft.goal_due,
        },
    )
    steps = StepFormSet(
        request.POST or None,
        prefix="steps",
        initial=[
            {"text": step.text, "owner": request.user.pk, "due_date": step.due_date}
            for step in draft.steps
        ],
        form_kwargs={"members": members},
    )
    status = 400 if request.method == "POST" else 200
    existing_plan = None
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                actor=request.user,
                store=store,
                data=services.PlanInput(
                    product=source.product,
                    template=data["template"],
                    title=data["title"],
                    problem=data["problem"],
                    goal_metric=data["goal_metric"],
                    goal_current=data["goal_current"],
                    goal_target=data["goal_target"],
                    goal_due=data["goal_due"],
                    steps=[
                        step.to_input()
                        for step in steps.forms
                        if step.cleaned_data and not step.cleaned_data.get("DELETE")
                    ],
                    theme=source.theme,
                    rising_issue=source.issue,
                    suggestion_key=source.suggestion_key,
                ),
            )
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
            if error.code == "already_planned":  # e.g. "Save plan" clicked twice: a way to it
                existing_plan = selectors.store_plan(request.user, store, error.details["plan_id"])
        else:
            messages.success(request, f"Plan “{plan.title}” is proposed.")
            return redirect("improvements:plan", slug=store.slug, pk=plan.pk)
    evidence = selectors.evidence_ids(
        request.user,
        store,
        product=source.product,
        theme=source.theme or (source.issue.theme if source.issue else None),
        issue=source.issue,
        suggestion_key=source.suggestion_key,
    )
    context = seller_context(
        request,
        store,
        source=source,
        form=form,
        steps=steps,
        chooser=chooser,
        evidence_count=len(evidence),
        evidence=selectors.evidence_preview(request.user, store, evidence),
        query={key: value for key, value in request.GET.items() if key != "template"},
        existing_plan=existing_plan,
    )
    return render(request, "improvements/pages/new.html", context, status=status)


def _plan(request, store, pk: int) -> Plan:
    plan = selectors.store_plan(request.user, store, pk)
    if plan is None:
        raise Http404("No such plan in this store.")
    return plan


def _step_form(request, store, data=None, **kwargs) -> StepForm:
    return StepForm(
        data,
        members=selectors.team_users(request.user, store),
        initial={"owner": request.user.pk, "due_date": timezone.localdate() + NEW_STEP_DUE},
        **kwargs,
    )


def _workflow(plan: Plan) -> list[tuple[str, str, bool]]:
    """(status, label, reached) in workflow order, for the status timeline."""
    reached = Plan.Status.values.index(plan.status)
    return [
        (value, label, index <= reached) for index, (value, label) in enumerate(Plan.Status.choices)
    ]


def _render_plan(request, store, plan: Plan, *, step_form=None, ship_form=None, status: int = 200):
    live = selectors.plan_impact(request.user, plan)
    context = seller_context(
        request,
        store,
        plan=plan,
        evidence=selectors.plan_evidence(plan),
        steps=list(plan.steps.all()),
        team_ids=selectors.team_ids(request.user, store),
        step_form=step_form or _step_form(request, store),
        ship_form=ship_form or ShipForm(),
        statuses=_workflow(plan),
        stored=impact.view(plan.impact),
        live=impact.view(live),
        minimum_reviews=impact.MIN_REVIEWS,
        period_days=impact.PERIOD.days,
    )
    return render(request, "improvements/pages/plan.html", context, status=status)


@login_required
def plan(request, slug: str, pk: int):
    """One plan: problem and evidence, goal, steps, status, and the measured impact."""
    store = store_for_member(request, slug)
    return _render_plan(request, store, _plan(request, store, pk))


@login_required
def edit(request, slug: str, pk: int):
    store = store_for_member(request, slug)
    plan = _plan(request, store, pk)
    is_shipped = plan.status == Plan.Status.SHIPPED
    form = PlanEditForm(
        request.POST or None,
        is_shipped=is_shipped,
        initial={
            "title": plan.title,
            "problem": plan.problem,
            "goal_current": plan.goal_current,
            "goal_target": plan.goal_target,
            "goal_due": plan.goal_due,
            "shipped_at": timezone.localtime(plan.shipped_at) if plan.shipped_at else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(actor=request.user, plan=plan, changes=form.to_changes())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The plan is saved.")
            return redirect("improvements:plan", slug=store.slug, pk=plan.pk)
    context = seller_context(request, store, plan=plan, form=form)
    status = 400 if form.errors else 200
    return render(request, "improvements/pages/edit.html", context, status=status)


@login_required
@require_POST
def change_status(request, slug: str, pk: int):
    store = store_for_member(request, slug)
    plan = _plan(request, store, pk)
    ship_form = ShipForm(request.POST)
    if not ship_form.is_valid():  # a shipping date that is no date is refused, not taken as now
        return _render_plan(request, store, plan, ship_form=ship_form, status=400)
    status = request.POST.get("status", "")
    try:
        plan = services.change_status(
            actor=request.user,
            plan=plan,
            status=status,
            shipped_at=ship_form.cleaned_data["shipped_at"],
        )
    except ApplicationError as error:  # the plan as stored, the reason, the 4xx status
        field = error.details.get("field") if isinstance(error.details, dict) else None
        if field in ship_form.fields:
            add_service_error(ship_form, error)  # e.g. a shipping date in the future
        else:
            messages.error(request, error.message)
        return _render_plan(
            request, store, _plan(request, store, pk), ship_form=ship_form, status=error.status
        )
    messages.success(request, f"The plan is {plan.get_status_display().lower()}.")
    return redirect("improvements:plan", slug=store.slug, pk=plan.pk)


@login_required
@require_POST
def measure(request, slug: str, pk: int):
    """ "Measure now": store the before/after snapshot if enough reviews have arrived."""
    store = store_for_member(request, slug)
    plan = _plan(request, store, pk)
    try:
        plan = services.measure_plan(actor=request.user, plan=plan)
    except ApplicationError as error:
        if error.code == "not_enough_reviews":  # information, not a refusal: try again later
            messages.warning(request, error.message)
            return redirect("improvements:plan", slug=store.slug, pk=plan.pk)
        messages.error(request, error.message)  # e.g. not shipped, or measured already: 409
        return _render_plan(request, store, _plan(request, store, pk), status=error.status)
    messages.success(request, plan.impact["summary"])
    return redirect("improvements:plan", slug=store.slug, pk=plan.pk)


@login_required
@require_POST
def add_step(request, slug: str, pk: int):
    store = store_for_member(request, slug)
    plan = _plan(request, store, pk)
    form = _step_form(request, store, request.POST)
    status = 400
    if form.is_valid():
        try:
            services.add_step(actor=request.user, plan=plan, data=form.to_input())
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            messages.success(request, "Step added.")
            return redirect("improvements:plan", slug=store.slug, pk=plan.pk)
    return _render_plan(request, store, plan, step_form=form, status=status)


def _step(plan: Plan, step_pk: int):
    step = next((step for step in plan.steps.all() if step.pk == step_pk), None)
    if step is None:
        raise Http404("No such step in this plan.")
    return step


@login_required
@require_POST
def complete_step(request, slug: str, pk: int, step_pk: int):
    """Tick a step off; from htmx the answer is the updated step (a 200, even for a refusal,
    so htmx swaps the notice in)."""
    store = store_for_member(request, slug)
    plan = _plan(request, store, pk)
    step = _step(plan, step_pk)
    notice, status = "", 200
    try:
        step = services.complete_step(actor=request.user, step=step)
    except ApplicationError as error:
        notice, status = error.message, error.status
    if request.htmx:
        context = {
            "store": store,
            "plan": plan,
            "step": step,
            "notice": notice,
            "team_ids": selectors.team_ids(request.user, store),
        }
        return render(request, "improvements/partials/step.html", context)
    if notice:  # without htmx: the plan page with the reason and the 4xx status
        messages.error(request, notice)
        return _render_plan(request, store, _plan(request, store, pk), status=status)
    messages.success(request, "Step done.")
    return redirect("improvements:plan", slug=store.slug, pk=plan.pk)


@login_required
def edit_step(request, slug: str, pk: int, step_pk: int):
    store = store_for_member(request, slug)
    plan = _plan(request, store, pk)
    step = _step(plan, step_pk)
    members = selectors.team_users(request.user, store)
    left = step.owner if step.owner and not members.filter(pk=step.owner_id).exists() else None
    form = StepForm(
        request.POST or None,
        members=members,
        former_owner=left,
        initial={
            "text": step.text,
            "owner": None if left else step.owner_id,
            "due_date": step.due_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_step(actor=request.user, step=step, data=form.to_input())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Step saved.")
            return redirect("improvements:plan", slug=store.slug, pk=plan.pk)
    context = seller_context(request, store, plan=plan, step=step, form=form)
    status = 400 if form.errors else 200
    return render(request, "improvements/pages/edit_step.html", context, status=status)
