"""The demo marketplace: ``saypro.catalog.demo`` and the ``saypro demo`` command (tiny scale)."""

import random
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog import demo
from saypro.catalog.models import Category, Order, OrderItem, Product, Store, StoreMembership
from saypro.catalog.tests.factories import CategoryFactory, StoreFactory
from saypro.support.demo import AGENTS as SUPPORT_AGENTS

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)
TINY = demo.SCALES["tiny"]
TINY_AGENTS = 2  # stores 1 and 4 of 6: every third store has an agent
# + office staff and admin, and the support desk's agents
TINY_USERS = TINY.buyers + TINY.stores + TINY_AGENTS + 2 + len(SUPPORT_AGENTS)
CATEGORIES = 10 + 55  # departments and their sub-categories


def run_demo(*args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("demo", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def row_counts() -> dict[str, int]:
    return {
        "categories": Category.objects.count(),
        "stores": Store.objects.count(),
        "memberships": StoreMembership.objects.count(),
        "products": Product.objects.count(),
        "users": User.objects.count(),
        "email_addresses": EmailAddress.objects.count(),
        "orders": Order.objects.count(),
        "order_items": OrderItem.objects.count(),
    }


SNAPSHOT_FIELDS = {
    Category: ("slug", "name", "parent__slug", "position"),
    Store: ("external_id", "name", "slug", "description", "created_at"),
    StoreMembership: ("store__external_id", "user__email", "role", "created_at"),
    Product: (
        "external_id", "store__external_id", "category__slug", "title", "description",
        "price", "stock", "is_active", "created_at",
    ),
    User: ("email", "first_name", "last_name", "is_staff", "is_superuser", "date_joined"),
    Order: (
        "number", "buyer__email", "store__external_id", "status", "total",
        "placed_at", "shipped_at", "delivered_at", "cancelled_at",
    ),
    OrderItem: ("order__number", "product__external_id", "title", "unit_price", "quantity"),
}  # fmt: skip


def snapshot() -> dict[str, list]:
    """Everything the generator decides, in a comparable form."""
    return {
        model.__name__: sorted(model.objects.values_list(*fields))
        for model, fields in SNAPSHOT_FIELDS.items()
    }


def delete_everything() -> None:
    """Back to an empty catalog, as in a fresh database."""
    OrderItem.objects.all().delete()
    Order.objects.all().delete()
    Product.objects.all().delete()
    StoreMembership.objects.all().delete()
    Store.objects.all().delete()
    EmailAddress.objects.all().delete()
    User.objects.all().delete()
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()


# --- The generated description (no database) -------------------------------------------


def test_same_seed_same_data():
    assert demo.build_demo(seed=7, scale="tiny", now=NOW) == demo.build_demo(
        seed=7, scale="tiny", now=NOW
    )


def test_everything_but_time_is_the_same_whatever_now_is():
    first = demo.build_demo(seed=3, scale="tiny", now=NOW)
    later = demo.build_demo(seed=3, scale="tiny", now=NOW + timedelta(days=40, hours=5))

    def store_fields(spec):
        return [
            (s.name, s.slug, s.description, s.category_slug, s.owner, s.agent) for s in spec.stores
        ]

    assert store_fields(first) == store_fields(later)
    assert [(p.title, p.price, p.stock, p.is_active) for p in first.products] == [
        (p.title, p.price, p.stock, p.is_active) for p in later.products
    ]
    assert [person.email for person in first.people] == [person.email for person in later.people]
    contents = {(o.number, o.buyer, o.store, o.lines, o.total) for o in first.orders}
    assert contents == {(o.number, o.buyer, o.store, o.lines, o.total) for o in later.orders}


def test_another_seed_gives_other_data():
    one = demo.build_demo(seed=1, scale="tiny", now=NOW)
    two = demo.build_demo(seed=2, scale="tiny", now=NOW)

    assert [store.name for store in one.stores] != [store.name for store in two.stores]
    assert [product.title for product in one.products] != [p.title for p in two.products]


def test_every_aisle_has_enough_distinct_titles_for_a_store():
    for department in demo.DEPARTMENTS:
        for aisle in department.aisles:
            titles = [
                title.text for title in demo.aisle_titles(random.Random(1), department, aisle)
            ]
            assert len(titles) == len(set(titles))
            assert len(titles) >= demo.SCALES["medium"].products_per_store, aisle.name


def test_category_tree_has_departments_with_unique_slugs():
    tree = demo.category_tree()

    assert len(tree) == CATEGORIES
    assert len({category.slug for category in tree}) == CATEGORIES
    assert sum(category.parent_slug is None for category in tree) == 10


@pytest.fixture(scope="module")
def small_spec() -> demo.DemoSpec:
    """The default scale, described without a database (about a second), for statistics."""
    return demo.build_demo(seed=1, scale="small", now=NOW)


def test_stores_sell_mostly_in_their_own_distinct_sub_category(small_spec):
    spec = small_spec
    assert len({store.category_slug for store in spec.stores}) == 40
    for index, store in enumerate(spec.stores):
        categories = Counter(p.category_slug for p in spec.products if p.store == index)
        assert categories[store.category_slug] == 24  # 80 % of 30


def test_orders_peak_on_weekends_and_mondays_and_grow(small_spec):
    spec = small_spec
    per_weekday = Counter(timezone.localtime(order.placed_at).weekday() for order in spec.orders)
    peak = (per_weekday[5] + per_weekday[6] + per_weekday[0]) / 3
    midweek = (per_weekday[1] + per_weekday[2] + per_weekday[3]) / 3
    first_quarter = sum(order.placed_at < NOW - timedelta(days=182) for order in spec.orders)
    last_quarter = sum(order.placed_at >= NOW - timedelta(days=91) for order in spec.orders)

    assert len(spec.orders) == 20_000
    assert peak > 1.25 * midweek
    assert 1.2 * first_quarter < last_quarter < 2 * first_quarter


def test_prices_are_rand_with_two_decimals_and_stock_within_range():
    spec = demo.build_demo(seed=1, scale="tiny", now=NOW)

    for product in spec.products:
        assert product.price == product.price.quantize(Decimal("0.01"))
        assert Decimal("1") < product.price < Decimal("20000")
        assert 0 <= product.stock <= 200


def test_unknown_scale_or_negative_seed_is_refused():
    with pytest.raises(ValueError, match="Unknown scale"):
        demo.build_demo(scale="huge")
    with pytest.raises(ValueError, match="zero or more"):
        demo.build_demo(seed=-1)


# --- The command and what it writes -------------------------------------------------------


@pytest.mark.django_db
def test_tiny_scale_creates_the_expected_rows():
    spec = demo.build_demo(seed=1, scale="tiny")

    stdout, stderr = run_demo("--scale", "tiny")

    assert row_counts() == {
        "categories": CATEGORIES,
        "stores": TINY.stores,
        "memberships": TINY.stores + TINY_AGENTS,
        "products": TINY.stores * TINY.products_per_store,
        "users": TINY_USERS,
        "email_addresses": TINY_USERS,
        "orders": TINY.orders,
        "order_items": sum(len(order.lines) for order in spec.orders),
    }
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == TINY_USERS
    assert User.objects.exclude(email__endswith="@demo.saypro.test").count() == 0
    assert Store.objects.filter(external_id__startswith="demo-store-").count() == TINY.stores
    assert Product.objects.filter(external_id__startswith="demo-product-").count() == 60
    assert Product.objects.filter(is_active=False).count() == sum(
        not product.is_active for product in spec.products
    )
    assert sorted(Store.objects.values_list("name", flat=True)) == sorted(
        store.name for store in spec.stores
    )
    assert "Demo marketplace created (seed 1, scale tiny)" in stdout
    assert "orders      300" in stdout
    assert "owner@demo.saypro.test" in stdout
    assert "Orders" in stderr  # the progress bars


@pytest.mark.django_db
def test_same_seed_writes_identical_data_into_a_fresh_database():
    demo.load_demo(seed=5, scale="tiny", now=NOW)
    first = snapshot()
    delete_everything()

    demo.load_demo(seed=5, scale="tiny", now=NOW)

    assert snapshot() == first


@pytest.mark.django_db
def test_a_second_run_adds_nothing():
    run_demo("--scale", "tiny")
    before = row_counts()

    stdout, _ = run_demo("--scale", "tiny", "--seed", "9")

    assert row_counts() == before
    assert "Demo data is already loaded (6 demo stores, 60 products, 300 orders)" in stdout
    assert "buyer@demo.saypro.test" in stdout


@pytest.mark.django_db
def test_orders_add_up_and_stay_within_one_store():
    demo.load_demo(seed=1, scale="tiny", now=NOW)
    lines = defaultdict(list)
    for item in OrderItem.objects.select_related("product"):
        lines[item.order_id].append(item)

    orders = list(Order.objects.all())
    assert len(orders) == TINY.orders
    for order in orders:
        assert 1 <= len(lines[order.pk]) <= 3
        assert order.total == sum(item.unit_price * item.quantity for item in lines[order.pk])
        for item in lines[order.pk]:
            assert item.product.store_id == order.store_id
            assert (item.title, item.unit_price) == (item.product.title, item.product.price)
            assert 1 <= item.quantity <= 3
        assert not StoreMembership.objects.filter(store=order.store, user=order.buyer).exists()


@pytest.mark.django_db
def test_timestamps_match_each_status():
    demo.load_demo(seed=1, scale="tiny", now=NOW)

    statuses = Counter()
    for order in Order.objects.all():
        statuses[order.status] += 1
        assert NOW - timedelta(days=demo.ORDER_WINDOW_DAYS) <= order.placed_at <= NOW
        if order.status == Order.Status.CANCELLED:
            assert order.cancelled_at >= order.placed_at
            assert order.shipped_at is None and order.delivered_at is None
            continue
        assert order.cancelled_at is None
        if order.status == Order.Status.PLACED:
            assert order.shipped_at is None and order.delivered_at is None
        if order.status == Order.Status.SHIPPED:
            assert order.shipped_at >= order.placed_at and order.delivered_at is None
        if order.status == Order.Status.DELIVERED:
            assert order.placed_at <= order.shipped_at <= order.delivered_at <= NOW
    assert set(statuses) == set(Order.Status.values)
    assert statuses[Order.Status.DELIVERED] > TINY.orders * 0.8  # old orders are delivered
    hours = timedelta(hours=1)
    too_new_to_ship = Order.objects.filter(placed_at__gt=NOW - demo.MIN_HOURS_TO_SHIP * hours)
    too_new_to_deliver = Order.objects.filter(
        placed_at__gt=NOW - (demo.MIN_HOURS_TO_SHIP + demo.MIN_HOURS_TO_DELIVER) * hours
    )
    assert too_new_to_ship.filter(status=Order.Status.PLACED).exists()
    assert not too_new_to_ship.filter(shipped_at__isnull=False).exists()
    assert not too_new_to_deliver.filter(status=Order.Status.DELIVERED).exists()
    for user in User.objects.filter(orders__isnull=False).distinct():
        assert user.date_joined <= user.orders.order_by("placed_at").first().placed_at


@pytest.mark.django_db
def test_demo_logins_can_log_in_with_their_roles(client):
    run_demo("--scale", "tiny")
    first_store = Store.objects.get(external_id="demo-store-001")

    users = {}
    for key in ("buyer", "owner", "agent", "office", "admin"):
        email = f"{key}@demo.saypro.test"
        users[key] = authenticate(email=email, password=demo.DEMO_PASSWORD)
        assert users[key] is not None, email

    assert (users["office"].is_staff, users["office"].is_superuser) == (True, False)
    assert (users["admin"].is_staff, users["admin"].is_superuser) == (True, True)
    assert not users["buyer"].is_staff
    assert StoreMembership.objects.get(user=users["owner"]).store == first_store
    assert StoreMembership.objects.get(user=users["owner"]).role == "owner"
    assert StoreMembership.objects.get(user=users["agent"]).store == first_store
    assert StoreMembership.objects.get(user=users["agent"]).role == "agent"
    # allauth's own login (email verification is mandatory) lets them in
    response = client.post(
        reverse("account_login"),
        {"login": "owner@demo.saypro.test", "password": demo.DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("catalog:home")


@pytest.mark.django_db
def test_demo_buyer_and_owner_have_something_to_look_at():
    demo.load_demo(seed=1, scale="tiny", now=NOW)
    first_store = Store.objects.get(external_id="demo-store-001")
    buyer_orders = Order.objects.filter(buyer__email="buyer@demo.saypro.test")

    delivered = buyer_orders.filter(status=Order.Status.DELIVERED)
    assert delivered.count() >= 3
    assert delivered.filter(store=first_store).exists()
    assert first_store.orders.filter(status=Order.Status.PLACED).count() >= 6


@pytest.mark.django_db
def test_if_empty_does_nothing_when_a_store_exists():
    StoreFactory(name="Cape Linen Co", slug="cape-linen-co")

    stdout, _ = run_demo("--scale", "tiny", "--if-empty")

    assert row_counts() == {
        "categories": 0,
        "stores": 1,
        "memberships": 0,
        "products": 0,
        "users": 0,
        "email_addresses": 0,
        "orders": 0,
        "order_items": 0,
    }
    assert "no demo data was added" in stdout
    assert "admin@demo.saypro.test" in stdout
    assert "(not in this database)" in stdout


@pytest.mark.django_db
def test_if_empty_loads_an_empty_database():
    run_demo("--scale", "tiny", "--if-empty")

    assert Store.objects.count() == TINY.stores


@pytest.mark.django_db
def test_existing_stores_and_categories_are_kept_and_reused():
    first_name = demo.build_demo(seed=1, scale="tiny").stores[0].name
    StoreFactory(name=first_name, slug="taken-already")
    fashion = CategoryFactory(name="Fashion", slug="fashion")

    demo.load_demo(seed=1, scale="tiny", now=NOW)

    assert Store.objects.filter(name=first_name).count() == 1
    assert Store.objects.count() == TINY.stores + 1
    assert Category.objects.count() == CATEGORIES
    assert Category.objects.get(slug="fashion") == fashion
    assert fashion.children.count() == 6


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--scale", "huge"), "invalid choice: 'huge'"),
        (("--seed", "-1"), "the seed must be zero or more"),
        (("--seed", "one"), "'one' is not a whole number"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        run_demo(*args)

    assert Store.objects.count() == 0
    assert User.objects.count() == 0
