"""Admin for messaging's settings-like records only.

Conversations and messages are deliberately not registered: office staff read
a conversation through the moderation queue, which writes an audit record
(``StaffAccess``) every time; the admin would bypass it.
"""

from django.contrib import admin

from saypro.core.admin import ReadOnlyAdmin
from saypro.messaging.models import Block, ConversationReport, QuickReply, StaffAccess


@admin.register(QuickReply)
class QuickReplyAdmin(ReadOnlyAdmin):
    """Stores manage their replies in the Seller Center, where the service checks the
    variables, the lengths and that no other reply of the store has the same title."""

    list_display = ["title", "store", "topic", "usage_count", "updated_at"]
    list_filter = ["topic"]
    search_fields = ["title", "store__name"]


@admin.register(ConversationReport)
class ConversationReportAdmin(ReadOnlyAdmin):
    """Reports are resolved in the office queue, which records who resolved them and how."""

    list_display = ["conversation_id", "reporter", "reason", "status", "resolved_by", "created_at"]
    list_filter = ["status"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    """People's blocks and the office's pauses (``until``); an admin may lift a pause early by
    deleting it."""

    list_display = ["store", "buyer", "blocked_by", "until", "created_at"]
    list_filter = ["blocked_by"]


@admin.register(StaffAccess)
class StaffAccessAdmin(ReadOnlyAdmin):
    list_display = ["conversation_id", "staff", "reason", "accessed_at"]
