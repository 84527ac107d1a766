"""The reviews API per role: anonymous, the review's author, another buyer, the store's
owner and agent, a member of another store, office staff; refused requests change nothing."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory, token_client
from saypro.catalog.models import Order
from saypro.catalog.tests.factories import MembershipFactory, OrderItemFactory, ProductFactory
from saypro.core.testing import assert_error
from saypro.reviews import services
from saypro.reviews.models import (
    Answer,
    AnswerRevision,
    HelpfulVote,
    ModerationDecision,
    ProductRating,
    Report,
    Review,
    ReviewRevision,
)
from saypro.reviews.tests.factories import DeliveredItemFactory, ReviewFactory

API = "/api/v1"
JSON = "application/json"
CONTACT_DETAILS = "Lovely shirt. Call me on 082 555 1234 for a resale."


def review_state() -> dict:
    """Everything a reviews endpoint could write, to compare before and after a refusal."""
    return {
        "reviews": list(
            Review.objects.order_by("pk").values_list(
                "pk",
                "status",
                "rating",
                "title",
                "body",
                "edited_at",
                "hold_reason",
                "moderation_note",
                "is_answered",
                "helpful_count",
                "open_report_count",
            )
        ),
        "answers": list(
            Answer.objects.order_by("pk").values_list("pk", "body", "edited_at", "withdrawn_at")
        ),
        "votes": list(HelpfulVote.objects.order_by("pk").values_list("pk", "voter_id")),
        "reports": list(Report.objects.order_by("pk").values_list("pk", "resolved_at")),
        "decisions": ModerationDecision.objects.count(),
        "revisions": ReviewRevision.objects.count(),
        "answer_revisions": AnswerRevision.objects.count(),
        "ratings": list(
            ProductRating.objects.order_by("pk").values_list("pk", "count", "total", "stars_2")
        ),
    }


@pytest.fixture
def other_buyer(db):
    return UserFactory(email="other@example.test", first_name="Sipho", last_name="Dube")


@pytest.fixture
def rival(db):
    """The owner of another store."""
    return MembershipFactory(user__email="rival@example.test").user


ROLES = ["anonymous", "buyer", "other_buyer", "seller", "agent", "rival", "staff"]


@pytest.fixture
def client_as(request):
    """A client acting as one of ``ROLES`` (the fixture of that name; none for anonymous)."""

    def make(role: str) -> Client:
        if role == "anonymous":
            return Client()
        return token_client(request.getfixturevalue(role))

    return make


@pytest.fixture
def item(buyer, product):
    """A delivered item of ``product`` bought by ``buyer`` (Thandi Mokoena)."""
    buyer.last_name = "Mokoena"
    buyer.save()
    return DeliveredItemFactory(order__buyer=buyer, order__store=product.store, product=product)


def publish(item, *, rating=2, title="Seams", body="The seams came apart after one wash.", **kw):
    return services.publish_review(
        author=item.order.buyer, order_item=item, rating=rating, title=title, body=body, **kw
    )


@pytest.fixture
def review(item):
    """``buyer``'s published 2-star review of ``product``."""
    return publish(item)


@pytest.fixture
def held_review(product):
    """Another buyer's review of ``product``, held because it gives a phone number."""
    item = DeliveredItemFactory(order__store=product.store, product=product)
    return publish(item, rating=5, title="", body=CONTACT_DETAILS)


def review_of(product, **fields) -> Review:
    """A review written directly by a new buyer (no aggregates): for lists and queues."""
    item = DeliveredItemFactory(order__store=product.store, product=product)
    return ReviewFactory(order_item=item, **fields)


# --- The shop: a product's reviews and rating -------------------------------------


@pytest.mark.django_db
def test_anyone_lists_a_products_published_reviews_with_the_stores_answer(
    review, held_review, product, seller
):
    answer = services.answer_review(member=seller, review=review, body="Sorry! We will replace it.")
    review_of(product, rating=1, status=Review.Status.HIDDEN)
    review_of(ProductFactory(store=product.store))  # another product's

    response = Client().get(f"{API}/products/{product.pk}/reviews")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {
        "items": [
            {
                "id": review.pk,
                "product": {"id": product.pk, "title": "Linen shirt"},
                "rating": 2,
                "title": "Seams",
                "body": "The seams came apart after one wash.",
                "author_name": "Thandi M.",
                "is_verified": True,
                "published_at": body["items"][0]["published_at"],
                "edited_at": None,
                "helpful_count": 0,
                "answer": {
                    "body": "Sorry! We will replace it.",
                    "published_at": body["items"][0]["answer"]["published_at"],
                    "edited_at": None,
                    "store_name": "Cape Linen Co",
                },
            }
        ],
        "count": 1,
    }
    assert body["items"][0]["published_at"].startswith(f"{review.published_at:%Y-%m-%dT%H:%M}")
    assert body["items"][0]["answer"]["published_at"].startswith(
        f"{answer.published_at:%Y-%m-%dT%H:%M}"
    )
    assert b"buyer@example.test" not in response.content


@pytest.mark.django_db
def test_product_reviews_filter_and_sort(product):
    now = timezone.now()
    old_five = review_of(product, rating=5, helpful_count=1, published_at=now - timedelta(days=3))
    helpful_two = review_of(
        product, rating=2, helpful_count=9, is_answered=True, published_at=now - timedelta(days=2)
    )
    imported_four = review_of(product, rating=4, is_verified=False, published_at=now)
    client = Client()

    def ids(**params) -> list[int]:
        response = client.get(f"{API}/products/{product.pk}/reviews", params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [imported_four.pk, helpful_two.pk, old_five.pk]
    assert ids(sort="helpful") == [helpful_two.pk, old_five.pk, imported_four.pk]
    assert ids(sort="highest") == [old_five.pk, imported_four.pk, helpful_two.pk]
    assert ids(sort="lowest") == [helpful_two.pk, imported_four.pk, old_five.pk]
    assert ids(stars=5) == [old_five.pk]
    assert ids(verified="true") == [helpful_two.pk, old_five.pk]
    assert ids(verified="false") == [imported_four.pk]
    assert ids(answered="true") == [helpful_two.pk]
    assert ids(answered="false", sort="lowest") == [imported_four.pk, old_five.pk]
    assert ids(limit=1, offset=1) == [helpful_two.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"stars": 0}, {"stars": 6}, {"sort": "random"}, {"verified": "maybe"}, {"limit": 101}],
)
def test_bad_product_review_filters_are_422(product, params):
    response = Client().get(f"{API}/products/{product.pk}/reviews", params)
    assert_error(response, 422, "invalid_request")


@pytest.mark.django_db
def test_reviews_of_an_unknown_or_inactive_product_are_404_except_for_its_team(product, seller):
    product.is_active = False
    product.save()

    assert_error(Client().get(f"{API}/products/999999/reviews"), 404, "not_found")
    assert_error(Client().get(f"{API}/products/{product.pk}/reviews"), 404, "not_found")
    assert_error(Client().get(f"{API}/products/{product.pk}/rating"), 404, "not_found")
    assert token_client(seller).get(f"{API}/products/{product.pk}/reviews").json()["count"] == 0


@pytest.mark.django_db
def test_product_review_list_takes_the_same_queries_for_many_reviews(
    product, seller, django_assert_num_queries
):
    for _ in range(5):
        services.answer_review(member=seller, review=review_of(product), body="Thank you!")
    client = Client()

    # The product, the page of reviews (author, product, store joined), their answers, the count.
    with django_assert_num_queries(4):
        response = client.get(f"{API}/products/{product.pk}/reviews")
    assert response.json()["count"] == 5


@pytest.mark.django_db
def test_product_rating_counts_published_reviews_only(product, review, held_review, staff):
    url = f"{API}/products/{product.pk}/rating"
    zero = {"5": 0, "4": 0, "3": 0, "2": 0, "1": 0}
    assert Client().get(f"{API}/products/{ProductFactory().pk}/rating").json() == {
        "average": None,
        "count": 0,
        "histogram": zero,
    }
    publish(DeliveredItemFactory(order__store=product.store, product=product), rating=5)

    body = Client().get(url).json()
    assert body == {"average": 3.5, "count": 2, "histogram": zero | {"5": 1, "2": 1}}
    assert list(body["histogram"]) == ["5", "4", "3", "2", "1"]

    services.hide_review(moderator=staff, review=review, reason="Off topic.")
    assert Client().get(url).json() == {"average": 5.0, "count": 1, "histogram": zero | {"5": 1}}


# --- One review, and your own --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_published_review_is_visible_to_everyone_without_moderation_details(
    client_as, review, role
):
    body = client_as(role).get(f"{API}/reviews/{review.pk}").json()

    assert (body["id"], body["status"], body["author_name"]) == (
        review.pk,
        "published",
        "Thandi M.",
    )
    shown = role in {"buyer", "staff"}
    assert (body["hold_reason"], body["moderation_note"]) == (("", "") if shown else (None, None))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "visible", "hold_reason_shown"),
    [
        ("anonymous", False, False),
        ("other_buyer", False, False),
        ("rival", False, False),
        ("seller", True, False),
        ("agent", True, False),
        ("staff", True, True),
    ],
)
def test_a_held_review_is_visible_to_its_store_and_staff_only(
    client_as, held_review, role, visible, hold_reason_shown
):
    response = client_as(role).get(f"{API}/reviews/{held_review.pk}")

    if not visible:
        assert_error(response, 404, "not_found")
        return
    body = response.json()
    assert (body["status"], body["published_at"]) == ("held", None)
    expected = "Contains contact details (an email address or phone number)."
    assert body["hold_reason"] == (expected if hold_reason_shown else None)


@pytest.mark.django_db
def test_the_author_sees_why_their_review_is_hidden(review, buyer, staff, other_buyer):
    services.hide_review(moderator=staff, review=review, reason="Names a staff member.")

    body = token_client(buyer).get(f"{API}/reviews/{review.pk}").json()
    assert (body["status"], body["moderation_note"]) == ("hidden", "Names a staff member.")
    assert_error(token_client(other_buyer).get(f"{API}/reviews/{review.pk}"), 404, "not_found")


@pytest.mark.django_db
def test_unknown_and_out_of_range_review_ids(review):
    assert_error(Client().get(f"{API}/reviews/999999"), 404, "not_found")
    assert_error(Client().get(f"{API}/reviews/0"), 422, "invalid_request")
    assert_error(Client().get(f"{API}/reviews/{2**70}"), 422, "invalid_request")


@pytest.mark.django_db
def test_my_reviews_lists_the_callers_own_in_every_status(
    review, buyer, product, other_buyer, seller
):
    held = publish(
        DeliveredItemFactory(order__buyer=buyer, order__store=product.store, product=product),
        body=CONTACT_DETAILS,
    )

    body = token_client(buyer).get(f"{API}/reviews/mine").json()
    assert body["count"] == 2
    assert [(item["id"], item["status"]) for item in body["items"]] == [
        (held.pk, "held"),
        (review.pk, "published"),
    ]
    assert body["items"][0]["hold_reason"].startswith("Contains contact details")
    assert token_client(other_buyer).get(f"{API}/reviews/mine").json() == {"items": [], "count": 0}
    assert token_client(seller).get(f"{API}/reviews/mine").json()["count"] == 0
    assert_error(Client().get(f"{API}/reviews/mine"), 401, "not_authenticated")


# --- Writing a review --------------------------------------------------------------


def review_payload(item, **overrides) -> dict:
    payload = {"order_item_id": item.pk, "rating": 5, "title": "Soft", "body": "True to size."}
    return payload | overrides


@pytest.mark.django_db
def test_the_buyer_reviews_a_delivered_item_and_it_counts(item, buyer, product):
    response = token_client(buyer).post(f"{API}/reviews", review_payload(item), content_type=JSON)

    assert response.status_code == 201, response.content
    body = response.json()
    review = Review.objects.get()
    assert (body["id"], body["status"], body["rating"], body["hold_reason"]) == (
        review.pk,
        "published",
        5,
        "",
    )
    assert (review.author, review.order_item, review.product) == (buyer, item, product)
    assert review.response_due_at == review.published_at + timedelta(hours=48)
    rating = ProductRating.objects.get(product=product)
    assert (rating.count, rating.stars_5) == (1, 1)


@pytest.mark.django_db
def test_a_review_with_contact_details_is_held_and_not_counted(item, buyer, product):
    response = token_client(buyer).post(
        f"{API}/reviews", review_payload(item, body=CONTACT_DETAILS), content_type=JSON
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["published_at"]) == ("held", None)
    assert body["hold_reason"] == "Contains contact details (an email address or phone number)."
    assert ModerationDecision.objects.get().action == "hold"
    assert not ProductRating.objects.filter(product=product, count__gt=0).exists()
    assert Client().get(f"{API}/products/{product.pk}/reviews").json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"rating": 0}, 422, "rating"),
        ({"rating": 6}, 422, "rating"),
        ({"rating": "five"}, 422, "rating"),
        ({"rating": True}, 422, "rating"),
        ({"rating": "5"}, 422, "rating"),
        ({"rating": 5.0}, 422, "rating"),
        ({"body": ""}, 422, "body"),
        ({"body": "   \n "}, 400, "body"),
        ({"body": "x" * 5001}, 422, "body"),
        ({"title": "x" * 121}, 422, "title"),
        ({"order_item_id": 0}, 422, "order_item_id"),
        ({"order_item_id": True}, 422, "order_item_id"),
        ({"order_item_id": 999999}, 400, "order_item_id"),
    ],
    ids=[
        "no stars",
        "six stars",
        "not a number",
        "a boolean as stars",
        "stars as text",
        "stars as a decimal",
        "empty body",
        "blank body",
        "over-long body",
        "over-long title",
        "not an id",
        "a boolean as an id",
        "unknown item",
    ],
)
def test_invalid_reviews_are_refused_and_nothing_is_written(item, buyer, overrides, status, field):
    client = token_client(buyer)
    before = review_state()

    response = client.post(f"{API}/reviews", review_payload(item, **overrides), content_type=JSON)

    assert response.status_code == status, response.content
    error = response.json()["error"]
    if status == 400:
        assert error["details"] == {"field": field}
    else:
        assert [problem["location"][-1] for problem in error["details"]] == [field]
    assert review_state() == before
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_reviewing_an_item_not_bought_not_delivered_or_twice_is_refused(
    item, buyer, other_buyer, seller, product
):
    placed = OrderItemFactory(order__buyer=buyer, order__store=product.store, product=product)
    publish(item)
    clients = {
        role: token_client(user) for role, user in [("buyer", buyer), ("other", other_buyer)]
    }
    clients["seller"] = token_client(seller)
    before = review_state()

    def post(client, order_item):
        return client.post(f"{API}/reviews", review_payload(order_item), content_type=JSON)

    error = assert_error(post(clients["other"], item), 400, "validation_failed")
    assert error["details"] == {"field": "order_item_id"}
    assert_error(post(clients["seller"], placed), 400, "validation_failed")
    assert placed.order.status == Order.Status.PLACED
    assert_error(post(clients["buyer"], placed), 400, "not_delivered")
    assert_error(post(clients["buyer"], item), 409, "already_reviewed")
    assert_error(post(Client(), item), 401, "not_authenticated")
    assert review_state() == before


# --- Editing a review ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_author_edits_and_the_earlier_version_is_kept(review, buyer, product):
    response = token_client(buyer).put(
        f"{API}/reviews/{review.pk}",
        {"rating": 4, "title": "Replaced", "body": "They replaced it quickly."},
        content_type=JSON,
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["rating"], body["title"], body["status"]) == (4, "Replaced", "published")
    assert body["edited_at"] is not None
    revision = ReviewRevision.objects.get(review=review)
    assert (revision.rating, revision.body) == (2, "The seams came apart after one wash.")
    rating = ProductRating.objects.get(product=product)
    assert (rating.count, rating.total, rating.stars_2) == (1, 4, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("other_buyer", 403, "permission_denied"),
        ("seller", 403, "permission_denied"),
        ("agent", 403, "permission_denied"),
        ("rival", 403, "permission_denied"),
        ("staff", 403, "permission_denied"),
    ],
)
def test_only_the_author_edits_a_review(client_as, review, role, status, code):
    client = client_as(role)
    before = review_state()

    response = client.put(
        f"{API}/reviews/{review.pk}",
        {"rating": 1, "title": "", "body": "Hijacked."},
        content_type=JSON,
    )

    assert_error(response, status, code)
    assert review_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"rating": 9, "body": "Fine."}, 422),
        ({"rating": True, "body": "Fine."}, 422),
        ({"rating": 3, "body": ""}, 422),
        ({"rating": 3, "body": " "}, 400),
        ({"rating": 3}, 422),
    ],
    ids=["nine stars", "a boolean as stars", "empty body", "blank body", "no body"],
)
def test_invalid_edits_change_nothing(review, buyer, payload, status):
    client = token_client(buyer)
    before = review_state()

    response = client.put(f"{API}/reviews/{review.pk}", payload, content_type=JSON)

    assert response.status_code == status, response.content
    assert review_state() == before


@pytest.mark.django_db
def test_editing_after_30_days_is_refused(item, buyer):
    old = publish(item, now=timezone.now() - timedelta(days=31))
    client = token_client(buyer)
    before = review_state()

    response = client.put(
        f"{API}/reviews/{old.pk}", {"rating": 5, "body": "Changed my mind."}, content_type=JSON
    )

    assert_error(response, 400, "edit_window_closed")
    assert review_state() == before


# --- Helpful votes -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["other_buyer", "rival", "staff"])
def test_others_vote_once_and_withdraw_their_vote(client_as, review, role):
    client = client_as(role)
    url = f"{API}/reviews/{review.pk}/helpful"

    voted = client.post(url)
    assert voted.status_code == 200, voted.content
    assert voted.json() == {"review_id": review.pk, "helpful_count": 1, "voted": True}
    assert_error(client.post(url), 409, "already_voted")
    assert client.delete(url).json() == {"review_id": review.pk, "helpful_count": 0, "voted": False}
    assert_error(client.delete(url), 404, "not_found")
    review.refresh_from_db()
    assert (review.helpful_count, HelpfulVote.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_voting_on_your_own_or_an_unpublished_review_is_refused(
    review, held_review, buyer, other_buyer
):
    author, other = token_client(buyer), token_client(other_buyer)
    before = review_state()

    assert_error(author.post(f"{API}/reviews/{review.pk}/helpful"), 403, "own_review")
    assert_error(other.post(f"{API}/reviews/{held_review.pk}/helpful"), 404, "not_found")
    assert_error(Client().post(f"{API}/reviews/{review.pk}/helpful"), 401, "not_authenticated")
    assert_error(Client().delete(f"{API}/reviews/{review.pk}/helpful"), 401, "not_authenticated")
    assert_error(other.post(f"{API}/reviews/999999/helpful"), 404, "not_found")
    assert review_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["seller", "agent"])
def test_the_stores_team_cannot_vote_on_its_reviews(client_as, review, role):
    before = review_state()

    response = client_as(role).post(f"{API}/reviews/{review.pk}/helpful")

    error = assert_error(response, 403, "own_store")
    assert error["message"] == "The store's team cannot vote on reviews of its own store."
    assert review_state() == before


# --- Reports ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_buyer_reports_a_review_once_and_it_enters_the_queue(review, other_buyer, staff):
    client = token_client(other_buyer)
    url = f"{API}/reviews/{review.pk}/reports"

    response = client.post(
        url, {"reason": "off_topic", "note": "About delivery."}, content_type=JSON
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["reason"], body["note"], body["resolved_at"]) == (
        "off_topic",
        "About delivery.",
        None,
    )
    review.refresh_from_db()
    assert review.open_report_count == 1
    assert_error(client.post(url, {"reason": "spam"}, content_type=JSON), 409, "already_reported")
    queue = token_client(staff).get(f"{API}/moderation/reviews").json()
    assert [item["id"] for item in queue["items"]] == [review.pk]


@pytest.mark.django_db
def test_bad_reports_are_refused_and_nothing_is_written(review, held_review, buyer, other_buyer):
    author, other = token_client(buyer), token_client(other_buyer)
    url = f"{API}/reviews/{review.pk}/reports"
    before = review_state()

    def report(client, payload, review_url=url):
        return client.post(review_url, payload, content_type=JSON)

    assert_error(report(author, {"reason": "spam"}), 403, "own_review")
    error = assert_error(report(other, {"reason": "other"}), 400, "validation_failed")
    assert error["details"] == {"field": "note"}
    assert_error(report(other, {"reason": "boring"}), 422, "invalid_request")
    assert_error(report(other, {"reason": "spam", "note": "x" * 501}), 422, "invalid_request")
    held_url = f"{API}/reviews/{held_review.pk}/reports"
    assert_error(report(other, {"reason": "spam"}, held_url), 404, "not_found")
    assert_error(report(Client(), {"reason": "spam"}), 401, "not_authenticated")
    assert review_state() == before


# --- The store's queue and response stats -----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["seller", "agent"])
def test_the_store_team_sees_its_queue_most_urgent_first(client_as, store, product, role):
    now = timezone.now()
    overdue_five = review_of(
        product,
        rating=5,
        published_at=now - timedelta(hours=50),
        response_due_at=now - timedelta(hours=2),
        deadline_flag=Review.DeadlineFlag.OVERDUE,
    )
    fresh_one = review_of(
        product, rating=1, published_at=now, response_due_at=now + timedelta(hours=48)
    )
    answered_two = review_of(product, rating=2, is_answered=True)
    other_product = ProductFactory(store=store)
    soon_five = review_of(
        other_product,
        rating=5,
        published_at=now - timedelta(hours=40),
        response_due_at=now + timedelta(hours=8),
    )
    review_of(ProductFactory())  # another store's
    client = client_as(role)
    url = f"{API}/stores/{store.slug}/reviews"

    def ids(**params) -> list[int]:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    body = client.get(url).json()
    assert body["count"] == 4
    assert [item["id"] for item in body["items"]] == [
        fresh_one.pk,
        overdue_five.pk,
        soon_five.pk,
        answered_two.pk,
    ]
    by_id = {item["id"]: item for item in body["items"]}
    assert -7300 < by_id[overdue_five.pk]["seconds_left"] < -7100
    assert by_id[overdue_five.pk]["deadline_flag"] == "overdue"
    assert 8 * 3600 - 100 < by_id[soon_five.pk]["seconds_left"] <= 8 * 3600
    assert (by_id[answered_two.pk]["seconds_left"], by_id[answered_two.pk]["is_answered"]) == (
        None,
        True,
    )
    assert by_id[fresh_one.pk]["response_due_at"] is not None

    assert ids(answered="false") == [fresh_one.pk, overdue_five.pk, soon_five.pk]
    assert ids(answered="true") == [answered_two.pk]
    assert ids(overdue="true") == [overdue_five.pk]
    assert ids(rating=5) == [overdue_five.pk, soon_five.pk]
    assert ids(product_id=other_product.pk) == [soon_five.pk]


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
def test_only_the_store_team_sees_its_queue_and_stats(client_as, store, review, role, status, code):
    client = client_as(role)

    assert_error(client.get(f"{API}/stores/{store.slug}/reviews"), status, code)
    assert_error(client.get(f"{API}/stores/{store.slug}/review-stats"), status, code)


@pytest.mark.django_db
def test_queue_refuses_unknown_stores_and_other_stores_products(store, seller):
    client = token_client(seller)
    foreign = ProductFactory()

    assert_error(client.get(f"{API}/stores/no-such-store/reviews"), 404, "not_found")
    assert_error(client.get(f"{API}/stores/no-such-store/review-stats"), 404, "not_found")
    for product_id in (foreign.pk, 999999):
        response = client.get(f"{API}/stores/{store.slug}/reviews", {"product_id": product_id})
        error = assert_error(response, 400, "validation_failed")
        assert error["details"] == {"field": "product_id"}
    response = client.get(f"{API}/stores/{store.slug}/reviews", {"rating": 6})
    assert_error(response, 422, "invalid_request")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["seller", "agent"])
def test_response_stats_over_the_last_30_days_and_the_whole_queue(
    client_as, store, product, seller, role
):
    now = timezone.now()
    on_time = review_of(product, published_at=now - timedelta(hours=60))
    services.answer_review(member=seller, review=on_time, body="Thanks!", now=on_time.published_at)
    review_of(
        product, published_at=now - timedelta(hours=50), response_due_at=now - timedelta(hours=2)
    )
    review_of(
        product, published_at=now - timedelta(hours=1), response_due_at=now + timedelta(hours=47)
    )
    review_of(product, published_at=now - timedelta(days=40))  # outside the window, in the queue
    old = review_of(product, published_at=now - timedelta(days=45))
    services.answer_review(member=seller, review=old, body="Thanks!", now=now)

    response = client_as(role).get(f"{API}/stores/{store.slug}/review-stats")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "window_days": 30,
        "published": 3,
        "answered": 1,
        "due": 2,
        "on_time": 1,
        "waiting": 3,
        "overdue": 2,
        "response_rate": pytest.approx(1 / 3),
        "on_time_rate": 0.5,
    }


@pytest.mark.django_db
def test_response_stats_of_a_store_without_reviews_have_no_rates(store, seller):
    body = token_client(seller).get(f"{API}/stores/{store.slug}/review-stats").json()
    assert (body["published"], body["response_rate"], body["on_time_rate"]) == (0, None, None)


# --- Answers ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_team_answers_edits_and_withdraws(review, seller, agent, product):
    owner, helper = token_client(seller), token_client(agent)
    url = f"{API}/reviews/{review.pk}/answer"

    response = owner.post(url, {"body": "Sorry! We will replace it."}, content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["is_answered"], body["seconds_left"]) == (True, None)
    assert body["answer"]["body"] == "Sorry! We will replace it."
    assert body["answer"]["store_name"] == "Cape Linen Co"
    answer = Answer.objects.get(review=review)
    assert (answer.author, answer.store) == (seller, product.store)

    response = helper.put(url, {"body": "Sorry! A new one is on its way."}, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["answer"]["edited_at"] is not None
    shop = Client().get(f"{API}/products/{product.pk}/reviews").json()
    assert shop["items"][0]["answer"]["body"] == "Sorry! A new one is on its way."
    assert AnswerRevision.objects.get(answer=answer).body == "Sorry! We will replace it."

    response = owner.delete(url)
    assert response.status_code == 200, response.content
    assert (response.json()["answer"], response.json()["is_answered"]) == (None, False)
    review.refresh_from_db()
    assert review.is_answered is False
    assert_error(owner.put(url, {"body": "Again."}, content_type=JSON), 404, "not_found")
    assert_error(owner.delete(url), 404, "not_found")

    # A withdrawn answer may be replaced by a new one.
    assert owner.post(url, {"body": "Replacement sent."}, content_type=JSON).status_code == 201
    assert Answer.objects.get(review=review).withdrawn_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("buyer", 403, "permission_denied"),
        ("other_buyer", 403, "permission_denied"),
        ("rival", 403, "permission_denied"),
        ("staff", 403, "permission_denied"),
    ],
)
def test_only_the_store_team_answers_and_changes_answers(
    client_as, review, seller, role, status, code
):
    other_review = review_of(review.product)
    services.answer_review(member=seller, review=other_review, body="Thank you!")
    client = client_as(role)
    before = review_state()

    answer_url = f"{API}/reviews/{review.pk}/answer"
    assert_error(client.post(answer_url, {"body": "Mine now."}, content_type=JSON), status, code)
    answered_url = f"{API}/reviews/{other_review.pk}/answer"
    assert_error(client.put(answered_url, {"body": "Changed."}, content_type=JSON), status, code)
    assert_error(client.delete(answered_url), status, code)
    assert review_state() == before


@pytest.mark.django_db
def test_bad_answers_are_refused_and_nothing_changes(review, held_review, seller):
    client = token_client(seller)
    url = f"{API}/reviews/{review.pk}/answer"
    assert_error(client.put(url, {"body": "Nothing to edit."}, content_type=JSON), 404, "not_found")
    assert_error(client.delete(url), 404, "not_found")
    assert_error(client.post(url, {"body": ""}, content_type=JSON), 422, "invalid_request")
    error = assert_error(
        client.post(url, {"body": "  "}, content_type=JSON), 400, "validation_failed"
    )
    assert error["details"] == {"field": "body"}
    too_long = {"body": "x" * 5001}
    assert_error(client.post(url, too_long, content_type=JSON), 422, "invalid_request")
    held_url = f"{API}/reviews/{held_review.pk}/answer"
    assert_error(client.post(held_url, {"body": "Hi"}, content_type=JSON), 409, "not_published")
    assert review_state()["answers"] == []

    assert client.post(url, {"body": "Sorry!"}, content_type=JSON).status_code == 201
    before = review_state()
    response = client.post(url, {"body": "Sorry again!"}, content_type=JSON)
    assert_error(response, 409, "already_answered")
    assert_error(client.put(url, {"body": ""}, content_type=JSON), 422, "invalid_request")
    assert review_state() == before


# --- Moderation ---------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_see_the_queue_with_reports_and_hold_reasons(
    review, held_review, other_buyer, staff, product
):
    services.report_review(reporter=other_buyer, review=review, reason="fake", note="Never bought.")
    review_of(product)  # published, not reported: not in the queue

    body = token_client(staff).get(f"{API}/moderation/reviews").json()

    assert body["count"] == 2
    reported, held = body["items"]
    assert (reported["id"], reported["status"], reported["open_report_count"]) == (
        review.pk,
        "published",
        1,
    )
    report = reported["reports"][0]
    assert (report["reason"], report["note"], report["reporter"]) == (
        "fake",
        "Never bought.",
        "other@example.test",
    )
    assert reported["store"]["slug"] == "cape-linen-co"
    assert (held["id"], held["status"], held["reports"]) == (held_review.pk, "held", [])
    assert held["hold_reason"].startswith("Contains contact details")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("buyer", 403, "permission_denied"),
        ("other_buyer", 403, "permission_denied"),
        ("seller", 403, "permission_denied"),
        ("agent", 403, "permission_denied"),
        ("rival", 403, "permission_denied"),
    ],
)
def test_only_office_staff_moderate(client_as, review, held_review, role, status, code):
    client = client_as(role)
    before = review_state()
    reason = {"reason": "Because."}

    assert_error(client.get(f"{API}/moderation/reviews"), status, code)
    for target in (review, held_review):
        assert_error(
            client.post(f"{API}/reviews/{target.pk}/hide", reason, content_type=JSON), status, code
        )
        assert_error(
            client.post(f"{API}/reviews/{target.pk}/restore", reason, content_type=JSON),
            status,
            code,
        )
        assert_error(client.get(f"{API}/reviews/{target.pk}/history"), status, code)
    assert review_state() == before


@pytest.mark.django_db
def test_staff_hide_and_restore_with_the_ratings_following(review, buyer, staff, product):
    client = token_client(staff)

    response = client.post(
        f"{API}/reviews/{review.pk}/hide", {"reason": "Names a staff member."}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["moderation_note"]) == (
        "hidden",
        "Names a staff member.",
    )
    assert ProductRating.objects.get(product=product).count == 0
    assert_error(Client().get(f"{API}/reviews/{review.pk}"), 404, "not_found")
    assert token_client(buyer).get(f"{API}/reviews/{review.pk}").json()["status"] == "hidden"

    response = client.post(
        f"{API}/reviews/{review.pk}/restore", {"reason": "Name removed."}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert ProductRating.objects.get(product=product).count == 1
    assert Client().get(f"{API}/reviews/{review.pk}").status_code == 200


@pytest.mark.django_db
def test_staff_publish_a_held_review(held_review, staff, product):
    response = token_client(staff).post(
        f"{API}/reviews/{held_review.pk}/restore",
        {"reason": "The number is the store's own."},
        content_type=JSON,
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["hold_reason"]) == ("published", "")
    assert body["published_at"] is not None
    assert ProductRating.objects.get(product=product).stars_5 == 1


@pytest.mark.django_db
def test_moderation_refusals_change_nothing(review, staff):
    client = token_client(staff)
    before = review_state()

    def post(action, payload):
        return client.post(f"{API}/reviews/{review.pk}/{action}", payload, content_type=JSON)

    assert_error(post("restore", {"reason": "Fine."}), 409, "nothing_to_restore")
    assert_error(post("hide", {"reason": ""}), 422, "invalid_request")
    assert_error(post("hide", {"reason": "  "}), 400, "validation_failed")
    assert_error(post("hide", {}), 422, "invalid_request")
    assert_error(
        client.post(f"{API}/reviews/999999/hide", {"reason": "x"}, content_type=JSON),
        404,
        "not_found",
    )
    assert review_state() == before

    assert post("hide", {"reason": "Spam."}).status_code == 200
    before = review_state()
    assert_error(post("hide", {"reason": "Spam."}), 409, "already_hidden")
    assert review_state() == before


@pytest.mark.django_db
def test_staff_read_a_reviews_history(item, buyer, staff):
    review = publish(item, body=CONTACT_DETAILS)
    services.restore_review(moderator=staff, review=review, reason="A landline, harmless.")
    services.edit_review(author=buyer, review=review, rating=3, body="Fine after all.")

    response = token_client(staff).get(f"{API}/reviews/{review.pk}/history")

    assert response.status_code == 200, response.content
    body = response.json()
    assert [(r["rating"], r["body"]) for r in body["revisions"]] == [(2, CONTACT_DETAILS)]
    assert [(d["actor"], d["action"], d["reason"]) for d in body["decisions"]] == [
        ("office@example.test", "restore", "A landline, harmless."),
        (None, "hold", "Contains contact details (an email address or phone number)."),
    ]
    assert all(d["created_at"] for d in body["decisions"])


# --- The response coach ------------------------------------------------------------------


@pytest.mark.django_db
def test_coach_scores_a_draft_for_the_store_team_and_matches_the_library(seller, product):
    review = ReviewFactory(
        order_item__order__store=product.store, order_item__product=product, rating=2,
        body="The seams split after one wash.",
    )  # fmt: skip
    draft = "You should have read the care label."

    response = token_client(seller).post(
        f"{API}/coach/review-response",
        {"review_id": review.pk, "draft": draft},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    findings = {finding["guideline"]: finding for finding in body["findings"]}
    assert findings["no_defensiveness"]["verdict"] == "fail"
    span = findings["no_defensiveness"]["spans"][0]
    assert draft[span["start"] : span["end"]] == span["text"]
    assert 0 <= body["score"] <= 100
    assert product.title in body["suggested_answer"]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("buyer", 403), ("staff", 403), ("outsider", 403)])
def test_coach_is_refused_outside_the_store_team(request, product, role, status):
    review = ReviewFactory(order_item__order__store=product.store, order_item__product=product)
    user = MembershipFactory().user if role == "outsider" else request.getfixturevalue(role)
    response = token_client(user).post(
        f"{API}/coach/review-response",
        {"review_id": review.pk, "draft": "Thanks!"},
        content_type="application/json",
    )
    assert response.status_code == status
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.django_db
def test_coach_refuses_a_boolean_as_the_review_id(seller, product):
    ReviewFactory(order_item__order__store=product.store, order_item__product=product)

    response = token_client(seller).post(
        f"{API}/coach/review-response", {"review_id": True, "draft": "Thanks!"}, content_type=JSON
    )

    error = assert_error(response, 422, "invalid_request")
    assert [problem["location"][-1] for problem in error["details"]] == ["review_id"]
