from django.contrib import admin

from saypro.catalog.models import Category, Order, OrderItem, Product, Store, StoreMembership


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "position"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]


class MembershipInline(admin.TabularInline):
    model = StoreMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active", "created_at", "external_id"]
    list_filter = ["is_active", "created_at"]
    search_fields = ["name", "slug", "external_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(StoreMembership)
class StoreMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "store", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "store__name"]
    list_select_related = ["user", "store"]
    autocomplete_fields = ["user", "store"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["title", "store", "category", "price", "currency", "stock", "is_active"]
    list_filter = ["is_active", "category__parent", "currency"]
    search_fields = ["title", "description", "external_id", "store__name"]
    list_select_related = ["store", "category"]
    autocomplete_fields = ["store"]
    raw_id_fields = ["category"]


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    raw_id_fields = ["product"]
    readonly_fields = ["title", "unit_price", "quantity"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "buyer", "store", "status", "total", "placed_at"]
    list_filter = ["status", "placed_at"]
    search_fields = ["number", "buyer__email", "store__name"]
    list_select_related = ["buyer", "store"]
    date_hierarchy = "placed_at"
    raw_id_fields = ["buyer", "store"]
    readonly_fields = ["placed_at", "shipped_at", "delivered_at", "cancelled_at"]
    inlines = [OrderItemInline]
