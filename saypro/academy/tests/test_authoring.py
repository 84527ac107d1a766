"""The office's authoring services: create, edit, reorder, publish, and revise a published
course without losing learners' progress."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from saypro.academy import authoring, services
from saypro.academy.authoring import ChoiceInput, CourseInput, LessonInput
from saypro.academy.models import Certificate, Course, Lesson, LessonProgress, Module, Question
from saypro.academy.tests.factories import GOOD_ANSWER, build_course
from saypro.core.errors import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 8


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return build_course()


def _course(staff, **overrides) -> Course:
    data = CourseInput(title="Pricing for profit", summary="Set prices that hold.", **overrides)
    return authoring.create_course(staff, data)


def _graduate(user, world) -> None:
    """``user`` completes the whole factory course (reading, quiz, exercise)."""
    services.enrol(user, world.course)
    services.complete_lesson(user, world.reading)
    services.submit_quiz(user, world.quiz, world.right_answers())
    services.submit_review_answer(user, world.exercise, world.review, GOOD_ANSWER)


# --- Permissions --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["buyer", "seller", "anonymous"])
def test_only_office_staff_author_and_a_refusal_changes_nothing(role, request, world):
    actor = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    module = world.course.modules.first()
    before = (Course.objects.count(), Module.objects.count(), Lesson.objects.count())

    calls = [
        lambda: _course(actor),
        lambda: authoring.add_module(actor, world.course, "Extra"),
        lambda: authoring.add_lesson(actor, module, LessonInput(title="More")),
        lambda: authoring.remove_lesson(actor, world.reading),
        lambda: authoring.unpublish(actor, world.course),
        lambda: authoring.move_lesson(actor, world.quiz, -1),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()

    assert (Course.objects.count(), Module.objects.count(), Lesson.objects.count()) == before
    world.quiz.refresh_from_db()
    assert world.quiz.position == 2 and world.course.is_published


# --- Courses, modules, lessons ------------------------------------------------------------


def test_staff_create_a_draft_course_with_a_slug_from_the_title(staff):
    course = _course(staff, topics=[" Pricing ", ""], counts_for_target=True)

    assert course.slug == "pricing-for-profit" and course.status == Course.Status.DRAFT
    assert course.topics == ["Pricing"] and course.counts_for_target
    with pytest.raises(Conflict):
        _course(staff)
    assert Course.objects.filter(slug="pricing-for-profit").count() == 1


def test_a_published_course_keeps_its_address(staff, world):
    data = CourseInput(title="New title", summary="New summary", slug="somewhere-else")
    with pytest.raises(Conflict):
        authoring.update_course(staff, world.course, data)
    world.course.refresh_from_db()
    assert world.course.title == "Responding to reviews"

    authoring.update_course(staff, world.course, CourseInput(title="New title", summary="S"))
    world.course.refresh_from_db()
    assert world.course.title == "New title" and world.course.slug == "responding-to-reviews"


def test_modules_and_lessons_reorder_with_up_and_down(staff):
    course = _course(staff)
    first = authoring.add_module(staff, course, "First")
    second = authoring.add_module(staff, course, "Second")
    a = authoring.add_lesson(staff, first, LessonInput(title="A"))
    b = authoring.add_lesson(staff, first, LessonInput(title="B"))

    authoring.move_module(staff, second, -1)
    authoring.move_lesson(staff, b, -1)
    authoring.move_lesson(staff, b, -1)  # already first: stays

    assert list(course.modules.order_by("position").values_list("title", flat=True)) == [
        "Second",
        "First",
    ]
    assert list(first.lessons.order_by("position").values_list("title", flat=True)) == ["B", "A"]

    authoring.move_lesson_to(staff, a, second)
    a.refresh_from_db()
    assert a.module == second and a.key == "a"


def test_lesson_keys_are_unique_in_the_course_and_never_change(staff):
    course = _course(staff)
    module = authoring.add_module(staff, course, "M")
    one = authoring.add_lesson(staff, module, LessonInput(title="Tone"))
    two = authoring.add_lesson(staff, module, LessonInput(title="Tone"))

    authoring.update_lesson(staff, one, LessonInput(title="Tone of voice"))
    one.refresh_from_db()
    assert (one.key, two.key) == ("tone", "tone-2") and one.title == "Tone of voice"


def test_a_module_with_lessons_is_not_deleted(staff, world):
    module = world.course.modules.first()
    with pytest.raises(Conflict):
        authoring.delete_module(staff, module)
    assert Module.objects.filter(pk=module.pk).exists()


def test_a_published_quiz_keeps_a_question_and_a_resources_lesson_a_file(staff, world):
    """Else no learner could finish the course: it is revised by adding before removing."""
    first, last = world.quiz.questions.order_by("position")
    authoring.remove_question(staff, first)
    with pytest.raises(Conflict, match="keeps at least one question"):
        authoring.remove_question(staff, last)

    files = authoring.add_lesson(
        staff, world.course.modules.first(), LessonInput(title="Files", kind=Lesson.Kind.RESOURCES)
    )
    only = authoring.add_resource(staff, files, "Plan", SimpleUploadedFile("plan.pdf", PDF))
    with pytest.raises(Conflict, match="keeps at least one file"):
        authoring.remove_resource(staff, only)

    assert list(world.quiz.questions.all()) == [last] and list(files.resources.all()) == [only]


def test_a_draft_quiz_may_lose_every_question(staff):
    draft = build_course(slug="draft", status=Course.Status.DRAFT)
    for question in list(draft.quiz.questions.all()):
        authoring.remove_question(staff, question)
    assert not draft.quiz.questions.exists()


# --- Publication --------------------------------------------------------------------------


def test_publishing_needs_lessons_quiz_questions_with_answers_and_exercise_items(staff):
    course = _course(staff)
    with pytest.raises(ValidationFailed, match="at least one module with a lesson"):
        authoring.publish(staff, course)

    module = authoring.add_module(staff, course, "M")
    quiz = authoring.add_lesson(staff, module, LessonInput(title="Quiz", kind="quiz"))
    exercise = authoring.add_lesson(
        staff,
        module,
        LessonInput(title="Practice", kind="exercise", exercise_type="review_answer"),
    )
    with pytest.raises(ValidationFailed) as refused:
        authoring.publish(staff, course)
    assert refused.value.details["problems"] == [
        "The quiz “Quiz” has no questions.",
        "The exercise “Practice” has no practice items.",
    ]
    course.refresh_from_db()
    assert course.status == Course.Status.DRAFT

    authoring.save_question(
        staff,
        quiz,
        text="Answer within?",
        kind="single",
        choices=[ChoiceInput("48 hours", True, "The goal."), ChoiceInput("A week", False, "Late.")],
    )
    review = build_course(slug="bank").review
    authoring.set_practice_items(staff, exercise, reviews=[review])
    published = authoring.publish(staff, course)
    assert published.is_published and published.published_at is not None


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("single", [("A", True), ("B", True)], "exactly one correct"),
        ("multiple", [("A", False), ("B", False)], "at least one answer correct"),
        ("single", [("A", True)], "between 2 and"),
    ],
)
def test_quiz_questions_need_a_valid_set_of_correct_answers(staff, world, kind, choices, message):
    rows = [ChoiceInput(text, correct, "Because.") for text, correct in choices]
    with pytest.raises(ValidationFailed, match=message):
        authoring.save_question(staff, world.quiz, text="Q?", kind=kind, choices=rows)
    assert world.quiz.questions.count() == 2


def test_every_answer_needs_an_explanation(staff, world):
    rows = [ChoiceInput("A", True, "Right."), ChoiceInput("B", False, " ")]
    with pytest.raises(ValidationFailed, match="Explain every answer"):
        authoring.save_question(staff, world.quiz, text="Q?", kind="single", choices=rows)


def test_a_course_with_learners_stays_published(staff, seller, world):
    services.enrol(seller, world.course)
    with pytest.raises(Conflict):
        authoring.unpublish(staff, world.course)
    world.course.refresh_from_db()
    assert world.course.is_published

    draft = build_course(slug="empty-yet").course
    assert authoring.unpublish(staff, draft).status == Course.Status.DRAFT


# --- Revising a published course keeps progress and certificates --------------------------


def test_editing_a_started_lesson_keeps_progress_and_the_certificate(staff, seller, world):
    _graduate(seller, world)
    certificate = Certificate.objects.get(enrolment__user=seller)

    authoring.update_lesson(
        staff,
        world.reading,
        LessonInput(title="Why answers matter (revised)", body="New text.", minutes=7),
    )
    rows = [ChoiceInput("Two days", True, "Right."), ChoiceInput("Never", False, "Wrong.")]
    authoring.save_question(
        staff, world.quiz, text="Goal?", kind="single", choices=rows, question=world.single
    )
    authoring.move_lesson(staff, world.exercise, -1)
    authoring.add_revision(staff, world.course, "Clearer reading; the quiz asks in days.")

    world.reading.refresh_from_db()
    assert world.reading.key == "why-answers-matter"
    assert LessonProgress.objects.filter(
        lesson=world.reading, enrolment__user=seller, completed_at__isnull=False
    ).exists()
    assert Certificate.objects.get(pk=certificate.pk).code == certificate.code
    assert world.course.revisions.get().note.startswith("Clearer reading")


def test_changing_the_kind_of_a_started_lesson_is_refused(staff, seller, world):
    services.enrol(seller, world.course)
    services.open_lesson(seller, world.reading)
    with pytest.raises(Conflict):
        authoring.update_lesson(staff, world.reading, LessonInput(title="Now a quiz", kind="quiz"))
    world.reading.refresh_from_db()
    assert world.reading.kind == Lesson.Kind.TEXT and world.reading.title == "Why answers matter"

    services.open_lesson(seller, world.exercise)
    plan_instead = LessonInput(
        title="Practice", kind="exercise", exercise_type="action_plan", pass_score=70
    )
    with pytest.raises(Conflict):
        authoring.update_lesson(staff, world.exercise, plan_instead)


def test_removing_a_started_lesson_retires_it_and_an_untouched_one_is_deleted(staff, seller, world):
    services.enrol(seller, world.course)
    services.complete_lesson(seller, world.reading)

    assert authoring.remove_lesson(staff, world.reading) == "retired"
    assert authoring.remove_lesson(staff, world.exercise) == "deleted"

    world.reading.refresh_from_db()
    assert world.reading.retired_at is not None
    assert LessonProgress.objects.filter(lesson=world.reading).exists()
    assert not Lesson.objects.filter(pk=world.exercise.pk).exists()
    # the quiz is now all that is left to do: passing it completes the course
    services.submit_quiz(seller, world.quiz, world.right_answers())
    assert Certificate.objects.filter(enrolment__user=seller).exists()


def test_retiring_and_adding_lessons_never_takes_a_certificate_away(staff, seller, world):
    _graduate(seller, world)
    module = world.course.modules.first()

    authoring.remove_lesson(staff, world.quiz)
    authoring.add_lesson(staff, module, LessonInput(title="A new reading"))
    authoring.restore_lesson(staff, world.quiz)

    enrolment = seller.enrolments.get()
    assert enrolment.completed_at is not None
    assert Certificate.objects.filter(enrolment=enrolment).exists()


def test_a_revision_note_is_for_published_courses_only(staff):
    with pytest.raises(Conflict):
        authoring.add_revision(staff, _course(staff), "Changed")


# --- Video and files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?t=3", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://evil.example/watch?v=x", None),
        ("javascript:alert(1)", None),
        ("https://www.youtube.com/watch?v=<script>", None),
    ],
)  # fmt: skip
def test_only_youtube_and_vimeo_addresses_embed(url, embed):
    assert authoring.embed_url(url) == embed


def test_a_video_lesson_takes_an_allowed_url_or_a_real_video_file(staff, world):
    module = world.course.modules.first()
    video = authoring.add_lesson(
        staff, module, LessonInput(title="Watch", kind="video", video_url="https://vimeo.com/1")
    )
    with pytest.raises(ValidationFailed):
        authoring.update_lesson(
            staff, video, LessonInput(title="Watch", kind="video", video_url="https://x.test/v")
        )
    fake = SimpleUploadedFile("clip.mp4", b"<html>not a video</html>", "video/mp4")
    with pytest.raises(ValidationFailed, match="not an MP4"):
        authoring.update_lesson(staff, video, LessonInput(title="Watch", kind="video"), video=fake)
    video.refresh_from_db()
    assert video.video_url == "https://vimeo.com/1" and not video.video_file

    real = SimpleUploadedFile("clip.mp4", MP4, "video/mp4")
    authoring.update_lesson(staff, video, LessonInput(title="Watch", kind="video"), video=real)
    video.refresh_from_db()
    assert video.video_file.name.startswith("academy/videos/") and video.video_url == ""


def test_resources_are_checked_by_content_and_name(staff, world):
    module = world.course.modules.first()
    lesson = authoring.add_lesson(staff, module, LessonInput(title="Templates", kind="resources"))

    resource = authoring.add_resource(
        staff, lesson, "Answer template", SimpleUploadedFile("template.pdf", PDF)
    )
    assert resource.file.name.endswith(".pdf")
    for name, content in [
        ("template.pdf", b"MZ\x90\x00 an executable"),
        ("page.html", b"<script>alert(1)</script>"),
        ("photo.png", PDF),
    ]:
        with pytest.raises(ValidationFailed):
            authoring.add_resource(staff, lesson, "Bad", SimpleUploadedFile(name, content))
    assert lesson.resources.count() == 1
    notes = authoring.add_resource(
        staff, lesson, "Checklist", SimpleUploadedFile("checklist.txt", "Naïve ✓".encode())
    )
    assert notes.pk


# --- Invariant: reordering never loses or duplicates a lesson ------------------------------


@hypothesis_settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves=st.lists(st.tuples(st.integers(0, 3), st.sampled_from([-1, 1])), max_size=8))
def test_moves_keep_a_permutation_numbered_from_one(staff_user, moves):
    module = Module.objects.get(course__slug="moves")
    lessons = list(module.lessons.order_by("position"))
    for index, step in moves:
        authoring.move_lesson(staff_user, lessons[index], step)
    positions = sorted(module.lessons.values_list("position", flat=True))
    assert positions == [1, 2, 3, 4]
    assert set(module.lessons.values_list("pk", flat=True)) == {lesson.pk for lesson in lessons}


@pytest.fixture
def staff_user(staff):
    course = _course(staff, slug="moves")
    module = authoring.add_module(staff, course, "M")
    for title in "ABCD":
        authoring.add_lesson(staff, module, LessonInput(title=title))
    return staff


def test_question_positions_follow_the_order_added(staff, world):
    rows = [ChoiceInput("A", True, "Yes."), ChoiceInput("B", False, "No.")]
    question = authoring.save_question(
        staff, world.quiz, text="Third?", kind="single", choices=rows
    )
    assert question.position == 3 and Question.objects.filter(lesson=world.quiz).count() == 3


def _edit_text(staff, world):
    authoring.update_lesson(staff, world.reading, LessonInput(title="New", body="Rewritten."))


def _edit_question(staff, world):
    rows = [ChoiceInput("Two days", True, "Right."), ChoiceInput("Never", False, "Wrong.")]
    authoring.save_question(
        staff, world.quiz, text="Goal?", kind="single", choices=rows, question=world.single
    )


def _add_question(staff, world):
    rows = [ChoiceInput("Yes", True, "Right."), ChoiceInput("No", False, "Wrong.")]
    authoring.save_question(staff, world.quiz, text="Thank them?", kind="single", choices=rows)


def _remove_question(staff, world):
    authoring.remove_question(staff, world.multiple)


def _reorder(staff, world):
    authoring.move_lesson(staff, world.exercise, -1)


def _move_to_new_module(staff, world):
    module = authoring.add_module(staff, world.course, "Practice")
    authoring.move_lesson_to(staff, world.exercise, module)
    authoring.move_module(staff, module, -1)


def _rename_module(staff, world):
    authoring.update_module(staff, world.reading.module, "Foundations")


def _retire(staff, world):
    authoring.remove_lesson(staff, world.quiz)


def _add_lesson(staff, world):
    authoring.add_lesson(staff, world.reading.module, LessonInput(title="Later addition"))


def _edit_course(staff, world):
    authoring.update_course(staff, world.course, CourseInput(title="Reviews 2.0", summary="New."))


def _change_exercise_items(staff, world):
    other = build_course(slug="other-bank").review
    authoring.set_practice_items(staff, world.exercise, reviews=[other])


@pytest.mark.parametrize(
    "edit",
    [
        _edit_text,
        _edit_question,
        _add_question,
        _remove_question,
        _reorder,
        _move_to_new_module,
        _rename_module,
        _retire,
        _add_lesson,
        _edit_course,
        _change_exercise_items,
    ],
)
def test_every_kind_of_edit_keeps_progress_attempts_and_the_certificate(staff, seller, world, edit):
    _graduate(seller, world)
    enrolment = seller.enrolments.get()
    progress = set(enrolment.progress.values_list("pk", "lesson_id", "completed_at"))
    attempts = enrolment.progress.filter(history__isnull=False).count()
    code = enrolment.certificate.code

    edit(staff, world)

    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None and enrolment.certificate.code == code
    assert set(enrolment.progress.values_list("pk", "lesson_id", "completed_at")) == progress
    assert enrolment.progress.filter(history__isnull=False).count() == attempts
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
