"""The shipped content in the database: courses once, practice material kept current."""

import dataclasses
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from saypro.academy import authoring, loading, services
from saypro.academy.content import ContentError, load_content
from saypro.academy.models import (
    Course,
    Lesson,
    MessageScenario,
    PracticeReview,
    ProductSet,
    Question,
    Resource,
)
from saypro.accounts.tests.factories import StaffFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.core.errors import PermissionDenied
from saypro.surveys.models import Audience, Kind, Survey, Trigger

pytestmark = pytest.mark.django_db


def test_every_shipped_course_lesson_and_question_is_loaded_published():
    content = load_content()

    report = loading.load_content(content)

    assert report.courses_created == len(content.courses) == Course.objects.count()
    assert set(Course.objects.values_list("status", flat=True)) == {Course.Status.PUBLISHED}
    shipped_lessons = sum(len(course.lessons) for course in content.courses)
    assert report.lessons == shipped_lessons == Lesson.objects.count()
    shipped_questions = sum(
        len(lesson.quiz.questions)
        for course in content.courses
        for lesson in course.lessons
        if lesson.quiz
    )
    assert Question.objects.count() == shipped_questions
    assert PracticeReview.objects.count() == len(content.practice_reviews)
    assert MessageScenario.objects.count() == len(content.message_scenarios)
    assert ProductSet.objects.count() == len(content.product_sets)
    plan = Lesson.objects.filter(exercise_type=Lesson.ExerciseType.ACTION_PLAN).first()
    assert plan.product_set is not None and plan.pass_score == 70


def test_a_second_load_keeps_the_office_edits_and_learners_progress():
    loading.load_content()
    course = Course.objects.get(slug="responding-to-reviews")
    course.title = "Answering reviews (edited by the office)"
    course.save()
    seller = MembershipFactory().user
    services.enrol(seller, course)

    report = loading.load_content()

    assert report.courses_created == 0 and report.courses_kept == Course.objects.count()
    assert Course.objects.get(pk=course.pk).title.endswith("(edited by the office)")
    assert course.enrolments.count() == 1


def test_the_shipped_model_answers_pass_their_exercises_once_loaded():
    loading.load_content()
    seller = MembershipFactory().user
    for lesson in Lesson.objects.filter(kind=Lesson.Kind.EXERCISE):
        services.enrol(seller, lesson.module.course)
        if lesson.exercise_type == Lesson.ExerciseType.REVIEW_ANSWER:
            review = lesson.practice_reviews.first()
            attempt = services.submit_review_answer(seller, lesson, review, review.model_answer)
        elif lesson.exercise_type == Lesson.ExerciseType.MESSAGE_REPLY:
            scenario = lesson.message_scenarios.first()
            attempt = services.submit_message_reply(seller, lesson, scenario, scenario.model_answer)
        else:
            plan = "\n".join(lesson.product_set.good_plan)
            issue = services.top_issue(lesson.product_set)
            attempt = services.submit_action_plan(seller, lesson, issue, plan)
        assert attempt.passed, (lesson.key, attempt.score, attempt.grading)


def test_the_command_says_what_it_loaded():
    out = StringIO()
    call_command("academy", "load", stdout=out)
    again = StringIO()
    call_command("academy", "load", stdout=again)

    assert "3 course(s) created" in out.getvalue()
    assert "0 course(s) created" in again.getvalue() and "3 already there" in again.getvalue()


@pytest.mark.parametrize(
    ("issue", "plan", "score", "issue_points"),
    [
        ("Delivery", None, 50, 0),  # the wrong top issue, however good the plan
        ("Fit & size", "Fix the sizing.", 50, 50),  # the right issue, one vague step
        ("Fit & size", "Re-measure the samples\nUpdate the size chart", 60, 50),  # no goal, no date
        ("Description accuracy", "Fix the sizing.", 30, 30),  # a fair second answer, weak plan
    ],
)
def test_a_wrong_top_issue_or_a_weak_plan_fails_the_action_plan_exercise(
    issue, plan, score, issue_points
):
    loading.load_content()
    lesson = Lesson.objects.get(key="practice-linen-shirt-plan")
    seller = MembershipFactory().user
    enrolment = services.enrol(seller, lesson.module.course)
    plan = plan or "\n".join(lesson.product_set.good_plan)

    attempt = services.submit_action_plan(seller, lesson, issue, plan)

    assert (attempt.score, attempt.passed) == (score, False)
    assert attempt.grading["expected_issue"] == "Fit & size"
    assert attempt.grading["points"][0]["points"] == issue_points
    progress = enrolment.progress.get(lesson=lesson)
    assert (progress.completed_at, progress.attempts, progress.best_score) == (None, 1, score)


def test_the_course_survey_is_created_once_by_the_office_and_asks_graduates():
    office = StaffFactory()

    survey = loading.create_course_survey(actor=office)
    again = loading.create_course_survey(actor=office)

    assert again is None and Survey.objects.get() == survey
    assert (survey.trigger, survey.audience, survey.kind, survey.is_active) == (
        Trigger.COURSE_COMPLETED,
        Audience.SELLERS,
        Kind.RATING_5,
        True,
    )
    assert survey.question == "How useful was this course for running your store?"
    assert survey.created_by == office


def test_only_the_office_creates_the_course_survey():
    with pytest.raises(PermissionDenied):
        loading.create_course_survey(actor=MembershipFactory().user)
    assert not Survey.objects.exists()

    loading.create_course_survey(actor=StaffFactory())
    with pytest.raises(PermissionDenied):  # refused, not "exists already"
        loading.create_course_survey(actor=MembershipFactory().user)
    assert Survey.objects.count() == 1


def test_the_survey_command_names_the_office_account():
    office = StaffFactory(email="office@example.test")
    out = StringIO()
    call_command("academy", "survey", "--office", "OFFICE@example.test", stdout=out)
    again = StringIO()
    call_command("academy", "survey", "--office", office.email, stdout=again)

    assert "Survey “After a Seller Academy course” created" in out.getvalue()
    assert "exists already; nothing was changed" in again.getvalue()
    with pytest.raises(CommandError, match="No account has the email"):
        call_command("academy", "survey", "--office", "nobody@example.test")
    Survey.objects.all().delete()
    with pytest.raises(CommandError, match="Only marketplace office staff manage surveys"):
        call_command("academy", "survey", "--office", MembershipFactory().user.email)
    assert not Survey.objects.exists()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list[str]:
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


def test_the_shipped_diagram_and_downloads_are_stored_once_and_shown(client, media):
    content = load_content()
    diagram = content.course("responding-to-reviews").lessons[0].images[0]

    loading.load_content(content)
    files = stored_files(media)
    loading.load_content(content)  # again: nothing new anywhere

    assert stored_files(media) == files and len(files) == 3
    lesson = Lesson.objects.get(key="empathy-and-professionalism")
    [stored] = [name for name in files if name.endswith(".svg")]
    assert f"](/media/{stored})" in lesson.body and "](images/" not in lesson.body
    assert (media / stored).read_bytes() == diagram.path.read_bytes()
    downloads = Lesson.objects.get(key="action-plan-template")
    assert downloads.kind == Lesson.Kind.RESOURCES
    assert [
        (resource.title, resource.file.name.rsplit(".", 1)[-1])
        for resource in downloads.resources.all()
    ] == [
        ("Action-plan template, with a worked example (Markdown text)", "md"),
        ("Step tracker for the team (CSV, opens in any spreadsheet)", "csv"),
    ]
    assert Resource.objects.count() == 2
    assert authoring.publication_problems(downloads.module.course) == []

    seller = MembershipFactory().user
    services.enrol(seller, lesson.module.course)
    services.enrol(seller, downloads.module.course)
    client.force_login(seller)
    reading = client.get(f"/academy/courses/responding-to-reviews/{lesson.key}/").content.decode()
    offered = client.get(f"/academy/courses/feedback-to-better-products/{downloads.key}/")
    first = downloads.resources.first()

    assert '<img alt="The anatomy of a good answer' in reading
    assert f'src="/media/{stored}"' in reading
    assert f'<a href="/media/{stored}" rel="nofollow noopener"><img' in reading  # full size
    assert f'<a href="{first.file.url}" download>' in offered.content.decode()
    assert client.get(first.file.url).status_code == 200


def test_a_shipped_download_that_is_not_what_its_name_says_is_refused(tmp_path, media):
    content = load_content()
    course = content.course("feedback-to-better-products")
    lesson = next(item for item in course.lessons if item.slug == "action-plan-template")
    fake = tmp_path / "tracker.csv"
    fake.write_bytes(b"%PDF-1.4 not a spreadsheet")
    broken = dataclasses.replace(
        lesson, resources=(dataclasses.replace(lesson.resources[0], path=fake),)
    )
    modules = tuple(
        dataclasses.replace(
            module,
            lessons=tuple(broken if item.slug == lesson.slug else item for item in module.lessons),
        )
        for module in course.modules
    )
    content = dataclasses.replace(content, courses=(dataclasses.replace(course, modules=modules),))

    with pytest.raises(ContentError) as caught:
        loading.load_content(content)

    assert caught.value.path == fake and "named for what it is" in caught.value.message
    assert not Course.objects.exists() and stored_files(media) == []
