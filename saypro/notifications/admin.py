from django.contrib import admin

from saypro.notifications.models import (
    DefaultPreference,
    EmailDelivery,
    Notification,
    NotificationSettings,
)


@admin.register(DefaultPreference)
class DefaultPreferenceAdmin(admin.ModelAdmin):
    """The office's default channel per type; people who chose nothing get these."""

    list_display = ["type", "channel"]
    list_editable = ["channel"]
    list_display_links = ["type"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "type", "channel", "text", "count", "updated_at", "read_at"]
    list_filter = ["type", "channel"]
    search_fields = ["recipient__email", "text"]
    raw_id_fields = ["recipient", "digest"]
    readonly_fields = ["subject_type", "subject_id", "coalesce_key", "created_at", "updated_at"]


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    """Every notification email: failed ones show their last error here."""

    list_display = ["pk", "recipient", "kind", "status", "attempts", "send_after", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email", "last_error"]
    raw_id_fields = ["recipient", "notification"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "time_zone", "quiet_hours_start", "quiet_hours_end", "digest_frequency"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
