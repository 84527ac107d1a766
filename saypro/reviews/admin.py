from django.contrib import admin

from saypro.reviews.models import (
    Answer,
    AnswerRevision,
    ModerationDecision,
    ProductRating,
    Report,
    Review,
    ReviewRevision,
    StoreRating,
)


class ReviewRevisionInline(admin.TabularInline):
    model = ReviewRevision
    extra = 0
    readonly_fields = ["rating", "title", "body", "replaced_at"]
    can_delete = False


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    readonly_fields = ["reporter", "reason", "note", "created_at", "resolved_at"]
    can_delete = False


class DecisionInline(admin.TabularInline):
    model = ModerationDecision
    extra = 0
    readonly_fields = ["actor", "action", "reason", "created_at"]
    can_delete = False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Read-mostly: hide and restore go through the moderation queue, which audits them."""

    list_display = [
        "pk", "product", "store", "author", "rating", "status", "is_answered",
        "deadline_flag", "open_report_count", "published_at",
    ]  # fmt: skip
    list_filter = ["status", "rating", "is_answered", "deadline_flag", "is_verified"]
    search_fields = ["title", "body", "author__email", "product__title", "store__name"]
    raw_id_fields = ["product", "store", "order_item", "author"]
    readonly_fields = [
        "helpful_count",
        "open_report_count",
        "response_due_at",
        "deadline_flagged_at",
    ]
    date_hierarchy = "published_at"
    inlines = [ReviewRevisionInline, ReportInline, DecisionInline]


class AnswerRevisionInline(admin.TabularInline):
    model = AnswerRevision
    extra = 0
    readonly_fields = ["body", "replaced_at"]
    can_delete = False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = [
        "review",
        "store",
        "author",
        "published_at",
        "response_time",
        "withdrawn_at",
        "coach_score",
    ]
    list_filter = [("withdrawn_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "store__name", "author__email"]
    raw_id_fields = ["review", "store", "author"]
    inlines = [AnswerRevisionInline]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["review", "reporter", "reason", "created_at", "resolved_at"]
    list_filter = ["reason", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["note", "reporter__email"]
    raw_id_fields = ["review", "reporter"]


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(admin.ModelAdmin):
    list_display = ["review", "action", "actor", "reason", "created_at"]
    list_filter = ["action"]
    search_fields = ["reason", "actor__email"]
    raw_id_fields = ["review", "actor"]


@admin.register(ProductRating)
class ProductRatingAdmin(admin.ModelAdmin):
    list_display = [
        "product",
        "count",
        "average",
        "stars_5",
        "stars_4",
        "stars_3",
        "stars_2",
        "stars_1",
    ]
    search_fields = ["product__title"]
    raw_id_fields = ["product"]


@admin.register(StoreRating)
class StoreRatingAdmin(admin.ModelAdmin):
    list_display = [
        "store",
        "count",
        "average",
        "stars_5",
        "stars_4",
        "stars_3",
        "stars_2",
        "stars_1",
    ]
    search_fields = ["store__name"]
    raw_id_fields = ["store"]
