"""Reads for the catalog. Each takes the acting user where visibility depends on it."""

from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from saypro.accounts.models import User
from saypro.catalog.models import Category, Order, OrderItem, Product, Store, StoreMembership
from saypro.core.errors import NotFound

PRODUCT_SORTS = {
    "relevance": ("-created_at", "pk"),
    "newest": ("-created_at", "pk"),
    "price_asc": ("price", "pk"),
    "price_desc": ("-price", "pk"),
    "title": ("title", "pk"),
}


def is_store_member(user: User, store: Store) -> bool:
    if not user.is_authenticated:
        return False
    return StoreMembership.objects.filter(user=user, store=store).exists()


def is_store_owner(user: User, store: Store) -> bool:
    if not user.is_authenticated:
        return False
    return StoreMembership.objects.filter(
        user=user, store=store, role=StoreMembership.Role.OWNER
    ).exists()


def store_members(user: User, store: Store) -> QuerySet[StoreMembership]:
    """The team of ``store``, for its members."""
    if not is_store_member(user, store):
        return StoreMembership.objects.none()
    return store.memberships.select_related("user").order_by("role", "user__email")


def memberships_of(user: User) -> QuerySet[StoreMembership]:
    if not user.is_authenticated:
        return StoreMembership.objects.none()
    return StoreMembership.objects.filter(user=user, store__is_active=True).select_related("store")


def is_seller_or_office(user: User) -> bool:
    """On an open store's team (a "seller", as the main navigation has it) or office staff:
    those who see the seller side of help and notification settings."""
    return user.is_authenticated and (user.is_office_staff or memberships_of(user).exists())


def store_of_member(user: User, slug: str | None = None) -> Store | None:
    """The store a member acts for: the one named by ``slug``, else their first."""
    memberships = memberships_of(user)
    if slug:
        memberships = memberships.filter(store__slug=slug)
    membership = memberships.order_by("created_at").first()
    return membership.store if membership else None


def categories_tree(products: QuerySet[Product] | None = None) -> list[Category]:
    """Top-level categories with their children prefetched, each child with a product count.

    The counts are of ``products`` (by default every product a shopper can find), so
    beside a search each count is what the search finds in that category.
    """
    found = (products if products is not None else search_products()).order_by().values("pk")
    children = Category.objects.annotate(
        product_count=Count("products", filter=Q(products__in=found))
    )
    return list(
        Category.objects.filter(parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=children)
        )
    )


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def leaf_categories() -> QuerySet[Category]:
    """Categories a product can be in, department by department, in the shop's order."""
    return (
        Category.objects.filter(parent__isnull=False)
        .select_related("parent")
        .order_by("parent__position", "parent__name", "position", "name")
    )


def search_products(
    *,
    text: str = "",
    category: Category | None = None,
    store: Store | None = None,
    min_price: Decimal | None = None,
    max_price: Decimal | None = None,
    sort: str = "relevance",
) -> QuerySet[Product]:
    """Active products of active stores matching every word of ``text``.

    A category matches itself and its sub-categories.
    """
    products = Product.objects.filter(is_active=True, store__is_active=True).select_related(
        "store", "category"
    )
    for word in text.split()[:8]:
        products = products.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(category__name__icontains=word)
            | Q(store__name__icontains=word)
        )
    if category is not None:
        products = products.filter(Q(category=category) | Q(category__parent=category))
    if store is not None:
        products = products.filter(store=store)
    if min_price is not None:
        products = products.filter(price__gte=min_price)
    if max_price is not None:
        products = products.filter(price__lte=max_price)
    return products.order_by(*PRODUCT_SORTS.get(sort, PRODUCT_SORTS["relevance"]))


def visible_product(user: User, pk: int) -> Product | None:
    """A product anyone may see (active), or any product of the user's own stores."""
    products = Product.objects.select_related("store", "category", "category__parent")
    visible = Q(is_active=True, store__is_active=True)
    if user.is_authenticated:
        visible |= Q(store__memberships__user=user)
    return products.filter(visible, pk=pk).distinct().first()


def store_products(user: User, store: Store) -> QuerySet[Product]:
    """Every product of ``store`` (active or not), for its members."""
    if not is_store_member(user, store):
        return Product.objects.none()
    return store.products.select_related("category").order_by("-is_active", "title")


def active_stores() -> QuerySet[Store]:
    return Store.objects.filter(is_active=True).annotate(
        product_count=Count("products", filter=Q(products__is_active=True))
    )


def store_by_slug(slug: str) -> Store | None:
    return active_stores().filter(slug=slug).first()


def existing_store(slug: str) -> Store:
    """The active store ``slug``, for endpoints: ``NotFound`` when there is none."""
    store = store_by_slug(slug)
    if store is None:
        raise NotFound(f"No store “{slug}”.")
    return store


def _orders() -> QuerySet[Order]:
    return Order.objects.select_related("store", "buyer").prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.select_related("product"))
    )


def orders_of_buyer(user: User) -> QuerySet[Order]:
    if not user.is_authenticated:
        return Order.objects.none()
    return _orders().filter(buyer=user)


def orders_of_store(user: User, store: Store, *, status: str | None = None) -> QuerySet[Order]:
    if not is_store_member(user, store):
        return Order.objects.none()
    orders = _orders().filter(store=store)
    if status:
        orders = orders.filter(status=status)
    return orders


def visible_order(user: User, number: str) -> Order | None:
    """An order its buyer, a member of its store, or office staff may see."""
    if not user.is_authenticated:
        return None
    orders = _orders().filter(number=number)
    if not user.is_office_staff:
        orders = orders.filter(Q(buyer=user) | Q(store__memberships__user=user)).distinct()
    return orders.first()


def order_actor(user: User, order: Order) -> str | None:
    """How ``user`` may act on ``order``: as its "buyer", as its "store", or not at all."""
    if not user.is_authenticated:
        return None
    if order.buyer_id == user.pk:
        return "buyer"
    if is_store_member(user, order.store):
        return "store"
    return None


def next_statuses(user: User, order: Order) -> list[str]:
    """The statuses ``user`` may move ``order`` to now."""
    actor = order_actor(user, order)
    return order.next_statuses(actor) if actor else []


def store_order_counts(user: User, store: Store) -> dict[str, int]:
    """How many of the store's orders are in each status."""
    rows = orders_of_store(user, store).order_by().values("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in Order.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
