"""The improvements API per role: anonymous, a buyer, a rival store's owner, the store's owner
and agent, office staff; refused requests change nothing."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from saypro.accounts.tests.factories import token_client
from saypro.catalog.tests.factories import ProductFactory
from saypro.core.testing import assert_error
from saypro.improvements.models import Plan, Step
from saypro.improvements.tests.factories import PlanFactory, StepFactory, reviews_between
from saypro.insights.models import RisingIssue

API = "/api/v1"
JSON = "application/json"
TODAY = timezone.localdate()


def state() -> list:
    return [
        list(
            Plan.objects.order_by("pk").values_list(
                "pk", "status", "title", "goal_target", "shipped_at", "impact"
            )
        ),
        list(Step.objects.order_by("pk").values_list("pk", "text", "owner", "completed_at")),
        list(RisingIssue.objects.order_by("pk").values_list("pk", "status")),
    ]


@pytest.fixture
def client_as(request):
    def make(role: str) -> Client:
        if role == "anonymous":
            return Client()
        return token_client(request.getfixturevalue(role))

    return make


@pytest.fixture
def plan(product, fit, complaints):
    plan = PlanFactory(
        product=product,
        theme=fit,
        goal_metric="negative_share",
        goal_current=40,
        goal_target=20,
        created_at=timezone.now() - timedelta(days=100),
    )
    plan.evidence.set(complaints[:4])
    StepFactory(plan=plan, position=1, text="Measure every size")
    return plan


# --- Reading, per role ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "list_status", "get_status"),
    [
        ("anonymous", 401, 401),
        ("buyer", 403, 404),
        ("rival", 403, 404),
        ("seller", 200, 200),
        ("agent", 200, 200),
        ("staff", 200, 200),
    ],
)
def test_who_reads_plans(client_as, role, list_status, get_status, store, plan):
    client = client_as(role)

    listed = client.get(f"{API}/stores/{store.slug}/improvement-plans")
    got = client.get(f"{API}/improvement-plans/{plan.pk}")

    assert (listed.status_code, got.status_code) == (list_status, get_status)
    if get_status == 200:
        assert listed.json()["count"] == 1
        body = got.json()
        assert body["id"] == plan.pk
        assert body["status"] == "proposed"
        assert body["next_statuses"] == ["in_progress"]
        assert body["goal"] == {
            "metric": "negative_share",
            "unit": "%",
            "current": 40.0,
            "target": 20.0,
            "due": str(plan.goal_due),
        }
        assert body["theme"] == {"slug": "fit_size", "name": "Fit & size"}
        assert len(body["evidence_review_ids"]) == 4
        assert [step["text"] for step in body["steps"]] == ["Measure every size"]
        assert (body["steps_done"], body["steps_total"], body["impact"]) == (0, 1, None)


@pytest.mark.django_db
def test_list_filters_by_status(client_as, store, product, plan):
    PlanFactory(product=product, status="in_progress")
    response = client_as("seller").get(
        f"{API}/stores/{store.slug}/improvement-plans", {"status": "in_progress"}
    )
    assert response.json()["count"] == 1
    assert response.json()["items"][0]["status"] == "in_progress"


# --- Creating -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_from_an_issue_fills_in_the_template(client_as, seller, store, product, issue):
    response = client_as("seller").post(
        f"{API}/stores/{store.slug}/improvement-plans",
        {"product_id": product.pk, "rising_issue_id": issue.pk},
        content_type=JSON,
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["template"] == "change_sizing"
    assert body["title"] == "Fix the sizing of Linen shirt"
    # The issue's own figures, as its card gives them, then the 90 days the goal starts from.
    assert body["problem"].startswith("The rising issue: 6 of 10 reviews from ")
    assert "against 2 of 20 in the weeks before (10 %)." in body["problem"]
    assert (
        "Over the last 90 days, the figure the goal starts from: 4 of 10 reviews (40 %)."
        in (body["problem"])
    )
    assert body["rising_issue_id"] == issue.pk
    assert body["is_from_feedback"] is True
    assert body["goal"]["metric"] == "negative_share"
    assert (body["goal"]["current"], body["goal"]["target"]) == (40.0, 20.0)
    assert len(body["steps"]) == 5
    assert {step["owner"]["id"] for step in body["steps"]} == {seller.pk}
    issue.refresh_from_db()
    assert issue.status == "planned"


@pytest.mark.django_db
def test_create_with_own_text_and_steps(client_as, agent, store, product, fit, complaints):
    response = client_as("seller").post(
        f"{API}/stores/{store.slug}/improvement-plans",
        {
            "product_id": product.pk,
            "theme": "fit_size",
            "template": "clarify_listing",
            "title": "Say it runs small",
            "problem": "Buyers expect a regular fit.",
            "goal_metric": "average_rating",
            "goal_target": 4.2,
            "goal_due": str(TODAY + timedelta(days=30)),
            "steps": [
                {"text": "Add a fit note", "owner_id": agent.pk, "due_date": str(TODAY)},
            ],
        },
        content_type=JSON,
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["template"]) == ("Say it runs small", "clarify_listing")
    assert body["goal"] == {
        "metric": "average_rating",
        "unit": "★",
        "current": None,
        "target": 4.2,
        "due": str(TODAY + timedelta(days=30)),
    }
    assert [(s["text"], s["owner"]["id"]) for s in body["steps"]] == [("Add a fit note", agent.pk)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "status", "code", "field"),
    [
        ({"product_id": 999_999}, 400, "validation_failed", "product_id"),
        ({"rising_issue_id": 999_999}, 400, "validation_failed", "rising_issue_id"),
        ({"theme": "nope"}, 400, "validation_failed", "theme"),
        ({"suggestion_key": "pockets"}, 400, "validation_failed", "suggestion_key"),
        (
            {"goal_metric": "average_rating", "goal_target": 7},
            400,
            "validation_failed",
            "goal_target",
        ),
        ({"goal_target": 101}, 422, "invalid_request", None),
        ({"steps": []}, 422, "invalid_request", None),
    ],
)
def test_invalid_plans_are_refused(client_as, store, product, payload, status, code, field):
    before = state()
    response = client_as("seller").post(
        f"{API}/stores/{store.slug}/improvement-plans",
        {"product_id": product.pk, **payload},
        content_type=JSON,
    )
    error = assert_error(response, status, code)
    if field:
        assert error["details"] == {"field": field}
    assert state() == before


@pytest.mark.django_db
def test_a_step_owner_must_be_on_the_team(client_as, rival, store, product):
    before = state()
    response = client_as("seller").post(
        f"{API}/stores/{store.slug}/improvement-plans",
        {
            "product_id": product.pk,
            "steps": [{"text": "x", "owner_id": rival.pk, "due_date": str(TODAY)}],
        },
        content_type=JSON,
    )
    assert assert_error(response, 400, "validation_failed")["details"] == {"field": "owner_id"}
    assert state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("buyer", 403), ("rival", 403), ("staff", 403)])
def test_only_the_team_creates(client_as, role, status, store, product, issue):
    before = state()
    response = client_as(role).post(
        f"{API}/stores/{store.slug}/improvement-plans",
        {"product_id": product.pk, "rising_issue_id": issue.pk},
        content_type=JSON,
    )
    assert_error(response, status, "permission_denied")
    assert state() == before


# --- Writing, per role ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("buyer", 404, "not_found"),
        ("rival", 404, "not_found"),
        ("staff", 403, "permission_denied"),
    ],
)
def test_denied_writes_change_nothing(client_as, role, status, code, plan):
    client = client_as(role)
    step = plan.steps.get()
    base = f"{API}/improvement-plans/{plan.pk}"
    before = state()

    for method, path, payload in (
        ("patch", base, {"title": "Mine"}),
        ("post", f"{base}/status", {"status": "in_progress"}),
        ("post", f"{base}/measure", None),
        ("post", f"{base}/steps", {"text": "x", "due_date": str(TODAY)}),
        ("patch", f"{base}/steps/{step.pk}", {"text": "x", "due_date": str(TODAY)}),
        ("post", f"{base}/steps/{step.pk}/complete", None),
    ):
        response = getattr(client, method)(path, payload, content_type=JSON)
        assert_error(response, status, code)
    assert state() == before


@pytest.mark.django_db
def test_update_a_plan(client_as, plan):
    response = client_as("agent").patch(
        f"{API}/improvement-plans/{plan.pk}",
        {"title": "Sizing, take two", "goal_target": 15},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["goal"]["target"], body["goal"]["current"]) == (
        "Sizing, take two",
        15.0,
        40.0,
    )


@pytest.mark.django_db
def test_status_moves_one_step_at_a_time(client_as, plan):
    client = client_as("seller")
    path = f"{API}/improvement-plans/{plan.pk}/status"

    error = assert_error(
        client.post(path, {"status": "shipped"}, content_type=JSON), 409, "invalid_transition"
    )
    assert error["details"] == {"field": "status", "allowed": ["in_progress"]}
    assert client.post(path, {"status": "in_progress"}, content_type=JSON).status_code == 200
    shipped_at = (timezone.now() - timedelta(days=2)).replace(microsecond=0)
    response = client.post(
        path, {"status": "shipped", "shipped_at": shipped_at.isoformat()}, content_type=JSON
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["next_statuses"]) == ("shipped", ["measured"])
    plan.refresh_from_db()
    assert plan.shipped_at == shipped_at
    assert_error(
        client.post(path, {"status": "measured"}, content_type=JSON), 409, "not_enough_reviews"
    )


@pytest.mark.django_db
def test_measure_and_live_impact(client_as, store, fit):
    now = timezone.now()
    shipped = now - timedelta(days=30)
    bag = ProductFactory(store=store, title="Canvas bag")
    plan = PlanFactory(
        product=bag,
        theme=fit,
        goal_metric="negative_share",
        goal_target=20,
        created_at=shipped - timedelta(days=1),
    )
    client = client_as("seller")
    base = f"{API}/improvement-plans/{plan.pk}"
    assert_error(client.get(f"{base}/impact"), 409, "not_shipped")
    assert_error(client.post(f"{base}/measure"), 409, "not_shipped")
    plan.status, plan.shipped_at = "shipped", shipped
    plan.save()

    waiting = client.get(f"{base}/impact").json()
    assert (waiting["ready"], waiting["after"]["reviews"]) == (False, 0)
    assert_error(client.post(f"{base}/measure"), 409, "not_enough_reviews")

    reviews_between(bag, start=shipped - timedelta(days=29), end=shipped, count=40, negative=16)
    reviews_between(bag, start=shipped, end=now - timedelta(hours=1), count=40, negative=4)
    response = client.post(f"{base}/measure")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["verdict"]) == ("measured", "helped")
    assert body["impact"]["ready"] is True
    assert body["impact"]["summary"].startswith(
        "Helped: negative mentions of Fit & size fell from 40 % to 10 % (−30 points"
    )
    assert body["impact"]["negative_share"]["after_count"] == 4
    assert body["impact"]["average_rating"]["before_n"] == 40
    live = client_as("staff").get(f"{base}/impact")
    assert live.status_code == 200
    assert live.json()["verdict"] == "helped"


@pytest.mark.django_db
def test_steps_are_added_edited_and_completed(client_as, agent, plan):
    client = client_as("seller")
    base = f"{API}/improvement-plans/{plan.pk}/steps"

    added = client.post(
        base,
        {"text": "Ask buyers", "owner_id": agent.pk, "due_date": str(TODAY)},
        content_type=JSON,
    )
    assert added.status_code == 201, added.content
    step = added.json()
    assert (step["position"], step["owner"]["id"], step["is_done"]) == (2, agent.pk, False)

    edited = client.patch(
        f"{base}/{step['id']}",
        {"text": "Ask every buyer", "due_date": str(TODAY)},
        content_type=JSON,
    )
    assert edited.json()["text"] == "Ask every buyer"

    done = client.post(f"{base}/{step['id']}/complete")
    assert done.status_code == 200
    assert done.json()["is_done"] is True
    assert_error(client.post(f"{base}/{step['id']}/complete"), 409, "already_done")
    assert_error(client.post(f"{base}/999999/complete"), 404, "not_found")


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("seller", 200), ("staff", 403), ("rival", 403)])
def test_candidates(client_as, role, status, store, issue):
    response = client_as(role).get(f"{API}/stores/{store.slug}/improvement-candidates")
    assert response.status_code == status
    if status == 200:
        first = response.json()[0]
        assert (first["kind"], first["subject"], first["rising_issue_id"]) == (
            "issue",
            "Fit & size",
            issue.pk,
        )
        assert (first["frequency"], first["negativity"]) == (10, 0.4)
        assert first["drag_weight"] == pytest.approx(1.0)
        assert first["score"] == 4.0
