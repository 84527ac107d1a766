"""The office edits earning rules, badge thresholds and rewards here; the ledger, awards and
redemptions are read-only (points change only through services: a correction is a new entry).
"""

from django.contrib import admin

from saypro.core.admin import ReadOnlyAdmin
from saypro.rewards.models import (
    Badge,
    BadgeAward,
    EarningRule,
    PointsEntry,
    Redemption,
    Reward,
)


@admin.register(EarningRule)
class EarningRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "audience", "points", "daily_cap", "is_active"]
    list_editable = ["points", "daily_cap", "is_active"]
    list_filter = ["audience", "is_active"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False  # each rule is applied by code: new ones come with the code, by migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "audience", "kind", "min_rate", "min_count", "window_days"]
    list_editable = ["min_rate", "min_count", "window_days"]
    list_filter = ["audience", "is_active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: awards and their history stay


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["name", "cost", "percent_off", "amount_off", "stock", "is_active", "ends_at"]
    list_filter = ["is_active", "kind"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: redemptions keep pointing at it


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "points", "reason", "rule", "note"]
    list_filter = ["reason", "rule"]
    search_fields = ["user__email", "note"]
    date_hierarchy = "created_at"


@admin.register(BadgeAward)
class BadgeAwardAdmin(ReadOnlyAdmin):
    list_display = ["badge", "store", "user", "earned_at", "lost_at", "rate", "count"]
    list_filter = ["badge"]
    search_fields = ["store__name", "user__email"]


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdmin):
    list_display = ["code", "user", "reward", "issued_at", "expires_at", "used_at"]
    list_filter = ["reward"]
    search_fields = ["code", "user__email"]
