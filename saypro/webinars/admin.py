"""Read-mostly admin: writes go through the office pages, which run the services."""

from django.contrib import admin

from saypro.webinars.models import Registration, Series, Session


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "rule_text", "is_active"]
    readonly_fields = [field.name for field in Series._meta.fields]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "capacity", "status"]
    list_filter = ["status", "format"]
    readonly_fields = [field.name for field in Session._meta.fields]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["session", "user", "status", "attended", "created_at"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in Registration._meta.fields]
