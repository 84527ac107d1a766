from django.contrib import admin

from saypro.consultations.models import Booking, Expert, Slot, Topic, WeeklyAvailability


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "duration_minutes", "is_active"]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["user", "time_zone", "is_active"]


@admin.register(WeeklyAvailability)
class WeeklyAvailabilityAdmin(admin.ModelAdmin):
    list_display = ["expert", "weekday", "start_time", "end_time", "slot_minutes"]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["expert", "starts_at", "ends_at", "removed_at"]
    list_filter = ["expert"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    # The expert's private notes are not listed: admins open a booking to read them.
    list_display = ["topic", "seller", "store", "slot", "status", "created_at"]
    list_filter = ["status", "topic"]
    raw_id_fields = ["slot", "seller", "store", "rescheduled_from", "cancelled_by"]
