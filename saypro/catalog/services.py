"""Every write to the catalog: stores, memberships, products and orders.

Each function is one use case: it validates its input, checks that the actor
may do it, and runs in one transaction, so a refused or invalid call changes
nothing.
"""

import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

import pycountry
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from saypro.accounts.models import User
from saypro.catalog.models import Category, Order, OrderItem, Product, Store, StoreMembership
from saypro.catalog.selectors import is_store_member, is_store_owner, order_actor
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.core.idempotency import clean_client_id
from saypro.notifications import services as notifications
from saypro.notifications.models import NotificationType

MAX_PRICE = Decimal("1000000")
MAX_STOCK = 1_000_000
MAX_QUANTITY = 99
PRICE_NOT_A_NUMBER = "Price must be a number."
PRICE_OUT_OF_RANGE = f"Price must be between 0.01 and {MAX_PRICE:,}."
STOCK_OUT_OF_RANGE = f"Stock must be a whole number from 0 to {MAX_STOCK:,}."
CURRENCY_NOT_A_CODE = "Currency must be a three-letter ISO code such as ZAR."
ORDER_NUMBER_ALPHABET = string.ascii_uppercase.replace("O", "").replace("I", "") + "23456789"


def new_order_number() -> str:
    return "SP-" + "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(8))


def unique_slug(model, text: str) -> str:
    base = slugify(text)[:120] or "store"
    slug, suffix = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _require_member(user: User, store: Store) -> None:
    if not is_store_member(user, store):
        raise PermissionDenied("Only members of this store can do that.")


def _clean_text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(f"{field} is required.", details={"field": field.lower()})
    if len(value) > max_length:
        raise ValidationFailed(
            f"{field} must be at most {max_length} characters.", details={"field": field.lower()}
        )
    return value


def _clean_price(value) -> Decimal:
    try:
        price = Decimal(str(value)).quantize(Decimal("0.01"))
        if price.is_nan():  # quantize lets a quiet NaN through; comparing it would raise
            raise InvalidOperation
    except (InvalidOperation, ValueError) as error:
        raise ValidationFailed(PRICE_NOT_A_NUMBER, details={"field": "price"}) from error
    if not Decimal("0.01") <= price <= MAX_PRICE:
        raise ValidationFailed(PRICE_OUT_OF_RANGE, details={"field": "price"})
    return price


def _clean_stock(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_STOCK:
        raise ValidationFailed(STOCK_OUT_OF_RANGE, details={"field": "stock"})
    return value


def _clean_currency(value: str | None) -> str:
    """An ISO 4217 currency code (pycountry's list), upper case; the marketplace's when empty."""
    currency = (value or settings.MARKETPLACE_CURRENCY).strip().upper()
    if len(currency) != 3 or not (currency.isascii() and currency.isalpha()):
        raise ValidationFailed(CURRENCY_NOT_A_CODE, details={"field": "currency"})
    if pycountry.currencies.get(alpha_3=currency) is None:
        raise ValidationFailed(
            f"“{currency}” is not an ISO 4217 currency code; use one such as ZAR, USD or EUR.",
            details={"field": "currency"},
        )
    return currency


# --- Stores -------------------------------------------------------------------


@transaction.atomic
def open_store(
    *, owner: User, name: str, description: str = "", external_id: str | None = None
) -> Store:
    """Create a store with ``owner`` as its owner member."""
    if not owner.is_active:
        raise PermissionDenied("Inactive users cannot open a store.")
    name = _clean_text(name, field="Name", max_length=120)
    description = _clean_text(description, field="Description", max_length=5000, required=False)
    if Store.objects.filter(name__iexact=name).exists():
        raise Conflict(
            f"A store called “{name}” already exists.",
            code="store_name_taken",
            details={"field": "name"},
        )
    try:
        with transaction.atomic():
            store = Store.objects.create(
                name=name,
                slug=unique_slug(Store, name),
                description=description,
                external_id=external_id or None,
            )
    except IntegrityError as error:
        raise Conflict(
            f"A store called “{name}” already exists.", code="store_name_taken"
        ) from error
    StoreMembership.objects.create(store=store, user=owner, role=StoreMembership.Role.OWNER)
    return store


@transaction.atomic
def update_store_profile(*, actor: User, store: Store, name: str, description: str) -> Store:
    """An owner renames the store or rewrites what it sells.

    The slug stays: the store's addresses (shared links, the Seller Center) keep working.
    """
    if not is_store_owner(actor, store):
        raise PermissionDenied("Only the store's owners can change its profile.")
    name = _clean_text(name, field="Name", max_length=120)
    description = _clean_text(description, field="Description", max_length=5000, required=False)
    if Store.objects.filter(name__iexact=name).exclude(pk=store.pk).exists():
        raise Conflict(
            f"A store called “{name}” already exists.",
            code="store_name_taken",
            details={"field": "name"},
        )
    store.name = name
    store.description = description
    store.save(update_fields=["name", "description"])
    return store


@transaction.atomic
def add_store_member(*, actor: User, store: Store, user: User, role: str) -> StoreMembership:
    """An owner adds a person to the store's team."""
    if not is_store_owner(actor, store):
        raise PermissionDenied("Only the store's owners can change its team.")
    if role not in StoreMembership.Role.values:
        raise ValidationFailed("Role must be owner or agent.", details={"field": "role"})
    if StoreMembership.objects.filter(store=store, user=user).exists():
        raise Conflict(
            f"{user.email} is already on this store's team.",
            code="already_member",
            details={"field": "email"},
        )
    return StoreMembership.objects.create(store=store, user=user, role=role)


@dataclass(frozen=True)
class _Team:
    """A store's team, every row locked (in one order, so two changes cannot deadlock)."""

    members: list[StoreMembership]

    @classmethod
    def lock(cls, store_id: int) -> "_Team":
        rows = StoreMembership.objects.select_for_update(of=("self",)).filter(store_id=store_id)
        return cls(list(rows.select_related("user").order_by("pk")))

    def owned_by(self, user: User) -> bool:
        return any(m.user_id == user.pk and m.role == m.Role.OWNER for m in self.members)

    def get(self, membership: StoreMembership) -> StoreMembership:
        found = next((m for m in self.members if m.pk == membership.pk), None)
        if found is None:
            raise NotFound(f"{membership.user.email} is no longer on this store's team.")
        return found

    def refuse_leaving_no_owner(self, membership: StoreMembership) -> None:
        owners = [m for m in self.members if m.role == m.Role.OWNER]
        if owners == [membership]:
            raise Conflict(
                f"{membership.user.email} is the store's only owner. "
                "Make someone else an owner first.",
                code="last_owner",
            )


@transaction.atomic
def change_member_role(*, actor: User, membership: StoreMembership, role: str) -> StoreMembership:
    """An owner makes a team member an owner or an agent; a store always keeps an owner."""
    team = _Team.lock(membership.store_id)
    if not team.owned_by(actor):
        raise PermissionDenied("Only the store's owners can change its team.")
    if role not in StoreMembership.Role.values:
        raise ValidationFailed("Role must be owner or agent.", details={"field": "role"})
    membership = team.get(membership)
    if membership.role != role:
        team.refuse_leaving_no_owner(membership)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_store_member(*, actor: User, membership: StoreMembership) -> None:
    """An owner takes a person off the team, or a member leaves it; never its last owner."""
    team = _Team.lock(membership.store_id)
    if actor.pk != membership.user_id and not team.owned_by(actor):
        raise PermissionDenied("Only the store's owners can change its team.")
    membership = team.get(membership)
    team.refuse_leaving_no_owner(membership)
    membership.delete()


# --- Products -------------------------------------------------------------------


@dataclass(frozen=True)
class ProductInput:
    title: str
    description: str
    category: Category
    price: Decimal | str | float
    stock: int
    currency: str | None = None


@transaction.atomic
def create_product(*, actor: User, store: Store, data: ProductInput) -> Product:
    _require_member(actor, store)
    return Product.objects.create(
        store=store,
        title=_clean_text(data.title, field="Title", max_length=160),
        description=_clean_text(
            data.description, field="Description", max_length=5000, required=False
        ),
        category=data.category,
        price=_clean_price(data.price),
        currency=_clean_currency(data.currency),
        stock=_clean_stock(data.stock),
    )


@transaction.atomic
def update_product(*, actor: User, product: Product, data: ProductInput) -> Product:
    _require_member(actor, product.store)
    product.title = _clean_text(data.title, field="Title", max_length=160)
    product.description = _clean_text(
        data.description, field="Description", max_length=5000, required=False
    )
    product.category = data.category
    product.price = _clean_price(data.price)
    product.currency = _clean_currency(data.currency or product.currency)
    product.stock = _clean_stock(data.stock)
    product.updated_at = timezone.now()
    product.save()
    return product


@transaction.atomic
def set_product_active(*, actor: User, product: Product, is_active: bool) -> Product:
    """Deactivate (hide from the shop, keep for existing orders) or reactivate a product."""
    _require_member(actor, product.store)
    product.is_active = is_active
    product.updated_at = timezone.now()
    product.save(update_fields=["is_active", "updated_at"])
    return product


# --- Orders ---------------------------------------------------------------------


@dataclass(frozen=True)
class OrderLine:
    product: Product
    quantity: int


@transaction.atomic
def place_order(*, buyer: User, lines: Sequence[OrderLine], client_id: str | None = None) -> Order:
    """Place one order with one store, reserving stock.

    Stock is taken with a conditional UPDATE (``stock >= quantity``), so two
    buyers racing for the last item cannot both get it; if any line fails the
    whole order rolls back. With a ``client_id`` (the order form carries one),
    a resubmitted form or a retried call returns the order it placed the first
    time and takes nothing; the same key with other items is a 409.
    """
    client_id = clean_client_id(client_id)
    if not buyer.is_active:
        raise PermissionDenied("Inactive users cannot place orders.")
    if not lines:
        raise ValidationFailed("An order needs at least one item.", details={"field": "items"})
    stores = {line.product.store_id for line in lines}
    if len(stores) != 1:
        raise ValidationFailed("All items of one order must come from the same store.")
    if len({line.product.pk for line in lines}) != len(lines):
        raise ValidationFailed("List each product once, with its quantity.")
    store = lines[0].product.store
    if is_store_member(buyer, store):
        raise PermissionDenied("You cannot order from your own store.")
    if client_id is not None and (earlier := _placed_with(buyer, client_id, lines)):
        return earlier

    try:
        with transaction.atomic():
            order = Order.objects.create(
                number=new_order_number(),
                buyer=buyer,
                store=store,
                total=Decimal("0"),
                currency=lines[0].product.currency,
                client_id=client_id,
            )
    except IntegrityError:
        if client_id is None:
            raise
        return _placed_with(buyer, client_id, lines)  # placed by a request that just committed
    total = Decimal("0")
    for line in lines:
        product = line.product
        if isinstance(line.quantity, bool) or not 1 <= line.quantity <= MAX_QUANTITY:
            raise ValidationFailed(
                f"Quantity must be from 1 to {MAX_QUANTITY}.", details={"field": "quantity"}
            )
        if not store.is_active:
            raise ValidationFailed(f"{store.name} is not taking orders.")
        taken = Product.objects.filter(
            pk=product.pk, is_active=True, stock__gte=line.quantity
        ).update(stock=F("stock") - line.quantity)
        if not taken:
            left = (
                Product.objects.filter(pk=product.pk, is_active=True)
                .values_list("stock", flat=True)
                .first()
            ) or 0
            raise Conflict(
                f"“{product.title}” is not available in that quantity: "
                + (f"only {left} left." if left else "it is sold out."),
                code="out_of_stock",
                details={"product_id": product.pk, "available": left},
            )
        if product.currency != order.currency:
            raise ValidationFailed("All items of one order must share a currency.")
        OrderItem.objects.create(
            order=order,
            product=product,
            title=product.title,
            unit_price=product.price,
            quantity=line.quantity,
        )
        total += product.price * line.quantity
    order.total = total
    order.save(update_fields=["total"])
    return order


def _placed_with(buyer: User, client_id: str, lines: Sequence[OrderLine]) -> Order | None:
    """The order placed earlier with this ``client_id``; 409 if it has other items."""
    earlier = Order.objects.filter(buyer=buyer, client_id=client_id).first()
    if earlier is None:
        return None
    placed = set(earlier.items.values_list("product_id", "quantity"))
    if placed != {(line.product.pk, line.quantity) for line in lines}:
        raise Conflict(
            f"This order form already placed order {earlier.number}, with other items. "
            "Open the product again to place a new order.",
            code="client_id_reused",
            details={"field": "client_id", "order": earlier.number},
        )
    return earlier


@transaction.atomic
def transition_order(*, actor: User, order: Order, to_status: str) -> Order:
    """Move an order to ``to_status`` if the transition and the actor are allowed.

    Store members ship and deliver; only the buyer cancels, and only a placed
    order. The UPDATE is conditional on the status read, so two people acting
    at once cannot both move the order. Cancelling returns the stock. A move by
    the store tells the buyer (``order.status``), in this transaction: once per
    move, and not at all if it rolls back.
    """
    actor_kind = order_actor(actor, order)
    if actor_kind is None:
        raise PermissionDenied("You cannot change this order.")
    allowed = Order.TRANSITIONS.get(order.status, {})
    if to_status not in allowed:
        current = order.get_status_display().lower()
        raise Conflict(
            f"Order {order.number} is already {current}."
            if to_status == order.status
            else f"An order that is {current} cannot become {to_status}.",
            code="invalid_transition",
        )
    if allowed[to_status] != actor_kind:
        raise PermissionDenied(
            "Only the buyer can cancel an order."
            if to_status == Order.Status.CANCELLED
            else "Only the store's team can ship or deliver an order."
        )
    now = timezone.now()
    timestamp_field = Order.TIMESTAMP_FIELDS[to_status]
    moved = Order.objects.filter(pk=order.pk, status=order.status).update(
        status=to_status, **{timestamp_field: now}
    )
    if not moved:
        raise Conflict("This order changed in the meantime; reload and try again.")
    if to_status == Order.Status.CANCELLED:
        for item in order.items.all():
            Product.objects.filter(pk=item.product_id).update(stock=F("stock") + item.quantity)
    order.status = to_status
    setattr(order, timestamp_field, now)
    if actor_kind == "store":  # a buyer who cancels needs no telling
        _notify_buyer(order, now)
    return order


def _notify_buyer(order: Order, now: datetime) -> None:
    """``order.status`` for the buyer: the order's number, store and new status, and its page.

    Their channel for the type decides how; an email is the notification's own,
    sent after commit.
    """
    status = order.get_status_display().lower()
    notifications.notify(
        order.buyer,
        NotificationType.ORDER_STATUS,
        subject=order,
        text=f"Your order {order.number} from {order.store.name} was {status}",
        link=order.get_absolute_url(),
        now=now,
    )
