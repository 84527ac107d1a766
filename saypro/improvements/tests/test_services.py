"""Every rule of the improvements services, and that a refused action changes nothing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import MembershipFactory, ProductFactory
from saypro.core.errors import Conflict, PermissionDenied, ValidationFailed
from saypro.core.testing import postgresql_only, run_at_once
from saypro.improvements import services, tasks
from saypro.improvements.models import Plan, Step
from saypro.improvements.tests.factories import PlanFactory, StepFactory, reviews_between
from saypro.insights import services as insights_services
from saypro.insights.models import RisingIssue
from saypro.insights.tests.factories import (
    RisingIssueFactory,
    ThemeFactory,
    analysed_review,
    sentence,
)

NOW = timezone.now()
TODAY = timezone.localdate(NOW)


def plan_input(product, **overrides) -> services.PlanInput:
    fields = {
        "product": product,
        "template": Plan.Template.CHANGE_SIZING,
        "title": "Fix the sizing of the linen shirt",
        "problem": "Four of ten buyers say it runs small.",
        "goal_metric": Plan.Metric.AVERAGE_RATING,
        "goal_current": 3.2,
        "goal_target": 4.0,
        "goal_due": TODAY + timedelta(days=60),
        "steps": [
            services.StepInput(text="Measure every size", due_date=TODAY + timedelta(days=7)),
            services.StepInput(text="Update the chart", due_date=TODAY + timedelta(days=14)),
        ],
    }
    fields.update(overrides)
    return services.PlanInput(**fields)


def state() -> dict:
    """Everything the services could write, to compare before and after a refusal."""
    return {
        "plans": list(
            Plan.objects.order_by("pk").values_list(
                "pk", "status", "title", "problem", "goal_target", "shipped_at", "impact"
            )
        ),
        "steps": list(
            Step.objects.order_by("pk").values_list("pk", "text", "owner", "completed_at")
        ),
        "issues": list(RisingIssue.objects.order_by("pk").values_list("pk", "status")),
    }


# --- Creating plans ----------------------------------------------------------------------


@pytest.mark.django_db
def test_plan_from_an_issue_marks_it_planned_and_links_its_reviews(
    seller, agent, store, product, issue, complaints
):
    data = plan_input(
        product,
        rising_issue=issue,
        goal_metric=Plan.Metric.NEGATIVE_SHARE,
        goal_current=40,
        goal_target=20,
        steps=[
            services.StepInput(text="Measure", due_date=TODAY + timedelta(days=7), owner=agent),
            services.StepInput(text="Fix the chart", due_date=TODAY + timedelta(days=14)),
        ],
    )

    plan = services.create_plan(actor=seller, store=store, data=data, now=NOW)

    issue.refresh_from_db()
    assert issue.status == RisingIssue.Status.PLANNED
    assert (plan.status, plan.rising_issue, plan.theme) == ("proposed", issue, issue.theme)
    assert plan.is_from_feedback
    assert (plan.goal_current, plan.goal_target, plan.created_by) == (40.0, 20.0, seller)
    assert set(plan.evidence.values_list("pk", flat=True)) == {r.pk for r in complaints[:4]}
    assert list(plan.steps.values_list("position", "text", "owner")) == [
        (1, "Measure", agent.pk),
        (2, "Fix the chart", seller.pk),
    ]


@pytest.mark.django_db
def test_plan_from_a_theme_links_the_negative_reviews_of_the_last_90_days(
    seller, store, product, fit, complaints
):
    old = analysed_review(
        product,
        [sentence("Tiny.", "negative", themes={"fit_size": "negative"})],
        rating=1,
        published_at=NOW - timedelta(days=120),
    )
    later = analysed_review(  # written after the plan's moment (a plan dated in the past)
        product,
        [sentence("Tiny.", "negative", themes={"fit_size": "negative"})],
        rating=1,
        published_at=NOW + timedelta(days=1),
    )
    plan = services.create_plan(
        actor=seller, store=store, data=plan_input(product, theme=fit), now=NOW
    )

    linked = set(plan.evidence.values_list("pk", flat=True))
    assert linked == {review.pk for review in complaints[:4]}
    assert old.pk not in linked and later.pk not in linked


@pytest.mark.django_db
def test_plan_from_a_suggestion(seller, store, product):
    review = analysed_review(
        product,
        [sentence("Please add pockets.", suggestion="pockets")],
        published_at=NOW - timedelta(hours=1),
    )
    plan = services.create_plan(
        actor=seller,
        store=store,
        data=plan_input(
            product, template=Plan.Template.REQUESTED_FEATURE, suggestion_key="pockets"
        ),
        now=NOW,
    )

    assert plan.suggestion_key == "pockets"
    assert plan.is_from_feedback
    assert list(plan.evidence.values_list("pk", flat=True)) == [review.pk]


@pytest.mark.django_db
def test_plan_without_feedback_is_allowed_but_not_from_feedback(seller, store, product):
    plan = services.create_plan(actor=seller, store=store, data=plan_input(product), now=NOW)

    assert not plan.is_from_feedback
    assert plan.evidence.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 161}, "title"),
        ({"problem": ""}, "problem"),
        ({"template": "magic"}, "template"),
        ({"goal_metric": "sales"}, "goal_metric"),
        ({"goal_metric": Plan.Metric.NEGATIVE_SHARE, "goal_target": 10}, "goal_metric"),
        ({"goal_target": 6}, "goal_target"),
        ({"goal_target": float("nan")}, "goal_target"),
        ({"goal_current": 0.5}, "goal_current"),
        ({"goal_due": TODAY - timedelta(days=1)}, "goal_due"),
        ({"goal_due": TODAY + services.FURTHEST_DUE + timedelta(days=1)}, "goal_due"),
        ({"goal_current": 3.2, "goal_target": 3.2}, "goal_target"),
        ({"goal_current": 5, "goal_target": 4.9}, "goal_target"),
        ({"goal_current": 4.5, "goal_target": 4.0}, "goal_target"),
        (
            {"theme": "fit", "goal_metric": Plan.Metric.NEGATIVE_SHARE, "goal_current": 43},
            "goal_target",
        ),
        (
            {"steps": [services.StepInput(text="Do it", due_date=TODAY - timedelta(days=1))]},
            "due_date",
        ),
        (
            {"steps": [services.StepInput(text="Do it", due_date=date(9999, 12, 31))]},
            "due_date",
        ),
        ({"steps": []}, "steps"),
        ({"steps": [services.StepInput(text="", due_date=TODAY)]}, "text"),
        ({"steps": [services.StepInput(text="Do it", due_date=None)]}, "due_date"),
        ({"suggestion_key": "pockets"}, "suggestion_key"),
        ({"evidence": [999_999]}, "evidence"),
    ],
)
def test_invalid_plans_are_refused_and_nothing_is_written(
    request, seller, store, product, overrides, field
):
    if overrides.get("theme") == "fit":
        overrides = {**overrides, "theme": request.getfixturevalue("fit"), "goal_target": 90}
    before = state()

    with pytest.raises(ValidationFailed) as refused:
        services.create_plan(
            actor=seller, store=store, data=plan_input(product, **overrides), now=NOW
        )

    assert refused.value.details == {"field": field}
    assert state() == before


@pytest.mark.django_db
def test_product_of_another_store_is_refused(seller, store):
    before = state()
    with pytest.raises(ValidationFailed) as refused:
        services.create_plan(actor=seller, store=store, data=plan_input(ProductFactory()), now=NOW)
    assert refused.value.details == {"field": "product"}
    assert state() == before


@pytest.mark.django_db
def test_step_owner_must_be_on_the_team(seller, store, product, rival):
    step = services.StepInput(text="Measure", due_date=TODAY, owner=rival)
    before = state()
    with pytest.raises(ValidationFailed) as refused:
        services.create_plan(
            actor=seller, store=store, data=plan_input(product, steps=[step]), now=NOW
        )
    assert refused.value.details == {"field": "owner"}
    assert state() == before


@pytest.mark.django_db
def test_evidence_must_be_reviews_of_the_product(seller, store, product, complaints):
    other = ProductFactory(store=store)
    elsewhere = analysed_review(other, [sentence("Fine.")])
    before = state()
    with pytest.raises(ValidationFailed):
        services.create_plan(
            actor=seller,
            store=store,
            data=plan_input(product, evidence=[complaints[0].pk, elsewhere.pk]),
            now=NOW,
        )
    assert state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["buyer", "rival", "staff"])
def test_only_the_team_creates_plans(request, role, store, product, issue):
    before = state()
    with pytest.raises(PermissionDenied):
        services.create_plan(
            actor=request.getfixturevalue(role),
            store=store,
            data=plan_input(product, rising_issue=issue),
            now=NOW,
        )
    assert state() == before


@pytest.mark.django_db
def test_an_issue_gets_one_live_plan(seller, store, product, issue):
    first = services.create_plan(
        actor=seller, store=store, data=plan_input(product, rising_issue=issue), now=NOW
    )
    before = state()

    with pytest.raises(Conflict) as refused:
        services.create_plan(
            actor=seller, store=store, data=plan_input(product, rising_issue=issue), now=NOW
        )

    assert refused.value.code == "already_planned"
    assert refused.value.details == {"plan_id": first.pk}
    assert (
        refused.value.message
        == "This issue already has a plan: “Fix the sizing of the linen shirt”."
    )
    assert state() == before


def pockets_requested(product) -> dict:
    """A review of ``product`` asking for pockets; the plan fields naming that suggestion."""
    analysed_review(
        product,
        [sentence("Please add pockets.", suggestion="pockets")],
        published_at=NOW - timedelta(hours=1),
    )
    return {"suggestion_key": "pockets"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "refusal"),
    [
        ("theme", "Linen shirt already has a plan about Fit & size"),
        ("suggestion", "Linen shirt already has a plan for the suggestion “pockets”"),
    ],
)
def test_a_theme_or_a_suggestion_gets_one_open_plan_per_product(
    seller, store, product, fit, source, refusal
):
    subject = {"theme": fit} if source == "theme" else pockets_requested(product)
    first = services.create_plan(
        actor=seller, store=store, data=plan_input(product, **subject), now=NOW
    )
    before = state()

    with pytest.raises(Conflict) as refused:  # "Save plan" clicked twice
        services.create_plan(
            actor=seller, store=store, data=plan_input(product, **subject), now=NOW
        )

    assert (refused.value.code, refused.value.details) == ("already_planned", {"plan_id": first.pk})
    assert refused.value.message == f"{refusal}: “Fix the sizing of the linen shirt”."
    assert state() == before


@pytest.mark.django_db
def test_an_issue_about_a_theme_with_an_open_plan_is_refused(seller, store, product, issue):
    first = services.create_plan(
        actor=seller,
        store=store,
        data=plan_input(product, theme=issue.theme, title="Reword the size chart"),
        now=NOW,
    )
    before = state()

    with pytest.raises(Conflict) as refused:
        services.create_plan(
            actor=seller, store=store, data=plan_input(product, rising_issue=issue), now=NOW
        )

    assert refused.value.details == {"plan_id": first.pk}
    assert refused.value.message == (
        "Linen shirt already has a plan about Fit & size: “Reword the size chart”."
    )
    assert state() == before  # the issue is still open


@pytest.mark.django_db
def test_a_measured_plan_or_another_products_plan_leaves_room_for_a_new_one(
    seller, store, product, fit
):
    subject = {"theme": fit, **pockets_requested(product)}
    PlanFactory(product=product, status="measured", shipped_at=NOW - timedelta(days=1), **subject)
    PlanFactory(product=ProductFactory(store=store), **subject)

    plan = services.create_plan(
        actor=seller, store=store, data=plan_input(product, **subject), now=NOW
    )

    assert Plan.objects.filter(product=product, status="proposed").get() == plan


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("source", ["issue", "theme", "suggestion"])
def test_two_saves_at_once_make_one_plan(seller, store, product, fit, source):
    if source == "issue":
        subject = {"rising_issue": RisingIssueFactory(product=product, theme=fit)}
    else:
        subject = {"theme": fit} if source == "theme" else pockets_requested(product)
    data = plan_input(product, **subject)

    results = run_at_once(
        [lambda: services.create_plan(actor=seller, store=store, data=data, now=NOW)] * 2
    )

    plans = [result for result in results if isinstance(result, Plan)]
    refused = [result for result in results if isinstance(result, Conflict)]
    assert (len(plans), len(refused)) == (1, 1), results
    assert refused[0].details == {"plan_id": plans[0].pk}
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_issue_of_another_product_or_dismissed_is_refused(seller, store, product, fit):
    other = RisingIssueFactory(product=ProductFactory(store=store), theme=fit)
    dismissed = RisingIssueFactory(
        product=product, theme=ThemeFactory(slug="quality"), status="dismissed"
    )
    before = state()
    for issue in (other, dismissed):
        with pytest.raises(ValidationFailed) as refused:
            services.create_plan(
                actor=seller, store=store, data=plan_input(product, rising_issue=issue), now=NOW
            )
        assert refused.value.details == {"field": "rising_issue"}
    assert state() == before


@pytest.mark.django_db
def test_issue_theme_must_match_the_plan_theme(seller, store, product, issue):
    before = state()
    with pytest.raises(ValidationFailed) as refused:
        services.create_plan(
            actor=seller,
            store=store,
            data=plan_input(product, rising_issue=issue, theme=ThemeFactory(slug="quality")),
            now=NOW,
        )
    assert refused.value.details == {"field": "theme"}
    assert state() == before


# --- Status --------------------------------------------------------------------------------


@pytest.fixture
def plan(seller, store, product, fit):
    return services.create_plan(
        actor=seller,
        store=store,
        data=plan_input(
            product,
            theme=fit,
            goal_metric=Plan.Metric.NEGATIVE_SHARE,
            goal_current=40,
            goal_target=20,
        ),
        now=NOW - timedelta(days=10),
    )


@pytest.mark.django_db
def test_the_workflow_moves_forward_one_step_at_a_time(plan, agent):
    shipped_at = NOW - timedelta(days=2)

    services.change_status(actor=agent, plan=plan, status="in_progress", now=NOW)
    services.change_status(actor=agent, plan=plan, status="proposed", now=NOW)
    services.change_status(actor=agent, plan=plan, status="in_progress", now=NOW)
    plan = services.change_status(
        actor=agent, plan=plan, status="shipped", shipped_at=shipped_at, now=NOW
    )

    plan.refresh_from_db()
    assert (plan.status, plan.shipped_at, plan.updated_at) == ("shipped", shipped_at, NOW)


@pytest.mark.django_db
def test_shipping_defaults_to_now(plan, seller):
    services.change_status(actor=seller, plan=plan, status="in_progress", now=NOW)
    plan = services.change_status(actor=seller, plan=plan, status="shipped", now=NOW)
    assert plan.shipped_at == NOW


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ([], "shipped"),
        ([], "measured"),
        ([], "proposed"),
        (["in_progress"], "measured"),
        (["in_progress", "shipped"], "in_progress"),
        (["in_progress", "shipped"], "proposed"),
    ],
)
def test_other_transitions_are_refused(plan, seller, path, status):
    for step in path:
        services.change_status(actor=seller, plan=plan, status=step, now=NOW)
    before = state()

    with pytest.raises(Conflict) as refused:
        services.change_status(actor=seller, plan=plan, status=status, now=NOW)

    assert refused.value.code == "invalid_transition"
    assert state() == before


@pytest.mark.django_db
def test_unknown_status_is_a_validation_error(plan, seller):
    with pytest.raises(ValidationFailed):
        services.change_status(actor=seller, plan=plan, status="done", now=NOW)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "shipped_at", [NOW + timedelta(minutes=1), NOW - timedelta(days=11)], ids=["future", "early"]
)
def test_shipping_date_must_be_between_the_plan_and_now(plan, seller, shipped_at):
    services.change_status(actor=seller, plan=plan, status="in_progress", now=NOW)
    before = state()
    with pytest.raises(ValidationFailed) as refused:
        services.change_status(
            actor=seller, plan=plan, status="shipped", shipped_at=shipped_at, now=NOW
        )
    assert refused.value.details == {"field": "shipped_at"}
    assert state() == before


@pytest.mark.django_db
def test_measured_needs_enough_reviews(plan, seller):
    services.change_status(actor=seller, plan=plan, status="in_progress", now=NOW)
    services.change_status(actor=seller, plan=plan, status="shipped", now=NOW)
    before = state()

    with pytest.raises(Conflict) as refused:
        services.change_status(actor=seller, plan=plan, status="measured", now=NOW)

    assert refused.value.code == "not_enough_reviews"
    assert "needs 20 reviews after shipping" in refused.value.message
    assert state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["buyer", "rival", "staff"])
def test_only_the_team_changes_a_plan(request, role, plan):
    step = StepFactory(plan=plan)
    actor = request.getfixturevalue(role)
    before = state()

    calls = [
        lambda: services.change_status(actor=actor, plan=plan, status="in_progress"),
        lambda: services.update_plan(
            actor=actor, plan=plan, changes=services.PlanChanges(title="Mine now")
        ),
        lambda: services.add_step(
            actor=actor, plan=plan, data=services.StepInput(text="x", due_date=TODAY)
        ),
        lambda: services.edit_step(
            actor=actor, step=step, data=services.StepInput(text="x", due_date=TODAY)
        ),
        lambda: services.complete_step(actor=actor, step=step),
        lambda: services.measure_plan(actor=actor, plan=plan),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert state() == before


# --- Editing and steps ------------------------------------------------------------------------


@pytest.mark.django_db
def test_update_plan_changes_text_and_goal(plan, seller):
    plan = services.update_plan(
        actor=seller,
        plan=plan,
        changes=services.PlanChanges(
            title="Sizing, take two", goal_target=15, goal_due=TODAY + timedelta(days=30)
        ),
        now=NOW,
    )
    plan.refresh_from_db()
    assert (plan.title, plan.goal_current, plan.goal_target, plan.goal_due) == (
        "Sizing, take two",
        40.0,
        15.0,
        TODAY + timedelta(days=30),
    )


@pytest.mark.django_db
def test_update_plan_validates_goal_in_the_metric_unit(plan, seller):
    before = state()
    with pytest.raises(ValidationFailed) as refused:
        services.update_plan(actor=seller, plan=plan, changes=services.PlanChanges(goal_target=101))
    assert refused.value.details == {"field": "goal_target"}
    assert state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        services.PlanChanges(goal_target=40),
        services.PlanChanges(goal_current=10),
        services.PlanChanges(goal_due=TODAY - timedelta(days=1)),
        services.PlanChanges(goal_due=date(9999, 12, 31)),
    ],
)
def test_update_plan_refuses_a_goal_that_is_no_improvement_or_already_past(plan, seller, changes):
    before = state()
    with pytest.raises(ValidationFailed):
        services.update_plan(actor=seller, plan=plan, changes=changes, now=NOW)
    assert state() == before


@pytest.mark.django_db
def test_a_past_due_date_already_set_can_stay(plan, seller):
    step = plan.steps.first()
    past = TODAY - timedelta(days=5)
    Step.objects.filter(pk=step.pk).update(due_date=past)
    Plan.objects.filter(pk=plan.pk).update(goal_due=past)
    plan.refresh_from_db()

    plan = services.update_plan(
        actor=seller, plan=plan, changes=services.PlanChanges(title="Still late"), now=NOW
    )
    edited = services.edit_step(
        actor=seller, step=step, data=services.StepInput(text="Measure again", due_date=past)
    )
    plan = services.update_plan(
        actor=seller, plan=plan, changes=services.PlanChanges(goal_target=20, goal_due=past)
    )

    assert (edited.text, edited.due_date, plan.goal_target, plan.goal_due) == (
        "Measure again",
        past,
        20.0,
        past,
    )
    with pytest.raises(ValidationFailed) as refused:
        services.add_step(
            actor=seller, plan=plan, data=services.StepInput(text="Late", due_date=past)
        )
    assert refused.value.details == {"field": "due_date"}


@pytest.mark.django_db
def test_shipping_date_is_corrected_only_while_shipped(plan, seller):
    corrected = NOW - timedelta(days=3)
    with pytest.raises(Conflict):
        services.update_plan(
            actor=seller, plan=plan, changes=services.PlanChanges(shipped_at=corrected), now=NOW
        )
    services.change_status(actor=seller, plan=plan, status="in_progress", now=NOW)
    services.change_status(actor=seller, plan=plan, status="shipped", now=NOW)

    plan = services.update_plan(
        actor=seller, plan=plan, changes=services.PlanChanges(shipped_at=corrected), now=NOW
    )

    assert plan.shipped_at == corrected


@pytest.mark.django_db
def test_steps_are_added_edited_and_completed(plan, seller, agent):
    added = services.add_step(
        actor=agent,
        plan=plan,
        data=services.StepInput(text="Tell the buyers", due_date=TODAY, owner=seller),
        now=NOW,
    )
    assert (added.position, added.owner, added.plan) == (3, seller, plan)

    edited = services.edit_step(
        actor=agent,
        step=added,
        data=services.StepInput(text="Tell every buyer", due_date=TODAY + timedelta(days=1)),
    )
    assert (edited.text, edited.owner, edited.due_date) == (
        "Tell every buyer",
        agent,
        TODAY + timedelta(days=1),
    )

    done = services.complete_step(actor=seller, step=edited, now=NOW)
    assert (done.completed_at, done.completed_by) == (NOW, seller)
    with pytest.raises(Conflict) as refused:
        services.complete_step(actor=seller, step=done)
    assert refused.value.code == "already_done"


@pytest.mark.django_db
def test_step_owner_from_another_store_is_refused(plan, seller, rival):
    before = state()
    with pytest.raises(ValidationFailed):
        services.add_step(
            actor=seller,
            plan=plan,
            data=services.StepInput(text="Ask the rival", due_date=TODAY, owner=rival),
        )
    assert state() == before


@pytest.mark.django_db
def test_a_new_team_member_can_own_steps(plan, seller, store):
    newcomer = MembershipFactory(store=store, user=UserFactory(), role="agent").user
    step = services.add_step(
        actor=seller,
        plan=plan,
        data=services.StepInput(text="Photograph it", due_date=TODAY, owner=newcomer),
    )
    assert step.owner == newcomer


# --- Measuring ----------------------------------------------------------------------------------


def _ship(plan, actor, shipped_at):
    services.change_status(actor=actor, plan=plan, status="in_progress", now=shipped_at)
    return services.change_status(
        actor=actor, plan=plan, status="shipped", shipped_at=shipped_at, now=shipped_at
    )


@pytest.mark.django_db
def test_a_measured_plan_is_history(plan, seller, product):
    shipped_at = NOW - timedelta(days=5)
    reviews_between(
        product, start=shipped_at - timedelta(days=5), end=shipped_at, count=20, negative=8
    )
    reviews_between(product, start=shipped_at, end=NOW, count=20, negative=2)
    step = plan.steps.first()
    _ship(plan, seller, shipped_at)
    services.measure_plan(actor=seller, plan=plan, now=NOW)
    before = state()

    for call in (
        lambda: services.update_plan(
            actor=seller, plan=plan, changes=services.PlanChanges(title="Rewrite history")
        ),
        lambda: services.add_step(
            actor=seller, plan=plan, data=services.StepInput(text="x", due_date=TODAY)
        ),
        lambda: services.complete_step(actor=seller, step=step),
        lambda: services.measure_plan(actor=seller, plan=plan),
    ):
        with pytest.raises(Conflict) as refused:
            call()
        assert refused.value.code == "plan_measured"
    assert state() == before


@pytest.mark.django_db
def test_only_shipped_plans_are_measured(plan, seller):
    with pytest.raises(Conflict) as refused:
        services.measure_plan(actor=seller, plan=plan, now=NOW)
    assert refused.value.code == "not_shipped"


@pytest.mark.django_db
def test_the_daily_task_measures_the_plans_that_are_ready(seller, store, product, fit):
    made = NOW - timedelta(days=30)
    ready = PlanFactory(
        product=product, theme=fit, goal_metric="negative_share", goal_target=10, created_at=made
    )
    waiting = PlanFactory(product=ProductFactory(store=store), goal_target=4.5, created_at=made)
    shipped_at = NOW - timedelta(days=10)
    for candidate in (ready, waiting):
        _ship(candidate, seller, shipped_at)
    reviews_between(
        product, start=shipped_at - timedelta(days=10), end=shipped_at, count=20, negative=8
    )
    reviews_between(product, start=shipped_at, end=NOW, count=20, negative=2)

    counts = tasks.measure_shipped_plans.call_local()

    assert counts == {"measured": 1, "waiting": 1}
    ready.refresh_from_db()
    waiting.refresh_from_db()
    assert (ready.status, waiting.status) == ("measured", "shipped")
    assert tasks.measure_shipped_plans.call_local() == {"measured": 0, "waiting": 1}


# --- A measured success resolves the rising issue ----------------------------------------


@pytest.fixture
def issue_plan(seller, store, product, issue):
    """A plan made from the open fit issue 10 days ago (so the issue is planned)."""
    return services.create_plan(
        actor=seller,
        store=store,
        data=plan_input(
            product,
            rising_issue=issue,
            goal_metric=Plan.Metric.NEGATIVE_SHARE,
            goal_current=40,
            goal_target=20,
        ),
        now=NOW - timedelta(days=10),
    )


def _shipped_with_reviews(plan, seller, product, *, before_negative: int, after_negative: int):
    """Ship ``plan`` 5 days ago with 20 reviews in the 5 days before and 20 since; the first
    ``before_negative`` / ``after_negative`` of each complain about fit."""
    shipped_at = NOW - timedelta(days=5)
    reviews_between(
        product,
        start=shipped_at - timedelta(days=5),
        end=shipped_at,
        count=20,
        negative=before_negative,
    )
    reviews_between(product, start=shipped_at, end=NOW, count=20, negative=after_negative)
    _ship(plan, seller, shipped_at)


@pytest.mark.django_db
def test_a_plan_that_helped_resolves_its_planned_issue(issue_plan, seller, product, issue):
    _shipped_with_reviews(issue_plan, seller, product, before_negative=12, after_negative=1)
    started = timezone.now()

    plan = services.measure_plan(actor=seller, plan=issue_plan, now=NOW)

    issue.refresh_from_db()
    assert (plan.status, plan.verdict) == ("measured", "helped")
    assert (issue.status, plan.rising_issue.status) == ("resolved", "resolved")
    assert issue.checked_at >= started


@pytest.mark.django_db
def test_the_daily_task_resolves_the_issue_of_a_plan_that_helped(
    issue_plan, seller, product, issue
):
    _shipped_with_reviews(issue_plan, seller, product, before_negative=12, after_negative=1)

    assert tasks.measure_shipped_plans.call_local() == {"measured": 1, "waiting": 0}

    issue.refresh_from_db()
    assert issue.status == "resolved"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("before_negative", "after_negative", "verdict"),
    [(8, 7, "no_clear_change"), (1, 12, "got_worse")],
)
def test_a_plan_that_did_not_help_leaves_its_issue_planned(
    issue_plan, seller, product, issue, before_negative, after_negative, verdict
):
    _shipped_with_reviews(
        issue_plan,
        seller,
        product,
        before_negative=before_negative,
        after_negative=after_negative,
    )

    plan = services.measure_plan(actor=seller, plan=issue_plan, now=NOW)

    issue.refresh_from_db()
    assert (plan.status, plan.verdict, issue.status) == ("measured", verdict, "planned")


@pytest.mark.django_db
def test_only_a_planned_issue_is_resolved(issue_plan, seller, product, issue):
    """An issue the team reopened after planning stays open when the plan helps."""
    insights_services.set_issue_status(actor=seller, issue=issue, status="open")
    _shipped_with_reviews(issue_plan, seller, product, before_negative=12, after_negative=1)

    plan = services.measure_plan(actor=seller, plan=issue_plan, now=NOW)

    issue.refresh_from_db()
    assert (plan.verdict, issue.status) == ("helped", "open")


@pytest.mark.django_db
def test_a_goal_further_than_two_years_says_by_when(seller, store, product):
    with pytest.raises(ValidationFailed) as refused:
        services.create_plan(
            actor=seller,
            store=store,
            data=plan_input(product, goal_due=date(9999, 12, 31)),
            now=NOW,
        )
    latest = TODAY + timedelta(days=730)
    assert refused.value.message == (
        "The due date of the goal is more than two years away; "
        f"choose {latest.day} {latest:%b %Y} or earlier."
    )
