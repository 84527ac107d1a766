"""Admin for messaging's settings-like records only.

Conversations and messages are deliberately not registered: office staff read
a conversation through the moderation queue, which writes an audit record
(``StaffAccess``) every time; the admin would bypass it.
"""

from django.contrib import admin

from saypro.messaging.models import Block, ConversationReport, QuickReply, StaffAccess


@admin.register(QuickReply)
class QuickReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "store", "topic", "usage_count", "updated_at"]
    list_filter = ["topic"]
    search_fields = ["title", "store__name"]


@admin.register(ConversationReport)
class ConversationReportAdmin(admin.ModelAdmin):
    list_display = ["conversation_id", "reporter", "reason", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["conversation", "reporter", "reason", "created_at"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["store", "buyer", "blocked_by", "created_at"]
    list_filter = ["blocked_by"]


@admin.register(StaffAccess)
class StaffAccessAdmin(admin.ModelAdmin):
    list_display = ["conversation_id", "staff", "reason", "accessed_at"]
    readonly_fields = ["conversation", "staff", "reason", "accessed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
