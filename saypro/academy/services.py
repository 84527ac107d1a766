"""Every write of the Academy's learners: enrol, open and finish lessons, attempts, certificates.

Learners are sellers (members of a store) and office staff. Each function
checks that, validates its input and runs in one transaction under the
enrolment's row lock, so a refused call changes nothing and two tabs
submitting at once cannot both issue a certificate.

A lesson is complete when the learner marks a reading, video or resources
lesson done, or at the first passing quiz or exercise attempt. The course is
complete when every lesson not retired is; that issues the certificate and, after commit, the
badge check (Academy Graduate) and the course's satisfaction survey
(``tasks.course_completed``).
Lessons added to a course later do not take a completion or a certificate
away.
"""

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from saypro.academy import selectors
from saypro.academy.models import (
    ANSWER_MAX_LENGTH,
    Attempt,
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    MessageScenario,
    PracticeReview,
    ProductSet,
    Question,
)
from saypro.academy.tasks import course_completed
from saypro.accounts.models import User
from saypro.catalog.models import StoreMembership
from saypro.coaching.coach import ReviewInput, coach
from saypro.core.codes import readable_code
from saypro.core.effects import enqueue_on_commit
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.insights import services as insights_services
from saypro.insights.analysis import NEGATIVE, analyze
from saypro.insights.themes import DEFAULT_THEMES
from saypro.messaging.safety import contact_details
from saypro.notifications import services as notifications
from saypro.notifications.models import NotificationType

REMIND_AFTER = timedelta(days=7)


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


def submit_review_answer(
    user: User,
    lesson: Lesson,
    practice_review: PracticeReview,
    text: str,
    *,
    now: datetime | None = None,
) -> Attempt:
    """Grade a practice answer with the response coach and keep it; a pass completes the lesson."""
    return _submit_answer(REVIEW_ANSWER, user, lesson, practice_review, text, now)


def grade_message(scenario: MessageScenario, text: str) -> tuple[int, bool, dict]:
    """A reply to a buyer's question against its rubric: (score, allowed, the items as JSON).

    An item is met when the reply contains any of its phrases (case-insensitive);
    the score is the share of items met. A reply with contact details, links or
    handles is never allowed (the marketplace keeps conversations on SayPro).
    """
    folded = text.casefold()
    items = [
        {
            "label": item["label"],
            "met": any(phrase.casefold() in folded for phrase in item["phrases"]),
        }
        for item in scenario.rubric
    ]
    found = contact_details(text)
    score = round(100 * sum(item["met"] for item in items) / len(items)) if items else 0
    return score, not found, {"items": items, "contact_details": found}


STEP_MARKERS = "-*•0123456789.) "
MEASURE = re.compile(r"\d|\bhalve|\bdouble", re.IGNORECASE)
TIME_FRAME = re.compile(
    r"\b(days?|weeks?|months?|quarters?|by (?:the end of )?\w+|within|before|after)\b",
    re.IGNORECASE,
)


def plan_steps(plan: str) -> list[str]:
    """The plan's steps: its non-empty lines, without bullets or numbers."""
    return [line.strip().lstrip(STEP_MARKERS).strip() for line in plan.splitlines() if line.strip()]


def grade_plan(product_set: ProductSet, issue: str, plan: str) -> tuple[int, dict]:
    """An action plan for a product's reviews: (score, the points as JSON).

    The top issue is what the insights analysis finds in the set's reviews
    (``insights_selectors.top_issue``): naming it earns 50 points, a fair second
    answer of the set 30. Three steps or more earn 20 (two, 10); a measurable
    goal (a number) 15; a time frame 15.
    """
    expected = top_issue(product_set)
    steps = plan_steps(plan)
    if issue == expected:
        issue_points = 50
    elif issue in product_set.acceptable_issues:
        issue_points = 30
    else:
        issue_points = 0
    points = [
        {"label": f"Names the top issue ({expected})", "points": issue_points, "of": 50},
        {
            "label": "Three or more concrete steps",
            "points": 20 if len(steps) >= 3 else 10 if len(steps) == 2 else 0,
            "of": 20,
        },
        {"label": "A measurable goal", "points": 15 if MEASURE.search(plan) else 0, "of": 15},
        {"label": "A time frame", "points": 15 if TIME_FRAME.search(plan) else 0, "of": 15},
    ]
    score = sum(point["points"] for point in points)
    return score, {"expected_issue": expected, "issue": issue, "points": points, "steps": steps}


def top_issue(product_set: ProductSet) -> str:
    """The theme with the most negative mentions in the set's reviews (the insights analysis)."""
    themes = insights_services.taxonomy() or DEFAULT_THEMES
    names = {theme.slug: theme.name for theme in themes}
    analyses = analyze([review["text"] for review in product_set.reviews], themes=themes)
    counts = Counter(
        slug
        for analysis in analyses
        for slug, sentiment in analysis.themes.items()
        if sentiment == NEGATIVE
    )
    return names[counts.most_common(1)[0][0]] if counts else ""


def submit_message_reply(
    user: User,
    lesson: Lesson,
    scenario: MessageScenario,
    text: str,
    *,
    now: datetime | None = None,
) -> Attempt:
    """Grade a reply to a buyer's question against its rubric; a pass completes the lesson."""
    return _submit_answer(MESSAGE_REPLY, user, lesson, scenario, text, now)


@dataclass(frozen=True)
class _AnswerExercise:
    """An exercise answered in writing about one of the lesson's items."""

    type: str
    items: str  # the lesson's relation to its items
    field: str  # the attempt's foreign key to the item
    grade: Callable[[object, str], tuple[int, bool, dict]]  # (score, allowed, grading)
    empty: str
    foreign: str


REVIEW_ANSWER = _AnswerExercise(
    Lesson.ExerciseType.REVIEW_ANSWER,
    "practice_reviews",
    "practice_review",
    grade_answer,
    "Write your answer to the review first.",
    "That review is not part of this exercise.",
)
MESSAGE_REPLY = _AnswerExercise(
    Lesson.ExerciseType.MESSAGE_REPLY,
    "message_scenarios",
    "message_scenario",
    grade_message,
    "Write your reply to the buyer first.",
    "That question is not part of this exercise.",
)


@transaction.atomic
def _submit_answer(exercise: _AnswerExercise, user, lesson, item, text, now) -> Attempt:
    now = now or timezone.now()
    _require_exercise(lesson, exercise.type)
    text = _clean_answer(text, exercise.empty)
    if not getattr(lesson, exercise.items).filter(pk=item.pk).exists():
        raise ValidationFailed(exercise.foreign)
    enrolment = _locked_enrolment(user, lesson)
    score, allowed, grading = exercise.grade(item, text)
    return _record_attempt(
        enrolment,
        _progress(enrolment, lesson, now),
        now,
        score=score,
        passed=allowed and score >= lesson.pass_score,
        text=text,
        grading=grading,
        **{exercise.field: item},
    )


@transaction.atomic
def submit_action_plan(
    user: User, lesson: Lesson, issue: str, plan: str, *, now: datetime | None = None
) -> Attempt:
    """Grade a top issue and plan for the lesson's product set; a pass completes the lesson."""
    now = now or timezone.now()
    _require_exercise(lesson, Lesson.ExerciseType.ACTION_PLAN)
    plan = _clean_answer(plan, "Write your plan, one step per line.")
    if not issue:
        raise ValidationFailed("Choose the top issue first.", details={"field": "issue"})
    enrolment = _locked_enrolment(user, lesson)
    score, grading = grade_plan(lesson.product_set, issue, plan)
    return _record_attempt(
        enrolment,
        _progress(enrolment, lesson, now),
        now,
        score=score,
        answers={"issue": issue},
        text=plan,
        grading=grading,
    )


def _require_exercise(lesson: Lesson, exercise_type: str) -> None:
    if lesson.kind != Lesson.Kind.EXERCISE or lesson.exercise_type != exercise_type:
        raise NotFound("This lesson is not that kind of exercise.")


def _clean_answer(text: str, empty_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(empty_message, details={"field": "text"})
    if len(text) > ANSWER_MAX_LENGTH:
        raise ValidationFailed(
            f"Keep it under {ANSWER_MAX_LENGTH:,} characters.", details={"field": "text"}
        )
    return text


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
        enqueue_on_commit(course_completed, enrolment.pk)


def remind_idle_learners(*, now: datetime | None = None) -> int:
    """``course_reminder`` for learners idle for ``REMIND_AFTER``; how many were reminded.

    Once per idle spell: a reminder is not repeated until the learner comes
    back (opening a lesson moves ``last_seen_at`` past ``reminded_at``).
    Each notification links to the lesson "Continue" leads to (``Outline.resume``).
    """
    now = now or timezone.now()
    idle_since = now - REMIND_AFTER
    idle = (
        Enrolment.objects.filter(completed_at__isnull=True, course__status=Course.Status.PUBLISHED)
        .filter(Q(last_seen_at__lt=idle_since) | Q(last_seen_at=None, enrolled_at__lt=idle_since))
        .filter(Q(reminded_at=None) | Q(reminded_at__lt=F("last_seen_at")))
        .select_related("user", "course")
    )
    reminded = 0
    for enrolment in idle:
        following = selectors.outline(enrolment.course, enrolment).resume()
        if following is None:
            continue
        with transaction.atomic():
            notifications.notify(
                enrolment.user,
                NotificationType.COURSE_REMINDER,
                subject=enrolment,
                text=f"Continue “{enrolment.course.title}”: next up, {following.lesson.title}",
                link=reverse(
                    "academy:lesson",
                    kwargs={"slug": enrolment.course.slug, "key": following.lesson.key},
                ),
                now=now,
            )
            Enrolment.objects.filter(pk=enrolment.pk).update(reminded_at=now)
        reminded += 1
    return reminded


def new_certificate_code() -> str:
    return readable_code("SPA")


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
