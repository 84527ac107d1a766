"""Reads of the Academy: the catalog, a learner's outline and progress, recommendations.

Recommendations come from the seller's own data: each course lists the
signals that make it worth taking (``Course.signals``, from its content's
``recommend_when``), and the first one a learner's store shows is the reason
shown. Each signal is one function of ``MEASURES`` (or ``weak_guidelines``):

- ``new_store``: the store opened in the last ``NEW_STORE_DAYS`` days (courses
  required for new stores always listen to it);
- ``low_coach_scores``: the response coach re-reads the store's last
  ``COACH_SAMPLE`` review answers; a guideline that did not pass in at least
  ``WEAK_SHARE`` of them counts for the courses that teach it;
- ``late_review_answers``: under 95 % of the reviews due in the last 30 days answered within
  48 h (as the review queue and the KPI count them);
- ``unanswered_negative_reviews``: 1–2 star reviews past the 48-hour goal unanswered;
- ``rising_issue_without_plan``: an open rising issue (no plan started);
- ``few_plans_from_feedback``: issues found in 90 days but no plan started in them;
- ``slow_message_replies``: under ``ON_TIME_TARGET`` of last month's answered
  buyer waits answered by their due time;
- ``abandoned_conversations``: buyers waiting for over 48 hours.

The signals of a store are cached for an hour.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
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
    SuccessStory,
)
from saypro.accounts.models import User
from saypro.catalog.models import Store
from saypro.coaching.coach import ReviewInput, coach
from saypro.coaching.guidelines.base import GUIDELINES
from saypro.improvements import impact as improvement_impact
from saypro.improvements.models import Plan
from saypro.insights import services as insights_services
from saypro.insights.models import RisingIssue
from saypro.insights.themes import DEFAULT_THEMES
from saypro.messaging.models import Wait
from saypro.reviews.models import Answer, Review
from saypro.reviews.selectors import response_stats
from saypro.surveys.models import Audience
from saypro.surveys.selectors import active_people

COACH_SAMPLE = 20
WEAK_SHARE = 0.3
ON_TIME_TARGET = 0.9
REVIEW_ON_TIME_TARGET = 0.95
ABANDONED_AFTER = timedelta(hours=48)
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
    last_lesson_id: int | None = None  # the lesson the learner opened last (the enrolment's)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    def lessons(self) -> list[LessonState]:
        return [state for module in self.modules for state in module.lessons]

    def state_of(self, lesson: Lesson) -> LessonState | None:
        return self.state_of_id(lesson.pk)

    def next_to_do(self) -> LessonState | None:
        """The first lesson not completed."""
        return next((state for state in self.lessons() if not state.completed), None)

    def resume(self) -> LessonState | None:
        """Where "Continue" leads: the lesson opened last while it is not completed (a quiz
        or exercise left half-way), else the first lesson not completed; None when done.

        A retired last lesson is not in the outline, so it falls back to the first one.
        """
        last = self.state_of_id(self.last_lesson_id)
        if last is not None and not last.completed:
            return last
        return self.next_to_do()

    def state_of_id(self, lesson_id: int | None) -> LessonState | None:
        return next((state for state in self.lessons() if state.lesson.pk == lesson_id), None)

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
    return Outline(modules, number, completed, enrolment.last_lesson_id if enrolment else None)


def theme_names() -> list[str]:
    """The insights taxonomy's theme names (the active ones; the defaults before any exist)."""
    themes = insights_services.taxonomy() or DEFAULT_THEMES
    return [theme.name for theme in themes]


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
    """The certificate with ``code`` as people type it: any case, with or without the dashes
    (``spa7kq2m9xd`` finds ``SPA-7KQ2-M9XD``)."""
    typed = code.strip().upper()
    compact = "".join(typed.replace("-", "").split())
    candidates = {typed}
    if len(compact) == 11:  # "SPA" and two groups of four
        candidates.add(f"{compact[:3]}-{compact[3:7]}-{compact[7:]}")
    return (
        Certificate.objects.filter(code__in=candidates).select_related("enrolment__course").first()
    )


# --- Recommendations -------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    """A course worth taking, why, and for weak coach results the lesson that teaches the fix."""

    course: Course
    reason: str
    lesson: Lesson | None = None

    @property
    def url(self) -> str:
        """Where the recommendation leads: the lesson when there is one, else the course."""
        if self.lesson is None:
            return self.course.get_absolute_url()
        return reverse("academy:lesson", kwargs={"slug": self.course.slug, "key": self.lesson.key})


def _new_store(store: Store, now: datetime) -> str | None:
    days = (now - store.created_at).days
    if days > NEW_STORE_DAYS:
        return None
    when = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
    return f"{store.name} opened {when}: every new store starts with this course."


def _late_review_answers(store: Store, now: datetime) -> str | None:
    """Measured as the review queue and the KPI measure it (``reviews.selectors``)."""
    stats = response_stats(store, now=now)
    if stats.on_time_rate is not None and stats.on_time_rate < REVIEW_ON_TIME_TARGET:
        return (
            f"{store.name} answered {stats.on_time_rate:.0%} of its reviews within 48 hours "
            f"over the last 30 days ({stats.on_time} of {stats.due} due); the goal is 95 %."
        )
    return None


def _unanswered_negative_reviews(store: Store, now: datetime) -> str | None:
    count = Review.objects.filter(
        store=store,
        status=Review.Status.PUBLISHED,
        is_answered=False,
        rating__lte=2,
        response_due_at__lt=now,
    ).count()
    if count:
        reviews = f"{count} negative review{'s' if count != 1 else ''}"
        return f"{reviews} of {store.name} passed the 48-hour goal without an answer."
    return None


def _rising_issue_without_plan(store: Store, now: datetime) -> str | None:
    issue = (
        RisingIssue.objects.filter(store=store, status=RisingIssue.Status.OPEN)
        .select_related("theme", "product")
        .first()
    )
    if issue is not None:
        return f"{store.name} has a rising issue in its reviews (“{issue}”) with no plan yet."
    return None


def _few_plans_from_feedback(store: Store, now: datetime) -> str | None:
    since = now - timedelta(days=90)
    issues = RisingIssue.objects.filter(store=store, detected_at__gte=since).count()
    if issues and not Plan.objects.filter(store=store, created_at__gte=since).exists():
        return (
            f"Reviews of {store.name} raised {issues} issue{'s' if issues != 1 else ''} "
            "in 90 days, and no improvement plan was started."
        )
    return None


def _slow_message_replies(store: Store, now: datetime) -> str | None:
    ended = Wait.objects.filter(
        conversation__store=store,
        ended_at__gte=now - SIGNAL_WINDOW,
        outcome=Wait.Outcome.ANSWERED,
    )
    total = ended.count()
    on_time = ended.filter(ended_at__lte=F("due_at")).count()
    if total and on_time / total < ON_TIME_TARGET:
        return (
            f"{store.name} answered {on_time / total:.0%} of buyers' messages within "
            "24 hours last month."
        )
    return None


def _abandoned_conversations(store: Store, now: datetime) -> str | None:
    count = Wait.objects.filter(
        conversation__store=store, outcome=Wait.Outcome.OPEN, started_at__lt=now - ABANDONED_AFTER
    ).count()
    if count:
        buyers = f"{count} buyer{'s have' if count != 1 else ' has'}"
        return f"{buyers} waited over 48 hours for an answer from {store.name}."
    return None


MEASURES = {
    Signal.NEW_STORE: _new_store,
    Signal.LATE_REVIEW_ANSWERS: _late_review_answers,
    Signal.UNANSWERED_NEGATIVE_REVIEWS: _unanswered_negative_reviews,
    Signal.RISING_ISSUE_WITHOUT_PLAN: _rising_issue_without_plan,
    Signal.FEW_PLANS_FROM_FEEDBACK: _few_plans_from_feedback,
    Signal.SLOW_MESSAGE_REPLIES: _slow_message_replies,
    Signal.ABANDONED_CONVERSATIONS: _abandoned_conversations,
}


def store_signals(store: Store, *, now: datetime | None = None) -> dict[str, object]:
    """What the store's own data says it should learn: ``{signal: reason}`` (cached an hour).

    ``low_coach_scores`` holds the weak guideline keys instead of a reason.
    """
    key = f"academy:signals:{store.pk}"
    signals = cache.get(key)
    if signals is None:
        now = now or timezone.now()
        signals = {signal: measure(store, now) for signal, measure in MEASURES.items()}
        signals[Signal.LOW_COACH_SCORES] = weak_guidelines(store)
        signals = {signal: value for signal, value in signals.items() if value}
        cache.set(key, signals, SIGNALS_CACHE_SECONDS)
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
    """Published courses the learner has not completed, for a reason in their stores' data.

    A course's reason is the first of its signals (in the course's order) that
    one of the learner's stores shows; courses required for new stores are
    recommended to new stores' people. Weak coach results on a guideline point
    at the course's first current lesson that teaches it (``Lesson.teaches``).
    """
    if not user.is_authenticated:
        return []
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
    stores = list(Store.objects.filter(memberships__user=user).distinct().order_by("pk"))
    found = []
    for course in courses:
        recommendation = next(
            (
                found_here
                for store in stores
                if (found_here := _recommendation(course, store, store_signals(store, now=now)))
            ),
            None,
        )
        if recommendation is not None:
            found.append(recommendation)
    return found


def _recommendation(
    course: Course, store: Store, signals: dict[str, object]
) -> Recommendation | None:
    wanted = list(course.signals)
    if course.required_for_new_stores and Signal.NEW_STORE not in wanted:
        wanted.append(Signal.NEW_STORE)
    for signal in wanted:
        if signal == Signal.LOW_COACH_SCORES:
            weak = [key for key in signals.get(signal, []) if key in course.teaches]
            if weak:
                labels = ", ".join(GUIDELINES[key].label.lower() for key in weak)
                lesson = lesson_teaching(course, weak)
                reason = (
                    f"The coach flags {labels} in many of {store.name}'s recent review answers."
                )
                if lesson is not None:
                    reason += f" Start with the lesson “{lesson.title}”."
                return Recommendation(course, reason, lesson)
        elif signals.get(signal):
            return Recommendation(course, str(signals[signal]))
    return None


def lesson_teaching(course: Course, guidelines: list[str]) -> Lesson | None:
    """The course's first current lesson (in outline order) teaching the first of ``guidelines``
    that any lesson teaches; None when no lesson teaches one of them."""
    lessons = list(
        Lesson.objects.filter(module__course=course, retired_at__isnull=True)
        .select_related("module")
        .order_by("module__position", "module__pk", "position", "pk")
    )
    for key in guidelines:
        lesson = next((lesson for lesson in lessons if key in lesson.teaches), None)
        if lesson is not None:
            return lesson
    return None


# --- Office authoring ------------------------------------------------------------------


def office_courses() -> QuerySet[Course]:
    """Every course for the office, with ``learners`` (enrolled) and ``completed`` counts."""
    return Course.objects.annotate(
        learners=Count("enrolments", distinct=True),
        completed=Count(
            "enrolments", filter=Q(enrolments__completed_at__isnull=False), distinct=True
        ),
    ).order_by("position", "title")


def authoring_outline(course: Course) -> list[tuple[Module, list[Lesson]]]:
    """The course's modules with every lesson (retired ones too, for the office)."""
    lessons: dict[int, list[Lesson]] = {}
    rows = Lesson.objects.filter(module__course=course).annotate(
        learners=Count("progress", distinct=True)
    )
    for lesson in rows.order_by("position", "pk"):
        lessons.setdefault(lesson.module_id, []).append(lesson)
    return [
        (module, lessons.get(module.pk, [])) for module in course.modules.order_by("position", "pk")
    ]


# --- Success stories -------------------------------------------------------------------


def published_stories() -> QuerySet[SuccessStory]:
    return SuccessStory.objects.filter(status=SuccessStory.Status.PUBLISHED).select_related(
        "store", "plan"
    )


def featured_story() -> SuccessStory | None:
    """The latest featured published story (the seller dashboard's card)."""
    return published_stories().filter(featured=True).order_by("-published_at", "-pk").first()


def story_for(user: User, slug: str) -> SuccessStory | None:
    """A published story; office staff also see drafts (preview)."""
    stories = SuccessStory.objects.filter(slug=slug).select_related("store", "plan__product")
    if not user.is_staff:
        stories = stories.filter(status=SuccessStory.Status.PUBLISHED)
    return stories.first()


def story_impact(story: SuccessStory) -> dict | None:
    """The linked plan's stored before/after measurement, as the impact partial shows it."""
    plan = story.plan
    if plan is None or not (plan.impact or {}).get("ready"):
        return None
    return improvement_impact.view(plan.impact)


def office_stories() -> QuerySet[SuccessStory]:
    return SuccessStory.objects.select_related("store", "plan").order_by("status", "-pk")


# --- KPI: participation ----------------------------------------------------------------


@dataclass(frozen=True)
class CourseParticipation:
    course: Course
    enrolments: int
    completions: int


@dataclass(frozen=True)
class Participation:
    """Who took part in the Academy in ``[start, end)``.

    ``enrolled`` / ``completed``: active sellers who enrolled in / completed a
    course in the period. ``target_enrolled`` / ``target_completed``: active
    sellers who have taken part in the target education — a course marked
    ``counts_for_target`` — at any time before ``end`` (the issue's goal: 80 %).
    """

    start: datetime
    end: datetime
    courses: list[CourseParticipation]
    active_sellers: int
    enrolled: int
    completed: int
    target_enrolled: int
    target_completed: int

    def share(self, count: int) -> float | None:
        return count / self.active_sellers if self.active_sellers else None

    @property
    def enrolled_share(self) -> float | None:
        return self.share(self.enrolled)

    @property
    def completed_share(self) -> float | None:
        return self.share(self.completed)

    @property
    def target_share(self) -> float | None:
        return self.share(self.target_enrolled)

    @property
    def target_completed_share(self) -> float | None:
        return self.share(self.target_completed)


def quarter(day: datetime) -> tuple[datetime, datetime]:
    """The calendar quarter holding ``day``: [first instant, first instant of the next)."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = day.replace(month=first_month, day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (
        start.replace(year=start.year + 1, month=1)
        if first_month == 10
        else start.replace(month=first_month + 3)
    )
    return start, end


def participation(start: datetime, end: datetime) -> Participation:
    """Enrolment and completion per course and per active seller in ``[start, end)``.

    Active sellers are the surveys' (``surveys.selectors.active_people``): members
    of a store that sold something or heard from a buyer in the period.
    """
    in_period = Q(enrolments__enrolled_at__gte=start, enrolments__enrolled_at__lt=end)
    done_in_period = Q(enrolments__completed_at__gte=start, enrolments__completed_at__lt=end)
    courses = Course.objects.exclude(status=Course.Status.DRAFT).annotate(
        period_enrolments=Count("enrolments", filter=in_period, distinct=True),
        period_completions=Count("enrolments", filter=done_in_period, distinct=True),
    )
    sellers = active_people(start=start, end=end, audience=Audience.SELLERS)
    mine = Enrolment.objects.filter(user_id__in=sellers).exclude(course__status=Course.Status.DRAFT)
    target = mine.filter(course__counts_for_target=True, enrolled_at__lt=end)
    return Participation(
        start=start,
        end=end,
        courses=[
            CourseParticipation(course, course.period_enrolments, course.period_completions)
            for course in courses.order_by("position", "title")
        ],
        active_sellers=len(sellers),
        enrolled=mine.filter(enrolled_at__gte=start, enrolled_at__lt=end)
        .values("user_id")
        .distinct()
        .count(),
        completed=mine.filter(completed_at__gte=start, completed_at__lt=end)
        .values("user_id")
        .distinct()
        .count(),
        target_enrolled=target.values("user_id").distinct().count(),
        target_completed=target.filter(completed_at__lt=end).values("user_id").distinct().count(),
    )
