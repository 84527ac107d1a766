"""The insights API per role: anonymous, a buyer, the store's owner and agent, a member of
another store, office staff; answers compared whole, refused requests change nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.utils import timezone

from saypro.accounts.tests.factories import token_client
from saypro.catalog.tests.factories import MembershipFactory, ProductFactory
from saypro.core.errors import ValidationFailed
from saypro.core.testing import assert_error
from saypro.insights import services
from saypro.insights.models import RisingIssue, Theme
from saypro.insights.selectors import local_day_start, week_start_of
from saypro.insights.tests.factories import (
    RisingIssueFactory,
    ThemeFactory,
    analysed_review,
    sentence,
)
from saypro.reviews.models import Review

API = "/api/v1"
JSON = "application/json"
NEG, NEU, POS = "negative", "neutral", "positive"
WINDOW_END = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def rival(db):
    """The owner of another store."""
    return MembershipFactory(user__email="rival@example.test").user


@pytest.fixture
def client_as(request):
    def make(role: str) -> Client:
        if role == "anonymous":
            return Client()
        return token_client(request.getfixturevalue(role))

    return make


@pytest.fixture
def fit(db):
    return ThemeFactory(slug="fit_size", name="Fit & size", position=1)


@pytest.fixture
def world(product, fit):
    """Two published reviews of the shirt and a hidden one; an open issue about fit."""
    now = timezone.now()
    runs_small = analysed_review(
        product,
        [
            sentence("It runs small.", NEG, themes={"fit_size": NEG}),
            sentence("Please add pockets.", NEU, suggestion="pockets"),
        ],
        rating=2,
        published_at=now - timedelta(hours=2),
    )
    fits_well = analysed_review(
        product,
        [sentence("Fits well.", POS, themes={"fit_size": POS})],
        rating=4,
        published_at=now - timedelta(days=3),
    )
    analysed_review(
        product,
        [sentence("Tiny.", NEG, themes={"fit_size": NEG})],
        rating=1,
        published_at=now - timedelta(hours=1),
        status=Review.Status.HIDDEN,
    )
    issue = RisingIssueFactory(
        product=product,
        theme=fit,
        evidence=[runs_small.pk],
        window_end=WINDOW_END,
        window_start=WINDOW_END - timedelta(days=14),
        baseline_start=WINDOW_END - timedelta(days=74),
        detected_at=WINDOW_END,
        checked_at=WINDOW_END,
    )
    return {"runs_small": runs_small, "fits_well": fits_well, "issue": issue}


def issue_json(issue, product, fit, status="open") -> dict:
    return {
        "id": issue.pk,
        "product": {"id": product.pk, "title": "Linen shirt"},
        "theme": {"id": fit.pk, "slug": "fit_size", "name": "Fit & size"},
        "topic": "",
        "subject": "Fit & size",
        "status": status,
        "window_start": "2025-02-15T10:00:00Z",
        "window_end": "2025-03-01T10:00:00Z",
        "baseline_start": "2024-12-17T10:00:00Z",
        "recent_count": 6,
        "recent_total": 10,
        "baseline_count": 2,
        "baseline_total": 20,
        "recent_rate": 0.6,
        "baseline_rate": 0.1,
        "p_value": 0.001,
        "evidence": list(issue.evidence),
        "detected_at": "2025-03-01T10:00:00Z",
        "checked_at": "2025-03-01T10:00:00Z",
    }


def expected_insights(world, product, fit) -> dict:
    now = timezone.now()
    current = week_start_of(now)
    # Both reviews fall in this week from Thursday on (2 hours and 3 days ago).
    published = [(world["runs_small"], NEG), (world["fits_well"], POS)]
    weeks = []
    for n in range(25, -1, -1):
        start = current - timedelta(weeks=n)
        counts = {NEG: 0, NEU: 0, POS: 0}
        for review, sentiment in published:
            counts[sentiment] += week_start_of(review.published_at) == start
        year, week, _ = start.isocalendar()
        weeks.append(
            {
                "week_start": start.isoformat(),
                "iso_week": f"{year}-W{week:02d}",
                "negative": counts[NEG],
                "neutral": counts[NEU],
                "positive": counts[POS],
                "total": sum(counts.values()),
            }
        )
    start = local_day_start(timezone.localdate(now) - timedelta(days=89))
    return {
        "period_start": start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        # The hidden review counts nowhere: (2 + 4) / 2 = 3.0 stars.
        "reviews": 2,
        "average_rating": 3.0,
        # fit_size: one negative (2★) and one positive (4★) mention → share 0.5; their mean
        # (2 + 4) / 2 = 3.0 equals the average of all reviews, so the drag is 0.
        "themes": [
            {
                "theme": {"id": fit.pk, "slug": "fit_size", "name": "Fit & size"},
                "mentions": 2,
                "negative": 1,
                "negative_share": 0.5,
                "average_rating": 3.0,
                "rating_drag": 0.0,
            }
        ],
        "weeks": weeks,
        "suggestions": [
            {
                "key": "pockets",
                "count": 1,
                "examples": [{"review_id": world["runs_small"].pk, "text": "Please add pockets."}],
            }
        ],
        "rising_issues": [issue_json(world["issue"], product, fit)],
    }


def body_without_period_end(response) -> dict:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body.pop("period_end")
    return body


# --- Insights of a store and a product --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["seller", "agent"])
def test_the_team_reads_the_store_insights(client_as, world, store, product, fit, role):
    response = client_as(role).get(f"{API}/stores/{store.slug}/insights")

    assert body_without_period_end(response) == expected_insights(world, product, fit)


@pytest.mark.django_db
def test_store_insights_take_a_period(world, store, seller):
    client = token_client(seller)
    body = client.get(f"{API}/stores/{store.slug}/insights", {"days": 1, "weeks": 2}).json()

    # Only the review of two hours ago is in "today"… unless today started less than 2 h ago.
    assert body["reviews"] in (0, 1)
    assert len(body["weeks"]) == 2
    response = client.get(f"{API}/stores/{store.slug}/insights", {"weeks": 0})
    assert_error(response, 422, "invalid_request")


@pytest.mark.django_db
def test_the_team_reads_a_product_insights(world, store, product, fit, seller):
    other = ProductFactory(store=store, title="Linen trousers")
    client = token_client(seller)

    response = client.get(f"{API}/products/{product.pk}/insights")
    assert body_without_period_end(response) == expected_insights(world, product, fit)

    empty = body_without_period_end(client.get(f"{API}/products/{other.pk}/insights"))
    assert (empty["reviews"], empty["themes"], empty["suggestions"], empty["rising_issues"]) == (
        0,
        [],
        [],
        [],
    )
    assert sum(week["total"] for week in empty["weeks"]) == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("buyer", 403, "permission_denied"),
        ("rival", 403, "permission_denied"),
        ("staff", 403, "permission_denied"),
    ],
)
def test_only_the_team_reads_insights(client_as, world, store, product, role, status, code):
    client = client_as(role)

    assert_error(client.get(f"{API}/stores/{store.slug}/insights"), status, code)
    assert_error(client.get(f"{API}/products/{product.pk}/insights"), status, code)
    assert_error(client.get(f"{API}/stores/{store.slug}/rising-issues"), status, code)


@pytest.mark.django_db
def test_unknown_stores_and_products_are_404(seller, product):
    client = token_client(seller)
    product.is_active = False
    product.save()
    foreign_inactive = ProductFactory(is_active=False)

    assert_error(client.get(f"{API}/stores/no-such-store/insights"), 404, "not_found")
    assert_error(client.get(f"{API}/stores/no-such-store/rising-issues"), 404, "not_found")
    for product_id in (foreign_inactive.pk, 999999):
        assert_error(client.get(f"{API}/products/{product_id}/insights"), 404, "not_found")
    # The team still sees its own inactive product.
    assert client.get(f"{API}/products/{product.pk}/insights").status_code == 200


# --- Rising issues ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_team_lists_rising_issues_by_status(world, store, product, fit, seller):
    dismissed = RisingIssueFactory(
        product=product,
        theme=ThemeFactory(slug="quality", name="Quality"),
        status=RisingIssue.Status.DISMISSED,
    )
    RisingIssueFactory(theme=fit)  # another store's
    client = token_client(seller)
    url = f"{API}/stores/{store.slug}/rising-issues"

    body = client.get(url).json()
    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [world["issue"].pk, dismissed.pk]
    assert body["items"][0] == issue_json(world["issue"], product, fit)
    assert client.get(url, {"status": "dismissed"}).json() == {
        "items": [client.get(url).json()["items"][1]],
        "count": 1,
    }
    assert_error(client.get(url, {"status": "gone"}), 422, "invalid_request")


def issue_state() -> list[tuple]:
    return list(RisingIssue.objects.order_by("pk").values_list("pk", "status"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["seller", "agent"])
def test_the_team_dismisses_and_reopens_an_issue(client_as, world, product, fit, role):
    client = client_as(role)
    url = f"{API}/rising-issues/{world['issue'].pk}/status"

    response = client.post(url, {"status": "dismissed"}, content_type=JSON)
    assert response.status_code == 200, response.content
    body = response.json()
    checked_at = body.pop("checked_at")
    expected = issue_json(world["issue"], product, fit, status="dismissed")
    del expected["checked_at"]
    assert body == expected
    assert checked_at > "2025-03-01T10:00:00Z"  # the service records when it changed

    response = client.post(url, {"status": "open"}, content_type=JSON)
    assert response.json()["status"] == "open"
    assert RisingIssue.objects.get().status == "open"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("buyer", 404, "not_found"),
        ("rival", 404, "not_found"),
        ("staff", 404, "not_found"),
    ],
)
def test_outsiders_cannot_change_an_issue(client_as, world, role, status, code):
    before = issue_state()
    url = f"{API}/rising-issues/{world['issue'].pk}/status"

    assert_error(
        client_as(role).post(url, {"status": "dismissed"}, content_type=JSON), status, code
    )
    assert issue_state() == before


@pytest.mark.django_db
def test_bad_issue_requests_change_nothing(world, seller):
    client = token_client(seller)
    before = issue_state()

    url = f"{API}/rising-issues/{world['issue'].pk}/status"
    assert_error(client.post(url, {"status": "gone"}, content_type=JSON), 422, "invalid_request")
    assert_error(client.post(url, {}, content_type=JSON), 422, "invalid_request")
    missing = f"{API}/rising-issues/999999/status"
    assert_error(client.post(missing, {"status": "open"}, content_type=JSON), 404, "not_found")
    assert issue_state() == before


# --- The theme taxonomy -----------------------------------------------------------------------


def theme_state() -> list[tuple]:
    return list(
        Theme.objects.order_by("pk").values_list("pk", "slug", "name", "phrases", "is_active")
    )


def theme_json(theme, **overrides) -> dict:
    theme.refresh_from_db()
    return {
        "id": theme.pk,
        "slug": theme.slug,
        "name": theme.name,
        "description": theme.description,
        "phrases": theme.phrases,
        "is_active": theme.is_active,
        "position": theme.position,
        "updated_at": DjangoJSONEncoder().default(theme.updated_at),
        **overrides,
    }


@pytest.mark.django_db
def test_staff_list_themes_with_their_mention_counts(world, fit, staff):
    retired = ThemeFactory(slug="retired", name="Retired", is_active=False)
    client = token_client(staff)

    body = client.get(f"{API}/insights/themes", {"limit": 100}).json()

    # Active first in the taxonomy's order (the built-in themes come from a migration),
    # inactive last. fit_size: two published reviews mention it; the hidden one does not.
    assert body["count"] == Theme.objects.count()
    assert body["items"][0] == theme_json(fit, mention_count=2)
    assert body["items"][-1] == theme_json(retired, mention_count=0)
    assert [item["is_active"] for item in body["items"]].count(False) == 1
    page = client.get(f"{API}/insights/themes", {"limit": 1, "offset": 1}).json()
    assert page == {"items": [body["items"][1]], "count": body["count"]}


@pytest.mark.django_db
def test_staff_create_and_change_themes(staff):
    client = token_client(staff)

    response = client.post(
        f"{API}/insights/themes",
        {"name": "Smell", "description": "Odours.", "phrases": ["smells of", "chemical smell"]},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    theme = Theme.objects.get(name="Smell")
    assert response.json() == theme_json(theme, mention_count=0)
    assert (theme.description, theme.phrases, theme.is_active) == (
        "Odours.",
        ["smells of", "chemical smell"],
        True,
    )

    url = f"{API}/insights/themes/{theme.pk}"
    response = client.patch(url, {"is_active": False}, content_type=JSON)
    assert response.status_code == 200, response.content
    theme.refresh_from_db()
    assert (theme.name, theme.phrases, theme.is_active) == (
        "Smell",
        ["smells of", "chemical smell"],
        False,
    )
    response = client.patch(url, {"phrases": ["musty"], "name": "Odour"}, content_type=JSON)
    assert response.json() == theme_json(theme, mention_count=0)
    assert (theme.name, theme.phrases, theme.is_active) == ("Odour", ["musty"], False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("buyer", 403, "permission_denied"),
        ("seller", 403, "permission_denied"),
    ],
)
def test_only_office_staff_touch_themes(client_as, fit, role, status, code):
    client = client_as(role)
    before = theme_state()

    assert_error(client.get(f"{API}/insights/themes"), status, code)
    payload = {"name": "Smell", "phrases": ["smells"]}
    assert_error(client.post(f"{API}/insights/themes", payload, content_type=JSON), status, code)
    url = f"{API}/insights/themes/{fit.pk}"
    assert_error(client.patch(url, {"is_active": False}, content_type=JSON), status, code)
    assert theme_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        {"name": "", "phrases": ["a"]},
        {"name": "Smell", "phrases": []},
        {"name": "Smell", "phrases": [""]},
        {"name": "Smell\x00", "phrases": ["a"]},
        {"name": "Smell"},
    ],
)
def test_malformed_themes_are_422_and_change_nothing(fit, staff, payload):
    before = theme_state()
    response = token_client(staff).post(f"{API}/insights/themes", payload, content_type=JSON)
    assert_error(response, 422, "invalid_request")
    assert theme_state() == before


@pytest.mark.django_db
def test_the_taxonomy_rules_reach_the_client(fit, staff):
    client = token_client(staff)
    before = theme_state()

    response = client.post(
        f"{API}/insights/themes", {"name": "Zips", "phrases": ["*zip"]}, content_type=JSON
    )
    assert assert_error(response, 400, "validation_failed")["details"] == {"field": "phrases"}
    response = client.post(
        f"{API}/insights/themes", {"name": "Fit & size", "phrases": ["baggy"]}, content_type=JSON
    )
    assert_error(response, 409, "theme_exists")
    assert theme_state() == before


@pytest.mark.django_db
def test_a_resolved_issue_cannot_be_reopened(product, fit, seller):
    issue = RisingIssueFactory(product=product, theme=fit, status=RisingIssue.Status.RESOLVED)
    before = issue_state()

    response = token_client(seller).post(
        f"{API}/rising-issues/{issue.pk}/status", {"status": "open"}, content_type=JSON
    )

    assert_error(response, 409, "invalid_transition")
    assert issue_state() == before


@pytest.mark.django_db
def test_service_refusals_are_400_with_the_field(fit, staff, monkeypatch):
    def refuse(**kwargs):
        raise ValidationFailed("“a” is too short to match.", details={"field": "phrases"})

    monkeypatch.setattr(services, "create_theme", refuse)
    monkeypatch.setattr(services, "update_theme", refuse)
    client = token_client(staff)
    before = theme_state()

    response = client.post(
        f"{API}/insights/themes", {"name": "Smell", "phrases": ["a"]}, content_type=JSON
    )
    assert assert_error(response, 400, "validation_failed")["details"] == {"field": "phrases"}
    response = client.patch(
        f"{API}/insights/themes/{fit.pk}", {"phrases": ["a"]}, content_type=JSON
    )
    assert_error(response, 400, "validation_failed")
    assert_error(
        client.patch(f"{API}/insights/themes/999999", {}, content_type=JSON), 404, "not_found"
    )
    assert theme_state() == before
