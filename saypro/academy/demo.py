"""Demo learning history: sellers enrolled in the shipped courses, part-way or certified.

Everything goes through the services at past times, so progress, attempts and
certificates are what learners would have left: about two thirds of the
stores' people took "Responding to reviews" over the last six months (most
finished it, some failed a quiz or an exercise first), fewer took the other
two. The demo owner is half-way through the first course (so "Continue"
shows) and the demo agent holds its certificate. Then the office's work
(``demo_stories``): two published success stories and a draft course.

``load_demo_course_survey`` runs later, after the surveys demo (which answers every
invitation it finds as its own): the office's course-completed satisfaction survey,
started before the history (``loading.create_course_survey``); each graduate asked
when they finished, as ``tasks.course_completed`` does (the survey rules decide), and
about half answering through the surveys services, 85 % of them with 4 or 5 of 5.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from saypro.academy import loading, services
from saypro.academy.demo_stories import load_demo_stories
from saypro.academy.models import Course, Enrolment, Lesson, SuccessStory
from saypro.accounts.models import User
from saypro.catalog.demo import ACCOUNTS
from saypro.catalog.models import StoreMembership
from saypro.core.errors import ApplicationError
from saypro.surveys import services as surveys
from saypro.surveys.models import Response, Survey

HISTORY_DAYS = 180
TAKE_UP = {  # share of the stores' people who enrolled in each course
    "responding-to-reviews": 0.65,
    "feedback-to-better-products": 0.35,
    "messaging-that-converts": 0.45,
}
FINISH_SHARE = 0.7
FIRST_TRY_FAILS = 0.3
WEAK_ANSWER = "Noted."
SURVEY_ANSWER_SHARE = 0.55  # of the graduates asked
# The answers' scores are dealt from this deck, reshuffled when used up, so the share
# satisfied (4 or 5) stays near its 85 %, under the 90 % target, even over a few answers.
SURVEY_SCORES = (5,) * 10 + (4,) * 7 + (3,) * 2 + (2,)
SURVEY_COMMENTS = [
    "The practice reviews felt real, and the coach showed me exactly what my answers missed.",
    "Short lessons I could finish between orders. The quiz explanations were the best part.",
    "I now answer every review within two days and offer a next step every time.",
    "Good course. More examples from stores that sell food and cosmetics would help.",
    "The action-plan template is what I use every month now.",
    "A little long in the middle, but the exercises were worth it.",
    "",
    "",
]


@dataclass(frozen=True)
class AcademyReport:
    courses: int
    enrolments: int
    completed: int
    certificates: int
    stories: int = 0


def load_demo_academy(*, seed: int, now: datetime) -> AcademyReport:
    """The shipped content, then the sellers' history (once: nothing if anyone enrolled)."""
    loading.load_content(now=now - timedelta(days=HISTORY_DAYS + 1))
    if not Enrolment.objects.exists():
        _history(random.Random(seed), now)
    load_demo_stories(now=now)
    return AcademyReport(
        Course.objects.filter(status=Course.Status.PUBLISHED).count(),
        Enrolment.objects.count(),
        Enrolment.objects.filter(completed_at__isnull=False).count(),
        Enrolment.objects.filter(certificate__isnull=False).count(),
        SuccessStory.objects.filter(status=SuccessStory.Status.PUBLISHED).count(),
    )


def _history(rng: random.Random, now: datetime) -> None:
    people = list(
        User.objects.filter(
            pk__in=StoreMembership.objects.values("user_id"), is_active=True
        ).order_by("pk")
    )
    owner = next((p for p in people if p.email == ACCOUNTS["owner"].email), None)
    agent = next((p for p in people if p.email == ACCOUNTS["agent"].email), None)
    for course in Course.objects.filter(slug__in=TAKE_UP).order_by("position"):
        lessons = _lessons(course)
        for person in people:
            if person in (owner, agent):
                continue
            if rng.random() < TAKE_UP[course.slug]:
                start = now - timedelta(days=rng.uniform(3, HISTORY_DAYS))
                done = len(lessons) if rng.random() < FINISH_SHARE else rng.randrange(len(lessons))
                _learn(rng, person, course, lessons[:done], start, now)
    first = Course.objects.filter(slug="responding-to-reviews").first()
    if first is not None:
        lessons = list(
            Lesson.objects.filter(module__course=first).order_by("module__position", "position")
        )
        if agent is not None:
            _learn(rng, agent, first, lessons, now - timedelta(days=40), now)
        if owner is not None:
            _learn(rng, owner, first, lessons[: len(lessons) // 2], now - timedelta(days=6), now)


def _lessons(course: Course) -> list[Lesson]:
    return list(
        Lesson.objects.filter(module__course=course, retired_at__isnull=True).order_by(
            "module__position", "position"
        )
    )


def _learn(rng, person: User, course: Course, lessons: list[Lesson], start, now) -> None:
    """Enrol at ``start`` and take ``lessons`` in order, a day or so apart, before ``now``."""
    services.enrol(person, course, now=start)
    moment = start
    for lesson in lessons:
        moment = min(moment + timedelta(hours=rng.uniform(2, 60)), now - timedelta(hours=1))
        services.open_lesson(person, lesson, now=moment)
        if not lesson.is_graded:  # a reading, video or downloads: marked done
            services.complete_lesson(person, lesson, now=moment + timedelta(minutes=lesson.minutes))
        elif lesson.kind == Lesson.Kind.QUIZ:
            _take_quiz(rng, person, lesson, moment)
        else:
            _practise(rng, person, lesson, moment)


def _take_quiz(rng, person: User, lesson: Lesson, moment) -> None:
    right = {
        question.pk: [choice.pk for choice in question.choices.all() if choice.is_correct]
        for question in lesson.questions.prefetch_related("choices")
    }
    if rng.random() < FIRST_TRY_FAILS:
        wrong = dict(right)
        for question in list(wrong)[: max(1, len(wrong) // 3)]:
            others = list(
                lesson.questions.get(pk=question)
                .choices.exclude(is_correct=True)
                .values_list("pk", flat=True)
            )
            wrong[question] = others[:1] or wrong[question]
        services.submit_quiz(person, lesson, wrong, now=moment)
    services.submit_quiz(person, lesson, right, now=moment + timedelta(minutes=12))


def _practise(rng, person: User, lesson: Lesson, moment) -> None:
    fails_first = rng.random() < FIRST_TRY_FAILS
    later = moment + timedelta(minutes=15)
    if lesson.exercise_type == Lesson.ExerciseType.REVIEW_ANSWER:
        review = rng.choice(list(lesson.practice_reviews.all()))
        if fails_first:
            services.submit_review_answer(person, lesson, review, WEAK_ANSWER, now=moment)
        services.submit_review_answer(person, lesson, review, review.model_answer, now=later)
    elif lesson.exercise_type == Lesson.ExerciseType.MESSAGE_REPLY:
        scenario = rng.choice(list(lesson.message_scenarios.all()))
        if fails_first:
            services.submit_message_reply(person, lesson, scenario, WEAK_ANSWER, now=moment)
        services.submit_message_reply(person, lesson, scenario, scenario.model_answer, now=later)
    else:
        product_set = lesson.product_set
        plan = "\n".join(product_set.good_plan)
        issue = services.top_issue(product_set)
        if fails_first:
            services.submit_action_plan(person, lesson, issue, WEAK_ANSWER, now=moment)
        services.submit_action_plan(person, lesson, issue, plan, now=later)


def load_demo_course_survey(*, seed: int, now: datetime) -> int:
    """The course survey and the graduates' answers; how many answered. Once: nothing when a
    course-completed survey exists (or there is no demo office account to create it)."""
    office = User.objects.filter(email=ACCOUNTS["office"].email).first()
    if office is None:
        return 0
    started = now - timedelta(days=HISTORY_DAYS + 1)
    survey = loading.create_course_survey(actor=office, now=started)
    if survey is None:
        return 0
    _survey_answers(random.Random(f"{seed}:academy:survey"), survey, now)
    return Response.objects.filter(survey=survey).count()


def _survey_answers(rng: random.Random, survey: Survey, now: datetime) -> None:
    """Each graduate, in the order they finished, asked the course survey at that moment (the
    survey rules decide, as after a live completion); about half answer within three days."""
    graduates = Enrolment.objects.filter(completed_at__isnull=False).select_related("user")
    scores: list[int] = []
    for enrolment in graduates.order_by("completed_at", "pk"):
        asked_at = enrolment.completed_at
        invitation = surveys.invite_to(
            survey=survey, user=enrolment.user, subject=enrolment, now=asked_at
        )
        answered_at = asked_at + timedelta(hours=rng.uniform(1, 72))
        if invitation is None or rng.random() >= SURVEY_ANSWER_SHARE or answered_at >= now:
            continue
        if not scores:
            scores = rng.sample(SURVEY_SCORES, len(SURVEY_SCORES))
        try:
            surveys.answer(
                invitation=invitation,
                user=enrolment.user,
                score=scores.pop(),
                comment=rng.choice(SURVEY_COMMENTS),
                now=answered_at,
            )
        except ApplicationError:  # closed before they came back to it
            continue
