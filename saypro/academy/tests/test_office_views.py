"""Office › Academy pages: staff only, every form through the services, learners' preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saypro.academy import services
from saypro.academy.models import Course, Lesson, Module, Resource
from saypro.academy.tests.factories import build_course

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return build_course()


@pytest.fixture
def office(client, staff):
    client.force_login(staff)
    return client


def office_url(name, **kwargs):
    return reverse(f"office_academy:{name}", kwargs=kwargs)


@pytest.mark.parametrize("role", ["buyer", "seller", "anonymous"])
def test_office_pages_are_for_staff_only(client, request, world, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    lesson = world.reading
    pages = [
        office_url("courses"),
        office_url("create_course"),
        office_url("course", pk=world.course.pk),
        office_url("lesson", pk=lesson.pk),
        office_url("stories"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == (302 if role == "anonymous" else 403), url
    response = client.post(office_url("remove_lesson", pk=lesson.pk))
    assert response.status_code in (302, 403)
    assert Lesson.objects.filter(pk=lesson.pk, retired_at=None).exists()


def test_staff_build_and_publish_a_course_through_the_pages(office, staff):
    response = office.post(
        office_url("create_course"),
        {
            "title": "Shipping that delights",
            "summary": "Pack, ship and track without surprises.",
            "description": "Buyers judge **delivery**.",
            "level": "beginner",
            "topics": "Delivery, Service",
            "estimated_minutes": 20,
        },
    )
    course = Course.objects.get(slug="shipping-that-delights")
    assert response.status_code == 302 and course.topics == ["Delivery", "Service"]

    office.post(office_url("add_module", pk=course.pk), {"title": "Packing"})
    module = Module.objects.get(course=course)
    office.post(
        office_url("add_lesson", pk=module.pk),
        {"title": "Pack to protect", "kind": "text", "body": "Use **two** layers.", "minutes": 4,
         "pass_score": 80},
    )  # fmt: skip
    office.post(
        office_url("add_lesson", pk=module.pk),
        {"title": "Check yourself", "kind": "quiz", "minutes": 3, "pass_score": 100},
    )
    reading, quiz = Lesson.objects.filter(module=module).order_by("position")
    page = office.get(office_url("course", pk=course.pk)).content.decode()
    assert "The quiz “Check yourself” has no questions." in page

    response = office.post(
        office_url("add_question", pk=quiz.pk),
        {"text": "Which box?", "kind": "single", "choice_1": "Double-walled", "correct_1": "on",
         "explanation_1": "It survives the drop.", "choice_2": "Any bag",
         "explanation_2": "Bags crush."},
    )  # fmt: skip
    assert response.status_code == 302 and quiz.questions.count() == 1
    office.post(office_url("move_lesson", pk=quiz.pk), {"direction": "up"})
    quiz.refresh_from_db()
    reading.refresh_from_db()
    assert (quiz.position, reading.position) == (1, 2)

    office.post(office_url("publish", pk=course.pk))
    course.refresh_from_db()
    assert course.is_published


def test_a_bad_question_is_shown_next_to_the_form_and_nothing_is_saved(office, world):
    response = office.post(
        office_url("add_question", pk=world.quiz.pk),
        {"text": "Which?", "kind": "single", "choice_1": "A", "correct_1": "on",
         "explanation_1": "Yes", "choice_2": "B", "correct_2": "on", "explanation_2": "Also"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "exactly one correct answer" in response.content.decode()
    assert world.quiz.questions.count() == 2


def test_the_lesson_editor_saves_uploads_and_refuses_fakes(office, world):
    module = world.course.modules.first()
    lesson = Lesson.objects.create(
        module=module, key="watch", title="Watch", kind=Lesson.Kind.VIDEO, position=9
    )
    base = {"title": "Watch", "kind": "video", "minutes": 3, "pass_score": 80}
    fake = SimpleUploadedFile("clip.mp4", b"GIF89a....")
    response = office.post(office_url("lesson", pk=lesson.pk), {**base, "video_file": fake})
    assert response.status_code == 400 and "not an MP4" in response.content.decode()

    real = SimpleUploadedFile("clip.mp4", MP4)
    office.post(office_url("lesson", pk=lesson.pk), {**base, "video_file": real})
    lesson.refresh_from_db()
    assert lesson.video_file

    files = Lesson.objects.create(
        module=module, key="files", title="Files", kind=Lesson.Kind.RESOURCES, position=10
    )
    office.post(
        office_url("add_resource", pk=files.pk),
        {"title": "Checklist", "file": SimpleUploadedFile("list.pdf", b"%PDF-1.4 checklist")},
    )
    assert Resource.objects.filter(lesson=files).count() == 1


def test_the_markdown_preview_is_sanitised(office):
    response = office.post(
        office_url("preview") + "?field=body", {"body": "**Hi** <script>alert(1)</script>"}
    )
    html = response.content.decode()
    assert "<strong>Hi</strong>" in html and "<script>" not in html


def test_staff_preview_a_draft_lesson_without_enrolling(office, world):
    draft = build_course(slug="draft-course", status=Course.Status.DRAFT)
    url = reverse("academy:lesson", kwargs={"slug": "draft-course", "key": draft.quiz.key})

    response = office.get(url)

    html = response.content.decode()
    assert response.status_code == 200 and "Preview of a draft course" in html
    assert "Submit answers" not in html and not draft.course.enrolments.exists()


def test_a_revision_note_shows_on_the_course_page(office, world):
    office.post(office_url("add_revision", pk=world.course.pk), {"note": "A new quiz question."})
    page = office.get(world.course.get_absolute_url()).content.decode()
    assert "A new quiz question." in page and "Revised on" in page


def test_retiring_from_the_page_keeps_the_learners_progress(office, seller, world):
    services.enrol(seller, world.course)
    services.complete_lesson(seller, world.reading)

    office.post(office_url("remove_lesson", pk=world.reading.pk))

    world.reading.refresh_from_db()
    assert world.reading.retired_at is not None and world.reading.progress.count() == 1
    page = office.get(office_url("course", pk=world.course.pk)).content.decode()
    assert "Restore" in page


def test_a_course_with_learners_cannot_go_back_to_draft(office, seller, world):
    services.enrol(seller, world.course)
    office.post(office_url("unpublish", pk=world.course.pk), follow=True)
    world.course.refresh_from_db()
    assert world.course.is_published


def test_the_office_list_shows_counts_and_the_quarter(office, seller, world):
    services.enrol(seller, world.course)
    html = office.get(office_url("courses")).content.decode()
    assert "Responding to reviews" in html and "This quarter: taking part" in html


def test_a_video_url_is_embedded_for_learners(office, seller, client, world):
    module = world.course.modules.first()
    Lesson.objects.create(
        module=module,
        key="watch",
        title="Watch",
        kind=Lesson.Kind.VIDEO,
        video_url="https://youtu.be/dQw4w9WgXcQ",
        position=9,
    )
    url = reverse("academy:lesson", kwargs={"slug": world.course.slug, "key": "watch"})
    html = office.get(url).content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html


def test_the_lesson_editor_shows_the_fields_of_its_kind(office, seller, world):
    reading = office.get(office_url("lesson", pk=world.reading.pk)).content.decode()
    quiz = office.get(office_url("lesson", pk=world.quiz.pk)).content.decode()
    assert 'name="video_url"' not in reading and 'name="pass_score"' not in reading
    assert 'name="pass_score"' in quiz and 'name="exercise_type"' not in quiz

    response = office.post(
        office_url("lesson", pk=world.reading.pk),
        {"title": "Why answers matter", "kind": "exercise", "minutes": 5},
    )
    assert response.status_code == 400 and "Choose the kind of exercise." in (
        response.content.decode()
    )

    services.enrol(seller, world.course)
    services.open_lesson(seller, world.reading)
    page = office.get(office_url("lesson", pk=world.reading.pk)).content.decode()
    assert "Learners started this lesson, so its kind stays." in page
    office.post(
        office_url("lesson", pk=world.reading.pk),
        {"title": "Why answers matter", "kind": "quiz", "minutes": 5},
    )
    world.reading.refresh_from_db()
    assert world.reading.kind == Lesson.Kind.TEXT


def test_a_tampered_move_is_refused_and_changes_nothing(office, world):
    other = build_course(slug="other").course.modules.first()
    lesson, module = world.reading, world.reading.module
    before = (lesson.module_id, lesson.position, module.position)

    not_a_number = office.post(office_url("move_lesson", pk=lesson.pk), {"module": "abc"})
    superscript = office.post(office_url("move_lesson", pk=lesson.pk), {"module": "²"})
    unknown = office.post(office_url("move_lesson", pk=lesson.pk), {"module": "99999"})
    elsewhere = office.post(office_url("move_lesson", pk=lesson.pk), {"module": other.pk})
    sideways = office.post(office_url("move_module", pk=module.pk), {"direction": "sideways"})

    assert {not_a_number.status_code, superscript.status_code, unknown.status_code} == {404}
    assert elsewhere.status_code == 400
    assert "A lesson moves only between modules of its course." in elsewhere.content.decode()
    assert sideways.status_code == 400 and "Move it up or down." in sideways.content.decode()
    lesson.refresh_from_db()
    module.refresh_from_db()
    assert (lesson.module_id, lesson.position, module.position) == before


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "A module needs a title."),
        ("x" * 161, "A module&#x27;s title takes at most 160 characters (it has 161)."),
    ],
)
def test_a_bad_module_title_is_refused_with_what_is_wrong(office, world, title, message):
    response = office.post(office_url("add_module", pk=world.course.pk), {"title": title})

    assert response.status_code == 400 and message in response.content.decode()
    assert world.course.modules.count() == 1


def test_refused_course_actions_answer_4xx_with_the_reason(office, seller, world):
    services.enrol(seller, world.course)
    draft = build_course(slug="draft", status=Course.Status.DRAFT).course
    empty = Course.objects.create(slug="empty", title="Empty", summary="Nothing yet.")

    unpublish = office.post(office_url("unpublish", pk=world.course.pk))
    publish = office.post(office_url("publish", pk=empty.pk))
    note = office.post(office_url("add_revision", pk=draft.pk), {"note": "Changed."})

    assert unpublish.status_code == 409 and "Learners are enrolled" in unpublish.content.decode()
    assert publish.status_code == 400 and "Add at least one module" in publish.content.decode()
    assert note.status_code == 409 and "Revision notes are for published courses" in (
        note.content.decode()
    )
    world.course.refresh_from_db()
    empty.refresh_from_db()
    assert world.course.is_published and not empty.is_published and not draft.revisions.exists()


def test_a_published_quiz_keeps_its_last_question(office, world):
    first, last = world.quiz.questions.order_by("position")
    office.post(office_url("delete_question", pk=first.pk))

    response = office.post(office_url("delete_question", pk=last.pk))

    assert response.status_code == 409
    assert "keeps at least one question" in response.content.decode()
    assert list(world.quiz.questions.all()) == [last]


def test_the_course_page_warns_when_a_new_lesson_blocks_learners(office, world):
    module = world.course.modules.first()
    office.post(
        office_url("add_lesson", pk=module.pk),
        {"title": "Second check", "kind": "quiz", "minutes": 3, "pass_score": 80},
    )

    page = office.get(office_url("course", pk=world.course.pk)).content.decode()

    assert "Learners cannot finish this course until you fix" in page
    assert "The quiz “Second check” has no questions." in page


def test_an_empty_post_is_validated_not_shown_as_a_blank_form(office):
    response = office.post(office_url("create_course"), {})

    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not Course.objects.exists()
