"""Prompts are edited in the office page (/office/engagement/), which validates every
rule; the admin shows them and their events read-only for support and audits."""

from django.contrib import admin

from saypro.core.admin import ReadOnlyAdmin
from saypro.engagement.models import Prompt, PromptEvent, TutorialProgress


@admin.register(Prompt)
class PromptAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "placement", "audience", "is_active", "priority", "ends_at"]
    list_filter = ["placement", "audience", "is_active"]
    search_fields = ["name", "title", "text", "code"]


@admin.register(PromptEvent)
class PromptEventAdmin(ReadOnlyAdmin):
    list_display = ["prompt", "kind", "user", "store", "product", "at"]
    list_filter = ["kind", "prompt"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "store", "product"]
    date_hierarchy = "at"


@admin.register(TutorialProgress)
class TutorialProgressAdmin(ReadOnlyAdmin):
    list_display = ["user", "tutorial", "started_at", "last_step", "completed_at", "skipped_at"]
    list_filter = ["tutorial"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
