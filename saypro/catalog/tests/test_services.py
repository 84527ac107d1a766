"""Writes to the catalog: stores, teams, products, orders and their status changes.

Every refused or invalid call is checked to leave the database exactly as it
was (``database_state``), and every status change the store makes to tell the
buyer exactly once (``order.status``: in-app and, by default, one email after
commit); the buyer's own cancel tells nobody.
"""

import copy
import itertools
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.catalog.models import Category, Order, OrderItem, Product, Store, StoreMembership
from saypro.catalog.services import (
    MAX_QUANTITY,
    OrderLine,
    ProductInput,
    add_store_member,
    change_member_role,
    create_product,
    open_store,
    place_order,
    remove_store_member,
    set_product_active,
    transition_order,
    update_product,
    update_store_profile,
)
from saypro.catalog.tests.factories import (
    MembershipFactory,
    ProductFactory,
    StoreFactory,
    SubcategoryFactory,
)
from saypro.core.errors import (
    ApplicationError,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from saypro.core.testing import postgresql_only, run_at_once
from saypro.notifications.models import Channel, EmailDelivery, Notification, Preference

PLACED, SHIPPED, DELIVERED, CANCELLED = (
    Order.Status.PLACED,
    Order.Status.SHIPPED,
    Order.Status.DELIVERED,
    Order.Status.CANCELLED,
)
ORDER_NUMBER = re.compile(r"^SP-[A-HJ-NP-Z2-9]{8}$")


def database_state() -> dict[str, list[dict]]:
    """Every row of every catalog table, to show that a refused call changed nothing."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Store, StoreMembership, Category, Product, Order, OrderItem)
    }


@pytest.fixture
def other_seller(db):
    """The owner of another store."""
    return MembershipFactory(store__name="Rival Goods", user__email="rival@example.test").user


@pytest.fixture
def stranger(db):
    return UserFactory(email="stranger@example.test")


@pytest.fixture
def category(db):
    return SubcategoryFactory(name="Shirts", slug="shirts", parent__name="Fashion")


# --- open_store -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_open_store_makes_the_opener_its_owner(stranger):
    store = open_store(owner=stranger, name="  Karoo Crafts ", description=" Hand-made. ")

    store.refresh_from_db()
    assert (store.name, store.slug, store.description) == (
        "Karoo Crafts",
        "karoo-crafts",
        "Hand-made.",
    )
    assert store.is_active is True
    assert store.external_id is None
    memberships = list(StoreMembership.objects.filter(store=store).values_list("user", "role"))
    assert memberships == [(stranger.pk, StoreMembership.Role.OWNER)]


def test_open_store_derives_a_unique_slug(store, stranger):
    first = open_store(owner=stranger, name="Cape Linen Co.")
    second = open_store(owner=stranger, name="Cape Linen Co!")

    assert store.slug == "cape-linen-co"
    assert (first.slug, second.slug) == ("cape-linen-co-2", "cape-linen-co-3")


@pytest.mark.django_db
def test_open_store_falls_back_to_a_generic_slug(stranger):
    assert open_store(owner=stranger, name="☀☀☀").slug == "store"


@pytest.mark.parametrize(
    "name", ["Cape Linen Co", "cape linen co", "CAPE LINEN CO", " Cape Linen Co "]
)
def test_open_store_refuses_a_taken_name_whatever_its_case(store, stranger, name):
    before = database_state()

    with pytest.raises(Conflict) as caught:
        open_store(owner=stranger, name=name)

    assert caught.value.code == "store_name_taken"
    assert caught.value.details == {"field": "name"}
    assert database_state() == before


@pytest.mark.parametrize(
    ("name", "description"), [("", ""), ("   ", ""), ("x" * 121, ""), ("Fine", "x" * 5001)]
)
def test_open_store_validates_name_and_description(stranger, name, description):
    before = database_state()

    with pytest.raises(ValidationFailed):
        open_store(owner=stranger, name=name, description=description)

    assert database_state() == before


@pytest.mark.django_db
def test_open_store_refuses_an_inactive_user():
    inactive = UserFactory(is_active=False)
    before = database_state()

    with pytest.raises(PermissionDenied):
        open_store(owner=inactive, name="Ghost Shop")

    assert database_state() == before


# --- update_store_profile ---------------------------------------------------------------------


def test_an_owner_renames_the_store_and_its_address_stays(store, seller):
    update_store_profile(
        actor=seller, store=store, name="  Cape Linen & Co ", description=" Flax, woven. "
    )

    store.refresh_from_db()
    assert (store.name, store.slug, store.description) == (
        "Cape Linen & Co",
        "cape-linen-co",
        "Flax, woven.",
    )


def test_an_owner_may_change_only_the_case_of_the_stores_own_name(store, seller):
    update_store_profile(actor=seller, store=store, name="CAPE LINEN CO", description="")

    store.refresh_from_db()
    assert store.name == "CAPE LINEN CO"


@pytest.mark.parametrize("actor_name", ["agent", "stranger", "staff"])
def test_only_owners_change_the_store_profile(request, store, actor_name):
    actor = request.getfixturevalue(actor_name)
    before = database_state()

    with pytest.raises(PermissionDenied):
        update_store_profile(actor=actor, store=store, name="Taken Over", description="")

    assert database_state() == before


@pytest.mark.parametrize(
    ("name", "description", "error", "field"),
    [
        ("", "", ValidationFailed, "name"),
        ("x" * 121, "", ValidationFailed, "name"),
        ("Fine", "x" * 5001, ValidationFailed, "description"),
        ("rival", "", Conflict, "name"),
    ],
)
def test_a_refused_profile_change_says_which_field_and_changes_nothing(
    store, seller, name, description, error, field
):
    StoreFactory(name="Rival")
    before = database_state()

    with pytest.raises(error) as caught:
        update_store_profile(actor=seller, store=store, name=name, description=description)

    assert caught.value.details == {"field": field}
    assert database_state() == before


# --- add_store_member -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "owner"])
def test_owner_adds_a_member(store, seller, stranger, role):
    membership = add_store_member(actor=seller, store=store, user=stranger, role=role)

    assert (membership.store, membership.user, membership.role) == (store, stranger, role)
    assert StoreMembership.objects.filter(store=store).count() == 2


@pytest.mark.parametrize("actor_name", ["agent", "other_seller", "staff", "buyer"])
def test_only_owners_add_members(request, store, seller, stranger, actor_name):
    actor = request.getfixturevalue(actor_name)
    before = database_state()

    with pytest.raises(PermissionDenied):
        add_store_member(actor=actor, store=store, user=stranger, role="agent")

    assert database_state() == before


@pytest.mark.parametrize("role", ["agent", "owner"])
def test_adding_an_existing_member_is_a_conflict(store, seller, agent, role):
    before = database_state()

    with pytest.raises(Conflict) as caught:
        add_store_member(actor=seller, store=store, user=agent, role=role)

    assert caught.value.code == "already_member"
    assert database_state() == before


def test_adding_a_member_with_an_unknown_role_is_refused(store, seller, stranger):
    before = database_state()

    with pytest.raises(ValidationFailed) as caught:
        add_store_member(actor=seller, store=store, user=stranger, role="admin")

    assert caught.value.details == {"field": "role"}
    assert database_state() == before


# --- change_member_role, remove_store_member -----------------------------------------------------


def membership_of(store, user) -> StoreMembership:
    return StoreMembership.objects.get(store=store, user=user)


@pytest.mark.parametrize(("start", "role"), [("agent", "owner"), ("owner", "agent")])
def test_an_owner_changes_a_members_role(store, seller, stranger, start, role):
    MembershipFactory(store=store, user=stranger, role=start)

    changed = change_member_role(actor=seller, membership=membership_of(store, stranger), role=role)

    assert changed.role == role == membership_of(store, stranger).role


@pytest.mark.parametrize("actor_name", ["agent", "other_seller", "staff", "buyer", "anonymous"])
def test_only_owners_change_roles_or_remove_others(request, store, seller, agent, actor_name):
    actor = AnonymousUser() if actor_name == "anonymous" else request.getfixturevalue(actor_name)
    target = membership_of(store, seller if actor_name == "agent" else agent)
    before = database_state()

    with pytest.raises(PermissionDenied):
        change_member_role(actor=actor, membership=target, role="agent")
    with pytest.raises(PermissionDenied):
        remove_store_member(actor=actor, membership=target)

    assert database_state() == before


def test_an_unknown_role_is_refused(store, seller, agent):
    before = database_state()

    with pytest.raises(ValidationFailed) as caught:
        change_member_role(actor=seller, membership=membership_of(store, agent), role="admin")

    assert caught.value.details == {"field": "role"}
    assert database_state() == before


def test_an_owner_removes_a_member_and_anyone_leaves(store, seller, agent, stranger):
    MembershipFactory(store=store, user=stranger, role="agent")

    remove_store_member(actor=seller, membership=membership_of(store, agent))
    remove_store_member(actor=stranger, membership=membership_of(store, stranger))

    assert list(store.memberships.values_list("user__email", flat=True)) == [seller.email]


def test_a_store_always_keeps_an_owner(store, seller, agent):
    only_owner = membership_of(store, seller)
    before = database_state()

    for attempt in (
        lambda: change_member_role(actor=seller, membership=only_owner, role="agent"),
        lambda: remove_store_member(actor=seller, membership=only_owner),
    ):
        with pytest.raises(Conflict) as caught:
            attempt()
        assert caught.value.code == "last_owner"

    assert database_state() == before


def test_an_owner_steps_down_once_there_is_another(store, seller, agent):
    change_member_role(actor=seller, membership=membership_of(store, agent), role="owner")

    change_member_role(actor=seller, membership=membership_of(store, seller), role="agent")

    assert membership_of(store, agent).role == "owner"
    with pytest.raises(PermissionDenied):  # no longer an owner
        remove_store_member(actor=seller, membership=membership_of(store, agent))


def test_a_member_already_gone_is_not_found(store, seller, agent):
    gone = membership_of(store, agent)
    remove_store_member(actor=seller, membership=gone)

    with pytest.raises(NotFound):
        change_member_role(actor=seller, membership=gone, role="owner")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_at_once_leave_one_owner():
    first = MembershipFactory(role="owner")
    second = MembershipFactory(store=first.store, role="owner")

    results = run_at_once(
        [
            lambda: change_member_role(actor=first.user, membership=second, role="agent"),
            lambda: change_member_role(actor=second.user, membership=first, role="agent"),
        ]
    )

    assert sorted(type(result).__name__ for result in results) == [
        "PermissionDenied",
        "StoreMembership",
    ], results
    assert first.store.memberships.filter(role="owner").count() == 1


# --- products ---------------------------------------------------------------------------------


def product_input(category, **changes) -> ProductInput:
    values = {
        "title": "Linen apron",
        "description": "Stone-washed.",
        "category": category,
        "price": "349.90",
        "stock": 12,
        "currency": None,
    }
    return ProductInput(**{**values, **changes})


@pytest.mark.parametrize("actor_name", ["seller", "agent"])
def test_store_members_create_products(request, store, category, actor_name):
    actor = request.getfixturevalue(actor_name)

    product = create_product(
        actor=actor, store=store, data=product_input(category, title="  Linen apron  ")
    )

    product.refresh_from_db()
    assert product.store == store
    assert product.category == category
    assert (product.title, product.description) == ("Linen apron", "Stone-washed.")
    assert (product.price, product.currency, product.stock) == (Decimal("349.90"), "ZAR", 12)
    assert product.is_active is True


@pytest.mark.parametrize(
    ("given_price", "stored_price"),
    [(19.99, Decimal("19.99")), ("0.01", Decimal("0.01")), (1000000, Decimal("1000000.00"))],
)
def test_create_product_accepts_prices_in_range(store, seller, category, given_price, stored_price):
    product = create_product(
        actor=seller, store=store, data=product_input(category, price=given_price)
    )

    product.refresh_from_db()
    assert product.price == stored_price


def test_create_product_normalises_currency(store, seller, category):
    product = create_product(
        actor=seller, store=store, data=product_input(category, currency="usd")
    )

    assert product.currency == "USD"


@pytest.mark.parametrize("actor_name", ["buyer", "other_seller", "staff", "stranger"])
def test_create_product_is_for_members_only(request, store, seller, category, actor_name):
    actor = request.getfixturevalue(actor_name)
    before = database_state()

    with pytest.raises(PermissionDenied):
        create_product(actor=actor, store=store, data=product_input(category))

    assert database_state() == before


INVALID_PRODUCT_FIELDS = [
    ("title", ""),
    ("title", "   "),
    ("title", "x" * 161),
    ("description", "x" * 5001),
    ("price", "abc"),
    ("price", None),
    ("price", "0"),
    ("price", "0.004"),
    ("price", "-5"),
    ("price", "1000000.01"),
    ("price", "NaN"),
    ("price", "-NaN"),
    ("price", "sNaN"),
    ("price", "Infinity"),
    ("price", float("nan")),
    ("price", "1e30"),
    ("stock", -1),
    ("stock", 1.5),
    ("stock", True),
    ("stock", "3"),
    ("stock", None),
    ("stock", 1_000_001),
    ("currency", "ZA"),
    ("currency", "ZARR"),
    ("currency", "Z1R"),
    ("currency", "ÄBC"),
    ("currency", "ABC"),  # three letters, but no ISO 4217 currency
]


@pytest.mark.parametrize(("field", "value"), INVALID_PRODUCT_FIELDS)
def test_create_product_validates_its_fields(store, seller, category, field, value):
    before = database_state()

    with pytest.raises(ValidationFailed) as caught:
        create_product(actor=seller, store=store, data=product_input(category, **{field: value}))

    assert caught.value.details == {"field": field}
    assert database_state() == before


@pytest.mark.django_db
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    price=st.one_of(
        st.text(max_size=12),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**12), max_value=10**12),
    )
)
def test_any_price_gives_a_valid_product_or_a_price_error(store, seller, category, price):
    """Whatever a form or API sends as a price, the service answers with a domain result."""
    try:
        product = create_product(
            actor=seller, store=store, data=product_input(category, price=price)
        )
    except ValidationFailed as error:
        assert error.details == {"field": "price"}
    else:
        assert Decimal("0.01") <= product.price <= Decimal("1000000")
        assert product.price == product.price.quantize(Decimal("0.01"))


def test_members_update_products(product, agent, category):
    before = product.updated_at

    updated = update_product(
        actor=agent,
        product=product,
        data=product_input(category, title="Linen shirt, navy", price="250", stock=0),
    )

    product.refresh_from_db()
    assert updated == product
    assert (product.title, product.category, product.price, product.stock) == (
        "Linen shirt, navy",
        category,
        Decimal("250.00"),
        0,
    )
    assert product.currency == "ZAR"  # kept when not given
    assert product.updated_at > before


@pytest.mark.parametrize("actor_name", ["buyer", "other_seller", "staff", "stranger"])
def test_update_product_is_for_members_only(request, product, category, actor_name):
    actor = request.getfixturevalue(actor_name)
    before = database_state()

    with pytest.raises(PermissionDenied):
        update_product(actor=actor, product=product, data=product_input(category))

    assert database_state() == before
    assert product.title == "Linen shirt"


@pytest.mark.parametrize(("field", "value"), INVALID_PRODUCT_FIELDS)
def test_update_product_validates_its_fields(product, seller, category, field, value):
    before = database_state()

    with pytest.raises(ValidationFailed) as caught:
        update_product(
            actor=seller, product=product, data=product_input(category, **{field: value})
        )

    assert caught.value.details == {"field": field}
    assert database_state() == before


def test_members_deactivate_and_reactivate_products(product, seller, agent):
    set_product_active(actor=seller, product=product, is_active=False)
    product.refresh_from_db()
    assert product.is_active is False

    set_product_active(actor=agent, product=product, is_active=True)
    product.refresh_from_db()
    assert product.is_active is True


@pytest.mark.parametrize("actor_name", ["buyer", "other_seller", "staff", "stranger"])
def test_set_product_active_is_for_members_only(request, product, seller, actor_name):
    actor = request.getfixturevalue(actor_name)
    before = database_state()

    with pytest.raises(PermissionDenied):
        set_product_active(actor=actor, product=product, is_active=False)

    assert database_state() == before


# --- place_order --------------------------------------------------------------------------------


@pytest.fixture
def napkins(store):
    return ProductFactory(store=store, title="Linen napkins", price=Decimal("49.50"), stock=3)


def test_place_order_reserves_stock_and_snapshots_items(
    buyer, product, napkins, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        order = place_order(
            buyer=buyer,
            lines=[OrderLine(product=product, quantity=2), OrderLine(product=napkins, quantity=3)],
        )

    # Placing an order sends nothing (yet); only the KPI rollups refresh its store-day.
    assert [callback.__name__ for callback in callbacks] == ["_enqueue_refresh"]
    order.refresh_from_db()
    assert ORDER_NUMBER.match(order.number), order.number
    assert (order.buyer, order.store, order.status) == (buyer, product.store, PLACED)
    assert (order.total, order.currency) == (Decimal("546.50"), "ZAR")
    assert order.placed_at is not None
    assert (order.shipped_at, order.delivered_at, order.cancelled_at) == (None, None, None)
    items = list(order.items.values_list("product", "title", "unit_price", "quantity"))
    assert items == [
        (product.pk, "Linen shirt", Decimal("199.00"), 2),
        (napkins.pk, "Linen napkins", Decimal("49.50"), 3),
    ]
    stocks = dict(Product.objects.values_list("title", "stock"))
    assert stocks == {"Linen shirt": 3, "Linen napkins": 0}


def test_a_retried_client_id_returns_the_first_order_and_takes_nothing(buyer, product, napkins):
    lines = [OrderLine(product=product, quantity=2), OrderLine(product=napkins, quantity=1)]
    first = place_order(buyer=buyer, lines=lines, client_id="form-7f3a")
    again = place_order(buyer=buyer, lines=list(reversed(lines)), client_id="form-7f3a")

    assert again == first and Order.objects.count() == 1
    assert dict(Product.objects.values_list("title", "stock")) == {
        "Linen shirt": 3,
        "Linen napkins": 2,
    }
    # Another buyer's key, or no key, is another order.
    place_order(buyer=UserFactory(), lines=lines[1:], client_id="form-7f3a")
    place_order(buyer=buyer, lines=lines[1:])
    assert Order.objects.count() == 3


@pytest.mark.parametrize(
    ("client_id", "error"),
    [("form-7f3a", Conflict), ("has spaces", ValidationFailed), ("x" * 65, ValidationFailed)],
)
def test_a_reused_or_malformed_client_id_is_refused_and_nothing_changes(
    buyer, product, client_id, error
):
    place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=1)], client_id="form-7f3a")
    before = (Order.objects.count(), Product.objects.get(pk=product.pk).stock)

    with pytest.raises(error) as refused:
        place_order(
            buyer=buyer, lines=[OrderLine(product=product, quantity=2)], client_id=client_id
        )

    assert refused.value.details["field"] == "client_id"
    assert (Order.objects.count(), Product.objects.get(pk=product.pk).stock) == before


def test_order_items_keep_their_snapshot_when_the_product_changes(buyer, product, seller):
    order = place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=1)])

    update_product(
        actor=seller,
        product=product,
        data=ProductInput(
            title="Renamed", description="", category=product.category, price="999", stock=1
        ),
    )

    item = order.items.get()
    assert (item.title, item.unit_price, item.line_total) == (
        "Linen shirt",
        Decimal("199.00"),
        Decimal("199.00"),
    )
    assert Order.objects.get(pk=order.pk).total == Decimal("199.00")


def test_office_staff_and_other_sellers_may_buy(staff, other_seller, product):
    place_order(buyer=staff, lines=[OrderLine(product=product, quantity=1)])
    place_order(buyer=other_seller, lines=[OrderLine(product=product, quantity=1)])

    assert Order.objects.filter(store=product.store).count() == 2
    assert Product.objects.get(pk=product.pk).stock == 3


def test_place_order_out_of_stock_writes_nothing(buyer, product, napkins):
    before = database_state()

    with pytest.raises(Conflict) as caught:
        # The first line fits, the second does not: the first line's stock must come back.
        place_order(
            buyer=buyer,
            lines=[OrderLine(product=product, quantity=5), OrderLine(product=napkins, quantity=4)],
        )

    assert caught.value.code == "out_of_stock"
    assert caught.value.message == "“Linen napkins” is not available in that quantity: only 3 left."
    assert caught.value.details == {"product_id": napkins.pk, "available": 3}
    assert database_state() == before
    assert Order.objects.count() == 0
    assert Product.objects.get(pk=product.pk).stock == 5


def test_place_order_takes_the_very_last_unit(buyer, product):
    place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=5)])

    assert Product.objects.get(pk=product.pk).stock == 0
    with pytest.raises(Conflict) as caught:
        place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=1)])
    assert caught.value.message.endswith("is not available in that quantity: it is sold out.")
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.count() == 1


def test_place_order_refuses_an_inactive_product(buyer, product):
    Product.objects.filter(pk=product.pk).update(is_active=False)
    before = database_state()

    with pytest.raises(Conflict) as caught:
        place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=1)])

    assert caught.value.code == "out_of_stock"
    assert database_state() == before


def test_place_order_refuses_an_inactive_store(buyer, product, store):
    Store.objects.filter(pk=store.pk).update(is_active=False)
    product.refresh_from_db()
    before = database_state()

    with pytest.raises(ValidationFailed):
        place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=1)])

    assert database_state() == before


def test_place_order_refuses_items_of_several_stores(buyer, product):
    elsewhere = ProductFactory(title="Clay mug")
    before = database_state()

    with pytest.raises(ValidationFailed):
        place_order(
            buyer=buyer,
            lines=[
                OrderLine(product=product, quantity=1),
                OrderLine(product=elsewhere, quantity=1),
            ],
        )

    assert database_state() == before


def test_place_order_refuses_mixed_currencies(buyer, product, store):
    dollars = ProductFactory(store=store, currency="USD")
    before = database_state()

    with pytest.raises(ValidationFailed):
        place_order(
            buyer=buyer,
            lines=[OrderLine(product=product, quantity=1), OrderLine(product=dollars, quantity=1)],
        )

    assert database_state() == before


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(lambda product: [], id="no lines"),
        pytest.param(
            lambda product: [OrderLine(product=product, quantity=1)] * 2, id="product twice"
        ),
    ],
)
def test_place_order_refuses_malformed_lines(buyer, product, lines):
    before = database_state()

    with pytest.raises(ValidationFailed):
        place_order(buyer=buyer, lines=lines(product))

    assert database_state() == before


@pytest.mark.parametrize("actor_name", ["seller", "agent"])
def test_place_order_refuses_own_store(request, product, actor_name):
    actor = request.getfixturevalue(actor_name)
    before = database_state()

    with pytest.raises(PermissionDenied):
        place_order(buyer=actor, lines=[OrderLine(product=product, quantity=1)])

    assert database_state() == before


def test_place_order_refuses_an_inactive_buyer(product):
    inactive = UserFactory(is_active=False)
    before = database_state()

    with pytest.raises(PermissionDenied):
        place_order(buyer=inactive, lines=[OrderLine(product=product, quantity=1)])

    assert database_state() == before


@pytest.mark.parametrize("quantity", [0, -1, MAX_QUANTITY + 1, True])
def test_place_order_quantity_must_be_1_to_99(buyer, store, quantity):
    plenty = ProductFactory(store=store, stock=500)
    before = database_state()

    with pytest.raises(ValidationFailed) as caught:
        place_order(buyer=buyer, lines=[OrderLine(product=plenty, quantity=quantity)])

    assert caught.value.details == {"field": "quantity"}
    assert database_state() == before


@pytest.mark.parametrize("quantity", [1, MAX_QUANTITY])
def test_place_order_quantity_bounds_are_inclusive(buyer, store, quantity):
    plenty = ProductFactory(store=store, stock=500, price=Decimal("2.50"))

    order = place_order(buyer=buyer, lines=[OrderLine(product=plenty, quantity=quantity)])

    assert order.total == Decimal("2.50") * quantity
    assert Product.objects.get(pk=plenty.pk).stock == 500 - quantity


# --- transition_order ---------------------------------------------------------------------------

# The whole permission table: (from, to) -> the actors who may make that move. Every other
# (from, to, actor) is refused: people outside the order get PermissionDenied, a buyer or store
# member asking for a move the table does not have gets Conflict, and one asking for a move that
# belongs to the other side gets PermissionDenied.
ALLOWED_MOVES = {
    (PLACED, SHIPPED): {"owner", "agent"},
    (PLACED, CANCELLED): {"buyer"},
    (SHIPPED, DELIVERED): {"owner", "agent"},
}
ACTOR_KINDS = ["buyer", "owner", "agent", "other_seller", "staff", "stranger"]
STATUSES = [PLACED, SHIPPED, DELIVERED, CANCELLED]
INSIDERS = {"buyer", "owner", "agent"}


def expected_outcome(from_status: str, to_status: str, actor: str):
    if actor not in INSIDERS:
        return PermissionDenied
    allowed = ALLOWED_MOVES.get((from_status, to_status))
    if allowed is None:
        return Conflict
    return "ok" if actor in allowed else PermissionDenied


TRANSITION_CASES = [
    pytest.param(
        from_status,
        to_status,
        actor,
        expected_outcome(from_status, to_status, actor),
        id=f"{from_status}->{to_status}-by-{actor}",
    )
    for from_status, to_status, actor in itertools.product(STATUSES, STATUSES, ACTOR_KINDS)
]


@pytest.fixture
def actors(buyer, seller, agent, other_seller, staff, stranger):
    return {
        "buyer": buyer,
        "owner": seller,
        "agent": agent,
        "other_seller": other_seller,
        "staff": staff,
        "stranger": stranger,
    }


def order_with_status(status: str, *, buyer, seller, product) -> Order:
    """An order of two units of ``product``, moved to ``status`` through the services."""
    order = place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=2)])
    steps = {
        PLACED: [],
        SHIPPED: [(SHIPPED, seller)],
        DELIVERED: [(SHIPPED, seller), (DELIVERED, seller)],
        CANCELLED: [(CANCELLED, buyer)],
    }[status]
    for to_status, actor in steps:
        transition_order(actor=actor, order=order, to_status=to_status)
    return Order.objects.get(pk=order.pk)


@pytest.mark.parametrize(
    ("from_status", "to_status", "message"),
    [
        (SHIPPED, SHIPPED, "Order {number} is already shipped."),
        (CANCELLED, CANCELLED, "Order {number} is already cancelled."),
        (PLACED, DELIVERED, "An order that is placed cannot become delivered."),
    ],
)
def test_a_refused_move_says_what_the_order_is(actors, product, from_status, to_status, message):
    order = order_with_status(
        from_status, buyer=actors["buyer"], seller=actors["owner"], product=product
    )
    actor = actors["buyer"] if to_status == CANCELLED else actors["owner"]
    with pytest.raises(Conflict) as caught:
        transition_order(actor=actor, order=order, to_status=to_status)
    assert caught.value.message == message.format(number=order.number)


def test_the_table_matches_the_model():
    model_moves = {
        (from_status, to_status)
        for from_status, moves in Order.TRANSITIONS.items()
        for to_status in moves
    }
    assert model_moves == set(ALLOWED_MOVES)
    assert sum(case.values[3] == "ok" for case in TRANSITION_CASES) == 5
    assert len(TRANSITION_CASES) == 96


@pytest.mark.parametrize(("from_status", "to_status", "actor", "expected"), TRANSITION_CASES)
def test_transition_order(
    actors,
    product,
    from_status,
    to_status,
    actor,
    expected,
    django_capture_on_commit_callbacks,
):
    buyer = actors["buyer"]
    order = order_with_status(from_status, buyer=buyer, seller=actors["owner"], product=product)
    before = database_state()
    before_order = Order.objects.values().get(pk=order.pk)
    Notification.objects.all().delete()  # the buyer was told of the moves so far
    mail.outbox.clear()
    started = timezone.now()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        if expected == "ok":
            moved = transition_order(actor=actors[actor], order=order, to_status=to_status)
        else:
            with pytest.raises(expected) as caught:
                transition_order(actor=actors[actor], order=order, to_status=to_status)

    if expected != "ok":
        if expected is Conflict:
            assert caught.value.code == "invalid_transition"
        assert database_state() == before
        assert callbacks == []
        assert mail.outbox == []
        return

    after_order = Order.objects.values().get(pk=order.pk)
    timestamp_field = Order.TIMESTAMP_FIELDS[to_status]
    assert moved.status == after_order["status"] == to_status
    assert started <= after_order[timestamp_field] <= timezone.now()
    assert getattr(moved, timestamp_field) == after_order[timestamp_field]
    assert {
        key: value for key, value in after_order.items() if key not in {"status", timestamp_field}
    } == {
        key: value for key, value in before_order.items() if key not in {"status", timestamp_field}
    }
    expected_stock = 5 if to_status == CANCELLED else 3
    assert Product.objects.get(pk=product.pk).stock == expected_stock
    if actor == "buyer":  # they cancelled it themself
        assert callbacks == []
        assert not Notification.objects.exists()
        assert mail.outbox == []
        return
    [notification] = Notification.objects.all()
    assert notification.recipient == buyer and notification.type == "order.status"
    assert len(callbacks) == 2  # the live event and the email
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["buyer@example.test"], f"Your order {order.number} from Cape Linen Co was {to_status}")
    ]


def shipped_by(seller, buyer, product, capture) -> Order:
    order = place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=1)])
    with capture(execute=True):
        transition_order(actor=seller, order=order, to_status=SHIPPED)
    return order


def test_shipping_tells_the_buyer_in_app_and_by_one_email_after_commit(
    buyer, seller, product, django_capture_on_commit_callbacks, settings
):
    order = place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=1)])

    with django_capture_on_commit_callbacks(execute=True):
        transition_order(actor=seller, order=order, to_status=SHIPPED)
        assert mail.outbox == []  # not committed yet

    notification = Notification.objects.get(recipient=buyer)
    assert notification.type == "order.status" and notification.channel == Channel.EMAIL
    assert notification.subject == order and notification.link == f"/orders/{order.number}/"
    assert notification.text == f"Your order {order.number} from Cape Linen Co was shipped"
    assert notification.read_at is None
    [message] = mail.outbox
    assert message.to == ["buyer@example.test"]
    assert message.subject == notification.text
    assert f"{settings.SITE_URL}/orders/{order.number}/" in message.body
    assert "Order updates" in message.body
    assert EmailDelivery.objects.get().status == EmailDelivery.Status.SENT


def test_delivering_tells_the_buyer_once_more(
    buyer, seller, agent, product, django_capture_on_commit_callbacks
):
    order = shipped_by(seller, buyer, product, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        transition_order(actor=agent, order=order, to_status=DELIVERED)

    assert list(
        Notification.objects.filter(recipient=buyer).order_by("pk").values_list("text", flat=True)
    ) == [
        f"Your order {order.number} from Cape Linen Co was shipped",
        f"Your order {order.number} from Cape Linen Co was delivered",
    ]
    assert [message.subject for message in mail.outbox] == [
        f"Your order {order.number} from Cape Linen Co was shipped",
        f"Your order {order.number} from Cape Linen Co was delivered",
    ]


@pytest.mark.parametrize(
    ("channel", "emails"),
    [(Channel.IN_APP, 0), (Channel.TOAST, 0), (Channel.DIGEST, 0), (Channel.EMAIL, 1)],
)
def test_the_buyers_channel_decides_how_they_hear(
    buyer, seller, product, django_capture_on_commit_callbacks, channel, emails
):
    Preference.objects.create(user=buyer, type="order.status", channel=channel)

    shipped_by(seller, buyer, product, django_capture_on_commit_callbacks)

    assert Notification.objects.get(recipient=buyer).channel == channel
    assert len(mail.outbox) == emails


def test_order_updates_turned_off_tell_the_buyer_nothing(
    buyer, seller, product, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=buyer, type="order.status", channel=Channel.OFF)

    order = shipped_by(seller, buyer, product, django_capture_on_commit_callbacks)

    assert Order.objects.get(pk=order.pk).status == SHIPPED
    assert not Notification.objects.exists()
    assert not EmailDelivery.objects.exists()
    assert mail.outbox == []


def test_the_store_member_who_moved_the_order_is_told_nothing(
    buyer, seller, agent, product, django_capture_on_commit_callbacks
):
    order = shipped_by(seller, buyer, product, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        transition_order(actor=agent, order=order, to_status=DELIVERED)

    assert set(Notification.objects.values_list("recipient", flat=True)) == {buyer.pk}
    assert all(message.to == ["buyer@example.test"] for message in mail.outbox)


def test_a_rolled_back_transition_sends_nothing(
    buyer, seller, product, django_capture_on_commit_callbacks
):
    order = place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=1)])

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        transition_order(actor=seller, order=order, to_status=SHIPPED)
        raise RuntimeError("the surrounding work failed")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []
    assert Order.objects.get(pk=order.pk).status == PLACED


def test_cancelling_returns_the_stock_of_every_item(buyer, product, napkins):
    order = place_order(
        buyer=buyer,
        lines=[OrderLine(product=product, quantity=4), OrderLine(product=napkins, quantity=3)],
    )
    assert dict(Product.objects.values_list("title", "stock")) == {
        "Linen shirt": 1,
        "Linen napkins": 0,
    }

    transition_order(actor=buyer, order=order, to_status=CANCELLED)

    assert dict(Product.objects.values_list("title", "stock")) == {
        "Linen shirt": 5,
        "Linen napkins": 3,
    }


def test_a_stale_order_cannot_be_moved_twice(buyer, seller, agent, product):
    order = place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=1)])
    seen_by_agent = Order.objects.get(pk=order.pk)
    transition_order(actor=seller, order=Order.objects.get(pk=order.pk), to_status=SHIPPED)
    before = database_state()

    with pytest.raises(Conflict):
        transition_order(actor=agent, order=seen_by_agent, to_status=SHIPPED)

    assert database_state() == before


def test_a_stale_cancel_after_shipping_returns_no_stock(buyer, seller, product):
    order = place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=2)])
    seen_by_buyer = Order.objects.get(pk=order.pk)
    transition_order(actor=seller, order=Order.objects.get(pk=order.pk), to_status=SHIPPED)
    before = database_state()

    with pytest.raises(Conflict):
        transition_order(actor=buyer, order=seen_by_buyer, to_status=CANCELLED)

    assert database_state() == before
    assert Product.objects.get(pk=product.pk).stock == 3


def test_a_stale_second_cancel_returns_the_stock_once(buyer, product):
    order = place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=2)])
    first_tab, second_tab = Order.objects.get(pk=order.pk), Order.objects.get(pk=order.pk)
    transition_order(actor=buyer, order=first_tab, to_status=CANCELLED)

    with pytest.raises(Conflict):
        transition_order(actor=buyer, order=second_tab, to_status=CANCELLED)

    assert Product.objects.get(pk=product.pk).stock == 5


# --- properties: random operations keep stock and status invariants ----------------------------


class OrderLifecycle(RuleBasedStateMachine):
    """Random buyers, sellers and strangers place, ship, deliver and cancel orders.

    A model predicts each call's outcome (success or the exact error type); after every
    step the invariants compare the database with the model. Each run is one savepoint,
    rolled back in ``teardown``.
    """

    ACTORS = ["buyer_a", "buyer_b", "staff", "other_seller", "owner", "agent"]

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        store = StoreFactory()
        elsewhere = ProductFactory(stock=50, price=Decimal("5.00"))
        self.users = {
            "buyer_a": UserFactory(),
            "buyer_b": UserFactory(),
            "staff": StaffFactory(),
            "other_seller": MembershipFactory(store=elsewhere.store).user,
            "owner": MembershipFactory(store=store).user,
            "agent": MembershipFactory(store=store, role="agent").user,
        }
        # the people on each store's team, by the store of each product
        self.team = {store.pk: {"owner", "agent"}, elsewhere.store_id: {"other_seller"}}
        self.products = {
            "shirt": ProductFactory(store=store, stock=8, price=Decimal("199.00")),
            "napkins": ProductFactory(store=store, stock=5, price=Decimal("49.50")),
            "hidden": ProductFactory(store=store, stock=2, is_active=False),
            "elsewhere": elsewhere,
        }
        self.initial_stock = {name: p.stock for name, p in self.products.items()}
        self.stock = dict(self.initial_stock)
        self.orders: list[dict] = []  # {"pk", "buyer", "store", "path", "placed_copy"}

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    # -- the model --

    def expected_place(self, actor: str, lines: list[tuple[str, int]]):
        if not lines:
            return ValidationFailed
        if len({self.products[name].store_id for name, _ in lines}) != 1:
            return ValidationFailed
        if len({name for name, _ in lines}) != len(lines):
            return ValidationFailed
        if actor in self.team[self.products[lines[0][0]].store_id]:
            return PermissionDenied
        for name, quantity in lines:
            if not 1 <= quantity <= MAX_QUANTITY:
                return ValidationFailed
            if not self.products[name].is_active or self.stock[name] < quantity:
                return Conflict
        return "ok"

    def expected_move(self, order: dict, actor: str, to_status: str, seen_status: str):
        if actor == order["buyer"]:
            kind = "buyer"
        elif actor in self.team[order["store"]]:
            kind = "store"
        else:
            return PermissionDenied
        allowed = Order.TRANSITIONS[seen_status]
        if to_status not in allowed:
            return Conflict
        if allowed[to_status] != kind:
            return PermissionDenied
        if order["path"][-1] != seen_status:
            return Conflict  # someone moved it since this copy was read
        return "ok"

    # -- the rules --

    @rule(
        actor=st.sampled_from(ACTORS),
        lines=st.lists(
            # mostly this store's active products, so that orders do get placed
            st.tuples(
                st.sampled_from(["shirt", "shirt", "napkins", "napkins", "hidden", "elsewhere"]),
                st.integers(min_value=0, max_value=4),
            ),
            min_size=1,
            max_size=2,
        ),
    )
    def place(self, actor, lines):
        expected = self.expected_place(actor, lines)
        try:
            order = place_order(
                buyer=self.users[actor],
                lines=[OrderLine(product=self.products[name], quantity=q) for name, q in lines],
            )
        except ApplicationError as error:
            event(f"place: {type(error).__name__}")
            assert type(error) is expected, (error, expected)
            return
        event("place: ok")
        assert expected == "ok"
        for name, quantity in lines:
            self.stock[name] -= quantity
        self.orders.append(
            {
                "pk": order.pk,
                "buyer": actor,
                "store": order.store_id,
                "path": [PLACED],
                "placed_copy": copy.copy(order),
            }
        )

    def _move(self, index: int, actor: str, to_status: str, *, stale: bool = False):
        order = self.orders[index % len(self.orders)]
        instance = copy.copy(order["placed_copy"]) if stale else Order.objects.get(pk=order["pk"])
        expected = self.expected_move(order, actor, to_status, instance.status)
        try:
            transition_order(actor=self.users[actor], order=instance, to_status=to_status)
        except ApplicationError as error:
            event(f"to {to_status}: {type(error).__name__}")
            assert type(error) is expected, (error, expected)
            return
        event(f"to {to_status}: ok")
        assert expected == "ok"
        order["path"].append(to_status)
        if to_status == CANCELLED:
            for item in OrderItem.objects.filter(order_id=order["pk"]).select_related("product"):
                name = next(n for n, p in self.products.items() if p.pk == item.product_id)
                self.stock[name] += item.quantity

    @precondition(lambda self: self.orders)
    @rule(
        index=st.integers(min_value=0, max_value=20),
        actor=st.sampled_from(ACTORS),
        to_status=st.sampled_from(STATUSES),
        stale=st.booleans(),
    )
    def move(self, index, actor, to_status, stale):
        self._move(index, actor, to_status, stale=stale)

    @precondition(lambda self: self.orders)
    @rule(index=st.integers(min_value=0, max_value=20), by=st.sampled_from(["owner", "agent"]))
    def ship(self, index, by):
        self._move(index, by, SHIPPED)

    @precondition(lambda self: self.orders)
    @rule(index=st.integers(min_value=0, max_value=20), by=st.sampled_from(["owner", "agent"]))
    def deliver(self, index, by):
        self._move(index, by, DELIVERED)

    @precondition(lambda self: self.orders)
    @rule(index=st.integers(min_value=0, max_value=20))
    def cancel(self, index):
        order = self.orders[index % len(self.orders)]
        self._move(index, order["buyer"], CANCELLED)

    # -- the invariants --

    @invariant()
    def stock_is_never_negative_and_is_conserved(self):
        for name, product in self.products.items():
            stock = Product.objects.get(pk=product.pk).stock
            reserved = (
                OrderItem.objects.filter(product=product)
                .exclude(order__status=CANCELLED)
                .aggregate(total=Sum("quantity"))["total"]
                or 0
            )
            assert stock >= 0
            assert stock + reserved == self.initial_stock[name]
            assert stock == self.stock[name]

    @invariant()
    def orders_follow_legal_paths_with_monotonic_timestamps(self):
        assert Order.objects.count() == len(self.orders)
        for model in self.orders:
            order = Order.objects.get(pk=model["pk"])
            path = model["path"]
            assert order.status == path[-1]
            for from_status, to_status in itertools.pairwise(path):
                assert to_status in Order.TRANSITIONS[from_status]
            stamps = [getattr(order, Order.TIMESTAMP_FIELDS[status]) for status in path]
            assert None not in stamps
            assert stamps == sorted(stamps)
            for status in set(STATUSES) - set(path):
                assert getattr(order, Order.TIMESTAMP_FIELDS[status]) is None

    @invariant()
    def totals_match_the_items(self):
        for order in Order.objects.prefetch_related("items"):
            assert order.total == sum(item.line_total for item in order.items.all())


@pytest.mark.django_db
def test_random_order_operations_keep_the_invariants():
    run_state_machine_as_test(
        OrderLifecycle,
        settings=settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


# --- PostgreSQL: real concurrency ----------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_buyers_cannot_oversell():
    product = ProductFactory(stock=3, price=Decimal("10.00"))
    product = Product.objects.select_related("store").get(pk=product.pk)
    buyers = UserFactory.create_batch(8)

    results = run_at_once(
        [
            lambda buyer=buyer: place_order(
                buyer=buyer, lines=[OrderLine(product=product, quantity=1)]
            )
            for buyer in buyers
        ]
    )

    placed = [result for result in results if isinstance(result, Order)]
    refused = [result for result in results if isinstance(result, Conflict)]
    assert (len(placed), len(refused)) == (3, 5), results
    assert {error.code for error in refused} == {"out_of_stock"}
    assert Product.objects.get(pk=product.pk).stock == 0
    assert OrderItem.objects.aggregate(total=Sum("quantity"))["total"] == 3
    assert Order.objects.count() == 3


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_same_order_sent_twice_at_once_is_placed_once():
    product = ProductFactory(stock=5)
    product = Product.objects.select_related("store").get(pk=product.pk)
    buyer = UserFactory()

    def place():
        return place_order(
            buyer=buyer, lines=[OrderLine(product=product, quantity=2)], client_id="tab-1"
        )

    results = run_at_once([place, place, place])

    assert all(isinstance(result, Order) for result in results), results
    assert len({result.pk for result in results}) == 1
    assert Product.objects.get(pk=product.pk).stock == 3


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_members_shipping_at_once_move_the_order_once():
    product = ProductFactory(stock=5)
    owner = MembershipFactory(store=product.store).user
    agent = MembershipFactory(store=product.store, role="agent").user
    order = place_order(buyer=UserFactory(), lines=[OrderLine(product=product, quantity=1)])
    copies = [Order.objects.select_related("store").get(pk=order.pk) for _ in range(2)]

    results = run_at_once(
        [
            lambda: transition_order(actor=owner, order=copies[0], to_status=SHIPPED),
            lambda: transition_order(actor=agent, order=copies[1], to_status=SHIPPED),
        ]
    )

    assert sorted(type(result).__name__ for result in results) == ["Conflict", "Order"], results
    order.refresh_from_db()
    assert order.status == SHIPPED
    assert order.shipped_at is not None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_cancel_racing_ship_returns_stock_only_if_cancel_wins():
    product = ProductFactory(stock=5)
    owner = MembershipFactory(store=product.store).user
    buyer = UserFactory()
    order = place_order(buyer=buyer, lines=[OrderLine(product=product, quantity=2)])
    buyer_copy, owner_copy = (
        Order.objects.select_related("store").get(pk=order.pk) for _ in range(2)
    )

    results = run_at_once(
        [
            lambda: transition_order(actor=buyer, order=buyer_copy, to_status=CANCELLED),
            lambda: transition_order(actor=owner, order=owner_copy, to_status=SHIPPED),
        ]
    )

    assert sorted(type(result).__name__ for result in results) == ["Conflict", "Order"], results
    order.refresh_from_db()
    expected_stock = 5 if order.status == CANCELLED else 3
    assert order.status in {CANCELLED, SHIPPED}
    assert Product.objects.get(pk=product.pk).stock == expected_stock
    told = 0 if order.status == CANCELLED else 1  # the buyer's own cancel tells nobody
    assert Notification.objects.count() == told
    assert len(mail.outbox) == told
