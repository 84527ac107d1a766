"""The catalog API per role: anonymous, buyer, store owner and agent, office staff, outsider."""

import pytest
from django.test import Client

from saypro.accounts.tests.factories import UserFactory, token_client
from saypro.catalog.models import Order, Product
from saypro.catalog.tests.factories import (
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    StoreFactory,
    SubcategoryFactory,
)
from saypro.core.testing import assert_error

API = "/api/v1"


@pytest.fixture
def placed_order(buyer, product):
    order = OrderFactory(buyer=buyer, store=product.store, total=product.price)
    OrderItemFactory(order=order, product=product)
    return order


# --- Products and stores: public reads ---------------------------------------------


@pytest.mark.django_db
def test_anonymous_lists_active_products_of_active_stores_with_count(product):
    ProductFactory(store=product.store, title="Hidden", is_active=False)
    ProductFactory(store=StoreFactory(is_active=False), title="Closed store")

    body = Client().get(f"{API}/products").json()

    assert body["count"] == 1
    assert [item["title"] for item in body["items"]] == ["Linen shirt"]
    item = body["items"][0]
    assert item["store"] == {
        "id": product.store.pk,
        "slug": "cape-linen-co",
        "name": "Cape Linen Co",
    }
    assert item["price"] == "199.00"
    assert item["category"]["slug"] == product.category.slug


@pytest.mark.django_db
def test_product_filters_search_category_store_price_and_sort(store):
    shirts = SubcategoryFactory(name="Shirts")
    mugs = SubcategoryFactory(name="Mugs")
    ProductFactory(store=store, title="Linen shirt", category=shirts, price="300.00")
    ProductFactory(store=store, title="Cotton shirt", category=shirts, price="150.00")
    ProductFactory(store=StoreFactory(), title="Clay mug", category=mugs, price="90.00")
    client = Client()

    def titles(**params) -> list[str]:
        response = client.get(f"{API}/products", params)
        assert response.status_code == 200, response.content
        return [item["title"] for item in response.json()["items"]]

    assert titles(q="shirt", sort="price_asc") == ["Cotton shirt", "Linen shirt"]
    assert titles(q="cotton shirt") == ["Cotton shirt"]
    assert titles(category=mugs.slug) == ["Clay mug"]
    assert titles(category=shirts.parent.slug, sort="title") == ["Cotton shirt", "Linen shirt"]
    assert titles(store=store.slug, sort="price_desc") == ["Linen shirt", "Cotton shirt"]
    assert titles(min_price="100", max_price="200") == ["Cotton shirt"]
    assert titles(sort="price_asc", limit=1, offset=1) == ["Cotton shirt"]


@pytest.mark.django_db
def test_pagination_reports_the_total_count_and_bounds_limit(store):
    ProductFactory.create_batch(5, store=store)
    client = Client()

    body = client.get(f"{API}/products", {"limit": 2, "offset": 4}).json()
    assert (len(body["items"]), body["count"]) == (1, 5)

    assert_error(client.get(f"{API}/products", {"limit": 101}), 422, "invalid_request")
    assert_error(client.get(f"{API}/products", {"offset": -1}), 422, "invalid_request")
    # Bounded before the query: SQLite fails on an OFFSET beyond 64 bits.
    assert_error(client.get(f"{API}/products", {"offset": 2**64}), 422, "invalid_request")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"category": "no-such-category"}, 400, "validation_failed"),
        ({"store": "no-such-store"}, 404, "not_found"),
        ({"min_price": "50", "max_price": "10"}, 400, "validation_failed"),
        ({"sort": "random"}, 422, "invalid_request"),
        ({"q": "nul\x00byte"}, 422, "invalid_request"),
        ({"min_price": "abc"}, 422, "invalid_request"),
    ],
)
def test_bad_product_filters_are_clear_errors(product, params, status, code):
    assert_error(Client().get(f"{API}/products", params), status, code)


@pytest.mark.django_db
def test_inactive_product_is_visible_to_its_team_only(product, seller, buyer):
    product.is_active = False
    product.save()
    url = f"{API}/products/{product.pk}"

    assert_error(Client().get(url), 404, "not_found")
    assert_error(token_client(buyer).get(url), 404, "not_found")
    assert token_client(seller).get(url).json()["is_active"] is False


@pytest.mark.django_db
def test_huge_ids_are_refused_before_the_database(product):
    assert_error(Client().get(f"{API}/products/{2**70}"), 422, "invalid_request")
    assert_error(Client().get(f"{API}/products/0"), 422, "invalid_request")


@pytest.mark.django_db
def test_stores_list_and_detail_with_product_counts(product):
    StoreFactory(is_active=False)
    client = Client()

    body = client.get(f"{API}/stores").json()
    assert body["count"] == 1
    assert body["items"][0]["product_count"] == 1
    assert client.get(f"{API}/stores/cape-linen-co").json()["name"] == "Cape Linen Co"
    assert_error(client.get(f"{API}/stores/nope"), 404, "not_found")


@pytest.mark.django_db
def test_categories_tree(product):
    tree = Client().get(f"{API}/categories").json()
    parent = product.category.parent
    assert {"slug": parent.slug, "name": parent.name} == {
        key: tree[0][key] for key in ("slug", "name")
    }
    assert tree[0]["children"] == [{"slug": product.category.slug, "name": product.category.name}]


# --- Products: writes by the store's team ------------------------------------------


def product_payload(category, **overrides) -> dict:
    payload = {
        "title": "Linen apron",
        "description": "Stonewashed.",
        "category": category.slug,
        "price": "249.50",
        "stock": 7,
    }
    return payload | overrides


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["seller", "agent"])
def test_store_team_creates_and_updates_products(request, store, role):
    member = request.getfixturevalue(role)
    category = SubcategoryFactory()
    client = token_client(member)

    response = client.post(
        f"{API}/stores/{store.slug}/products",
        product_payload(category),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["price"], created["currency"], created["stock"]) == ("249.50", "ZAR", 7)

    response = client.put(
        f"{API}/products/{created['id']}",
        product_payload(category, title="Linen apron, long", stock=3),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    product = Product.objects.get(pk=created["id"])
    assert (product.title, product.stock, product.store) == ("Linen apron, long", 3, store)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["buyer", "staff"])
def test_outsiders_cannot_write_a_stores_products(request, store, product, role):
    client = token_client(request.getfixturevalue(role))
    category = product.category

    response = client.post(
        f"{API}/stores/{store.slug}/products",
        product_payload(category),
        content_type="application/json",
    )
    assert_error(response, 403, "permission_denied")
    response = client.put(
        f"{API}/products/{product.pk}",
        product_payload(category, title="Hijacked"),
        content_type="application/json",
    )
    assert_error(response, 403, "permission_denied")
    assert_error(client.post(f"{API}/products/{product.pk}/deactivate"), 403, "permission_denied")
    assert_error(client.get(f"{API}/stores/{store.slug}/products"), 403, "permission_denied")

    product.refresh_from_db()
    assert (product.title, product.is_active, store.products.count()) == ("Linen shirt", True, 1)


@pytest.mark.django_db
def test_anonymous_writes_are_refused_with_401(store, product):
    client = Client()
    response = client.post(
        f"{API}/stores/{store.slug}/products",
        product_payload(product.category),
        content_type="application/json",
    )
    assert_error(response, 401, "not_authenticated")
    assert_error(client.post(f"{API}/products/{product.pk}/deactivate"), 401, "not_authenticated")
    assert_error(
        client.post(f"{API}/orders", {}, content_type="application/json"), 401, "not_authenticated"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"title": ""}, 422),
        ({"title": "   "}, 400),
        ({"price": "0"}, 400),
        ({"price": "-1"}, 422),
        ({"price": "12.345"}, 422),
        ({"stock": -1}, 422),
        ({"stock": True}, 422),
        ({"stock": "3"}, 422),
        ({"currency": "R$"}, 422),
        ({"category": "no-such-category"}, 400),
    ],
    ids=[
        "empty title",
        "blank title",
        "free",
        "negative",
        "fraction of a cent",
        "negative stock",
        "boolean stock",
        "stock as text",
        "bad currency",
        "unknown category",
    ],
)
def test_invalid_products_are_refused_and_nothing_is_written(store, seller, overrides, status):
    response = token_client(seller).post(
        f"{API}/stores/{store.slug}/products",
        product_payload(SubcategoryFactory()) | overrides,
        content_type="application/json",
    )
    assert response.status_code == status, response.content
    assert response.json()["error"]["message"]
    assert not store.products.exists()


@pytest.mark.django_db
def test_top_level_category_is_refused(store, seller):
    category = SubcategoryFactory()
    response = token_client(seller).post(
        f"{API}/stores/{store.slug}/products",
        product_payload(category.parent),
        content_type="application/json",
    )
    assert_error(response, 400, "validation_failed")


@pytest.mark.django_db
def test_team_deactivates_and_reactivates_and_lists_all_products(store, seller, product):
    client = token_client(seller)

    assert client.post(f"{API}/products/{product.pk}/deactivate").json()["is_active"] is False
    assert Client().get(f"{API}/products").json()["count"] == 0
    listed = client.get(f"{API}/stores/{store.slug}/products").json()
    assert (listed["count"], listed["items"][0]["is_active"]) == (1, False)
    assert client.post(f"{API}/products/{product.pk}/activate").json()["is_active"] is True


# --- Orders --------------------------------------------------------------------------


@pytest.mark.django_db
def test_buyer_places_an_order_and_stock_is_taken(buyer, product):
    response = token_client(buyer).post(
        f"{API}/orders",
        {"items": [{"product_id": product.pk, "quantity": 2}]},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    order = response.json()
    assert order["status"] == "placed"
    assert order["total"] == "398.00"
    assert order["items"] == [
        {
            "product_id": product.pk,
            "title": "Linen shirt",
            "unit_price": "199.00",
            "quantity": 2,
            "line_total": "398.00",
        }
    ]
    assert order["next_statuses"] == ["cancelled"]
    assert order["buyer"]["id"] == buyer.pk
    product.refresh_from_db()
    assert product.stock == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("items", "status", "code"),
    [
        (lambda product, other: [], 422, "invalid_request"),
        (lambda product, other: [{"product_id": 999999}], 400, "validation_failed"),
        (lambda product, other: [{"product_id": "one"}], 422, "invalid_request"),
        (lambda product, other: [{"product_id": True}], 422, "invalid_request"),
        (lambda product, other: [{"product_id": str(product.pk)}], 422, "invalid_request"),
        (
            lambda product, other: [{"product_id": product.pk, "quantity": True}],
            422,
            "invalid_request",
        ),
        (
            lambda product, other: [{"product_id": product.pk, "quantity": 1.0}],
            422,
            "invalid_request",
        ),
        (lambda product, other: [{"product_id": product.pk, "quantity": 6}], 409, "out_of_stock"),
        (
            lambda product, other: [{"product_id": product.pk, "quantity": 100}],
            422,
            "invalid_request",
        ),
        (
            lambda product, other: [{"product_id": product.pk}, {"product_id": other.pk}],
            400,
            "validation_failed",
        ),
    ],
    ids=[
        "empty",
        "unknown product",
        "not an id",
        "boolean id",
        "id as text",
        "boolean quantity",
        "fractional quantity",
        "out of stock",
        "too many",
        "two stores",
    ],
)
def test_bad_orders_are_refused_and_stock_is_untouched(buyer, product, items, status, code):
    other = ProductFactory()

    response = token_client(buyer).post(
        f"{API}/orders", {"items": items(product, other)}, content_type="application/json"
    )

    assert_error(response, status, code)
    assert not Order.objects.exists()
    product.refresh_from_db()
    assert product.stock == 5


@pytest.mark.django_db
def test_a_retried_order_with_its_client_id_is_placed_once(buyer, product):
    client = token_client(buyer)
    body = {"items": [{"product_id": product.pk, "quantity": 2}], "client_id": "retry-1"}
    first = client.post(f"{API}/orders", body, content_type="application/json")
    again = client.post(f"{API}/orders", body, content_type="application/json")
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]

    body["items"][0]["quantity"] = 1
    reused = client.post(f"{API}/orders", body, content_type="application/json")
    assert_error(reused, 409, "client_id_reused")
    product.refresh_from_db()
    assert (product.stock, Order.objects.count()) == (3, 1)


@pytest.mark.django_db
def test_a_member_cannot_order_from_their_own_store(seller, product):
    response = token_client(seller).post(
        f"{API}/orders",
        {"items": [{"product_id": product.pk, "quantity": 1}]},
        content_type="application/json",
    )
    assert_error(response, 403, "permission_denied")


@pytest.mark.django_db
def test_order_visibility_per_role(placed_order, buyer, seller, agent, staff):
    url = f"{API}/orders/{placed_order.number}"

    assert token_client(buyer).get(url).json()["next_statuses"] == ["cancelled"]
    assert token_client(seller).get(url).json()["next_statuses"] == ["shipped"]
    assert token_client(agent).get(url).json()["next_statuses"] == ["shipped"]
    assert token_client(staff).get(url).json()["next_statuses"] == []
    assert_error(token_client(UserFactory()).get(url), 404, "not_found")
    assert_error(Client().get(url), 401, "not_authenticated")


@pytest.mark.django_db
def test_order_lists_own_or_the_stores(placed_order, buyer, seller, staff):
    OrderFactory()  # someone else's, in another store

    mine = token_client(buyer).get(f"{API}/orders").json()
    assert [order["number"] for order in mine["items"]] == [placed_order.number]
    assert token_client(seller).get(f"{API}/orders").json()["count"] == 0
    store_orders = token_client(seller).get(f"{API}/orders", {"store": "cape-linen-co"}).json()
    assert [order["number"] for order in store_orders["items"]] == [placed_order.number]
    shipped = token_client(seller).get(
        f"{API}/orders", {"store": "cape-linen-co", "status": "shipped"}
    )
    assert shipped.json()["count"] == 0
    response = token_client(buyer).get(f"{API}/orders", {"store": "cape-linen-co"})
    assert_error(response, 403, "permission_denied")
    response = token_client(staff).get(f"{API}/orders", {"store": "cape-linen-co"})
    assert_error(response, 403, "permission_denied")


@pytest.mark.django_db
def test_order_goes_placed_shipped_delivered_through_the_store(placed_order, seller, agent, buyer):
    url = f"{API}/orders/{placed_order.number}/transition"

    def move(client, status):
        return client.post(url, {"status": status}, content_type="application/json")

    assert_error(move(token_client(buyer), "shipped"), 403, "permission_denied")
    shipped = move(token_client(agent), "shipped")
    assert shipped.status_code == 200, shipped.content
    assert shipped.json()["shipped_at"] is not None
    assert_error(move(token_client(buyer), "cancelled"), 409, "invalid_transition")
    assert move(token_client(seller), "delivered").json()["status"] == "delivered"
    assert_error(move(token_client(seller), "shipped"), 409, "invalid_transition")
    assert_error(move(token_client(seller), "lost"), 422, "invalid_request")


@pytest.mark.django_db
def test_only_the_buyer_cancels_and_stock_returns(placed_order, product, seller, staff, buyer):
    url = f"{API}/orders/{placed_order.number}/transition"
    body = {"status": "cancelled"}

    assert_error(
        token_client(seller).post(url, body, content_type="application/json"),
        403,
        "permission_denied",
    )
    assert_error(
        token_client(staff).post(url, body, content_type="application/json"),
        403,
        "permission_denied",
    )
    cancelled = token_client(buyer).post(url, body, content_type="application/json")

    assert cancelled.json()["status"] == "cancelled"
    product.refresh_from_db()
    assert product.stock == 6
