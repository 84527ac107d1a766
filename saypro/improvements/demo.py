"""Demo improvement plan: the demo owner's store already fixed a sizing problem, and it helped.

Runs last in ``saypro demo``, after the reviews are analysed
(``saypro.insights.demo``) and in the same transaction. The "sizing" story
product (``saypro.catalog.demo.STORIES``: women's clothing in the demo owner's
store) ran small until a change reached buyers ``FIX_SHIPPED_DAYS`` (70) days
before ``now``; its reviews say so (``saypro.reviews.demo``). This module
plays the store's side through the same services a seller's clicks call,
each at the moment it would have happened:

- four weeks before shipping, the owner creates a plan from the "Fit & size"
  theme with the template's draft (``selectors.plan_draft`` as of that day:
  the problem statement quotes the reviews of the 90 days before, and the
  evidence links them);
- the next day it is in progress; the owner and the agent tick off its steps
  as they fall due;
- it is marked shipped at ``fix_shipped_at(now)``;
- and it is measured as of ``now``, as the daily task would: 70 days after
  shipping against the 70 days before, a significant drop in negative fit
  mentions, so the verdict is "helped".

Idempotent: nothing is written when the product already has a plan, or when
there is no demo marketplace (or no team to write the plan).
"""

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from saypro.catalog.demo import DEFAULT_SEED, fix_shipped_at, story_products_in_database
from saypro.catalog.models import Product, StoreMembership
from saypro.core.errors import Conflict
from saypro.improvements import selectors, services
from saypro.improvements.models import Plan
from saypro.insights.models import Theme

STORY = "sizing"
THEME = "fit_size"
PLANNED_BEFORE_SHIPPING = timedelta(days=28)
STARTED_AFTER_PLANNING = timedelta(days=1)
SHIPPING_RECORDED_AFTER = timedelta(hours=2)  # marked shipped that morning
STEP_DONE_BEFORE_DUE = timedelta(days=1, hours=2)


@dataclass(frozen=True)
class PlansReport:
    created: bool
    store: str = ""
    product: str = ""
    title: str = ""
    verdict: str = ""  # "" while not measured
    summary: str = ""
    seconds: float = 0.0


def load_demo_plans(*, seed: int = DEFAULT_SEED, now: datetime) -> PlansReport:
    """Create, ship and measure the demo's improvement plan (see the module docstring)."""
    started = time.monotonic()
    product_pk = story_products_in_database(seed).get(STORY)
    theme = Theme.objects.filter(slug=THEME, is_active=True).first()
    if product_pk is None or theme is None:
        return PlansReport(created=False, seconds=time.monotonic() - started)
    product = Product.objects.select_related("store").get(pk=product_pk)
    store = product.store
    team = [
        membership.user
        for membership in StoreMembership.objects.filter(store=store)
        .select_related("user")
        .order_by("created_at", "pk")
    ]
    if not team or Plan.objects.filter(product=product).exists():
        return PlansReport(created=False, seconds=time.monotonic() - started)
    owner = team[0]

    shipped_at = fix_shipped_at(now)
    planned_at = shipped_at - PLANNED_BEFORE_SHIPPING
    draft = selectors.plan_draft(selectors.Source(product=product, theme=theme), now=planned_at)
    data = services.PlanInput(
        product=product,
        template=draft.template,
        title=draft.title,
        problem=draft.problem,
        goal_metric=draft.goal_metric,
        goal_current=draft.goal_current,
        goal_target=draft.goal_target,
        goal_due=draft.goal_due,
        steps=[
            services.StepInput(
                text=step.text, due_date=step.due_date, owner=team[index % len(team)]
            )
            for index, step in enumerate(draft.steps)
        ],
        theme=theme,
    )
    plan = services.create_plan(actor=owner, store=store, data=data, now=planned_at)
    services.change_status(
        actor=owner,
        plan=plan,
        status=Plan.Status.IN_PROGRESS,
        now=planned_at + STARTED_AFTER_PLANNING,
    )
    steps = list(plan.steps.select_related("owner").order_by("position"))
    for step in steps:  # done the day before it fell due, the last one after shipping
        done_at = min(_moment(step.due_date, planned_at) - STEP_DONE_BEFORE_DUE, now)
        if done_at < shipped_at:
            services.complete_step(actor=step.owner, step=step, now=done_at)
    services.change_status(
        actor=owner,
        plan=plan,
        status=Plan.Status.SHIPPED,
        shipped_at=shipped_at,
        now=shipped_at + SHIPPING_RECORDED_AFTER,
    )
    for step in steps:
        done_at = min(_moment(step.due_date, planned_at) - STEP_DONE_BEFORE_DUE, now)
        if done_at >= shipped_at:
            services.complete_step(actor=step.owner, step=step, now=done_at)
    try:
        plan = services.measure_plan(actor=None, plan=plan, now=now)
    except Conflict:  # too few reviews yet (a marketplace loaded before the stories): later
        plan.refresh_from_db()
    return PlansReport(
        created=True,
        store=store.name,
        product=product.title,
        title=plan.title,
        verdict=plan.verdict,
        summary=(plan.impact or {}).get("summary", ""),
        seconds=time.monotonic() - started,
    )


def _moment(day: date, like: datetime) -> datetime:
    """``day`` (a marketplace date) at the time of day of ``like``."""
    return like + timedelta(days=(day - timezone.localdate(like)).days)
