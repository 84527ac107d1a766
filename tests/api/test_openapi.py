"""schemathesis against /api/v1/openapi.json: no generated request may cause a 5xx.

The database is seeded so that ids and slugs in generated requests can hit real
rows, and the requests carry a valid token of a person who is both a buyer and a
store owner, so the checks reach past authentication into every endpoint: they
have reviewed a delivered item (answered by that store), have another one still
to review, and have answered a review of their own store; there is a held and a
reported review too, and their store has a shipped improvement plan with a step. They
asked another store a question and their own store was asked one (conversations 1 and 2).
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from saypro.accounts.services import create_api_token
from saypro.accounts.tests.factories import UserFactory
from saypro.api import api
from saypro.catalog.tests.factories import (
    MembershipFactory,
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    StoreFactory,
)
from saypro.improvements import services as improvement_services
from saypro.improvements.models import Plan
from saypro.messaging import services as messaging_services
from saypro.reviews import services as review_services
from saypro.reviews.tests.factories import DeliveredItemFactory
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
def token(db, monkeypatch, keep_connection, settings):
    """A token for someone who owns store "0" and bought from store-2, in a small catalogue.

    Their store's slug is "0" because that is the slug the fuzzer generates most often, so
    the store-team endpoints get past the 404 too; for ids it tries 1 and other small
    numbers first, so the item still to review is created before the other order items,
    and their store's improvement plan and its step are the first of their kind (id 1).
    """
    for throttle in api.throttle:  # the fuzzer sends far more than a person would
        monkeypatch.setattr(throttle, "num_requests", 1_000_000)
    settings.MESSAGING_RATE_LIMITS = {"send": "1000000/m", "start": "1000000/m"}
    own, other = StoreFactory(slug="0"), StoreFactory(slug="store-2")
    person = MembershipFactory(store=own).user
    own_products = ProductFactory.create_batch(3, store=own)
    products = ProductFactory.create_batch(3, store=other)
    DeliveredItemFactory(order__buyer=person, order__store=other, product=products[1])
    for number in ("SP-AAAA2222", "SP-BBBB3333"):
        order = OrderFactory(number=number, buyer=person, store=other)
        OrderItemFactory(order=order, product=products[0])
    evidence = _seed_reviews(person, own_product=own_products[0], bought=products[2])
    _seed_plan(person, own_products[0], evidence)
    _seed_conversations(person, own_product=own_products[1], bought=products[0])
    _, secret = create_api_token(user=person, name="schemathesis")
    return secret


def _seed_reviews(person, *, own_product, bought) -> list:
    """``person`` reviewed ``bought`` (answered by its store) and voted another buyer's review
    of it helpful; their own store has a 5-star review they answered, a reported 1-star one
    and a held one.

    Returns the own store's published reviews."""
    other_owner = MembershipFactory(store=bought.store).user
    item = DeliveredItemFactory(order__buyer=person, order__store=bought.store, product=bought)
    mine = review_services.publish_review(
        author=person, order_item=item, rating=2, body="The strap broke in a week."
    )
    review_services.answer_review(member=other_owner, review=mine, body="Sorry, we will fix it.")
    item = DeliveredItemFactory(order__store=bought.store, product=bought)
    helpful = review_services.publish_review(
        author=item.order.buyer, order_item=item, rating=4, body="Good strap."
    )
    review_services.vote_helpful(voter=person, review=helpful)
    reviews = []
    for rating, body in ((5, "Lovely."), (1, "Arrived torn."), (4, "Call me on 082 555 1234.")):
        item = DeliveredItemFactory(order__store=own_product.store, product=own_product)
        reviews.append(
            review_services.publish_review(
                author=item.order.buyer, order_item=item, rating=rating, body=body
            )
        )
    lovely, torn, _held = reviews
    review_services.answer_review(member=person, review=lovely, body="Thank you!")
    review_services.report_review(reporter=UserFactory(), review=torn, reason="spam")
    return [lovely, torn]


def _seed_conversations(person, *, own_product, bought) -> None:
    """Conversation 1: ``person`` asked the store of ``bought``; conversation 2: a buyer asked
    ``person``'s store about ``own_product``, which has quick reply 1."""
    messaging_services.start_conversation(
        person, store_id=bought.store_id, product_id=bought.pk, text="Is it in stock?"
    )
    messaging_services.start_conversation(
        UserFactory(), store_id=own_product.store_id, text="Does it run small?"
    )
    messaging_services.create_quick_reply(
        person, own_product.store, title="Sizing", body="{product} is true to size.", topic="sizing"
    )


def _seed_plan(person, product, evidence) -> None:
    """Plan 1 of store "0", with step 1, for ``product``: shipped, so its live impact answers
    (not ready: too few reviews) and the step, goal and shipping time can still change."""
    today = timezone.localdate()
    plan = improvement_services.create_plan(
        actor=person,
        store=product.store,
        data=improvement_services.PlanInput(
            product=product,
            template=Plan.Template.RECURRING_DEFECT,
            title="Stronger packaging",
            problem="Buyers say it arrives torn.",
            goal_metric=Plan.Metric.AVERAGE_RATING,
            goal_target=4.5,
            goal_due=today + timedelta(days=60),
            steps=[
                improvement_services.StepInput(
                    text="Pack in a box", due_date=today + timedelta(days=7)
                )
            ],
            evidence=[review.pk for review in evidence],
        ),
    )
    for status in (Plan.Status.IN_PROGRESS, Plan.Status.SHIPPED):
        improvement_services.change_status(actor=person, plan=plan, status=status)


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
