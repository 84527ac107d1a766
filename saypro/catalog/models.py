"""Stores, their products, and the orders buyers place with them.

Orders come from the marketplace's checkout; here an order is the record that
later domains rely on (verified purchases for reviews, "message → purchase"
for KPIs). Status moves only forward through ``Order.TRANSITIONS``, each step
timestamped.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Category(models.Model):
    """A node of the category tree (a top-level department and its sub-categories)."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="category_unique_name_in_parent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class Store(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True)
    logo = models.ImageField(upload_to="stores/logos/", blank=True)
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="StoreMembership", related_name="stores"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:store", kwargs={"slug": self.slug})


class StoreMembership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        AGENT = "agent", "Agent"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.AGENT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["store__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["store", "user"], name="membership_unique_store_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.store}"


class Product(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    price = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(max_length=3, default="ZAR")
    stock = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["is_active", "category"]),
            models.Index(fields=["store", "is_active"]),
            models.Index(fields=["price"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:product", kwargs={"pk": self.pk})


class Order(models.Model):
    class Status(models.TextChoices):
        PLACED = "placed", "Placed"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

    # status -> the statuses it may move to, and who may move it there.
    TRANSITIONS: dict[str, dict[str, str]] = {
        Status.PLACED: {Status.SHIPPED: "store", Status.CANCELLED: "buyer"},
        Status.SHIPPED: {Status.DELIVERED: "store"},
        Status.DELIVERED: {},
        Status.CANCELLED: {},
    }
    # the column that records when an order reached each status
    TIMESTAMP_FIELDS = {
        Status.PLACED: "placed_at",
        Status.SHIPPED: "shipped_at",
        Status.DELIVERED: "delivered_at",
        Status.CANCELLED: "cancelled_at",
    }

    number = models.CharField(max_length=20, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLACED)
    total = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="Snapshot of the items' total when placed."
    )
    currency = models.CharField(max_length=3, default="ZAR")
    placed_at = models.DateTimeField(default=timezone.now)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The buyer's idempotency key: a resubmitted order form or a retried API call with the same
    # key returns this order. NULL, not "": NULLs never collide in the unique key.
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    is_imported = models.BooleanField(
        default=False, help_text="Created by an importer to carry imported reviews, not a sale."
    )

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "client_id"], name="catalog_one_order_per_client_id"
            )
        ]
        indexes = [
            models.Index(fields=["buyer", "-placed_at"]),
            models.Index(fields=["store", "status", "-placed_at"]),
            models.Index(fields=["placed_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("catalog:order", kwargs={"number": self.number})

    def next_statuses(self, actor: str) -> list[str]:
        """Statuses this order may move to when ``actor`` ("store" or "buyer") acts."""
        return [
            status
            for status, allowed_actor in self.TRANSITIONS[self.status].items()
            if allowed_actor == actor
        ]


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items")
    title = models.CharField(max_length=160, help_text="Product title when ordered.")
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="order_item_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity
