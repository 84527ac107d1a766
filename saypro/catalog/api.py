"""/api/v1 endpoints for categories, stores, products and orders.

Each endpoint reads through ``selectors`` (which apply who-may-see-what) and
writes through ``services`` (which check who-may-do-what); this module only
translates between JSON and those calls.
"""

from ninja import Query, Router, Status

from saypro.catalog import selectors, services
from saypro.catalog.models import Order, Product
from saypro.catalog.schemas import (
    CategoryOut,
    OrderFilters,
    OrderIn,
    OrderOut,
    ProductFilters,
    ProductIn,
    ProductOut,
    StoreOut,
    TransitionIn,
)
from saypro.core.api import AUTH, ERRORS, PUBLIC, Id, Page, Paging, Slug
from saypro.core.errors import NotFound, PermissionDenied, ValidationFailed

router = Router(tags=["catalog"])


def _category(slug: str | None):
    if slug is None:
        return None
    category = selectors.category_by_slug(slug)
    if category is None:
        raise ValidationFailed(f"No category “{slug}”.", details={"field": "category"})
    return category


def _product(request, product_id: int) -> Product:
    product = selectors.visible_product(request.auth, product_id)
    if product is None:
        raise NotFound(f"No product {product_id}.")
    return product


def _order(request, number: str) -> Order:
    order = selectors.visible_order(request.auth, number)
    if order is None:
        raise NotFound(f"No order {number}.")
    return order


def _product_input(data: ProductIn) -> services.ProductInput:
    category = _category(data.category)
    if category.parent_id is None:
        raise ValidationFailed(
            "Choose a sub-category, not a top-level one.", details={"field": "category"}
        )
    return services.ProductInput(
        title=data.title,
        description=data.description,
        category=category,
        price=data.price,
        stock=data.stock,
        currency=data.currency,
    )


# --- Categories and stores ------------------------------------------------------


@router.get("/categories", response={200: list[CategoryOut], **ERRORS}, auth=PUBLIC)
def list_categories(request):
    """The category tree: top-level categories with their sub-categories."""
    return [
        {"slug": top.slug, "name": top.name, "children": list(top.children.all())}
        for top in selectors.categories_tree()
    ]


@router.get("/stores", response={200: Page[StoreOut], **ERRORS}, auth=PUBLIC)
def list_stores(request, paging: Query[Paging]):
    """Active stores, by name."""
    return paging.page(selectors.active_stores().order_by("name", "pk"))


@router.get("/stores/{slug}", response={200: StoreOut, **ERRORS}, auth=PUBLIC)
def get_store(request, slug: Slug):
    return selectors.existing_store(slug)


@router.get("/stores/{slug}/products", response={200: Page[ProductOut], **ERRORS}, auth=AUTH)
def list_store_products(request, slug: Slug, paging: Query[Paging]):
    """Every product of a store you are a member of, inactive ones included."""
    store = selectors.existing_store(slug)
    if not selectors.is_store_member(request.auth, store):
        raise PermissionDenied("Only the store's team can list all its products.")
    return paging.page(selectors.store_products(request.auth, store))


@router.post("/stores/{slug}/products", response={201: ProductOut, **ERRORS}, auth=AUTH)
def create_product(request, slug: Slug, data: ProductIn):
    """Add a product to a store you are a member of."""
    store = selectors.existing_store(slug)
    product = services.create_product(actor=request.auth, store=store, data=_product_input(data))
    return Status(201, product)


# --- Products --------------------------------------------------------------------


@router.get("/products", response={200: Page[ProductOut], **ERRORS}, auth=PUBLIC)
def list_products(request, filters: Query[ProductFilters]):
    """Active products of active stores, filtered and sorted."""
    if (
        filters.min_price is not None
        and filters.max_price is not None
        and filters.min_price > filters.max_price
    ):
        raise ValidationFailed(
            "max_price must be at least min_price.", details={"field": "max_price"}
        )
    products = selectors.search_products(
        text=filters.q,
        category=_category(filters.category),
        store=selectors.existing_store(filters.store) if filters.store else None,
        min_price=filters.min_price,
        max_price=filters.max_price,
        sort=filters.sort,
    )
    return filters.page(products)


@router.get("/products/{product_id}", response={200: ProductOut, **ERRORS}, auth=PUBLIC)
def get_product(request, product_id: Id):
    """An active product; store members also see their inactive ones."""
    return _product(request, product_id)


@router.put("/products/{product_id}", response={200: ProductOut, **ERRORS}, auth=AUTH)
def update_product(request, product_id: Id, data: ProductIn):
    """Replace a product's details (store members)."""
    product = _product(request, product_id)
    return services.update_product(actor=request.auth, product=product, data=_product_input(data))


@router.post("/products/{product_id}/deactivate", response={200: ProductOut, **ERRORS}, auth=AUTH)
def deactivate_product(request, product_id: Id):
    """Hide a product from the shop; existing orders keep it (store members)."""
    product = _product(request, product_id)
    return services.set_product_active(actor=request.auth, product=product, is_active=False)


@router.post("/products/{product_id}/activate", response={200: ProductOut, **ERRORS}, auth=AUTH)
def activate_product(request, product_id: Id):
    """Show a deactivated product in the shop again (store members)."""
    product = _product(request, product_id)
    return services.set_product_active(actor=request.auth, product=product, is_active=True)


# --- Orders ----------------------------------------------------------------------


@router.post("/orders", response={201: OrderOut, **ERRORS}, auth=AUTH)
def create_order(request, data: OrderIn):
    """Place an order with one store (stands in for the marketplace's checkout).

    A retry with the same ``client_id`` returns the order placed the first time and takes no
    stock; the same ``client_id`` with other items is a 409.
    """
    lines = []
    for line in data.items:
        product = selectors.visible_product(request.auth, line.product_id)
        if product is None:
            raise ValidationFailed(
                f"No product {line.product_id}.",
                details={"field": "items", "product_id": line.product_id},
            )
        lines.append(services.OrderLine(product=product, quantity=line.quantity))
    order = services.place_order(buyer=request.auth, lines=lines, client_id=data.client_id)
    return Status(201, _order(request, order.number))


@router.get("/orders", response={200: Page[OrderOut], **ERRORS}, auth=AUTH)
def list_orders(request, filters: Query[OrderFilters]):
    """Your orders, newest first; with ``store``, that store's orders (its members only)."""
    if filters.store:
        store = selectors.existing_store(filters.store)
        if not selectors.is_store_member(request.auth, store):
            raise PermissionDenied("Only the store's team can list its orders.")
        orders = selectors.orders_of_store(request.auth, store, status=filters.status)
    else:
        orders = selectors.orders_of_buyer(request.auth)
        if filters.status:
            orders = orders.filter(status=filters.status)
    return filters.page(orders.order_by("-placed_at", "-pk"))


@router.get("/orders/{number}", response={200: OrderOut, **ERRORS}, auth=AUTH)
def get_order(request, number: Slug):
    """An order you bought, of a store you work for, or (office staff) any order."""
    return _order(request, number)


@router.post("/orders/{number}/transition", response={200: OrderOut, **ERRORS}, auth=AUTH)
def transition_order(request, number: Slug, data: TransitionIn):
    """Ship or deliver (store members), or cancel a placed order (its buyer)."""
    order = services.transition_order(
        actor=request.auth, order=_order(request, number), to_status=data.status
    )
    return _order(request, order.number)
