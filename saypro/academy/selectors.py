"""Reads of the Academy: the catalog, a learner's outline and progress, recommendations.

Recommendations come from the seller's own data, each with the reason shown:

- **weak coach results**: the response coach re-reads the store's last
  ``COACH_SAMPLE`` review answers; a guideline that did not pass in at least
  ``WEAK_SHARE`` of them recommends the courses that teach it;
- **slow message replies**: fewer than ``ON_TIME_TARGET`` of the store's buyer
  waits ended in the last 30 days were answered within their due time;
- **a rising issue without a plan**: the store has an open rising issue.

Courses marked required for new stores are recommended to members of stores
opened in the last ``NEW_STORE_DAYS`` days until they complete them.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from saypro.academy.models import (
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    Level,
    Module,
    Signal,
)
from saypro.accounts.models import User
from saypro.catalog.models import Store
from saypro.coaching.coach import ReviewInput, coach
from saypro.coaching.guidelines.base import GUIDELINES
from saypro.insights.models import RisingIssue
from saypro.messaging.models import Wait
from saypro.reviews.models import Answer

COACH_SAMPLE = 20
WEAK_SHARE = 0.3
ON_TIME_TARGET = 0.9
SIGNAL_WINDOW = timedelta(days=30)
NEW_STORE_DAYS = 90
SIGNALS_CACHE_SECONDS = 3600


def published_courses(*, query: str = "", level: str = "", topic: str = "") -> QuerySet[Course]:
    """The catalog: published courses matching a search in title, summary and description."""
    courses = Course.objects.filter(status=Course.Status.PUBLISHED).annotate(
        lesson_count=Count("modules__lessons", filter=Q(modules__lessons__retired_at=None))
    )
    for word in query.split():
        courses = courses.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word)
        )
    if level in Level.values:
        courses = courses.filter(level=level)
    if topic:
        courses = courses.filter(topics__icontains=f'"{topic}"')
    return courses.order_by("position", "title")


def topics() -> list[str]:
    """Every topic of a published course, for the catalog's filter."""
    names = Course.objects.filter(status=Course.Status.PUBLISHED).values_list("topics", flat=True)
    return sorted({topic for row in names for topic in row})


def course_for(user: User, slug: str) -> Course | None:
    """A published course; staff also see drafts (preview)."""
    courses = Course.objects.filter(slug=slug)
    if not user.is_staff:
        courses = courses.filter(status=Course.Status.PUBLISHED)
    return courses.first()


def enrolment_of(user: User, course: Course) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course=course).select_related("last_lesson").first()


@dataclass
class LessonState:
    lesson: Lesson
    number: int
    started: bool = False
    completed: bool = False
    best_score: int | None = None


@dataclass
class ModuleOutline:
    module: Module
    lessons: list[LessonState] = field(default_factory=list)


@dataclass
class Outline:
    modules: list[ModuleOutline]
    total: int
    completed: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    def lessons(self) -> list[LessonState]:
        return [state for module in self.modules for state in module.lessons]

    def state_of(self, lesson: Lesson) -> LessonState | None:
        return next((state for state in self.lessons() if state.lesson.pk == lesson.pk), None)

    def next_to_do(self) -> LessonState | None:
        """The first lesson not completed (where "Continue" leads)."""
        return next((state for state in self.lessons() if not state.completed), None)

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        lessons = [state.lesson for state in self.lessons()]
        index = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
        previous = lessons[index - 1] if index > 0 else None
        following = lessons[index + 1] if index + 1 < len(lessons) else None
        return previous, following


def outline(course: Course, enrolment: Enrolment | None) -> Outline:
    """The course's modules and current lessons, with the learner's state of each."""
    progress = {}
    if enrolment is not None:
        progress = {
            row.lesson_id: row for row in LessonProgress.objects.filter(enrolment=enrolment)
        }
    modules, number, completed = [], 0, 0
    lessons = Lesson.objects.filter(module__course=course, retired_at__isnull=True)
    by_module: dict[int, list[Lesson]] = {}
    for lesson in lessons.order_by("module__position", "position", "pk"):
        by_module.setdefault(lesson.module_id, []).append(lesson)
    for module in course.modules.order_by("position", "pk"):
        entry = ModuleOutline(module)
        for lesson in by_module.get(module.pk, []):
            number += 1
            row = progress.get(lesson.pk)
            state = LessonState(lesson, number)
            if row is not None:
                state.started = True
                state.completed = row.completed_at is not None
                state.best_score = row.best_score
            completed += state.completed
            entry.lessons.append(state)
        if entry.lessons:
            modules.append(entry)
    return Outline(modules, number, completed)


def lesson_for(course: Course, key: str) -> Lesson | None:
    return (
        Lesson.objects.filter(module__course=course, key=key, retired_at__isnull=True)
        .select_related("module__course")
        .first()
    )


def attempts_of(enrolment: Enrolment | None, lesson: Lesson):
    if enrolment is None:
        return []
    progress = LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).first()
    return list(progress.history.all()[:10]) if progress else []


def my_learning(user: User) -> list[tuple[Enrolment, Outline]]:
    """The learner's enrolments, unfinished first, each with its outline."""
    enrolments = (
        Enrolment.objects.filter(user=user)
        .select_related("course", "last_lesson")
        .order_by(F("completed_at").desc(nulls_first=True), "-last_seen_at", "-enrolled_at")
    )
    return [(enrolment, outline(enrolment.course, enrolment)) for enrolment in enrolments]


def certificate(code: str) -> Certificate | None:
    return (
        Certificate.objects.filter(code=code.strip().upper())
        .select_related("enrolment__course")
        .first()
    )


# --- Recommendations -------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    course: Course
    reason: str


def store_signals(store: Store, *, now: datetime | None = None) -> dict[str, list[str]]:
    """What the store's own data says it should learn: ``{signal: [details]}`` (cached)."""
    key = f"academy:signals:{store.pk}"
    signals = cache.get(key)
    if signals is None:
        signals = _measure_signals(store, now or timezone.now())
        cache.set(key, signals, SIGNALS_CACHE_SECONDS)
    return signals


def _measure_signals(store: Store, now: datetime) -> dict[str, list[str]]:
    signals: dict[str, list[str]] = {}
    weak = weak_guidelines(store)
    if weak:
        signals[Signal.WEAK_COACH_RESULTS] = weak
    ended = Wait.objects.filter(
        conversation__store=store,
        ended_at__gte=now - SIGNAL_WINDOW,
        outcome=Wait.Outcome.ANSWERED,
    )
    total = ended.count()
    on_time = ended.filter(ended_at__lte=F("due_at")).count()
    if total and on_time / total < ON_TIME_TARGET:
        signals[Signal.SLOW_MESSAGE_REPLIES] = [f"{on_time / total:.0%}"]
    issues = RisingIssue.objects.filter(store=store, status=RisingIssue.Status.OPEN)
    if issues.exists():
        signals[Signal.RISING_ISSUE_WITHOUT_PLAN] = [
            str(issue) for issue in issues.select_related("theme", "product")[:3]
        ]
    return signals


def weak_guidelines(store: Store) -> list[str]:
    """Guideline keys the store's recent answers miss in at least ``WEAK_SHARE`` of cases."""
    answers = list(
        Answer.objects.filter(store=store, withdrawn_at__isnull=True)
        .select_related("review__product")
        .order_by("-published_at")[:COACH_SAMPLE]
    )
    if not answers:
        return []
    missed: Counter[str] = Counter()
    for answer in answers:
        review = answer.review
        coaching = coach(
            ReviewInput(
                text=review.body,
                rating=review.rating,
                product=review.product.title,
                title=review.title,
            ),
            answer.body,
        )
        for finding in coaching.findings:
            if finding.applies and finding.verdict != "pass" and finding.guideline != "timeliness":
                missed[finding.guideline] += 1
    return [key for key in GUIDELINES if missed[key] >= WEAK_SHARE * len(answers)]


def recommended_for(user: User, *, now: datetime | None = None) -> list[Recommendation]:
    """Published courses the learner has not completed, for a reason in their stores' data."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    completed = set(
        Enrolment.objects.filter(user=user, completed_at__isnull=False).values_list(
            "course_id", flat=True
        )
    )
    courses = [
        course
        for course in Course.objects.filter(status=Course.Status.PUBLISHED)
        if course.pk not in completed
    ]
    reasons: dict[int, str] = {}
    stores = list(Store.objects.filter(memberships__user=user).distinct())
    for store in stores:
        signals = store_signals(store, now=now)
        for course in courses:
            if course.pk in reasons:
                continue
            reason = _reason(course, store, signals)
            if reason:
                reasons[course.pk] = reason
    new_store = any(store.created_at >= now - timedelta(days=NEW_STORE_DAYS) for store in stores)
    for course in courses:
        if course.pk not in reasons and course.required_for_new_stores and new_store:
            reasons[course.pk] = "Required for new stores."
    return [
        Recommendation(course, reasons[course.pk]) for course in courses if course.pk in reasons
    ]


def _reason(course: Course, store: Store, signals: dict[str, list[str]]) -> str:
    weak = [key for key in signals.get(Signal.WEAK_COACH_RESULTS, []) if key in course.teaches]
    if Signal.WEAK_COACH_RESULTS in course.signals and weak:
        labels = ", ".join(GUIDELINES[key].label.lower() for key in weak)
        return f"The coach flags {labels} in many of {store.name}'s recent review answers."
    if Signal.SLOW_MESSAGE_REPLIES in course.signals and Signal.SLOW_MESSAGE_REPLIES in signals:
        share = signals[Signal.SLOW_MESSAGE_REPLIES][0]
        return f"{store.name} answered {share} of buyers' messages within 24 hours last month."
    if (
        Signal.RISING_ISSUE_WITHOUT_PLAN in course.signals
        and Signal.RISING_ISSUE_WITHOUT_PLAN in signals
    ):
        return f"{store.name} has a rising issue in its reviews with no improvement plan yet."
    return ""
