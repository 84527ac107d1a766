"""Reads for the catalog: what each person may see, and in how many queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.catalog.models import Order, Store, StoreMembership
from saypro.catalog.selectors import (
    active_stores,
    categories_tree,
    is_store_member,
    is_store_owner,
    leaf_categories,
    memberships_of,
    orders_of_buyer,
    orders_of_store,
    search_products,
    store_by_slug,
    store_members,
    store_of_member,
    store_order_counts,
    store_products,
    visible_order,
    visible_product,
)
from saypro.catalog.tests.factories import (
    CategoryFactory,
    MembershipFactory,
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    StoreFactory,
    SubcategoryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_seller(db):
    return MembershipFactory(store__name="Rival Goods", user__email="rival@example.test").user


@pytest.fixture
def stranger(db):
    return UserFactory(email="stranger@example.test")


# --- search_products ---------------------------------------------------------------------------


@pytest.fixture
def shop(db):
    """A small shop: two departments, three stores (one closed), active and hidden products."""
    fashion = CategoryFactory(name="Fashion", slug="fashion")
    home = CategoryFactory(name="Home", slug="home")
    shirts = SubcategoryFactory(name="Shirts", slug="shirts", parent=fashion)
    mugs = SubcategoryFactory(name="Mugs", slug="mugs", parent=home)
    weavers = StoreFactory(name="Karoo Weavers")
    potters = StoreFactory(name="Durban Potters")
    closed = StoreFactory(name="Closed Shop", is_active=False)
    now = timezone.now()

    def product(title, store, category, price, days_old, **extra):
        return ProductFactory(
            title=title,
            store=store,
            category=category,
            price=Decimal(price),
            created_at=now - timedelta(days=days_old),
            description=extra.pop("description", "Made to last."),
            **extra,
        )

    return {
        "categories": {"fashion": fashion, "home": home, "shirts": shirts, "mugs": mugs},
        "stores": {"weavers": weavers, "potters": potters, "closed": closed},
        "products": {
            "linen": product("Linen shirt", weavers, shirts, "300.00", 3),
            "cotton": product("Cotton shirt", weavers, shirts, "150.00", 1),
            "mug": product(
                "Striped mug", potters, mugs, "90.00", 2, description="Glazed, fits a shirt pocket"
            ),
            "hidden": product("Hidden linen shirt", weavers, shirts, "10.00", 0, is_active=False),
            "closed": product("Closed-store linen shirt", closed, shirts, "20.00", 0),
        },
    }


def titles(products) -> list[str]:
    return [product.title for product in products]


def test_search_lists_only_active_products_of_active_stores(shop):
    assert titles(search_products()) == ["Cotton shirt", "Striped mug", "Linen shirt"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("shirt", ["Cotton shirt", "Striped mug", "Linen shirt"]),  # title, or description
        ("LINEN", ["Linen shirt"]),
        ("linen shirt", ["Linen shirt"]),
        ("shirt linen", ["Linen shirt"]),
        ("linen mug", []),  # every word must match
        ("  cotton   ", ["Cotton shirt"]),
        ("mugs", ["Striped mug"]),  # category name
        ("potters", ["Striped mug"]),  # store name
        ("karoo cotton", ["Cotton shirt"]),
        ("glazed", ["Striped mug"]),  # description
        ("nothing-like-this", []),
        ("", ["Cotton shirt", "Striped mug", "Linen shirt"]),
    ],
)
def test_search_matches_every_word(shop, text, expected):
    assert titles(search_products(text=text)) == expected


def test_search_uses_the_first_eight_words_only(shop):
    text = "linen " * 8 + "nothing-like-this"

    assert titles(search_products(text=text)) == ["Linen shirt"]


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("fashion", ["Cotton shirt", "Linen shirt"]),  # a department includes its sub-categories
        ("shirts", ["Cotton shirt", "Linen shirt"]),
        ("home", ["Striped mug"]),
        ("mugs", ["Striped mug"]),
    ],
)
def test_search_by_category(shop, category, expected):
    assert titles(search_products(category=shop["categories"][category])) == expected


@pytest.mark.parametrize(
    ("min_price", "max_price", "expected"),
    [
        ("150", "300", ["Cotton shirt", "Linen shirt"]),  # both bounds inclusive
        ("150.01", None, ["Linen shirt"]),
        (None, "149.99", ["Striped mug"]),
        (None, "90", ["Striped mug"]),
        ("301", None, []),
    ],
)
def test_search_by_price(shop, min_price, max_price, expected):
    products = search_products(
        min_price=Decimal(min_price) if min_price else None,
        max_price=Decimal(max_price) if max_price else None,
    )
    assert titles(products) == expected


def test_search_by_store(shop):
    assert titles(search_products(store=shop["stores"]["weavers"])) == [
        "Cotton shirt",
        "Linen shirt",
    ]
    assert titles(search_products(store=shop["stores"]["closed"])) == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("relevance", ["Cotton shirt", "Striped mug", "Linen shirt"]),
        ("newest", ["Cotton shirt", "Striped mug", "Linen shirt"]),
        ("price_asc", ["Striped mug", "Cotton shirt", "Linen shirt"]),
        ("price_desc", ["Linen shirt", "Cotton shirt", "Striped mug"]),
        ("title", ["Cotton shirt", "Linen shirt", "Striped mug"]),
        ("no-such-sort", ["Cotton shirt", "Striped mug", "Linen shirt"]),
    ],
)
def test_search_sorts(shop, sort, expected):
    assert titles(search_products(sort=sort)) == expected


def test_search_ties_are_broken_by_id(db):
    first, second, third = ProductFactory.create_batch(3, price=Decimal("5.00"))

    assert list(search_products(sort="price_asc")) == [first, second, third]
    assert list(search_products(sort="price_desc")) == [first, second, third]


def test_search_is_one_query_with_store_and_category(shop, django_assert_num_queries):
    ProductFactory.create_batch(20, category=shop["categories"]["shirts"])

    with django_assert_num_queries(1):
        products = list(search_products(text="shirt", category=shop["categories"]["fashion"]))
        labels = {(product.store.name, product.category.name) for product in products}

    assert len(products) == 22
    assert ("Karoo Weavers", "Shirts") in labels


# --- visible_product ---------------------------------------------------------------------------


VIEWERS = ["anonymous", "buyer", "seller", "agent", "other_seller", "staff"]


@pytest.fixture
def viewers(buyer, seller, agent, other_seller, staff):
    return {
        "anonymous": AnonymousUser(),
        "buyer": buyer,
        "seller": seller,
        "agent": agent,
        "other_seller": other_seller,
        "staff": staff,
    }


@pytest.mark.parametrize(
    ("state", "who_sees_it"),
    [
        ("active", set(VIEWERS)),
        ("inactive product", {"seller", "agent"}),
        ("inactive store", {"seller", "agent"}),
    ],
)
def test_visible_product(viewers, product, store, state, who_sees_it):
    if state == "inactive product":
        product.is_active = False
        product.save()
    elif state == "inactive store":
        Store.objects.filter(pk=store.pk).update(is_active=False)

    seen = {name for name, user in viewers.items() if visible_product(user, product.pk) == product}

    assert seen == who_sees_it


def test_visible_product_is_one_row_for_a_store_with_many_members(
    product, seller, store, django_assert_num_queries
):
    MembershipFactory.create_batch(3, store=store, role=StoreMembership.Role.AGENT)

    with django_assert_num_queries(1):
        found = visible_product(seller, product.pk)
        assert (found.store.name, found.category.parent.name) == (
            "Cape Linen Co",
            product.category.parent.name,
        )

    assert found == product


def test_visible_product_of_unknown_id_is_none(viewers):
    assert visible_product(viewers["seller"], 987654) is None


# --- orders ------------------------------------------------------------------------------------


@pytest.fixture
def order(buyer, product):
    return OrderItemFactory(
        order__buyer=buyer, order__store=product.store, product=product, quantity=2
    ).order


@pytest.mark.parametrize(
    ("viewer", "sees_it"),
    [
        ("buyer", True),
        ("seller", True),
        ("agent", True),
        ("staff", True),
        ("other_seller", False),
        ("anonymous", False),
    ],
)
def test_visible_order(viewers, order, viewer, sees_it):
    assert visible_order(viewers[viewer], order.number) == (order if sees_it else None)


def test_visible_order_to_strangers_and_inactive_staff_is_none(order, stranger):
    former_staff = StaffFactory(is_active=False)

    assert visible_order(stranger, order.number) is None
    assert visible_order(former_staff, order.number) is None
    assert visible_order(stranger, "SP-NOPE") is None


def test_visible_order_fetches_items_up_front(order, seller, django_assert_num_queries):
    with django_assert_num_queries(2):
        found = visible_order(seller, order.number)
        lines = [(item.product.title, item.quantity) for item in found.items.all()]
        names = (found.buyer.email, found.store.name)

    assert lines == [("Linen shirt", 2)]
    assert names == ("buyer@example.test", "Cape Linen Co")


@pytest.mark.parametrize("viewer", ["buyer", "other_seller", "staff", "anonymous"])
def test_orders_of_store_for_non_members_is_empty(viewers, order, store, viewer):
    assert list(orders_of_store(viewers[viewer], store)) == []


def test_orders_of_store_lists_newest_first_with_constant_queries(
    store, seller, product, django_assert_num_queries
):
    now = timezone.now()
    orders = [
        OrderFactory(store=store, placed_at=now - timedelta(hours=hours)) for hours in range(6)
    ]
    for order in orders:
        OrderItemFactory.create_batch(2, order=order, product__store=store)
    OrderItemFactory(order__store=StoreFactory())  # another store's order

    with django_assert_num_queries(3):  # membership, orders, items with products
        listed = list(orders_of_store(seller, store))
        rendered = [
            (
                order.buyer.email,
                order.store.name,
                [item.product.title for item in order.items.all()],
            )
            for order in listed
        ]

    assert listed == orders
    assert all(len(items) == 2 for _email, _store, items in rendered)


def test_orders_of_store_by_status(store, seller):
    placed = OrderFactory(store=store)
    shipped = OrderFactory(store=store, status=Order.Status.SHIPPED)

    assert list(orders_of_store(seller, store, status="placed")) == [placed]
    assert list(orders_of_store(seller, store, status="shipped")) == [shipped]
    assert list(orders_of_store(seller, store, status="delivered")) == []
    assert set(orders_of_store(seller, store, status="")) == {placed, shipped}


def test_orders_of_buyer(buyer, order, store):
    OrderFactory(store=store)  # someone else's

    assert list(orders_of_buyer(buyer)) == [order]
    assert list(orders_of_buyer(AnonymousUser())) == []


def test_store_order_counts(store, seller, agent, other_seller, django_assert_num_queries):
    for status, count in [("placed", 3), ("shipped", 1), ("cancelled", 2)]:
        OrderFactory.create_batch(count, store=store, status=status)
    OrderFactory.create_batch(4, status="placed")  # another store

    with django_assert_num_queries(2):
        counts = store_order_counts(agent, store)

    assert counts == {"placed": 3, "shipped": 1, "delivered": 0, "cancelled": 2}
    assert store_order_counts(other_seller, store) == {
        "placed": 0,
        "shipped": 0,
        "delivered": 0,
        "cancelled": 0,
    }


# --- categories ----------------------------------------------------------------------------------


def test_categories_tree_counts_the_products_a_shopper_can_find(shop, django_assert_num_queries):
    CategoryFactory(name="Garden", slug="garden", position=1)
    ProductFactory(category=shop["categories"]["mugs"], store=shop["stores"]["potters"])

    with django_assert_num_queries(2):
        tree = categories_tree()
        shape = [
            (top.name, [(child.name, child.product_count) for child in top.children.all()])
            for top in tree
        ]

    # Departments by position then name; counts leave out hidden products and closed stores,
    # so that each count matches the search its link opens.
    assert shape == [("Fashion", [("Shirts", 2)]), ("Home", [("Mugs", 2)]), ("Garden", [])]
    assert shape[0][1][0][1] == search_products(category=shop["categories"]["shirts"]).count()


def test_leaf_categories_are_the_sub_categories_by_department(shop, django_assert_num_queries):
    fashion, home = shop["categories"]["shirts"].parent, shop["categories"]["mugs"].parent
    SubcategoryFactory(parent=home, name="Bowls", position=9)
    SubcategoryFactory(parent=fashion, name="Dresses", position=9)
    SubcategoryFactory(parent=home, name="Aprons", position=9)

    with django_assert_num_queries(1):
        leaves = [str(category) for category in leaf_categories()]

    # Departments in the shop's order (Fashion before Home), then each one's own order.
    assert leaves == [
        "Fashion › Shirts",
        "Fashion › Dresses",
        "Home › Mugs",
        "Home › Aprons",
        "Home › Bowls",
    ]


# --- stores and teams ----------------------------------------------------------------------------


def test_membership_checks(viewers, store):
    assert {name for name, user in viewers.items() if is_store_member(user, store)} == {
        "seller",
        "agent",
    }
    assert {name for name, user in viewers.items() if is_store_owner(user, store)} == {"seller"}


def test_store_members_for_members_only(store, seller, agent, buyer):
    assert [m.user.email for m in store_members(agent, store)] == [
        "agent@example.test",
        "owner@example.test",
    ]
    assert list(store_members(buyer, store)) == []


def test_store_products_include_hidden_ones_for_members_only(store, seller, buyer, product):
    hidden = ProductFactory(store=store, title="Archived scarf", is_active=False)

    assert list(store_products(seller, store)) == [product, hidden]
    assert list(store_products(buyer, store)) == []


def test_memberships_and_the_store_a_member_acts_for(seller, store):
    later = MembershipFactory(
        user=seller, store__name="Second Shop", store__slug="second-shop", role="agent"
    ).store
    closed = MembershipFactory(user=seller, store__is_active=False).store

    assert {m.store for m in memberships_of(seller)} == {store, later}
    assert store_of_member(seller) == store
    assert store_of_member(seller, "second-shop") == later
    assert store_of_member(seller, closed.slug) is None
    assert store_of_member(seller, "no-such-store") is None
    assert store_of_member(AnonymousUser()) is None


def test_active_stores_count_active_products(store, product):
    ProductFactory(store=store, is_active=False)
    closed = StoreFactory(is_active=False)

    assert [(s.name, s.product_count) for s in active_stores()] == [("Cape Linen Co", 1)]
    assert store_by_slug("cape-linen-co") == store
    assert store_by_slug(closed.slug) is None
