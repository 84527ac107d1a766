"""Load the shipped content (``content/``, read by ``content.load_content``) into the database.

A course's files (``content.Asset``: the images its lessons show, the files its
resources lessons offer) are copied into the media storage when the course is
created, named by their content (``academy/content/<course>/<name>-<hash>.<ext>``),
so loading again, or another database on the same storage, reuses the same file;
the lesson's Markdown points at the stored image. Downloads pass the same checks
as the office's uploads (``authoring.check_resource``).

Practice material (reviews, buyer questions, product sets) is matched by key
and updated to the shipped text. A course is created, published, only when
no course has its slug: once it exists it belongs to the office, whose edits
and whose learners' progress the shipped text never overwrites. One
transaction: a load that fails changes nothing.

The course survey (``create_course_survey``) is not loaded with the content: a
survey is the office's (``surveys.services.create_survey`` needs office staff),
so it is created as an office account by ``saypro academy survey --office
EMAIL`` in a real install and by the demo as the demo office account.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from saypro.academy import content as shipped
from saypro.academy.authoring import check_resource
from saypro.academy.models import (
    Choice,
    Course,
    Lesson,
    MessageScenario,
    Module,
    PracticeReview,
    ProductSet,
    Question,
    Resource,
)
from saypro.accounts.models import User
from saypro.core.errors import ValidationFailed
from saypro.surveys import services as surveys
from saypro.surveys.models import Survey, Trigger

# Review-management and product-improvement education: what the KPI's target counts
# (selectors.participation); the office can mark more courses in the authoring pages.
TARGET_COURSES = ("responding-to-reviews", "feedback-to-better-products")
KINDS = {
    "text": Lesson.Kind.TEXT,
    "exercise": Lesson.Kind.EXERCISE,
    "quiz": Lesson.Kind.QUIZ,
    "resources": Lesson.Kind.RESOURCES,
}
# Asked after a completed course (``tasks.course_completed``): the education satisfaction KPI's
# course answers (analytics.education, "90 % satisfied with the resources").
COURSE_SURVEY = {
    "title": "After a Seller Academy course",
    "question": "How useful was this course for running your store?",
    "comment_prompt": "What would have made the course more useful to you?",
}


@dataclass(frozen=True)
class LoadReport:
    courses_created: int
    courses_kept: int
    lessons: int
    practice_items: int


@transaction.atomic
def load_content(
    content: shipped.Content | None = None, *, now: datetime | None = None
) -> LoadReport:
    content = content or shipped.load_content()
    check_shipped_resources(content)
    now = now or timezone.now()
    reviews = {item.slug: _practice_review(item) for item in content.practice_reviews}
    scenarios = {item.slug: _scenario(item) for item in content.message_scenarios}
    sets = {item.slug: _product_set(item) for item in content.product_sets}
    created = kept = lessons = 0
    for position, course in enumerate(content.courses, start=1):
        if Course.objects.filter(slug=course.slug).exists():
            kept += 1
            continue
        lessons += _create_course(course, position, now, reviews, scenarios, sets)
        created += 1
    return LoadReport(created, kept, lessons, len(reviews) + len(scenarios) + len(sets))


def _practice_review(item: shipped.PracticeReview) -> PracticeReview:
    row, _ = PracticeReview.objects.update_or_create(
        key=item.slug,
        defaults={
            "product": item.product,
            "category": item.category,
            "rating": item.rating,
            "reviewer": item.reviewer,
            "title": item.title,
            "text": item.text,
            "difficulty": item.difficulty,
            "why_hard": item.notes,
            "model_answer": item.model_answer,
        },
    )
    return row


def _scenario(item: shipped.MessageScenario) -> MessageScenario:
    row, _ = MessageScenario.objects.update_or_create(
        key=item.slug,
        defaults={
            "topic": item.topic,
            "product": item.product,
            "buyer": item.buyer,
            "question": item.question,
            "rubric": [
                {"label": rubric.label, "phrases": list(rubric.phrases)} for rubric in item.rubric
            ],
            "model_answer": item.model_answer,
        },
    )
    return row


def _product_set(item: shipped.ProductSet) -> ProductSet:
    row, _ = ProductSet.objects.update_or_create(
        key=item.slug,
        defaults={
            "product": item.product,
            "category": item.category,
            "summary": item.summary,
            "reviews": [{"rating": review.rating, "text": review.text} for review in item.reviews],
            "acceptable_issues": list(item.acceptable_issues),
            "good_plan": list(item.good_plan),
        },
    )
    return row


def _create_course(course: shipped.Course, position: int, now, reviews, scenarios, sets) -> int:
    row = Course.objects.create(
        slug=course.slug,
        title=course.title,
        summary=course.summary,
        description=course.description,
        level=course.level,
        topics=list(course.topics),
        estimated_minutes=course.estimated_minutes,
        required_for_new_stores=course.required_for_new_stores,
        counts_for_target=course.slug in TARGET_COURSES,
        teaches=list(course.recommend_when.coach_guidelines),
        signals=list(course.recommend_when.signals),
        status=Course.Status.PUBLISHED,
        position=position,
        published_at=now,
        created_at=now,
        updated_at=now,
    )
    count = 0
    for module_position, module in enumerate(course.modules, start=1):
        module_row = Module.objects.create(
            course=row, title=module.title, summary=module.summary, position=module_position
        )
        for lesson_position, lesson in enumerate(module.lessons, start=1):
            _create_lesson(module_row, lesson, lesson_position, reviews, scenarios, sets)
            count += 1
    return count


def _create_lesson(module: Module, lesson: shipped.Lesson, position, reviews, scenarios, sets):
    exercise, quiz = lesson.exercise, lesson.quiz
    row = Lesson.objects.create(
        module=module,
        key=lesson.slug,
        title=lesson.title,
        kind=KINDS[lesson.kind],
        summary=lesson.summary,
        body=_with_stored_images(lesson),
        minutes=lesson.minutes,
        exercise_type=exercise.exercise_type if exercise else "",
        product_set=sets[exercise.product_set] if exercise and exercise.product_set else None,
        pass_score=exercise.pass_score if exercise else quiz.pass_mark if quiz else 80,
        teaches=list(lesson.teaches),
        articles=list(lesson.articles),
        position=position,
    )
    for resource in lesson.resources:
        Resource.objects.create(lesson=row, title=resource.title, file=_stored(resource, lesson))
    if exercise:
        row.practice_reviews.set([reviews[slug] for slug in exercise.reviews])
        row.message_scenarios.set([scenarios[slug] for slug in exercise.messages])
    for question_position, question in enumerate(quiz.questions if quiz else (), start=1):
        question_row = Question.objects.create(
            lesson=row, text=question.text, kind=question.kind, position=question_position
        )
        Choice.objects.bulk_create(
            Choice(
                question=question_row,
                text=choice.text,
                is_correct=choice.correct,
                explanation=choice.explanation,
                position=choice_position,
            )
            for choice_position, choice in enumerate(question.choices, start=1)
        )


def _stored(asset: shipped.Asset, lesson: shipped.Lesson) -> str:
    """The name of the course's file in the media storage, saved there unless it is already."""
    data = asset.path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    name = f"academy/content/{lesson.course}/{asset.path.stem}-{digest}{asset.path.suffix}"
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(data))


def _with_stored_images(lesson: shipped.Lesson) -> str:
    """The lesson's Markdown with each of its image files pointing at the stored copy."""
    body = lesson.body
    for image in lesson.images:
        url = default_storage.url(_stored(image, lesson))
        body = body.replace(f"]({image.reference}", f"]({url}")
    return body


def check_shipped_resources(content: shipped.Content) -> None:
    """Every shipped download passes the checks of the office's uploads; ContentError names
    the first that does not."""
    for course in content.courses:
        for lesson in course.lessons:
            for resource in lesson.resources:
                with resource.path.open("rb") as handle:
                    try:
                        check_resource(File(handle, name=resource.path.name))
                    except ValidationFailed as error:
                        raise shipped.ContentError(resource.path, "", error.message) from error


def create_course_survey(*, actor: User, now: datetime | None = None) -> Survey | None:
    """The active course-completed satisfaction survey (1–5, with a comment), asked to every
    seller who completes a course; None when a course-completed survey exists already (the
    office's, active or not, is left as it is). Only office staff (PermissionDenied)."""
    return surveys.create_follow_up_survey(
        actor=actor, trigger=Trigger.COURSE_COMPLETED, **COURSE_SURVEY, now=now
    )
