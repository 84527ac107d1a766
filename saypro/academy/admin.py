"""The Academy in the admin: courses with their modules, lessons with questions and choices.

Lessons are retired, not deleted, once anyone has started them (the delete
action refuses: ``Lesson.progress`` protects them).
"""

from django.contrib import admin

from saypro.academy.models import (
    Certificate,
    Choice,
    Course,
    Enrolment,
    Lesson,
    Module,
    PracticeReview,
    Question,
    Resource,
    SuccessStory,
)


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["position", "title", "summary"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "level", "required_for_new_stores", "position"]
    list_filter = ["status", "level", "required_for_new_stores"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ModuleInline]


class ResourceInline(admin.TabularInline):
    model = Resource
    extra = 0


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    show_change_link = True


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "kind", "position", "retired_at"]
    list_filter = ["kind", "module__course"]
    search_fields = ["title", "body"]
    filter_horizontal = ["practice_reviews"]
    inlines = [ResourceInline, QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "lesson", "kind", "position"]
    inlines = [ChoiceInline]


@admin.register(PracticeReview)
class PracticeReviewAdmin(admin.ModelAdmin):
    list_display = ["key", "product", "rating", "difficulty"]
    list_filter = ["difficulty", "rating"]
    search_fields = ["key", "product", "text"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "enrolled_at", "completed_at"]
    list_filter = ["course"]
    raw_id_fields = ["user", "last_lesson"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # learners' progress changes only through the Academy


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "holder_name", "course_title", "issued_at"]
    search_fields = ["code", "holder_name"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SuccessStory)
class SuccessStoryAdmin(admin.ModelAdmin):
    list_display = ["title", "store", "status", "featured", "published_at"]
    list_filter = ["status", "featured"]
    raw_id_fields = ["store", "plan"]
