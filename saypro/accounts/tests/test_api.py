"""API authentication: tokens, sessions with CSRF, the error shape, rate limits."""

import pytest
from django.test import Client

from saypro.accounts.services import create_api_token, revoke_api_token
from saypro.api import api
from saypro.catalog.models import Order
from saypro.core.testing import assert_error

ME = "/api/v1/me"


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.django_db
def test_me_with_a_token_lists_roles(seller, store):
    _, secret = create_api_token(user=seller, name="cli")

    body = Client(headers=bearer(secret)).get(ME).json()

    assert body["email"] == "owner@example.test"
    assert (body["is_office_staff"], body["is_admin"]) == (False, False)
    assert body["memberships"] == [
        {"store_id": store.pk, "store_slug": store.slug, "store_name": store.name, "role": "owner"}
    ]


@pytest.mark.django_db
def test_token_use_is_recorded(buyer):
    token, secret = create_api_token(user=buyer, name="cli")

    Client(headers=bearer(secret)).get(ME)

    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("path", [ME, "/api/v1/products"])
def test_a_wrong_or_revoked_token_is_401_even_where_anonymous_may_read(buyer, path):
    token, secret = create_api_token(user=buyer, name="cli")
    revoke_api_token(actor=buyer, token=token)

    for headers in (bearer(secret), bearer("sp_00000000_nonsense")):
        response = Client(headers=headers).get(path)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_anonymous_me_is_401_in_the_error_shape():
    response = Client().get(ME)

    assert response.status_code == 401
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) == {"code", "message", "details"}


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(buyer, product):
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    body = {"items": [{"product_id": product.pk, "quantity": 1}]}

    refused = client.post("/api/v1/orders", body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"

    client.get("/")  # the page sets the csrftoken cookie, as in the browser
    csrf = client.cookies["csrftoken"].value
    placed = client.post(
        "/api/v1/orders", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert placed.status_code == 201, placed.content


@pytest.mark.django_db
def test_a_write_with_no_credentials_at_all_is_401_not_a_csrf_failure(product):
    body = {"items": [{"product_id": product.pk, "quantity": 1}]}

    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/orders", body, content_type="application/json"
    )

    assert_error(response, 401, "not_authenticated")
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_token_writes_need_no_csrf(buyer, product):
    _, secret = create_api_token(user=buyer, name="cli")
    client = Client(enforce_csrf_checks=True, headers=bearer(secret))

    response = client.post(
        "/api/v1/orders",
        {"items": [{"product_id": product.pk, "quantity": 1}]},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_rate_limit_answers_429_with_retry_after(monkeypatch, buyer):
    for throttle in api.throttle:
        monkeypatch.setattr(throttle, "num_requests", 3)
    client = Client()

    statuses = [client.get("/api/v1/products").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/products")
    error = limited.json()["error"]
    assert error["code"] == "rate_limited"
    assert 0 < int(limited.headers["Retry-After"]) == error["details"]["retry_after"] <= 60
    assert (
        error["message"] == f"Too many requests. Try again in {limited.headers['Retry-After']} s."
    )
    # Each person has their own allowance, not shared with anonymous visitors.
    _, secret = create_api_token(user=buyer, name="cli")
    assert Client(headers=bearer(secret)).get("/api/v1/products").status_code == 200


@pytest.mark.django_db
def test_openapi_schema_and_interactive_docs_are_served_locally():
    client = Client()

    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/products", "/api/v1/orders", "/api/v1/me"} <= set(schema["paths"])
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content
    assert b"cdn." not in docs.content
