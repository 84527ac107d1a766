"""API shapes of the catalog: what goes in and out of /api/v1 for stores, products, orders."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from saypro.catalog.models import Order
from saypro.catalog.selectors import PRODUCT_SORTS, next_statuses
from saypro.catalog.services import MAX_PRICE, MAX_QUANTITY
from saypro.core.api import BodyId, ClientId, Paging, SearchText, Slug

Price = Annotated[Decimal, Field(ge=0, le=MAX_PRICE, max_digits=12, decimal_places=2)]
Title = Annotated[str, Field(min_length=1, max_length=160)]
Currency = Annotated[str, Field(min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$")]


class CategoryRef(Schema):
    slug: str
    name: str


class CategoryOut(CategoryRef):
    children: list[CategoryRef]


class StoreRef(Schema):
    id: int
    slug: str
    name: str


class StoreOut(StoreRef):
    description: str
    created_at: datetime
    product_count: int


class ProductOut(Schema):
    id: int
    title: str
    description: str
    store: StoreRef
    category: CategoryRef
    price: Decimal
    currency: str
    stock: int
    is_active: bool
    created_at: datetime
    updated_at: datetime


class ProductFilters(Paging):
    q: SearchText = Field("", description="Words that must all appear (title, description…).")
    category: Slug | None = Field(None, description="Category slug; includes sub-categories.")
    store: Slug | None = Field(None, description="Store slug.")
    min_price: Price | None = None
    max_price: Price | None = None
    sort: Literal[tuple(PRODUCT_SORTS)] = "relevance"  # type: ignore[valid-type]


class ProductIn(Schema):
    title: Title
    description: str = Field("", max_length=5000)
    category: Slug = Field(description="Slug of a sub-category (see GET /categories).")
    price: Price
    currency: Currency | None = Field(None, description="ISO code; default ZAR.")
    stock: int = Field(ge=0, le=1_000_000, strict=True)


class OrderLineIn(Schema):
    product_id: BodyId
    quantity: int = Field(1, ge=1, le=MAX_QUANTITY, strict=True)


class OrderIn(Schema):
    items: list[OrderLineIn] = Field(min_length=1, max_length=50)
    client_id: ClientId | None = None


class OrderFilters(Paging):
    store: Slug | None = Field(
        None, description="A store you are a member of: its orders instead of your own."
    )
    status: Literal[tuple(Order.Status.values)] | None = None  # type: ignore[valid-type]


class OrderItemOut(Schema):
    product_id: int
    title: str
    unit_price: Decimal
    quantity: int
    line_total: Decimal


class BuyerOut(Schema):
    id: int
    name: str


class OrderOut(Schema):
    number: str
    status: str
    store: StoreRef
    buyer: BuyerOut
    items: list[OrderItemOut]
    total: Decimal
    currency: str
    placed_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
    next_statuses: list[str] = Field(description="Statuses you may move this order to.")

    @staticmethod
    def resolve_buyer(order: Order) -> dict:
        return {"id": order.buyer_id, "name": order.buyer.get_full_name()}

    @staticmethod
    def resolve_items(order: Order) -> list:
        return list(order.items.all())

    @staticmethod
    def resolve_next_statuses(order: Order, context) -> list[str]:
        return next_statuses(context["request"].auth, order)


class TransitionIn(Schema):
    status: Literal["shipped", "delivered", "cancelled"]
