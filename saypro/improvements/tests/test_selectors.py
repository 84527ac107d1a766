"""Reads: candidates ranked by priority (exact scores), drafts, access per role, the KPI."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from saypro.catalog.tests.factories import ProductFactory, StoreFactory
from saypro.improvements import selectors
from saypro.improvements.models import Plan
from saypro.improvements.tests.factories import PlanFactory, StepFactory
from saypro.insights.tests.factories import (
    RisingIssueFactory,
    ThemeFactory,
    analysed_review,
    sentence,
)

NOW = timezone.now()
RECENTLY = NOW - timedelta(days=5)


def fit_review(product, *, negative: bool, rating: int, suggestion: str | None = None):
    value = "negative" if negative else "positive"
    sentences = [
        sentence("It runs small." if negative else "Fits well.", value, themes={"fit_size": value})
    ]
    if suggestion:
        sentences.append(sentence("Please add pockets.", suggestion=suggestion))
    return analysed_review(product, sentences, rating=rating, published_at=RECENTLY)


@pytest.fixture
def shop(store, product, fit):
    """Two products with reviews of the last 90 days (see each line for the figures).

    Linen shirt (average (6×1 + 4×4 + 10×5) / 20 = 3.6★): fit is mentioned by 10 reviews,
    6 negatively (1★) and 4 positively (4★); 2 of the negative ones ask for pockets; one
    5★ review asks for a zip; a topic issue "Zip breaks" (3 complaints) has two 1★ reviews
    as evidence. Canvas bag (average (4×2 + 4×4) / 8 = 3.0★): 4 negative quality mentions
    (2★), an open rising issue about quality, and a plan for it.
    """
    negative = [
        fit_review(product, negative=True, rating=1, suggestion="pockets" if n < 2 else None)
        for n in range(6)
    ]
    for _ in range(4):
        fit_review(product, negative=False, rating=4)
    analysed_review(
        product,
        [
            sentence("Lovely.", "positive", themes={"comfort": "positive"}),
            sentence("A zip would help.", suggestion="zip"),
        ],
        rating=5,
        published_at=RECENTLY,
    )
    for _ in range(9):
        analysed_review(product, [sentence("Lovely.", "positive")], rating=5, published_at=RECENTLY)
    topic = RisingIssueFactory(
        product=product,
        theme=None,
        topic="Zip breaks",
        recent_count=3,
        evidence=[negative[0].pk, negative[1].pk],
    )
    bag = ProductFactory(store=store, title="Canvas bag")
    quality = ThemeFactory(slug="quality", name="Quality")
    for _ in range(4):
        analysed_review(
            bag,
            [sentence("Seams split.", "negative", themes={"quality": "negative"})],
            rating=2,
            published_at=RECENTLY,
        )
        analysed_review(bag, [sentence("Fine bag.", "neutral")], rating=4, published_at=RECENTLY)
    issue = RisingIssueFactory(product=bag, theme=quality)
    plan = PlanFactory(product=bag, theme=quality, rising_issue=issue)
    PlanFactory(product=product, theme=fit, status="measured", shipped_at=NOW - timedelta(days=1))
    return {"bag": bag, "topic": topic, "issue": issue, "plan": plan, "quality": quality}


@pytest.mark.django_db
def test_candidates_are_ranked_by_frequency_negativity_and_rating_drag(seller, product, shop):
    candidates = selectors.plan_candidates(seller, product.store, now=NOW)

    assert [
        (
            c.kind,
            c.subject,
            c.product.title,
            c.frequency,
            round(c.negativity, 2),
            None if c.rating_drag is None else round(c.rating_drag, 2),
            c.score,
        )
        for c in candidates
    ] == [
        # 10 mentions × 6/10 negative × (1 + (3.6 − 2.2))
        ("theme", "Fit & size", "Linen shirt", 10, 0.6, -1.4, 14.4),
        # 3 complaints × 1 × (1 + (3.6 − 1))
        ("issue", "Zip breaks", "Linen shirt", 3, 1.0, -2.6, 10.8),
        # 4 mentions × 4/4 × (1 + (3.0 − 2.0))
        ("issue", "Quality & durability", "Canvas bag", 4, 1.0, -1.0, 8.0),
        # 2 reviews × 2/2 negative × (1 + (3.6 − 1))
        ("suggestion", "Pockets", "Linen shirt", 2, 1.0, -2.6, 7.2),
        # 1 review, not negative: a 5★ review lifts the average, so weight 1
        ("suggestion", "Zip", "Linen shirt", 1, 0.0, 1.4, 0.0),
    ]
    fit_candidate, topic_candidate, quality_candidate, pockets, _ = candidates
    assert fit_candidate.plan is None  # its only plan is measured
    assert quality_candidate.plan == shop["plan"]
    assert topic_candidate.issue == shop["topic"]
    assert fit_candidate.new_query == f"theme=fit_size&product={product.pk}"
    assert topic_candidate.new_query == f"issue={shop['topic'].pk}"
    assert pockets.new_query == f"suggestion=pockets&product={product.pk}"


@pytest.mark.django_db
def test_an_issue_whose_theme_has_an_open_plan_links_to_that_plan(seller, store, product, fit):
    fit_review(product, negative=True, rating=1)
    plan = PlanFactory(product=product, theme=fit)  # made from the theme before the issue rose
    issue = RisingIssueFactory(product=product, theme=fit)

    [candidate] = selectors.plan_candidates(seller, store, now=NOW)

    assert (candidate.kind, candidate.issue, candidate.plan) == ("issue", issue, plan)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["buyer", "rival", "staff"])
def test_candidates_are_for_the_team_only(request, role, store, shop):
    assert selectors.plan_candidates(request.getfixturevalue(role), store, now=NOW) == []


@pytest.mark.django_db
def test_old_feedback_is_not_a_candidate(seller, store, product, fit):
    analysed_review(
        product,
        [sentence("Tiny.", "negative", themes={"fit_size": "negative"})],
        rating=1,
        published_at=NOW - timedelta(days=91),
    )
    assert selectors.plan_candidates(seller, store, now=NOW) == []


# --- Drafts ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_theme_draft_uses_the_fitting_template_with_the_products_numbers(
    product, fit, complaints
):
    draft = selectors.plan_draft(selectors.Source(product=product, theme=fit), now=NOW)

    assert draft.template == "change_sizing"
    assert draft.title == "Fix the sizing of Linen shirt"
    assert draft.problem.startswith(
        "4 of the 10 reviews of Linen shirt published in the last 90 days complain about "
        "fit & size (40 %)."
    )
    assert (draft.goal_metric, draft.goal_current, draft.goal_target) == (
        "negative_share",
        40.0,
        20.0,
    )
    assert draft.goal_due == timezone.localdate(NOW) + timedelta(days=90)
    assert len(draft.steps) == 5
    assert all("Linen shirt" in step.text for step in draft.steps[:4])
    assert [step.due_date for step in draft.steps] == [
        timezone.localdate(NOW) + timedelta(days=7 * n) for n in range(1, 6)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("template", "steps"),
    [
        ("recurring_defect", 5),
        ("clarify_listing", 4),
        ("change_sizing", 5),
        ("packaging_delivery", 5),
        ("requested_feature", 4),
    ],
)
def test_every_template_fills_in_three_to_five_concrete_steps(product, fit, template, steps):
    draft = selectors.plan_draft(
        selectors.Source(product=product, theme=fit), template=template, now=NOW
    )
    assert draft.template == template
    assert len(draft.steps) == steps
    for text in [draft.title, draft.problem, *(step.text for step in draft.steps)]:
        assert "{" not in text and "[" not in text and "TODO" not in text


@pytest.mark.django_db
def test_a_suggestion_draft_aims_at_the_rating(product):
    analysed_review(
        product,
        [sentence("Please add pockets.", suggestion="pockets")],
        rating=4,
        published_at=RECENTLY,
    )
    analysed_review(product, [sentence("Great.", "positive")], rating=5, published_at=RECENTLY)

    draft = selectors.plan_draft(
        selectors.Source(product=product, suggestion_key="pockets"), now=NOW
    )

    assert draft.template == "requested_feature"
    assert draft.title == "Add “pockets” to Linen shirt"
    assert draft.problem.startswith(
        "1 review of Linen shirt in the last 90 days asks for “pockets”. Buyers like"
    )
    assert (draft.goal_metric, draft.goal_current, draft.goal_target) == (
        "average_rating",
        4.5,
        4.8,
    )


@pytest.mark.django_db
def test_an_issue_draft_takes_the_issues_theme(product, issue):
    draft = selectors.plan_draft(selectors.Source(product=product, issue=issue), now=NOW)
    assert (draft.template, draft.goal_metric, draft.goal_current) == (
        "change_sizing",
        "negative_share",
        40.0,
    )


# --- Access --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("anonymous", False),
        ("buyer", False),
        ("rival", False),
        ("seller", True),
        ("agent", True),
        ("staff", True),
    ],
)
def test_who_reads_a_plan(request, role, sees, product, store):
    plan = PlanFactory(product=product)
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)

    assert (selectors.visible_plan(user, plan.pk) == plan) is sees
    assert list(selectors.store_plans(user, store)) == ([plan] if sees else [])


@pytest.mark.django_db
def test_store_plan_is_for_the_team_only(staff, seller, store, product):
    plan = PlanFactory(product=product)
    assert selectors.store_plan(seller, store, plan.pk) == plan
    assert selectors.store_plan(staff, store, plan.pk) is None
    assert selectors.store_plan(seller, StoreFactory(), plan.pk) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees"),
    [("anonymous", False), ("buyer", False), ("rival", False), ("agent", True), ("staff", True)],
)
def test_issue_plans_give_the_newest_plan_of_each_issue_in_one_query(
    request, role, sees, store, product, fit, django_assert_num_queries
):
    planned, measured_twice, without = (
        RisingIssueFactory(product=product, theme=fit, status="planned"),
        RisingIssueFactory(product=product, theme=None, topic="zip breaks", status="planned"),
        RisingIssueFactory(product=product, theme=None, topic="strap", status="open"),
    )
    plan = PlanFactory(product=product, rising_issue=planned)
    PlanFactory(product=product, rising_issue=measured_twice, status="measured", shipped_at=NOW)
    second = PlanFactory(product=product, rising_issue=measured_twice)
    PlanFactory(rising_issue=without)  # another store's plan: never this store's
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)

    with django_assert_num_queries(0 if role == "anonymous" else 1):
        found = selectors.issue_plans(user, store, [planned, measured_twice, without])

    assert found == ({planned.pk: plan, measured_twice.pk: second} if sees else {})


@pytest.mark.django_db
def test_the_board_has_four_columns_in_three_queries(
    seller, store, product, django_assert_num_queries
):
    proposed = PlanFactory(product=product)
    shipped = PlanFactory(product=product, status="shipped", shipped_at=NOW)
    for plan in (proposed, shipped):
        StepFactory.create_batch(2, plan=plan)

    with django_assert_num_queries(3):
        columns = selectors.plan_board(seller, store)
        counts = [(status, [p.steps_done for p in plans]) for status, _, plans in columns]

    assert counts == [("proposed", [0]), ("in_progress", []), ("shipped", [0]), ("measured", [])]


# --- KPI -------------------------------------------------------------------------------------

START = datetime(2025, 1, 1, tzinfo=UTC)
END = datetime(2025, 4, 1, tzinfo=UTC)


@pytest.mark.django_db
def test_completed_from_feedback_counts_linked_plans_shipped_in_the_period(
    store, product, fit, issue
):
    other = ProductFactory()

    def shipped(at, **fields):
        return PlanFactory(
            status="shipped", shipped_at=at, created_at=START - timedelta(days=9), **fields
        )

    shipped(START, product=product, theme=fit)  # counts: the period includes its start
    shipped(END - timedelta(seconds=1), product=product, rising_issue=issue)  # counts
    PlanFactory(
        product=product,
        suggestion_key="pockets",
        status="measured",
        shipped_at=START + timedelta(days=30),
    )  # counts, measured
    shipped(END, product=product, theme=fit)  # no: the period excludes its end
    shipped(START - timedelta(seconds=1), product=product, theme=fit)  # no: before
    shipped(START + timedelta(days=3), product=product)  # no: not linked to feedback
    PlanFactory(product=product, theme=fit)  # no: not shipped
    shipped(START + timedelta(days=3), product=other, theme=fit)  # another store

    assert selectors.completed_from_feedback(START, END) == 4
    assert selectors.completed_from_feedback(START, END, store=store) == 3
    assert selectors.completed_from_feedback_by_store(START, END) == {
        store.pk: 3,
        other.store_id: 1,
    }
    assert Plan.objects.count() == 8
