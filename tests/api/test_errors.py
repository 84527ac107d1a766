"""The one error shape where no endpoint answers, for bodies that are not JSON, and in the schema.

An integrator's client parses ``{"error": {"code", "message", "details"}}`` for every 4xx; an
HTML page for a mistyped address or method, or a 400 ``http_error`` for a form body, breaks it.
"""

import pytest
from django.test import Client

from saypro.accounts.tests.factories import UserFactory, token_client
from saypro.api import api
from saypro.catalog.models import Order
from saypro.catalog.tests.factories import ProductFactory
from saypro.core.testing import assert_error


def assert_shaped_error(response, status: int, code: str) -> dict:
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"error"}
    error = assert_error(response, status, code)
    assert set(error) == {"code", "message", "details"}
    return error


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/no-such-thing", "/api/v1/products/"])
def test_an_address_with_no_endpoint_is_a_json_404(path, method):
    response = getattr(Client(enforce_csrf_checks=True), method)(path)

    error = assert_shaped_error(response, 404, "not_found")

    assert error["message"] == f"No endpoint at {path}; the endpoints are listed at /api/v1/docs."


@pytest.mark.django_db
def test_a_method_an_endpoint_does_not_take_is_a_json_405_with_allow():
    response = token_client(UserFactory()).patch("/api/v1/orders")

    error = assert_shaped_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, POST"
    assert error["details"] == {"allowed": ["GET", "POST"]}


@pytest.mark.django_db
def test_an_async_endpoint_answers_a_wrong_method_the_same_way():
    response = token_client(UserFactory()).put("/api/v1/conversations/1/messages")

    error = assert_shaped_error(response, 405, "method_not_allowed")
    assert error["details"] == {"allowed": ["GET", "POST"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ("not json", "application/json", "The body is not valid JSON: Expecting value"),
        ("items=1", "application/x-www-form-urlencoded", "Send the body as JSON"),
        ('{"items": [{"product_id": 1}]}', "text/plain", "Send the body as JSON"),
    ],
)
def test_a_body_that_is_not_json_is_a_422_and_places_no_order(body, content_type, message):
    product = ProductFactory()

    response = token_client(UserFactory()).post(
        "/api/v1/orders", body.replace("1}", f"{product.pk}}}"), content_type=content_type
    )

    error = assert_shaped_error(response, 422, "invalid_request")
    [problem] = error["details"]
    assert problem["location"] == ["body"]
    assert problem["message"].startswith(message)
    assert Order.objects.count() == 0


@pytest.mark.django_db
def test_json_with_a_charset_is_json():
    product = ProductFactory(stock=3)

    response = token_client(UserFactory()).post(
        "/api/v1/orders",
        f'{{"items": [{{"product_id": {product.pk}, "quantity": 1}}]}}',
        content_type="application/json; charset=utf-8",
    )

    assert response.status_code == 201


def test_every_operation_documents_the_errors_any_request_may_meet():
    """A wrong token (401), a parameter or body off the schema (422) and the API throttle
    (429) can answer any request, so every operation lists them with the error shape."""
    schema = api.get_openapi_schema()

    expected = {"401", "422", "429"}
    undocumented = {
        f"{method.upper()} {path}": sorted(expected - set(map(str, operation["responses"])))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if not expected <= set(map(str, operation["responses"]))
    }

    assert undocumented == {}
