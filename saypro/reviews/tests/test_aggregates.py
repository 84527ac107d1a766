"""Rating aggregates equal a recomputation from the reviews, whatever happened before.

Hypothesis drives random sequences of publish / edit / hide / restore; on
PostgreSQL, concurrent writers publish, edit and hide reviews of one product
at the same moment.
"""

from collections import Counter

import pytest
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saypro.accounts.tests.factories import StaffFactory
from saypro.catalog.tests.factories import ProductFactory
from saypro.core.errors import ApplicationError
from saypro.core.testing import postgresql_only, run_at_once
from saypro.reviews import services
from saypro.reviews.models import ProductRating, Review, StoreRating
from saypro.reviews.tests.factories import DeliveredItemFactory

CLEAN = "Does what it says."
HELD = "Call me on 082 555 1234."


def recomputed(**where) -> Counter:
    rows = (
        Review.objects.filter(status=Review.Status.PUBLISHED, **where)
        .values("rating")
        .annotate(n=Count("pk"))
    )
    return Counter({row["rating"]: row["n"] for row in rows})


def stored(row) -> Counter:
    if row is None:
        return Counter()
    return Counter({stars: getattr(row, f"stars_{stars}") for stars in range(1, 6)}) - Counter()


def assert_exact(product) -> None:
    expected = recomputed(product=product)
    product_row = ProductRating.objects.filter(product=product).first()
    store_row = StoreRating.objects.filter(store=product.store).first()
    for row, counts in ((product_row, expected), (store_row, recomputed(store=product.store))):
        assert stored(row) == counts
        assert (row.count if row else 0) == sum(counts.values())
        assert (row.total if row else 0) == sum(stars * n for stars, n in counts.items())


step = st.one_of(
    st.tuples(st.just("publish"), st.integers(1, 5), st.booleans()),
    st.tuples(st.just("edit"), st.integers(1, 5), st.booleans()),
    st.tuples(st.just("hide"), st.integers(0, 9), st.none()),
    st.tuples(st.just("restore"), st.integers(0, 9), st.none()),
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_aggregates_equal_a_recomputation_after_any_sequence(steps):
    product = ProductFactory()
    staff = StaffFactory()
    reviews: list[Review] = []
    for action, value, held in steps:
        try:
            if action == "publish":
                item = DeliveredItemFactory(order__store=product.store, product=product)
                reviews.append(
                    services.publish_review(
                        author=item.order.buyer,
                        order_item=item,
                        rating=value,
                        body=HELD if held else CLEAN,
                    )
                )
            elif reviews and action == "edit":
                review = reviews[-1]
                services.edit_review(
                    author=review.author, review=review, rating=value, body=HELD if held else CLEAN
                )
            elif reviews and action == "hide":
                services.hide_review(
                    moderator=staff, review=reviews[value % len(reviews)], reason="Test."
                )
            elif reviews and action == "restore":
                services.restore_review(
                    moderator=staff, review=reviews[value % len(reviews)], reason="Test."
                )
        except ApplicationError:
            pass  # refused (hide twice, restore a clean one): must change nothing
        assert_exact(product)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_publishing_editing_and_hiding_stay_exact():
    product = ProductFactory()
    staff = StaffFactory()
    items = [DeliveredItemFactory(order__store=product.store, product=product) for _ in range(12)]
    existing = [
        services.publish_review(author=item.order.buyer, order_item=item, rating=3, body=CLEAN)
        for item in items[:6]
    ]

    calls = [
        *(
            lambda item=item, stars=index % 5 + 1: services.publish_review(
                author=item.order.buyer, order_item=item, rating=stars, body=CLEAN
            )
            for index, item in enumerate(items[6:])
        ),
        *(
            lambda review=review: services.edit_review(
                author=review.author, review=review, rating=5, body=CLEAN
            )
            for review in existing[:3]
        ),
        *(
            lambda review=review: services.hide_review(
                moderator=staff, review=review, reason="Test."
            )
            for review in existing[3:]
        ),
        # the same reviews again, at the same moment: one of each pair must lose cleanly
        *(
            lambda review=review: services.hide_review(
                moderator=staff, review=review, reason="Again."
            )
            for review in existing[3:]
        ),
        *(
            lambda review=review: services.edit_review(
                author=review.author, review=review, rating=1, body=CLEAN
            )
            for review in existing[:3]
        ),
    ]

    results = run_at_once(calls)

    errors = [result for result in results if isinstance(result, Exception)]
    assert all(isinstance(error, ApplicationError) for error in errors), errors
    assert Review.objects.filter(status=Review.Status.HIDDEN).count() == 3
    assert Review.objects.count() == 12
    assert_exact(product)
