from django.contrib import admin

from saypro.support.models import CannedReply, DutyShift, Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["code", "subject", "store", "priority", "status", "assignee", "created_at"]
    list_filter = ["status", "priority", "category"]
    search_fields = ["code", "subject", "store__name", "requester__email"]
    readonly_fields = [field.name for field in Ticket._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # tickets are opened through the support pages, which check membership


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "slug", "updated_at"]


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    list_display = ["staff", "starts_at", "ends_at"]
    list_filter = ["staff"]
