"""The demo marketplace: believable stores, products, buyers and nine months of orders.

Two steps, so the data can be checked without a database:

- ``build_demo(seed=, scale=, now=)`` turns a seed and a scale into a plain
  description of every row (``DemoSpec``). It touches no database and uses
  its own ``random.Random`` streams, so it is deterministic: for one seed and
  scale, names, descriptions, prices, stock, memberships and order contents
  are the same whatever ``now`` is; with the same ``now`` as well, every
  timestamp and status is the same too.
- ``load_demo(seed=, scale=, now=, progress=)`` writes that description in
  one transaction with ``bulk_create`` (this module is the seeding service,
  the one place besides the per-use-case services that writes catalog rows).
  It is idempotent: when demo data is already there (stores with a
  ``demo-store-…`` external id or users under ``@demo.saypro.test``) it
  writes nothing and reports what it found.

Orders span the 39 weeks (273 days) that end at ``now``: more of them on
weekends and Mondays, a mild upward trend, evening peaks in the marketplace
time zone (``settings.TIME_ZONE``). Status follows age: an order is shipped
hours to days after it is placed and delivered days after that, unless those
moments are still in the future; a few are cancelled by the buyer before
shipping. Timestamps are stored in UTC like every other.

Three *story products* (``STORIES``) get orders of their own besides the
ordinary ones (out of the scale's order count, timed for their story), so
their reviews can tell what the insights pages should find: a zip that
started breaking and a charger that started overheating in the last weeks,
and a sizing problem that a change shipped ten weeks ago fixed.
``choose_story_products`` picks them from the seed and the catalog alone, so
the reviews (``saypro.reviews.demo``) and the improvement plan
(``saypro.improvements.demo``) find the same products in the database.

Every demo user shares one password (``DEMO_PASSWORD``), hashed once, and
has a verified primary allauth ``EmailAddress`` so they can log in although
email verification is mandatory.
"""

import math
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from typing import Protocol

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from saypro.accounts.models import User
from saypro.catalog.demo_vocabulary import (
    CITIES,
    DELIVERY,
    DEPARTMENTS,
    FIRST_NAMES,
    LAST_NAMES,
    STORE_OPENINGS,
    STORE_PLACES,
    Aisle,
    Department,
    Item,
)
from saypro.catalog.models import Category, Order, OrderItem, Product, Store, StoreMembership
from saypro.catalog.services import ORDER_NUMBER_ALPHABET
from saypro.core.progress import ProgressBar, ProgressFactory, no_progress

DEMO_PASSWORD = "saypro-demo-2026"
DEMO_EMAIL_DOMAIN = "demo.saypro.test"
STORE_EXTERNAL_ID_PREFIX = "demo-store-"
PRODUCT_EXTERNAL_ID_PREFIX = "demo-product-"
DEFAULT_SEED = 1
DEFAULT_SCALE = "small"
CURRENCY = "ZAR"

ORDER_WINDOW_DAYS = 273  # 39 whole weeks, about nine months: each weekday occurs equally often
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Scale:
    stores: int
    products_per_store: int
    buyers: int
    orders: int  # all orders, including the hand-placed ones and the story products' extra ones
    # Orders of each story product besides its ordinary ones (times the story's ``volume``):
    # enough reviews on both sides of its turning point for the insights' statistical tests,
    # even at the tiny scale.
    story_orders: int


SCALES: dict[str, Scale] = {
    "tiny": Scale(stores=6, products_per_store=10, buyers=50, orders=300, story_orders=64),
    "small": Scale(stores=40, products_per_store=30, buyers=5_000, orders=20_000, story_orders=180),
    "medium": Scale(
        stores=120, products_per_store=30, buyers=15_000, orders=60_000, story_orders=180
    ),
}


# Orders per weekday (Monday first) and per local hour, relative to each other.
WEEKDAY_WEIGHTS = (1.25, 0.95, 0.9, 0.95, 1.05, 1.3, 1.4)
HOUR_WEIGHTS = (
    0.8, 0.4, 0.2, 0.2, 0.2, 0.4, 1.0, 2.0, 3.0, 4.0, 4.5, 5.0,
    6.0, 6.0, 5.0, 4.5, 4.5, 5.0, 6.0, 7.5, 8.0, 7.0, 5.0, 2.5,
)  # fmt: skip
TREND_START, TREND_END = 0.8, 1.25  # order rate at the window's start and end
CANCEL_RATE = 0.04
MIN_HOURS_TO_SHIP = 3  # after placing
MIN_HOURS_TO_DELIVER = 20  # after shipping


@dataclass(frozen=True)
class Story:
    """A product whose reviews are written to show something (see the module docstring).

    ``kind`` is "rising" (a problem that appears in the last weeks) or "fixed" (a problem
    that stopped when a change shipped ``FIX_SHIPPED_DAYS`` ago). Its extra orders are
    placed in ``periods``: (from, to) days before ``now``, with the share of them in each.
    """

    key: str
    kind: str
    store: int  # index of the store that sells it (modulo the number of stores)
    items: tuple[str, ...]  # item nouns that suit the story, as in the product title
    volume: float  # times ``Scale.story_orders``
    periods: tuple[tuple[int, int, float], ...]


FIX_SHIPPED_DAYS = 70  # the sizing change reached buyers ten weeks before ``now``
RISING_PERIODS = ((200, 30, 0.5), (30, 3, 0.5))  # a calm half-year, then busy weeks
STORIES: tuple[Story, ...] = (
    # The demo owner's store (women's clothing): a zip that has started breaking.
    Story("zipper", "rising", 0, ("dress", "midi skirt", "wide-leg trousers"), 1.0, RISING_PERIODS),
    # The first electronics store (phones and accessories): a charger that overheats.
    Story(
        "overheating",
        "rising",
        3,
        ("power bank", "wall charger", "wireless charging pad", "charging dock"),
        1.2,  # a quieter store than the owner's: fewer ordinary orders to add to its own
        RISING_PERIODS,
    ),
    # The demo owner's store again: it ran small until the new sizing shipped.
    Story(
        "sizing",
        "fixed",
        0,
        ("wide-leg trousers", "shirt", "blouse", "dress", "midi skirt"),
        1.2,
        ((200, 145, 0.1), (145, FIX_SHIPPED_DAYS + 5, 0.45), (FIX_SHIPPED_DAYS, 8, 0.45)),
    ),
)
STORY_SECOND_LINE_SHARE = 0.15  # of a story product's extra orders, also buy something else


def fix_shipped_at(now: datetime) -> datetime:
    """When the "sizing" story's change reached buyers: 10:00 local, ``FIX_SHIPPED_DAYS`` ago."""
    day = timezone.localtime(now).date() - timedelta(days=FIX_SHIPPED_DAYS)
    local = datetime.combine(day, clock_time(10), tzinfo=timezone.get_current_timezone())
    return local.astimezone(now.tzinfo)


@dataclass(frozen=True)
class DemoAccount:
    key: str
    role: str
    email: str
    first_name: str
    last_name: str


DEMO_ACCOUNTS = (
    DemoAccount("buyer", "Buyer", f"buyer@{DEMO_EMAIL_DOMAIN}", "Thandi", "Nkosi"),
    DemoAccount("owner", "Store owner", f"owner@{DEMO_EMAIL_DOMAIN}", "Lerato", "Mokoena"),
    DemoAccount("agent", "Store agent", f"agent@{DEMO_EMAIL_DOMAIN}", "Sipho", "Dlamini"),
    DemoAccount("office", "Office staff", f"office@{DEMO_EMAIL_DOMAIN}", "Annelie", "Botha"),
    DemoAccount("admin", "Admin", f"admin@{DEMO_EMAIL_DOMAIN}", "Nadia", "Petersen"),
)
ACCOUNTS = {account.key: account for account in DEMO_ACCOUNTS}


# --- The description of the data ---------------------------------------------------


@dataclass(frozen=True)
class CategorySpec:
    name: str
    slug: str
    parent_slug: str | None
    position: int


@dataclass(frozen=True)
class PersonSpec:
    email: str
    first_name: str
    last_name: str
    date_joined: datetime | None  # None only while build_demo runs
    is_staff: bool = False
    is_superuser: bool = False


@dataclass(frozen=True)
class StoreSpec:
    external_id: str
    name: str
    slug: str
    description: str
    category_slug: str  # the sub-category it mostly sells in
    created_at: datetime
    owner: int  # index into DemoSpec.people
    agent: int | None


@dataclass(frozen=True)
class ProductSpec:
    external_id: str
    store: int  # index into DemoSpec.stores
    category_slug: str
    title: str
    description: str
    price: Decimal
    stock: int
    is_active: bool
    created_at: datetime


@dataclass(frozen=True)
class OrderSpec:
    number: str
    buyer: int  # index into DemoSpec.people
    store: int
    lines: tuple[tuple[int, int], ...]  # (index into DemoSpec.products, quantity)
    total: Decimal
    status: str
    placed_at: datetime
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    cancelled_at: datetime | None = None


@dataclass(frozen=True)
class DemoSpec:
    seed: int
    scale: str
    now: datetime
    categories: list[CategorySpec]
    people: list[PersonSpec]
    buyers: int  # people[:buyers] are the buyers; people[0] is the demo buyer
    stores: list[StoreSpec]
    products: list[ProductSpec]
    orders: list[OrderSpec]  # oldest first


def _stream(seed: int, name: str) -> random.Random:
    """An independent random stream per concern, so one concern's draws never shift another's."""
    return random.Random(f"saypro-demo:{seed}:{name}")


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _email_part(text: str) -> str:
    return slugify(text).replace("-", "")


def _retail_price(rng: random.Random, low: int, high: int, *, ends_in_99: bool) -> Decimal:
    """A log-uniform price in [low, high] rounded like a shop would: R349.99 or R350.00."""
    raw = math.exp(rng.uniform(math.log(low), math.log(high)))
    step = 5 if raw < 100 else 10 if raw < 1000 else 50
    whole = Decimal(max(step, round(raw / step) * step))
    return whole - Decimal("0.01") if ends_in_99 else whole.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class _Title:
    text: str
    item: Item
    material: str


def aisle_titles(rng: random.Random, department: Department, aisle: Aisle) -> Iterator[_Title]:
    """Every distinct title of an aisle, shuffled; then the same with colour/size variants."""
    base = []
    for item in aisle.items:
        for style in item.styles if item.styles is not None else aisle.styles:
            for material in item.materials if item.materials is not None else aisle.materials:
                text = " ".join(part for part in (style, material, item.noun) if part)
                base.append(_Title(_sentence_case(text), item, material))
    rng.shuffle(base)
    yield from base
    variants = [
        _Title(title.text + variant, title.item, title.material)
        for variant in department.variants
        for title in base
    ]
    rng.shuffle(variants)
    yield from variants


def category_tree() -> list[CategorySpec]:
    categories = []
    for position, department in enumerate(DEPARTMENTS):
        parent_slug = slugify(department.name)
        categories.append(CategorySpec(department.name, parent_slug, None, position))
        for sub_position, aisle in enumerate(department.aisles):
            categories.append(
                CategorySpec(aisle.name, slugify(aisle.name), parent_slug, sub_position)
            )
    return categories


def _store_aisles(count: int) -> list[tuple[Department, Aisle]]:
    """Aisles for ``count`` stores: round-robin over departments, all distinct while they last."""
    order: list[tuple[Department, Aisle]] = []
    for depth in range(max(len(department.aisles) for department in DEPARTMENTS)):
        order.extend(
            (department, department.aisles[depth])
            for department in DEPARTMENTS
            if depth < len(department.aisles)
        )
    return [order[index % len(order)] for index in range(count)]


def _person_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def build_demo(
    *,
    seed: int = DEFAULT_SEED,
    scale: str = DEFAULT_SCALE,
    now: datetime | None = None,
    taken_store_names: frozenset[str] = frozenset(),
    taken_store_slugs: frozenset[str] = frozenset(),
) -> DemoSpec:
    """Describe the whole demo marketplace for ``seed`` and ``scale``; touches no database.

    ``taken_store_names`` (lower-case) and ``taken_store_slugs`` are avoided, so
    demo stores can join a database that already has stores of its own.
    """
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}; choose one of {', '.join(SCALES)}.")
    if seed < 0:
        raise ValueError("The seed must be zero or more.")
    size = SCALES[scale]
    now = now or timezone.now()
    window_start = now - timedelta(days=ORDER_WINDOW_DAYS)
    catalog_rng, people_rng = _stream(seed, "catalog"), _stream(seed, "people")

    # People: buyers first (the demo buyer is number 0), then store teams, then the office.
    people: list[PersonSpec] = []
    buyer_account = ACCOUNTS["buyer"]
    people.append(
        PersonSpec(buyer_account.email, buyer_account.first_name, buyer_account.last_name, None)
    )
    for number in range(1, size.buyers):
        first, last = _person_name(people_rng)
        email = f"{_email_part(first)}.{_email_part(last)}.{number}@{DEMO_EMAIL_DOMAIN}"
        people.append(PersonSpec(email, first, last, None))  # joined: set from their orders

    stores, store_cities = _build_stores(
        catalog_rng, people_rng, size, people, taken_store_names, taken_store_slugs, window_start
    )
    for key in ("office", "admin"):
        account = ACCOUNTS[key]
        people.append(
            PersonSpec(
                account.email,
                account.first_name,
                account.last_name,
                window_start - timedelta(days=500),
                is_staff=True,
                is_superuser=key == "admin",
            )
        )

    products = _build_products(catalog_rng, size, stores, store_cities, window_start)
    orders = _build_orders(seed, size, stores, products, now=now)
    people = _buyers_joined(_stream(seed, "joined"), people, orders, now=now)
    return DemoSpec(
        seed=seed,
        scale=scale,
        now=now,
        categories=category_tree(),
        people=people,
        buyers=size.buyers,
        stores=stores,
        products=products,
        orders=orders,
    )


def _build_stores(
    rng: random.Random,
    people_rng: random.Random,
    size: Scale,
    people: list[PersonSpec],
    taken_store_names: frozenset[str],
    taken_store_slugs: frozenset[str],
    window_start: datetime,
) -> tuple[list[StoreSpec], list[str]]:
    """Stores (with their cities), each with an owner and every third with an agent too.

    The sellers are appended to ``people``; the first store's are the demo owner and agent.
    """
    stores: list[StoreSpec] = []
    store_cities: list[str] = []
    used_names = set(taken_store_names)
    used_slugs = set(taken_store_slugs)
    used_emails = {person.email for person in people}
    places: list[str] = []
    for index, (department, aisle) in enumerate(_store_aisles(size.stores)):
        for attempt in range(1000):
            if not places:  # a shuffled deck, so places repeat only once all are used
                places = rng.sample(STORE_PLACES, len(STORE_PLACES))
            name = f"{places.pop()} {rng.choice(aisle.store_words)}"
            if attempt > 100:  # every combination taken by existing stores
                name = f"{name} {attempt}"
            slug = slugify(name)
            if name.lower() not in used_names and slug not in used_slugs:
                break
        used_names.add(name.lower())
        used_slugs.add(slug)
        city = rng.choice(CITIES)
        store_cities.append(city)
        description = " ".join(
            (
                rng.choice(STORE_OPENINGS).format(
                    store=name, city=city, aisle=aisle.goods, team=rng.randint(3, 25)
                ),
                department.promise,
            )
        )
        created_at = window_start - timedelta(days=rng.uniform(30, 400))
        owner = _store_member(people, people_rng, used_emails, "owner" if index == 0 else None)
        agent = None
        if index % 3 == 0:
            agent = _store_member(people, people_rng, used_emails, "agent" if index == 0 else None)
        for member in (owner, agent):
            if member is not None:
                joined = created_at - timedelta(days=people_rng.uniform(1, 60))
                people[member] = replace(people[member], date_joined=joined)
        stores.append(
            StoreSpec(
                external_id=f"{STORE_EXTERNAL_ID_PREFIX}{index + 1:03d}",
                name=name,
                slug=slug,
                description=description,
                category_slug=slugify(aisle.name),
                created_at=created_at,
                owner=owner,
                agent=agent,
            )
        )
    return stores, store_cities


def _store_member(
    people: list[PersonSpec], rng: random.Random, used_emails: set[str], account_key: str | None
) -> int:
    """Add a seller (a named demo account, or a generated person) and return their index."""
    if account_key is not None:
        account = ACCOUNTS[account_key]
        email, first, last = account.email, account.first_name, account.last_name
    else:
        first, last = _person_name(rng)
        base, suffix = f"{_email_part(first)}.{_email_part(last)}", 1
        email = f"{base}@{DEMO_EMAIL_DOMAIN}"
        while email in used_emails:
            suffix += 1
            email = f"{base}{suffix}@{DEMO_EMAIL_DOMAIN}"
    used_emails.add(email)
    people.append(PersonSpec(email, first, last, None))  # joined: set by the caller
    return len(people) - 1


def _build_products(
    rng: random.Random,
    size: Scale,
    stores: list[StoreSpec],
    store_cities: list[str],
    window_start: datetime,
) -> list[ProductSpec]:
    """About four in five of a store's products come from its own aisle, the rest from siblings."""
    aisles = {
        slugify(aisle.name): (department, aisle)
        for department in DEPARTMENTS
        for aisle in department.aisles
    }
    products: list[ProductSpec] = []
    for store_index, store in enumerate(stores):
        department, home = aisles[store.category_slug]
        siblings = [aisle for aisle in department.aisles if aisle is not home]
        titles = {aisle.name: aisle_titles(rng, department, aisle) for aisle in department.aisles}
        ends_in_99 = rng.random() < 0.6
        dispatch_days = rng.randint(1, 3)
        days = "1 working day" if dispatch_days == 1 else f"{dispatch_days} working days"
        threshold = rng.choice((450, 500, 750, 1000))
        home_count = round(size.products_per_store * 0.8)
        seen: set[str] = set()
        for number in range(size.products_per_store):
            aisle = home if number < home_count else rng.choice(siblings)
            title = next(title for title in titles[aisle.name] if title.text not in seen)
            seen.add(title.text)
            city = store_cities[store_index]
            made_with = aisle.made or (department.made if title.material else department.plain)
            sentences = (
                rng.choice(made_with).format(material=title.material, city=city),
                rng.choice(aisle.sizes or department.sizes),
                rng.choice(aisle.cares or department.cares),
                rng.choice(DELIVERY).format(city=city, days=days, threshold=threshold),
            )
            stock = 0 if rng.random() < 0.06 else int(rng.triangular(1, 200, 25))
            span = (window_start - store.created_at).total_seconds()
            products.append(
                ProductSpec(
                    external_id=f"{PRODUCT_EXTERNAL_ID_PREFIX}{len(products) + 1:04d}",
                    store=store_index,
                    category_slug=slugify(aisle.name),
                    title=title.text,
                    description=" ".join(sentences),
                    price=_retail_price(
                        rng, title.item.low, title.item.high, ends_in_99=ends_in_99
                    ),
                    stock=stock,
                    # the first three of each store stay active, so every store can take orders
                    is_active=number < 3 or rng.random() >= 0.04,
                    created_at=store.created_at + timedelta(seconds=rng.uniform(0, span)),
                )
            )
    return products


class StoryCandidate(Protocol):
    """What choosing a story product looks at: a ``ProductSpec``, or the same read back."""

    @property
    def store(self) -> int: ...  # index of the store, in external id order

    @property
    def category_slug(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def is_active(self) -> bool: ...


_DEPARTMENT_OF_AISLE = {
    slugify(aisle.name): department.name
    for department in DEPARTMENTS
    for aisle in department.aisles
}


def choose_story_products(
    seed: int, products: Sequence[StoryCandidate], store_count: int
) -> dict[str, int]:
    """The product (index into ``products``) of each story in ``STORIES``, by its key.

    Drawn from the seed among the story store's active products that are one of the
    story's items; failing that, among its active products of the store's own department
    (the first product's), and failing that, any of its active products. Depends only on
    the seed and on what the products are, so it gives the same answer for the description
    and for the same catalog read back from the database.
    """
    if not products or not store_count:
        return {}
    rng = _stream(seed, "stories")
    chosen: dict[str, int] = {}
    for story in STORIES:
        store = story.store % store_count
        own = [
            index
            for index, product in enumerate(products)
            if product.store == store and product.is_active and index not in chosen.values()
        ]
        if not own:
            continue
        home = _DEPARTMENT_OF_AISLE.get(products[own[0]].category_slug)
        fitting = [
            index
            for index in own
            if any(item in products[index].title.lower() for item in story.items)
        ]
        same_department = [
            index
            for index in own
            if _DEPARTMENT_OF_AISLE.get(products[index].category_slug) == home
        ]
        chosen[story.key] = rng.choice(fitting or same_department or own)
    return chosen


def _build_orders(
    seed: int, size: Scale, stores: list[StoreSpec], products: list[ProductSpec], *, now: datetime
) -> list[OrderSpec]:
    """Hand-placed orders for the demo logins, then the rest spread over the window.

    What is ordered (buyer, store, products, quantities, number) comes from one
    stream and does not depend on ``now``; when (and so the status) comes from
    another.
    """
    content_rng, time_rng = _stream(seed, "orders"), _stream(seed, "order-times")
    story_products = choose_story_products(seed, products, len(stores))
    active_by_store: list[list[int]] = [[] for _ in stores]
    for index, product in enumerate(products):
        if product.is_active:
            active_by_store[product.store].append(index)
    product_weight = [content_rng.lognormvariate(0, 0.8) for _ in products]
    store_weight = [content_rng.lognormvariate(0, 0.6) for _ in stores]
    store_weight[0] = max(store_weight)  # the demo owner's store is among the busiest
    buyer_weight = [min(content_rng.paretovariate(1.6), 25.0) for _ in range(size.buyers)]
    store_cumulative = _cumulative(store_weight)
    buyer_cumulative = _cumulative(buyer_weight)
    numbers: set[str] = set()

    def content(buyer: int, store: int, first: int | None = None) -> dict:
        """What is ordered: number, buyer, store, lines and their total.

        ``first``: a story product, bought on its own or with one other product.
        """
        while True:
            number = "SP-" + "".join(content_rng.choices(ORDER_NUMBER_ALPHABET, k=8))
            if number not in numbers:
                numbers.add(number)
                break
        candidates = active_by_store[store]
        if first is None:
            line_count = content_rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
            chosen: list[int] = []
        else:
            line_count = 2 if content_rng.random() < STORY_SECOND_LINE_SHARE else 1
            chosen = [first]
        line_count = min(line_count, len(candidates))
        while len(chosen) < line_count:
            weights = [product_weight[index] for index in candidates]
            pick = content_rng.choices(candidates, weights=weights)[0]
            if pick not in chosen:
                chosen.append(pick)
        lines = tuple(
            (product, content_rng.choices((1, 2, 3), weights=(80, 15, 5))[0]) for product in chosen
        )
        total = sum(
            (products[product].price * quantity for product, quantity in lines), Decimal("0")
        )
        return {"number": number, "buyer": buyer, "store": store, "lines": lines, "total": total}

    orders: list[OrderSpec] = []
    day, hour = timedelta(days=1), timedelta(hours=1)
    store_count = len(stores)
    # The demo buyer (person 0): three delivered orders (one with the demo owner's
    # store), one on its way, and one just placed with the owner's store.
    for store, age, shipped_after, delivered_after in (
        (0, 12 * day, day, 3 * day),
        (1 % store_count, 41 * day, 2 * day, 4 * day),
        (2 % store_count, 96 * day, day, 2 * day),
        (3 % store_count, 3 * day, day, None),
        (0, 5 * hour, None, None),
    ):
        placed_at = now - age
        shipped_at = placed_at + shipped_after if shipped_after else None
        delivered_at = placed_at + delivered_after if delivered_after else None
        status = (
            Order.Status.DELIVERED
            if delivered_at
            else Order.Status.SHIPPED
            if shipped_at
            else Order.Status.PLACED
        )
        times = {"placed_at": placed_at, "shipped_at": shipped_at, "delivered_at": delivered_at}
        orders.append(OrderSpec(**content(0, store), status=status, **times))
    # Work waiting in the demo owner's Seller Center: placed in the last two days.
    for age_hours in (2, 7, 16, 22, 31, 44):
        buyer = 1 + content_rng.randrange(size.buyers - 1)
        placed_at = now - age_hours * hour
        orders.append(
            OrderSpec(**content(buyer, 0), status=Order.Status.PLACED, placed_at=placed_at)
        )

    days = _order_days(now)
    # The story products' own orders, spread over their story's periods like any others
    # (weekdays, trend, hours); what they contain does not depend on ``now`` either.
    story_times = _stream(seed, "story-times")
    for story in STORIES:
        product = story_products.get(story.key)
        if product is None:
            continue
        count = round(size.story_orders * story.volume)
        for start, end, share in story.periods:
            first_day, last_day = now - timedelta(days=start), now - timedelta(days=end)
            period = [(day, weight) for day, weight in days if first_day <= day < last_day]
            cumulative = _cumulative([weight for _, weight in period])
            for _ in range(round(count * share)):
                buyer = content_rng.choices(range(size.buyers), cum_weights=buyer_cumulative)[0]
                what = content(buyer, products[product].store, first=product)
                placed_at = _placed_at(story_times, period, cumulative, first_day, now)
                orders.append(OrderSpec(**what, **_fulfilment(story_times, placed_at, now)))

    day_cumulative = _cumulative([weight for _, weight in days])
    window_start = now - timedelta(days=ORDER_WINDOW_DAYS)
    for _ in range(size.orders - len(orders)):
        buyer = content_rng.choices(range(size.buyers), cum_weights=buyer_cumulative)[0]
        store = content_rng.choices(range(store_count), cum_weights=store_cumulative)[0]
        what = content(buyer, store)
        placed_at = _placed_at(time_rng, days, day_cumulative, window_start, now)
        orders.append(OrderSpec(**what, **_fulfilment(time_rng, placed_at, now)))
    orders.sort(key=lambda order: (order.placed_at, order.number))
    return orders


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, cumulative = 0.0, []
    for weight in weights:
        total += weight
        cumulative.append(total)
    return cumulative


def _order_days(now: datetime) -> list[tuple[datetime, float]]:
    """Local midnights of the days the window touches, each weighted by weekday and trend."""
    local_now = timezone.localtime(now)
    zone = local_now.tzinfo
    today = local_now.date()
    days = []
    for offset in range(ORDER_WINDOW_DAYS, -1, -1):
        date = today - timedelta(days=offset)
        progress = 1 - offset / ORDER_WINDOW_DAYS
        trend = TREND_START + (TREND_END - TREND_START) * progress
        midnight = datetime.combine(date, clock_time(0), tzinfo=zone)
        days.append((midnight, trend * WEEKDAY_WEIGHTS[date.weekday()]))
    return days


def _placed_at(
    rng: random.Random,
    days: list[tuple[datetime, float]],
    day_cumulative: list[float],
    window_start: datetime,
    now: datetime,
) -> datetime:
    """A moment in the window: a weighted day, then a weighted local hour; retried if outside."""
    while True:
        midnight = rng.choices(days, cum_weights=day_cumulative)[0][0]
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        local = midnight.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
        if window_start <= local <= now:
            return local.astimezone(now.tzinfo)


def _fulfilment(rng: random.Random, placed_at: datetime, now: datetime) -> dict:
    """Status and timestamps of an order placed at ``placed_at``, as far as ``now`` allows."""
    if rng.random() < CANCEL_RATE:
        cancelled_at = placed_at + timedelta(hours=rng.uniform(0.5, 30))
        if cancelled_at <= now:
            return {
                "status": Order.Status.CANCELLED,
                "placed_at": placed_at,
                "cancelled_at": cancelled_at,
            }
        return {"status": Order.Status.PLACED, "placed_at": placed_at}
    shipped_at = placed_at + timedelta(hours=rng.triangular(MIN_HOURS_TO_SHIP, 96, 20))
    delivered_at = shipped_at + timedelta(hours=rng.triangular(MIN_HOURS_TO_DELIVER, 168, 60))
    if shipped_at > now:
        return {"status": Order.Status.PLACED, "placed_at": placed_at}
    if delivered_at > now:
        return {"status": Order.Status.SHIPPED, "placed_at": placed_at, "shipped_at": shipped_at}
    return {
        "status": Order.Status.DELIVERED,
        "placed_at": placed_at,
        "shipped_at": shipped_at,
        "delivered_at": delivered_at,
    }


def _buyers_joined(
    rng: random.Random, people: list[PersonSpec], orders: list[OrderSpec], *, now: datetime
) -> list[PersonSpec]:
    """Buyers join a little before their first order; buyers without orders, in the window."""
    first_order: dict[int, datetime] = {}
    for order in orders:  # oldest first
        first_order.setdefault(order.buyer, order.placed_at)
    joined = []
    for index, person in enumerate(people):
        if person.date_joined is not None:  # sellers and office staff have theirs already
            joined.append(person)
            continue
        if index in first_order:
            moment = first_order[index] - timedelta(days=rng.uniform(0.1, 30))
        else:
            moment = now - timedelta(days=rng.uniform(1, ORDER_WINDOW_DAYS))
        joined.append(replace(person, date_joined=moment))
    return joined


# --- Writing it -----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoReport:
    created: bool  # False: demo data was already there and nothing was written
    seed: int | None
    scale: str | None
    categories: int
    stores: int
    products: int
    inactive_products: int
    buyers: int
    orders: int
    order_items: int
    seconds: float


def demo_data_present() -> bool:
    return (
        Store.objects.filter(external_id__startswith=STORE_EXTERNAL_ID_PREFIX).exists()
        or User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}").exists()
    )


def marketplace_has_stores() -> bool:
    return Store.objects.exists()


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    exists: bool
    store_name: str | None = None


def demo_logins() -> list[DemoLogin]:
    """The demo accounts to print, with the store the owner and agent work for."""
    existing = set(
        User.objects.filter(email__in=[account.email for account in DEMO_ACCOUNTS]).values_list(
            "email", flat=True
        )
    )
    store_of = dict(
        StoreMembership.objects.filter(
            user__email__in=[ACCOUNTS["owner"].email, ACCOUNTS["agent"].email]
        )
        .order_by("created_at")
        .values_list("user__email", "store__name")
    )
    return [
        DemoLogin(
            account.role, account.email, account.email in existing, store_of.get(account.email)
        )
        for account in DEMO_ACCOUNTS
    ]


@dataclass(frozen=True)
class _ProductRow:
    pk: int
    store: int
    category_slug: str
    title: str
    is_active: bool


def story_products_in_database(seed: int) -> dict[str, int]:
    """The story products of the demo marketplace loaded with ``seed``: product pks by story key.

    Reads the demo stores and products in external id order, the order they were
    described in, and chooses as ``build_demo`` did; empty without a demo marketplace.
    """
    store_pks = list(
        Store.objects.filter(external_id__startswith=STORE_EXTERNAL_ID_PREFIX)
        .order_by("external_id")
        .values_list("pk", flat=True)
    )
    store_index = {pk: index for index, pk in enumerate(store_pks)}
    rows = [
        _ProductRow(pk, store_index[store_pk], slug or "", title, is_active)
        for pk, store_pk, slug, title, is_active in Product.objects.filter(
            store_id__in=store_pks, external_id__startswith=PRODUCT_EXTERNAL_ID_PREFIX
        )
        .order_by("external_id")
        .values_list("pk", "store_id", "category__slug", "title", "is_active")
    ]
    chosen = choose_story_products(seed, rows, len(store_pks))
    return {key: rows[index].pk for key, index in chosen.items()}


def load_demo(
    *,
    seed: int = DEFAULT_SEED,
    scale: str = DEFAULT_SCALE,
    now: datetime | None = None,
    progress: ProgressFactory = no_progress,
) -> DemoReport:
    """Write the demo marketplace in one transaction, unless demo data is already there.

    Atomic: a failure part-way leaves the database as it was. With SQLite the
    transaction takes the write lock up front, so a second run started at the
    same time waits and then finds the data.
    """
    started = time.monotonic()
    with transaction.atomic():
        if demo_data_present():
            return _existing_report(time.monotonic() - started)
        spec = build_demo(
            seed=seed,
            scale=scale,
            now=now,
            taken_store_names=frozenset(
                name.lower() for name in Store.objects.values_list("name", flat=True)
            ),
            taken_store_slugs=frozenset(Store.objects.values_list("slug", flat=True)),
        )
        counts = _write(spec, progress)
    return DemoReport(
        created=True, seed=seed, scale=scale, seconds=time.monotonic() - started, **counts
    )


def _existing_report(seconds: float) -> DemoReport:
    stores = Store.objects.filter(external_id__startswith=STORE_EXTERNAL_ID_PREFIX)
    products = Product.objects.filter(external_id__startswith=PRODUCT_EXTERNAL_ID_PREFIX)
    orders = Order.objects.filter(store__in=stores)
    return DemoReport(
        created=False,
        seed=None,
        scale=None,
        categories=Category.objects.count(),
        stores=stores.count(),
        products=products.count(),
        inactive_products=products.filter(is_active=False).count(),
        buyers=User.objects.filter(
            email__iendswith=f"@{DEMO_EMAIL_DOMAIN}", memberships__isnull=True, is_staff=False
        ).count(),
        orders=orders.count(),
        order_items=OrderItem.objects.filter(order__in=orders).count(),
        seconds=seconds,
    )


def _bulk(model, objects: list, bar: ProgressBar) -> list:
    """bulk_create in batches, advancing ``bar``; the objects come back with their pks."""
    for start in range(0, len(objects), BATCH_SIZE):
        batch = objects[start : start + BATCH_SIZE]
        model.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        bar.update(len(batch))
    return objects


def _write(spec: DemoSpec, progress: ProgressFactory) -> dict[str, int]:
    bar = progress("Categories", len(spec.categories))
    categories = _write_categories(spec.categories)
    bar.update(len(spec.categories))
    bar.close()

    password = make_password(DEMO_PASSWORD)  # hashed once; every demo user shares it
    bar = progress("People", 2 * len(spec.people))
    users = _bulk(
        User,
        [
            User(
                email=person.email,
                first_name=person.first_name,
                last_name=person.last_name,
                password=password,
                is_staff=person.is_staff,
                is_superuser=person.is_superuser,
                date_joined=person.date_joined,
            )
            for person in spec.people
        ],
        bar,
    )
    _bulk(
        EmailAddress,
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
        bar,
    )
    bar.close()

    bar = progress("Stores", len(spec.stores))
    stores = _bulk(
        Store,
        [
            Store(
                name=store.name,
                slug=store.slug,
                description=store.description,
                external_id=store.external_id,
                created_at=store.created_at,
            )
            for store in spec.stores
        ],
        bar,
    )
    memberships = []
    for store, store_spec in zip(stores, spec.stores, strict=True):
        memberships.append(
            StoreMembership(
                store=store,
                user=users[store_spec.owner],
                role=StoreMembership.Role.OWNER,
                created_at=store_spec.created_at,
            )
        )
        if store_spec.agent is not None:
            memberships.append(
                StoreMembership(
                    store=store,
                    user=users[store_spec.agent],
                    role=StoreMembership.Role.AGENT,
                    created_at=store_spec.created_at + timedelta(days=14),
                )
            )
    _bulk(StoreMembership, memberships, no_progress("memberships", len(memberships)))
    bar.close()

    bar = progress("Products", len(spec.products))
    products = _bulk(
        Product,
        [
            Product(
                store=stores[product.store],
                category=categories[product.category_slug],
                external_id=product.external_id,
                title=product.title,
                description=product.description,
                price=product.price,
                currency=CURRENCY,
                stock=product.stock,
                is_active=product.is_active,
                created_at=product.created_at,
                updated_at=product.created_at,
            )
            for product in spec.products
        ],
        bar,
    )
    bar.close()

    bar = progress("Orders", len(spec.orders))
    orders = _bulk(
        Order,
        [
            Order(
                number=order.number,
                buyer=users[order.buyer],
                store=stores[order.store],
                status=order.status,
                total=order.total,
                currency=CURRENCY,
                placed_at=order.placed_at,
                shipped_at=order.shipped_at,
                delivered_at=order.delivered_at,
                cancelled_at=order.cancelled_at,
            )
            for order in spec.orders
        ],
        bar,
    )
    bar.close()

    items = [
        OrderItem(
            order=order,
            product=products[product_index],
            title=spec.products[product_index].title,
            unit_price=spec.products[product_index].price,
            quantity=quantity,
        )
        for order, order_spec in zip(orders, spec.orders, strict=True)
        for product_index, quantity in order_spec.lines
    ]
    bar = progress("Order items", len(items))
    _bulk(OrderItem, items, bar)
    bar.close()
    return {
        "categories": len(spec.categories),
        "stores": len(stores),
        "products": len(products),
        "inactive_products": sum(not product.is_active for product in spec.products),
        "buyers": spec.buyers,
        "orders": len(orders),
        "order_items": len(items),
    }


def _write_categories(specs: list[CategorySpec]) -> dict[str, Category]:
    """The category tree, reusing any category that already has the slug (or name and parent)."""
    by_slug = {
        category.slug: category
        for category in Category.objects.filter(slug__in=[spec.slug for spec in specs])
    }
    for level in (None, "child"):
        missing = []
        for spec in specs:
            if (spec.parent_slug is None) != (level is None) or spec.slug in by_slug:
                continue
            parent = by_slug[spec.parent_slug] if spec.parent_slug else None
            same_name = Category.objects.filter(parent=parent, name=spec.name).first()
            if same_name is not None:
                by_slug[spec.slug] = same_name
                continue
            missing.append(
                Category(name=spec.name, slug=spec.slug, parent=parent, position=spec.position)
            )
        for category in Category.objects.bulk_create(missing):
            by_slug[category.slug] = category
    return by_slug
