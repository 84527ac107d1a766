"""Admin pieces shared by the apps (this module registers nothing)."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed for reference and audits: every write goes through its service (which checks it
    and keeps its record), so the admin adds, changes and deletes nothing."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
