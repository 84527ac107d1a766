"""Every write of the Academy's learners: enrol, open and finish lessons, attempts, certificates.

Learners are sellers (members of a store) and office staff. Each function
checks that, validates its input and runs in one transaction under the
enrolment's row lock, so a refused call changes nothing and two tabs
submitting at once cannot both issue a certificate.

A lesson is complete when the learner marks a reading, video or resources
lesson done, or at the first passing quiz or exercise attempt. The course is
complete when every lesson not retired is; that issues the certificate.
Lessons added to a course later do not take a completion or a certificate
away.
"""

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from saypro.academy.models import (
    ANSWER_MAX_LENGTH,
    Attempt,
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    PracticeReview,
    Question,
)
from saypro.accounts.models import User
from saypro.catalog.models import StoreMembership
from saypro.coaching.coach import ReviewInput, coach
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_GROUPS = 2
CODE_GROUP_LENGTH = 4


def can_learn(user: User) -> bool:
    """Sellers (members of any store) and office staff take courses."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or StoreMembership.objects.filter(user=user).exists()


def _require_learner(user: User) -> None:
    if not can_learn(user):
        raise PermissionDenied("The Seller Academy is for sellers: join or open a store first.")


@transaction.atomic
def enrol(user: User, course: Course, *, now: datetime | None = None) -> Enrolment:
    """Enrol ``user`` in a published course; enrolling again returns the enrolment."""
    _require_learner(user)
    if not course.is_published:
        raise NotFound("This course is not published.")
    enrolment, _ = Enrolment.objects.get_or_create(
        user=user, course=course, defaults={"enrolled_at": now or timezone.now()}
    )
    return enrolment


def _locked_enrolment(user: User, lesson: Lesson) -> Enrolment:
    _require_learner(user)
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course_id=lesson.module.course_id)
        .first()
    )
    if enrolment is None:
        raise Conflict("Enrol in the course before starting its lessons.", code="not_enrolled")
    if lesson.retired_at is not None:
        raise NotFound("This lesson was retired from the course.")
    return enrolment


def _progress(enrolment: Enrolment, lesson: Lesson, now: datetime) -> LessonProgress:
    progress, _ = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"started_at": now}
    )
    return progress


@transaction.atomic
def open_lesson(user: User, lesson: Lesson, *, now: datetime | None = None) -> LessonProgress:
    """The learner opened ``lesson``: it is started, and where they resume from."""
    now = now or timezone.now()
    enrolment = _locked_enrolment(user, lesson)
    enrolment.last_lesson, enrolment.last_seen_at = lesson, now
    enrolment.save(update_fields=["last_lesson", "last_seen_at"])
    return _progress(enrolment, lesson, now)


@transaction.atomic
def complete_lesson(user: User, lesson: Lesson, *, now: datetime | None = None) -> LessonProgress:
    """Mark a reading, video or resources lesson done (quizzes and exercises are passed)."""
    now = now or timezone.now()
    if lesson.is_graded:
        raise Conflict(
            f"A {lesson.get_kind_display().lower()} is complete when you pass it.",
            code="graded_lesson",
        )
    enrolment = _locked_enrolment(user, lesson)
    progress = _progress(enrolment, lesson, now)
    _finish(enrolment, progress, now)
    return progress


def grade_quiz(lesson: Lesson, answers: Mapping[int, Sequence[int]]) -> tuple[int, list[dict]]:
    """Score a quiz: (per cent right, per-question results). Every question must be answered.

    A question is right when the chosen set is exactly the correct set; a
    single-answer question takes exactly one choice.
    """
    questions = list(lesson.questions.prefetch_related("choices"))
    if not questions:
        raise ValidationFailed("This quiz has no questions yet.")
    unknown = set(answers) - {question.pk for question in questions}
    if unknown:
        raise ValidationFailed("Some answers are not for this quiz's questions.")
    results, right = [], 0
    for number, question in enumerate(questions, start=1):
        chosen = set(answers.get(question.pk, ()))
        choices = {choice.pk: choice for choice in question.choices.all()}
        if not chosen:
            raise ValidationFailed(f"Answer question {number} before submitting.")
        if chosen - set(choices):
            raise ValidationFailed(f"Question {number} has no such answer.")
        if question.kind == Question.Kind.SINGLE and len(chosen) > 1:
            raise ValidationFailed(f"Question {number} takes one answer.")
        correct = {pk for pk, choice in choices.items() if choice.is_correct}
        is_right = chosen == correct
        right += is_right
        results.append({"question": question.pk, "chosen": sorted(chosen), "right": is_right})
    return round(100 * right / len(questions)), results


@transaction.atomic
def submit_quiz(
    user: User,
    lesson: Lesson,
    answers: Mapping[int, Sequence[int]],
    *,
    now: datetime | None = None,
) -> Attempt:
    """Grade and keep a quiz attempt; the first pass completes the lesson."""
    now = now or timezone.now()
    if lesson.kind != Lesson.Kind.QUIZ:
        raise NotFound("This lesson is not a quiz.")
    enrolment = _locked_enrolment(user, lesson)
    score, results = grade_quiz(lesson, answers)
    progress = _progress(enrolment, lesson, now)
    return _record_attempt(
        enrolment,
        progress,
        now,
        score=score,
        answers={str(row["question"]): row["chosen"] for row in results},
        grading={"questions": results},
    )


def grade_answer(practice_review: PracticeReview, text: str) -> tuple[int, bool, dict]:
    """The response coach's grade of a practice answer: (score, passed, the coaching as JSON).

    Practice has no clock, so timeliness does not apply (no publication time).
    A pass needs the lesson's score and no guideline failed.
    """
    coaching = coach(
        ReviewInput(
            text=practice_review.text,
            rating=practice_review.rating,
            product=practice_review.product,
            reviewer=practice_review.reviewer,
            title=practice_review.title,
        ),
        text,
    )
    failed = any(finding.verdict == "fail" for finding in coaching.findings)
    return coaching.score, not failed, coaching.as_dict()


@transaction.atomic
def submit_exercise(
    user: User,
    lesson: Lesson,
    practice_review: PracticeReview,
    text: str,
    *,
    now: datetime | None = None,
) -> Attempt:
    """Grade a practice answer with the response coach and keep it; a pass completes the lesson."""
    now = now or timezone.now()
    if lesson.kind != Lesson.Kind.EXERCISE:
        raise NotFound("This lesson is not a practice exercise.")
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("Write your answer to the review first.")
    if len(text) > ANSWER_MAX_LENGTH:
        raise ValidationFailed(f"Keep the answer under {ANSWER_MAX_LENGTH:,} characters.")
    if not lesson.practice_reviews.filter(pk=practice_review.pk).exists():
        raise ValidationFailed("That review is not part of this exercise.")
    enrolment = _locked_enrolment(user, lesson)
    score, no_failure, coaching = grade_answer(practice_review, text)
    progress = _progress(enrolment, lesson, now)
    return _record_attempt(
        enrolment,
        progress,
        now,
        score=score,
        passed=no_failure and score >= lesson.pass_score,
        practice_review=practice_review,
        text=text,
        grading=coaching,
    )


def _record_attempt(
    enrolment: Enrolment,
    progress: LessonProgress,
    now: datetime,
    *,
    score: int,
    passed: bool | None = None,
    **fields,
) -> Attempt:
    passed = score >= progress.lesson.pass_score if passed is None else passed
    attempt = Attempt.objects.create(
        progress=progress, score=score, passed=passed, created_at=now, **fields
    )
    progress.attempts += 1
    progress.best_score = max(progress.best_score or 0, score)
    progress.save(update_fields=["attempts", "best_score"])
    if passed:
        _finish(enrolment, progress, now)
    return attempt


def _finish(enrolment: Enrolment, progress: LessonProgress, now: datetime) -> None:
    if progress.completed_at is None:
        progress.completed_at = now
        progress.save(update_fields=["completed_at"])
    if enrolment.completed_at is not None:
        return
    lessons = Lesson.objects.filter(module__course_id=enrolment.course_id, retired_at__isnull=True)
    done = LessonProgress.objects.filter(
        enrolment=enrolment, lesson__in=lessons, completed_at__isnull=False
    )
    if done.count() == lessons.count():
        enrolment.completed_at = now
        enrolment.save(update_fields=["completed_at"])
        _issue_certificate(enrolment, now)


def new_certificate_code() -> str:
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "SPA-" + "-".join(groups)


def _issue_certificate(enrolment: Enrolment, now: datetime) -> Certificate:
    user = enrolment.user
    name = user.get_full_name().strip() or user.email
    for _ in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    enrolment=enrolment,
                    code=new_certificate_code(),
                    holder_name=name,
                    course_title=enrolment.course.title,
                    issued_at=now,
                )
        except IntegrityError:  # a code already issued: draw another
            continue
    raise Conflict("Could not issue a certificate code; try again.", code="certificate_code")
