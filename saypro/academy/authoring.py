"""Every write of the office's Academy authoring: courses, modules, lessons, quizzes, stories.

Only office staff author (``_require_office``). Each function validates its
input and runs in one transaction, so a refused call (an ``ApplicationError``)
changes nothing.

Revising a published course never costs a learner anything:

- a lesson keeps its ``key`` (and its id) through every edit, so progress,
  attempts and certificates stay attached to it;
- removing a lesson someone started *retires* it (``retired_at``) instead of
  deleting it; it leaves the outline and is no longer required;
- a lesson's kind (and exercise type) cannot change once someone started it
  (a completion would then mean something else);
- a lesson added later never takes a completion or certificate away
  (``services._finish`` only ever adds one);
- a published course cannot go back to draft while anyone is enrolled: their
  "Continue" would lead nowhere. The office revises it in place instead, and
  records what changed (``add_revision``: "Revised on …: …" on the course page).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from saypro.academy.models import (
    SUMMARY_MAX_LENGTH,
    Choice,
    Course,
    Lesson,
    LessonProgress,
    Level,
    MessageScenario,
    Module,
    PracticeReview,
    ProductSet,
    Question,
    Resource,
    Revision,
    Signal,
    SuccessStory,
)
from saypro.accounts.models import User
from saypro.catalog.models import Store
from saypro.coaching.guidelines.base import GUIDELINES
from saypro.core.errors import Conflict, PermissionDenied, ValidationFailed
from saypro.improvements.models import Plan

VIDEO_MAX_BYTES = 200 * 1024 * 1024
RESOURCE_MAX_BYTES = 20 * 1024 * 1024
MAX_CHOICES = 8

# Video hosts whose pages we can embed, and the embed address of a video id on each.
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def can_author(user: User) -> bool:
    return bool(user.is_authenticated and user.is_office_staff)


def _require_office(actor: User) -> None:
    if not can_author(actor):
        raise PermissionDenied("Only the marketplace office edits the Academy.")


def _text(value: str, label: str, *, field: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(f"{label} is required.", details={"field": field})
    if len(value) > max_length:
        raise ValidationFailed(
            f"{label} takes at most {max_length} characters.", details={"field": field}
        )
    return value


# --- Courses ---------------------------------------------------------------------------


@dataclass
class CourseInput:
    title: str
    summary: str
    slug: str = ""
    description: str = ""
    level: str = Level.BEGINNER
    topics: Sequence[str] = ()
    estimated_minutes: int = 0
    required_for_new_stores: bool = False
    counts_for_target: bool = False
    teaches: Sequence[str] = ()
    signals: Sequence[str] = ()


def _course_fields(data: CourseInput) -> dict:
    if data.level not in Level.values:
        raise ValidationFailed("Choose a level.", details={"field": "level"})
    unknown = [value for value in data.signals if value not in Signal.values]
    if unknown:
        raise ValidationFailed("Unknown recommendation signal.", details={"field": "signals"})
    if any(key not in GUIDELINES for key in data.teaches):
        raise ValidationFailed("Unknown coach guideline.", details={"field": "teaches"})
    return {
        "title": _text(data.title, "A title", field="title", max_length=160),
        "summary": _text(data.summary, "A summary", field="summary", max_length=400),
        "description": (data.description or "").strip(),
        "level": data.level,
        "topics": [topic.strip() for topic in data.topics if topic.strip()],
        "estimated_minutes": max(0, int(data.estimated_minutes or 0)),
        "required_for_new_stores": bool(data.required_for_new_stores),
        "counts_for_target": bool(data.counts_for_target),
        "teaches": list(data.teaches),
        "signals": list(data.signals),
    }


@transaction.atomic
def create_course(actor: User, data: CourseInput, *, now: datetime | None = None) -> Course:
    """A new draft course, last in the catalog's order."""
    _require_office(actor)
    now = now or timezone.now()
    fields = _course_fields(data)
    slug = slugify(data.slug or data.title)[:80]
    if not slug:
        raise ValidationFailed("Give the course an address (slug).", details={"field": "slug"})
    if Course.objects.filter(slug=slug).exists():
        raise Conflict(f"A course already uses the address “{slug}”.", details={"field": "slug"})
    position = (Course.objects.aggregate(top=Max("position"))["top"] or 0) + 1
    return Course.objects.create(
        slug=slug, position=position, created_at=now, updated_at=now, **fields
    )


@transaction.atomic
def update_course(
    actor: User, course: Course, data: CourseInput, *, now: datetime | None = None
) -> Course:
    """Edit a course's details; a published course keeps its address (learners' links)."""
    _require_office(actor)
    course = Course.objects.select_for_update().get(pk=course.pk)
    fields = _course_fields(data)
    slug = slugify(data.slug or course.slug)[:80]
    if slug != course.slug:
        if course.is_published:
            raise Conflict(
                "A published course keeps its address: learners and links use it.",
                details={"field": "slug"},
            )
        if Course.objects.filter(slug=slug).exclude(pk=course.pk).exists():
            raise Conflict(
                f"A course already uses the address “{slug}”.", details={"field": "slug"}
            )
        fields["slug"] = slug
    for name, value in fields.items():
        setattr(course, name, value)
    course.updated_at = now or timezone.now()
    course.save()
    return course


def publication_problems(course: Course) -> list[str]:
    """What stops the course from being published (empty when it can be)."""
    problems = []
    lessons = list(
        Lesson.objects.filter(module__course=course, retired_at__isnull=True)
        .select_related("product_set")
        .prefetch_related("questions__choices", "practice_reviews", "message_scenarios")
    )
    if not lessons:
        problems.append("Add at least one module with a lesson.")
    for lesson in lessons:
        name = f"“{lesson.title}”"
        if lesson.kind == Lesson.Kind.QUIZ:
            questions = list(lesson.questions.all())
            if not questions:
                problems.append(f"The quiz {name} has no questions.")
            for number, question in enumerate(questions, start=1):
                if not any(choice.is_correct for choice in question.choices.all()):
                    problems.append(f"Question {number} of {name} has no correct answer.")
        elif lesson.kind == Lesson.Kind.EXERCISE:
            if not _has_items(lesson):
                problems.append(f"The exercise {name} has no practice items.")
        elif lesson.kind == Lesson.Kind.VIDEO and not (lesson.video_file or lesson.video_url):
            problems.append(f"The video lesson {name} has no video.")
        elif lesson.kind == Lesson.Kind.RESOURCES and not lesson.resources.exists():
            problems.append(f"The resources lesson {name} has no files.")
    return problems


def _has_items(lesson: Lesson) -> bool:
    if lesson.exercise_type == Lesson.ExerciseType.REVIEW_ANSWER:
        return lesson.practice_reviews.exists()
    if lesson.exercise_type == Lesson.ExerciseType.MESSAGE_REPLY:
        return lesson.message_scenarios.exists()
    if lesson.exercise_type == Lesson.ExerciseType.ACTION_PLAN:
        return lesson.product_set_id is not None
    return False


@transaction.atomic
def publish(actor: User, course: Course, *, now: datetime | None = None) -> Course:
    _require_office(actor)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.is_published:
        return course
    problems = publication_problems(course)
    if problems:
        raise ValidationFailed(
            "The course cannot be published yet: " + " ".join(problems),
            code="not_ready",
            details={"problems": problems},
        )
    now = now or timezone.now()
    course.status, course.updated_at = Course.Status.PUBLISHED, now
    course.published_at = course.published_at or now
    course.save(update_fields=["status", "published_at", "updated_at"])
    return course


@transaction.atomic
def unpublish(actor: User, course: Course, *, now: datetime | None = None) -> Course:
    """Back to draft, only while no one is enrolled (their progress would lead nowhere)."""
    _require_office(actor)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.enrolments.exists():
        raise Conflict(
            "Learners are enrolled in this course, so it stays published: revise it instead.",
            code="has_learners",
        )
    course.status, course.updated_at = Course.Status.DRAFT, now or timezone.now()
    course.save(update_fields=["status", "updated_at"])
    return course


@transaction.atomic
def add_revision(
    actor: User, course: Course, note: str, *, now: datetime | None = None
) -> Revision:
    """Tell learners what changed in a published course ("Revised on …: …")."""
    _require_office(actor)
    if not course.is_published:
        raise Conflict("Revision notes are for published courses: drafts change freely.")
    note = _text(note, "The note", field="note", max_length=SUMMARY_MAX_LENGTH)
    now = now or timezone.now()
    Course.objects.filter(pk=course.pk).update(updated_at=now)
    return Revision.objects.create(course=course, note=note, author=actor, created_at=now)


# --- Modules ---------------------------------------------------------------------------


@transaction.atomic
def add_module(actor: User, course: Course, title: str, summary: str = "") -> Module:
    _require_office(actor)
    position = (course.modules.aggregate(top=Max("position"))["top"] or 0) + 1
    return Module.objects.create(
        course=course,
        title=_text(title, "A title", field="title", max_length=160),
        summary=_text(summary, "The summary", field="summary", max_length=400, required=False),
        position=position,
    )


@transaction.atomic
def update_module(actor: User, module: Module, title: str, summary: str = "") -> Module:
    _require_office(actor)
    module.title = _text(title, "A title", field="title", max_length=160)
    module.summary = _text(summary, "The summary", field="summary", max_length=400, required=False)
    module.save(update_fields=["title", "summary"])
    return module


def _move(rows: list, row, step: int) -> None:
    """Renumber ``rows`` 1..n with ``row`` moved ``step`` places (clamped at the ends)."""
    index = next(i for i, item in enumerate(rows) if item.pk == row.pk)
    target = min(max(index + step, 0), len(rows) - 1)
    rows.insert(target, rows.pop(index))
    for position, item in enumerate(rows, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def move_module(actor: User, module: Module, step: int) -> None:
    """Move a module up (-1) or down (+1) in its course."""
    _require_office(actor)
    Course.objects.select_for_update().filter(pk=module.course_id).first()
    _move(
        list(Module.objects.filter(course_id=module.course_id).order_by("position", "pk")),
        module,
        step,
    )


@transaction.atomic
def delete_module(actor: User, module: Module) -> None:
    """Only an empty module goes (retired lessons included: they keep learners' history)."""
    _require_office(actor)
    if module.lessons.exists():
        raise Conflict("Move or remove the module's lessons first.", code="module_not_empty")
    module.delete()


# --- Lessons ---------------------------------------------------------------------------


@dataclass
class LessonInput:
    title: str
    kind: str = Lesson.Kind.TEXT
    summary: str = ""
    body: str = ""
    minutes: int = 5
    video_url: str = ""
    exercise_type: str = ""
    pass_score: int = 80


def embed_url(url: str) -> str | None:
    """The embeddable player address of a YouTube or Vimeo video page; None for anything else."""
    parts = urlsplit((url or "").strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https"):
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    video_id = ""
    if host in YOUTUBE_HOSTS:
        if host == "youtu.be" and segments:
            video_id = segments[0]
        elif segments[:1] == ["watch"]:
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "live"):
            video_id = segments[1]
        if video_id.replace("-", "").replace("_", "").isalnum() and len(video_id) <= 20:
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
        return None
    if host in VIMEO_HOSTS:
        numbers = [segment for segment in segments if segment.isdigit()]
        return f"https://player.vimeo.com/video/{numbers[0]}" if numbers else None
    return None


def _lesson_fields(data: LessonInput) -> dict:
    if data.kind not in Lesson.Kind.values:
        raise ValidationFailed("Choose the kind of lesson.", details={"field": "kind"})
    exercise_type = data.exercise_type if data.kind == Lesson.Kind.EXERCISE else ""
    if data.kind == Lesson.Kind.EXERCISE and exercise_type not in Lesson.ExerciseType.values:
        raise ValidationFailed("Choose the kind of exercise.", details={"field": "exercise_type"})
    if not 0 < int(data.pass_score) <= 100:
        raise ValidationFailed(
            "The pass mark is a per cent from 1 to 100.", details={"field": "pass_score"}
        )
    video_url = (data.video_url or "").strip() if data.kind == Lesson.Kind.VIDEO else ""
    if video_url and embed_url(video_url) is None:
        raise ValidationFailed(
            "Use the address of a YouTube or Vimeo video (or upload the file).",
            details={"field": "video_url"},
        )
    return {
        "title": _text(data.title, "A title", field="title", max_length=160),
        "kind": data.kind,
        "summary": _text(
            data.summary, "The summary", field="summary", max_length=400, required=False
        ),
        "body": (data.body or "").strip(),
        "minutes": max(1, int(data.minutes or 1)),
        "video_url": video_url,
        "exercise_type": exercise_type,
        "pass_score": int(data.pass_score),
    }


def _new_key(course_id: int, title: str) -> str:
    base = slugify(title)[:70] or "lesson"
    taken = set(Lesson.objects.filter(module__course_id=course_id).values_list("key", flat=True))
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


@transaction.atomic
def add_lesson(actor: User, module: Module, data: LessonInput) -> Lesson:
    """A new lesson at the end of ``module``, with a key unique in the course (kept forever)."""
    _require_office(actor)
    fields = _lesson_fields(data)
    position = (module.lessons.aggregate(top=Max("position"))["top"] or 0) + 1
    return Lesson.objects.create(
        module=module, key=_new_key(module.course_id, fields["title"]), position=position, **fields
    )


@transaction.atomic
def update_lesson(
    actor: User, lesson: Lesson, data: LessonInput, *, video: UploadedFile | None = None
) -> Lesson:
    """Edit a lesson in place: its key and id stay, so learners' progress stays with it."""
    _require_office(actor)
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    fields = _lesson_fields(data)
    changes_task = (fields["kind"], fields["exercise_type"]) != (lesson.kind, lesson.exercise_type)
    if changes_task and LessonProgress.objects.filter(lesson=lesson).exists():
        raise Conflict(
            "Learners started this lesson, so its kind stays: add a new lesson instead.",
            details={"field": "kind"},
        )
    for name, value in fields.items():
        setattr(lesson, name, value)
    if video is not None:
        if lesson.kind != Lesson.Kind.VIDEO:
            raise ValidationFailed("Only a video lesson takes a video file.")
        check_video(video)
        lesson.video_file = video
        lesson.video_url = ""
    elif lesson.video_url or lesson.kind != Lesson.Kind.VIDEO:
        lesson.video_file = ""
    lesson.save()
    return lesson


@transaction.atomic
def move_lesson(actor: User, lesson: Lesson, step: int) -> None:
    """Move a lesson up (-1) or down (+1) within its module."""
    _require_office(actor)
    Module.objects.select_for_update().filter(pk=lesson.module_id).first()
    _move(
        list(Lesson.objects.filter(module_id=lesson.module_id).order_by("position", "pk")),
        lesson,
        step,
    )


@transaction.atomic
def move_lesson_to(actor: User, lesson: Lesson, module: Module) -> Lesson:
    """Move a lesson to the end of another module of the same course."""
    _require_office(actor)
    if module.course_id != lesson.module.course_id:
        raise ValidationFailed("A lesson moves only between modules of its course.")
    if module.pk == lesson.module_id:
        return lesson
    lesson.module = module
    lesson.position = (module.lessons.aggregate(top=Max("position"))["top"] or 0) + 1
    lesson.save(update_fields=["module", "position"])
    return lesson


@transaction.atomic
def remove_lesson(actor: User, lesson: Lesson, *, now: datetime | None = None) -> str:
    """Delete a lesson no one started; retire one that anyone did. Returns what happened."""
    _require_office(actor)
    if LessonProgress.objects.filter(lesson=lesson).exists():
        if lesson.retired_at is None:
            lesson.retired_at = now or timezone.now()
            lesson.save(update_fields=["retired_at"])
        return "retired"
    lesson.delete()
    return "deleted"


@transaction.atomic
def restore_lesson(actor: User, lesson: Lesson) -> Lesson:
    """Bring a retired lesson back; completions and certificates already issued stay."""
    _require_office(actor)
    lesson.retired_at = None
    lesson.save(update_fields=["retired_at"])
    return lesson


# --- Uploads: the type comes from the content, not the name ------------------------------


def _head(upload: UploadedFile, size: int = 4096) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _extension(upload: UploadedFile) -> str:
    name = upload.name or ""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_video(upload: UploadedFile) -> str:
    """MP4 (and QuickTime), WebM or Ogg, by their signature; the type name."""
    if upload.size > VIDEO_MAX_BYTES:
        raise ValidationFailed("A video may be at most 200 MB.", details={"field": "video_file"})
    head = _head(upload, 16)
    if head[4:8] == b"ftyp":
        kind = "mp4"
    elif head.startswith(b"\x1a\x45\xdf\xa3"):
        kind = "webm"
    elif head.startswith(b"OggS"):
        kind = "ogg"
    else:
        raise ValidationFailed(
            "That file is not an MP4, WebM or Ogg video.", details={"field": "video_file"}
        )
    return kind


RESOURCE_TYPES = {  # detected type -> file name extensions that go with it
    "pdf": {"pdf"},
    "png": {"png"},
    "jpeg": {"jpg", "jpeg"},
    "zip": {"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp"},
    "text": {"txt", "csv", "md"},
}


def check_resource(upload: UploadedFile) -> str:
    """A PDF, image, office document (zip) or plain text, by content, named to match."""
    if upload.size > RESOURCE_MAX_BYTES:
        raise ValidationFailed("A file may be at most 20 MB.", details={"field": "file"})
    head = _head(upload)
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"PK\x03\x04"):
        kind = "zip"
    else:
        kind = "text" if head and b"\x00" not in head and _is_utf8(head) else ""
    if not kind or _extension(upload) not in RESOURCE_TYPES[kind]:
        raise ValidationFailed(
            "Upload a PDF, PNG or JPEG image, office document or plain text file, named "
            "for what it is.",
            details={"field": "file"},
        )
    return kind


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:  # a character cut at the sample's end is fine
        return error.start >= len(head) - 3
    return True


@transaction.atomic
def add_resource(actor: User, lesson: Lesson, title: str, upload: UploadedFile) -> Resource:
    _require_office(actor)
    if lesson.kind != Lesson.Kind.RESOURCES:
        raise ValidationFailed("Files to download go in a resources lesson.")
    title = _text(title, "A title", field="title", max_length=160)
    check_resource(upload)
    return Resource.objects.create(lesson=lesson, title=title, file=upload)


def _locked_lesson(pk: int) -> Lesson:
    """The lesson, locked, so two removals cannot both take what a learner needs."""
    return Lesson.objects.select_for_update().select_related("module__course").get(pk=pk)


def _learners_see(lesson: Lesson) -> bool:
    """Whether learners take ``lesson`` now: a current lesson of a published course."""
    return lesson.retired_at is None and lesson.module.course.is_published


@transaction.atomic
def remove_resource(actor: User, resource: Resource) -> None:
    """Remove a file; a published resources lesson keeps at least one (learners open it)."""
    _require_office(actor)
    lesson = _locked_lesson(resource.lesson_id)
    if _learners_see(lesson) and lesson.resources.count() <= 1:
        raise Conflict(
            "Learners take this lesson, so it keeps at least one file: add the new file first, "
            "then remove this one.",
            code="last_resource",
        )
    resource.delete()


# --- Quizzes and exercises -------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceInput:
    text: str
    is_correct: bool
    explanation: str


@transaction.atomic
def save_question(
    actor: User,
    lesson: Lesson,
    *,
    text: str,
    kind: str,
    choices: Sequence[ChoiceInput],
    question: Question | None = None,
) -> Question:
    """Add a question to a quiz, or replace one's text and choices.

    Every choice needs an explanation (why it is right or wrong); a
    one-answer question has exactly one correct choice, a several-answer one
    at least one. Past attempts keep their own record of what was chosen.
    """
    _require_office(actor)
    if lesson.kind != Lesson.Kind.QUIZ:
        raise ValidationFailed("Questions belong to a quiz.")
    text = _text(text, "The question", field="text", max_length=2000)
    if kind not in Question.Kind.values:
        raise ValidationFailed("Choose one answer or several.", details={"field": "kind"})
    choices = [choice for choice in choices if (choice.text or "").strip()]
    if not 2 <= len(choices) <= MAX_CHOICES:
        raise ValidationFailed(f"Give between 2 and {MAX_CHOICES} answers to choose from.")
    if any(not (choice.explanation or "").strip() for choice in choices):
        raise ValidationFailed("Explain every answer: why it is right, or why it is wrong.")
    correct = sum(bool(choice.is_correct) for choice in choices)
    if kind == Question.Kind.SINGLE and correct != 1:
        raise ValidationFailed("A one-answer question has exactly one correct answer.")
    if correct == 0:
        raise ValidationFailed("Mark at least one answer correct.")
    if question is None:
        position = (lesson.questions.aggregate(top=Max("position"))["top"] or 0) + 1
        question = Question.objects.create(lesson=lesson, text=text, kind=kind, position=position)
    else:
        if question.lesson_id != lesson.pk:
            raise ValidationFailed("That question belongs to another quiz.")
        question.text, question.kind = text, kind
        question.save(update_fields=["text", "kind"])
        question.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(
            question=question,
            text=_text(choice.text, "An answer", field="choices", max_length=400),
            is_correct=bool(choice.is_correct),
            explanation=choice.explanation.strip(),
            position=position,
        )
        for position, choice in enumerate(choices, start=1)
    )
    return question


@transaction.atomic
def remove_question(actor: User, question: Question) -> None:
    """Remove a question; a published quiz keeps at least one (else no learner could pass it)."""
    _require_office(actor)
    lesson = _locked_lesson(question.lesson_id)
    if _learners_see(lesson) and lesson.questions.count() <= 1:
        raise Conflict(
            "Learners take this quiz, so it keeps at least one question: add the new question "
            "first, then remove this one.",
            code="last_question",
        )
    question.delete()


@transaction.atomic
def set_practice_items(
    actor: User,
    lesson: Lesson,
    *,
    reviews: Iterable[PracticeReview] = (),
    scenarios: Iterable[MessageScenario] = (),
    product_set: ProductSet | None = None,
) -> Lesson:
    """Pick the exercise's items from the practice bank (only its type's kind is kept)."""
    _require_office(actor)
    if lesson.kind != Lesson.Kind.EXERCISE:
        raise ValidationFailed("Practice items belong to an exercise.")
    kind = lesson.exercise_type
    lesson.practice_reviews.set(list(reviews) if kind == Lesson.ExerciseType.REVIEW_ANSWER else [])
    lesson.message_scenarios.set(
        list(scenarios) if kind == Lesson.ExerciseType.MESSAGE_REPLY else []
    )
    lesson.product_set = product_set if kind == Lesson.ExerciseType.ACTION_PLAN else None
    lesson.save(update_fields=["product_set"])
    if not _has_items(lesson):
        raise ValidationFailed("Pick at least one practice item for this exercise.")
    return lesson


# --- Success stories -------------------------------------------------------------------


@dataclass
class StoryInput:
    title: str
    store: Store | None
    summary: str
    body: str
    slug: str = ""
    plan: Plan | None = None
    quote: str = ""
    quote_author: str = ""
    featured: bool = False


def _story_fields(data: StoryInput) -> dict:
    if data.store is None:
        raise ValidationFailed("Choose the store the story is about.", details={"field": "store"})
    if data.plan is not None:
        if data.plan.store_id != data.store.pk:
            raise ValidationFailed(
                "The improvement plan must be one of the store's.", details={"field": "plan"}
            )
        if data.plan.status != Plan.Status.MEASURED or not (data.plan.impact or {}).get("ready"):
            raise ValidationFailed(
                "Link a plan once it is measured: the story shows its before and after.",
                details={"field": "plan"},
            )
    quote = (data.quote or "").strip()
    author = _text(
        data.quote_author, "The quote's author", field="quote_author", max_length=120,
        required=bool(quote),
    )  # fmt: skip
    return {
        "title": _text(data.title, "A title", field="title", max_length=160),
        "store": data.store,
        "plan": data.plan,
        "summary": _text(data.summary, "A summary", field="summary", max_length=400),
        "body": _text(data.body, "The story", field="body", max_length=20000),
        "quote": quote,
        "quote_author": author if quote else "",
        "featured": bool(data.featured),
    }


@transaction.atomic
def create_story(actor: User, data: StoryInput, *, now: datetime | None = None) -> SuccessStory:
    """A draft success story."""
    _require_office(actor)
    now = now or timezone.now()
    fields = _story_fields(data)
    slug = slugify(data.slug or data.title)[:80]
    if not slug or SuccessStory.objects.filter(slug=slug).exists():
        raise Conflict(
            "Another story uses that address; change the slug.", details={"field": "slug"}
        )
    return SuccessStory.objects.create(slug=slug, created_at=now, updated_at=now, **fields)


@transaction.atomic
def update_story(
    actor: User, story: SuccessStory, data: StoryInput, *, now: datetime | None = None
) -> SuccessStory:
    _require_office(actor)
    story = SuccessStory.objects.select_for_update().get(pk=story.pk)
    for name, value in _story_fields(data).items():
        setattr(story, name, value)
    story.updated_at = now or timezone.now()
    story.save()
    return story


@transaction.atomic
def publish_story(actor: User, story: SuccessStory, *, now: datetime | None = None) -> SuccessStory:
    """Show the story in the Academy (and, when featured, on sellers' dashboards)."""
    _require_office(actor)
    story = SuccessStory.objects.select_for_update().get(pk=story.pk)
    if story.is_published:
        return story
    # The rules of the form hold for what is saved, but a linked plan may have changed since.
    _story_fields(
        StoryInput(
            title=story.title,
            store=story.store,
            summary=story.summary,
            body=story.body,
            plan=story.plan,
            quote=story.quote,
            quote_author=story.quote_author,
        )
    )
    story.status, story.published_at = SuccessStory.Status.PUBLISHED, now or timezone.now()
    story.save(update_fields=["status", "published_at"])
    return story


@transaction.atomic
def unpublish_story(actor: User, story: SuccessStory) -> SuccessStory:
    _require_office(actor)
    story.status = SuccessStory.Status.DRAFT
    story.save(update_fields=["status"])
    return story
