"""Learning in the Academy: enrolment, lessons, graded attempts, completion, certificates."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from saypro.academy import services
from saypro.academy.models import (
    Attempt,
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
)
from saypro.academy.tests.factories import GOOD_ANSWER, WEAK_ANSWER, build_course
from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.notifications.models import Notification
from saypro.rewards.models import Badge, BadgeAward
from saypro.surveys import selectors as survey_selectors
from saypro.surveys.models import Audience, Invitation, Trigger
from saypro.surveys.tests.factories import SurveyFactory

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_course()


@pytest.fixture
def seller():
    return MembershipFactory(user__first_name="Lerato", user__last_name="Mokoena").user


@pytest.fixture
def enrolled(world, seller):
    services.enrol(seller, world.course, now=NOW)
    return seller


def test_sellers_and_staff_enrol_once_buyers_and_drafts_are_refused(world, seller):
    first = services.enrol(seller, world.course, now=NOW)
    again = services.enrol(seller, world.course, now=NOW + timedelta(days=1))
    staff = services.enrol(StaffFactory(), world.course)

    assert first == again and first.enrolled_at == NOW
    assert staff.course == world.course
    with pytest.raises(PermissionDenied):
        services.enrol(UserFactory(), world.course)
    draft = build_course(slug="draft", status=Course.Status.DRAFT).course
    with pytest.raises(NotFound):
        services.enrol(seller, draft)
    assert Enrolment.objects.count() == 2


def test_lessons_need_an_enrolment_and_opening_one_is_where_you_resume(world, seller):
    with pytest.raises(Conflict):
        services.open_lesson(seller, world.reading)
    services.enrol(seller, world.course)

    progress = services.open_lesson(seller, world.quiz, now=NOW)

    enrolment = Enrolment.objects.get()
    assert enrolment.last_lesson == world.quiz and enrolment.last_seen_at == NOW
    assert progress.started_at == NOW and progress.completed_at is None


def test_a_reading_is_marked_done_but_a_quiz_must_be_passed(world, enrolled):
    progress = services.complete_lesson(enrolled, world.reading, now=NOW)

    assert progress.completed_at == NOW
    with pytest.raises(Conflict):
        services.complete_lesson(enrolled, world.quiz)
    assert not LessonProgress.objects.filter(lesson=world.quiz).exists()


def test_a_retired_lesson_cannot_be_opened(world, enrolled):
    world.reading.retired_at = NOW
    world.reading.save()

    with pytest.raises(NotFound):
        services.open_lesson(enrolled, world.reading)


def test_quiz_right_answers_pass_and_complete_the_lesson(world, enrolled):
    attempt = services.submit_quiz(enrolled, world.quiz, world.right_answers(), now=NOW)

    assert (attempt.score, attempt.passed) == (100, True)
    progress = LessonProgress.objects.get(lesson=world.quiz)
    assert progress.completed_at == NOW and progress.best_score == 100 and progress.attempts == 1


def test_a_multiple_choice_question_is_right_only_with_exactly_the_right_set(world, enrolled):
    answers = world.right_answers()
    answers[world.multiple.pk] = answers[world.multiple.pk][:1]  # one of the two right ones

    attempt = services.submit_quiz(enrolled, world.quiz, answers, now=NOW)

    assert (attempt.score, attempt.passed) == (50, False)
    assert attempt.grading["questions"][1]["right"] is False
    assert LessonProgress.objects.get(lesson=world.quiz).completed_at is None


@pytest.mark.parametrize(
    "broken",
    [
        "unanswered",  # a question left out
        "two_for_single",  # two answers to a one-answer question
        "foreign_choice",  # a choice of another question
        "unknown_question",
    ],
)
def test_a_malformed_quiz_submission_is_refused_and_changes_nothing(world, enrolled, broken):
    answers = world.right_answers()
    single, multiple = world.single.pk, world.multiple.pk
    if broken == "unanswered":
        del answers[multiple]
    elif broken == "two_for_single":
        answers[single] = [choice.pk for choice in world.single.choices.all()]
    elif broken == "foreign_choice":
        answers[single] = answers[multiple][:1]
    else:
        answers[999_999] = [1]

    with pytest.raises(ValidationFailed):
        services.submit_quiz(enrolled, world.quiz, answers)

    assert not Attempt.objects.exists() and not LessonProgress.objects.exists()


def test_the_coach_grades_practice_a_weak_answer_fails_then_a_good_one_passes(world, enrolled):
    weak = services.submit_review_answer(
        enrolled, world.exercise, world.review, WEAK_ANSWER, now=NOW
    )
    good = services.submit_review_answer(
        enrolled, world.exercise, world.review, GOOD_ANSWER, now=NOW + timedelta(minutes=5)
    )

    assert not weak.passed and weak.score < world.exercise.pass_score
    verdicts = {row["guideline"]: row["verdict"] for row in weak.grading["findings"]}
    assert verdicts["no_defensiveness"] == "fail"
    assert good.passed and good.score >= world.exercise.pass_score
    progress = LessonProgress.objects.get(lesson=world.exercise)
    assert progress.attempts == 2 and progress.best_score == good.score
    assert progress.completed_at == NOW + timedelta(minutes=5)


def test_an_exercise_refuses_empty_overlong_and_foreign_answers(world, enrolled):
    other = build_course(slug="other").review
    for review, text in ((world.review, "  "), (world.review, "x" * 3001), (other, GOOD_ANSWER)):
        with pytest.raises(ValidationFailed):
            services.submit_review_answer(enrolled, world.exercise, review, text)
    with pytest.raises(NotFound):
        services.submit_review_answer(enrolled, world.quiz, world.review, GOOD_ANSWER)
    assert not Attempt.objects.exists()


def finish(world, user, now=NOW):
    services.complete_lesson(user, world.reading, now=now)
    services.submit_quiz(user, world.quiz, world.right_answers(), now=now)
    services.submit_review_answer(user, world.exercise, world.review, GOOD_ANSWER, now=now)


def test_completing_every_lesson_completes_the_course_with_one_certificate(world, enrolled):
    services.complete_lesson(enrolled, world.reading, now=NOW)
    services.submit_quiz(enrolled, world.quiz, world.right_answers(), now=NOW)
    assert Enrolment.objects.get().completed_at is None and not Certificate.objects.exists()

    services.submit_review_answer(enrolled, world.exercise, world.review, GOOD_ANSWER, now=NOW)
    services.submit_quiz(enrolled, world.quiz, world.right_answers(), now=NOW)  # again: no-op

    enrolment = Enrolment.objects.get()
    certificate = Certificate.objects.get()
    assert enrolment.completed_at == NOW and certificate.enrolment == enrolment
    assert certificate.holder_name == "Lerato Mokoena"
    assert certificate.course_title == "Responding to reviews"
    assert re.fullmatch(r"SPA-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", certificate.code)


def test_retired_lessons_are_not_required_and_new_ones_take_nothing_away(world, enrolled):
    world.exercise.retired_at = NOW
    world.exercise.save()
    services.complete_lesson(enrolled, world.reading, now=NOW)
    services.submit_quiz(enrolled, world.quiz, world.right_answers(), now=NOW)
    assert Enrolment.objects.get().completed_at == NOW

    Lesson.objects.create(
        module=world.reading.module, key="new", title="New", kind=Lesson.Kind.TEXT, position=9
    )

    assert Enrolment.objects.get().completed_at == NOW
    assert Certificate.objects.count() == 1


def test_certificate_codes_are_unique_even_when_a_draw_repeats(world, enrolled, monkeypatch):
    other = MembershipFactory().user
    services.enrol(other, world.course)
    finish(world, enrolled)
    taken = Certificate.objects.get().code
    draws = iter([taken, "SPA-ABCD-EFGH"])
    monkeypatch.setattr(services, "new_certificate_code", lambda: next(draws))

    finish(world, other)

    assert set(Certificate.objects.values_list("code", flat=True)) == {taken, "SPA-ABCD-EFGH"}


def test_completing_a_course_asks_its_survey_and_counts_towards_academy_graduate(
    world, enrolled, django_capture_on_commit_callbacks
):
    survey = SurveyFactory(
        trigger=Trigger.COURSE_COMPLETED, audience=Audience.SELLERS, question="Was it useful?"
    )
    graduate = Badge.objects.get(code="academy_graduate")
    graduate.min_count = 1
    graduate.save()

    with django_capture_on_commit_callbacks(execute=True):
        finish(world, enrolled)

    invitation = Invitation.objects.get(user=enrolled)
    assert invitation.survey == survey and invitation.subject == Enrolment.objects.get()
    assert survey_selectors.subject_label(invitation) == "About the course “Responding to reviews”"
    assert [award.badge.code for award in BadgeAward.objects.filter(user=enrolled)] == [
        "academy_graduate"
    ]


def test_idle_learners_get_one_reminder_per_idle_spell(world, enrolled):
    services.open_lesson(enrolled, world.reading, now=NOW)
    services.complete_lesson(enrolled, world.reading, now=NOW)
    assert services.remind_idle_learners(now=NOW + timedelta(days=6)) == 0

    assert services.remind_idle_learners(now=NOW + timedelta(days=8)) == 1
    assert services.remind_idle_learners(now=NOW + timedelta(days=9)) == 0  # once per spell
    [reminder] = Notification.objects.filter(recipient=enrolled, type="academy.course_reminder")
    assert reminder.text == "Continue “Responding to reviews”: next up, Check yourself"
    assert reminder.link == f"/academy/courses/{world.course.slug}/quiz/"

    services.open_lesson(enrolled, world.exercise, now=NOW + timedelta(days=10))  # back, idle
    assert services.remind_idle_learners(now=NOW + timedelta(days=18)) == 1
    latest = Notification.objects.filter(recipient=enrolled).latest("pk")
    assert latest.link == f"/academy/courses/{world.course.slug}/practice/"  # where they left
    finish(world, enrolled, now=NOW + timedelta(days=19))
    assert services.remind_idle_learners(now=NOW + timedelta(days=40)) == 0  # completed
