"""Read-mostly admin views: campaigns are written through the office pages (the services
validate them and freeze the audience when sending); the admin is for looking up rows."""

from django.contrib import admin

from saypro.campaigns.models import Campaign, CampaignMember, Segment, Variant


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "created_by", "updated_at"]
    search_fields = ["name"]
    readonly_fields = ["rules", "created_by", "created_at", "updated_at"]


class VariantInline(admin.StackedInline):
    model = Variant
    extra = 0
    can_delete = False
    readonly_fields = ["label", "title", "body", "cta_label", "cta_path", "weight"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "channel", "status", "segment", "send_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["name"]
    readonly_fields = [
        "segment",
        "channel",
        "holdout_percent",
        "send_at",
        "status",
        "created_by",
        "created_at",
        "updated_at",
        "sent_at",
    ]
    inlines = [VariantInline]


@admin.register(CampaignMember)
class CampaignMemberAdmin(admin.ModelAdmin):
    list_display = ["campaign", "user", "group", "delivered_at", "opened_at", "clicked_at"]
    list_filter = ["group", "campaign"]
    search_fields = ["user__email", "campaign__name"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "campaign",
        "group",
        "delivered_at",
        "opened_at",
        "clicked_at",
        "dismissed_at",
    ]
