from django.contrib import admin

from saypro.core.admin import ReadOnlyAdmin
from saypro.improvements.models import Plan, Step


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = ["position", "text", "owner", "due_date", "completed_at", "completed_by"]
    readonly_fields = fields
    can_delete = False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    """Read-only for office staff: plans change through the Seller Center or the API, whose
    services enforce the status workflow and the store team's permission."""

    list_display = ["title", "store", "product", "status", "shipped_at", "verdict", "created_at"]
    list_filter = ["status", "verdict", "template"]
    search_fields = ["title", "store__name", "product__title", "suggestion_key"]
    list_select_related = ["store", "product"]
    date_hierarchy = "created_at"
    inlines = [StepInline]
    readonly_fields = [
        field.name for field in Plan._meta.get_fields() if field.concrete and not field.many_to_many
    ] + ["evidence"]
