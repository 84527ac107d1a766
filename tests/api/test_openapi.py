"""schemathesis against /api/v1/openapi.json: no generated request may cause a 5xx.

The database is seeded so that ids and slugs in generated requests can hit real
rows, and the requests carry a valid token of a person who is both a buyer and a
store owner, so the checks reach past authentication into every endpoint.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from saypro.accounts.services import create_api_token
from saypro.api import api
from saypro.catalog.tests.factories import (
    MembershipFactory,
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    StoreFactory,
)
from saypro.wsgi import application


@pytest.fixture
def keep_connection():
    """Keep the test's database connection open across requests, as Django's test client does.

    schemathesis calls the WSGI app directly, so Django's end-of-request hook would close the
    connection that holds the test's transaction (PostgreSQL then answers "connection closed").
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, monkeypatch, keep_connection):
    """A token for someone who owns store-1 and bought from store-2, in a small catalogue."""
    for throttle in api.throttle:  # the fuzzer sends far more than a person would
        monkeypatch.setattr(throttle, "num_requests", 1_000_000)
    own, other = StoreFactory(slug="store-1"), StoreFactory(slug="store-2")
    person = MembershipFactory(store=own).user
    ProductFactory.create_batch(3, store=own)
    products = ProductFactory.create_batch(3, store=other)
    for number in ("SP-AAAA2222", "SP-BBBB3333"):
        order = OrderFactory(number=number, buyer=person, store=other)
        OrderItemFactory(order=order, product=products[0])
    _, secret = create_api_token(user=person, name="schemathesis")
    return secret


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_no_server_errors_and_answers_match_the_schema(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
