from django.contrib import admin

from saypro.surveys.models import Invitation, Response, Round, Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Surveys are made and edited on the office's survey pages; here for lookups."""

    list_display = ["title", "trigger", "kind", "audience", "sample_percent", "is_active"]
    list_filter = ["trigger", "kind", "audience", "is_active"]
    search_fields = ["title", "question"]
    raw_id_fields = ["created_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["survey", "user", "created_at", "shown_at", "answered_at", "dismissed_at"]
    list_filter = ["survey"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "survey"]
    readonly_fields = ["token", "subject_type", "subject_id"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "score", "sentiment", "created_at"]
    list_filter = ["survey", "sentiment"]
    search_fields = ["comment"]
    raw_id_fields = ["invitation", "survey"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["survey", "period_start", "period_end", "created_at"]
    list_filter = ["survey"]
