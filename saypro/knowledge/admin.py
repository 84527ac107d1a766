"""For lookups only: articles are written on /office/help/ (the services keep the search
text, the "Last updated" date and the cached links in step)."""

from django.contrib import admin

from saypro.core.admin import ReadOnlyAdmin
from saypro.knowledge.models import Article, Category, Feedback


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ["title", "slug", "order"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "kind", "updated_on", "published", "edited_by_office"]
    list_filter = ["category", "kind", "published", "edited_by_office"]
    search_fields = ["title", "slug", "tags"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["article", "user", "helpful", "updated_at"]
    list_filter = ["helpful"]
    search_fields = ["comment", "user__email"]
