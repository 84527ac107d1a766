"""Academy pages: the catalog, a course, a lesson (reading, quiz, practice), certificates.

The catalog and course pages are public, so sellers-to-be can see what they
would learn; lessons need a learner (a store member or office staff).
Certificates are public pages: anyone with the code can check one.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saypro.academy import selectors, services
from saypro.academy.authoring import embed_url
from saypro.academy.forms import EXERCISE_FORMS, QuizForm
from saypro.academy.models import Course, Lesson, Level
from saypro.core.auth import login_required
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error, posted


def _course(request, slug: str) -> Course:
    course = selectors.course_for(request.user, slug)
    if course is None:
        raise Http404("No such course.")
    return course


@require_GET
def catalog(request):
    query = request.GET.get("q", "").strip()[:100]
    level = request.GET.get("level", "")
    topic = request.GET.get("topic", "")
    user = request.user
    context = {
        "courses": selectors.published_courses(query=query, level=level, topic=topic),
        "query": query,
        "level": level,
        "topic": topic,
        "levels": Level.choices,
        "topics": selectors.topics(),
        "filtered": bool(query or level or topic),
        "can_learn": services.can_learn(user),
        "story": selectors.featured_story() or selectors.published_stories().first(),
    }
    if user.is_authenticated:
        context["learning"] = selectors.my_learning(user)
        context["recommended"] = selectors.recommended_for(user)
    return render(request, "academy/pages/catalog.html", context)


@require_GET
def course(request, slug: str):
    return _course_page(request, _course(request, slug))


def _course_page(request, course: Course, *, status: int = 200):
    enrolment = selectors.enrolment_of(request.user, course)
    outline = selectors.outline(course, enrolment)
    return render(
        request,
        "academy/pages/course.html",
        {
            "course": course,
            "enrolment": enrolment,
            "outline": outline,
            "next": outline.resume(),
            "wanted": _wanted_lesson(course, request.GET.get("lesson", "")),
            "can_learn": services.can_learn(request.user),
            "revisions": course.revisions.all()[:5],
        },
        status=status,
    )


@login_required
@require_POST
def enrol(request, slug: str):
    """Enrol, then open the lesson asked for (a recommendation's), else where "Continue" leads."""
    course = _course(request, slug)
    try:
        enrolment = services.enrol(request.user, course)
    except ApplicationError as error:  # the course page says why, with the error's 4xx status
        messages.error(request, error.message)
        return _course_page(request, course, status=error.status)
    wanted = _wanted_lesson(course, request.POST.get("lesson", ""))
    if wanted is None:
        following = selectors.outline(course, enrolment).resume()
        wanted = following.lesson if following is not None else None
    if wanted is None:
        return redirect(course)
    return redirect("academy:lesson", slug=course.slug, key=wanted.key)


def _wanted_lesson(course: Course, key: str) -> Lesson | None:
    """The current lesson ``key`` of the course, or None for no key or an unknown one."""
    return selectors.lesson_for(course, key[:80]) if key else None


def _lesson(request, course: Course, key: str) -> Lesson:
    lesson = selectors.lesson_for(course, key)
    if lesson is None:
        raise Http404("No such lesson.")
    return lesson


@login_required
@require_http_methods(["GET", "POST"])
def lesson(request, slug: str, key: str):
    course = _course(request, slug)
    lesson = _lesson(request, course, key)
    enrolment = selectors.enrolment_of(request.user, course)
    if enrolment is None and request.user.is_staff:
        return _preview(request, course, lesson)
    if enrolment is None:
        messages.info(request, f"Enrol in the course to start “{lesson.title}”.")
        return redirect(f"{course.get_absolute_url()}?{urlencode({'lesson': lesson.key})}")
    if request.method == "POST" and not lesson.is_graded:
        return _mark_done(request, course, lesson)
    form = attempt = None
    if lesson.kind == Lesson.Kind.QUIZ:
        form = QuizForm(lesson, posted(request))
    elif lesson.kind == Lesson.Kind.EXERCISE:
        exercise_form = EXERCISE_FORMS[lesson.exercise_type]
        form = exercise_form(lesson, posted(request), chosen=request.GET.get("item"))
    if request.method == "POST":
        attempt = _submit(request, lesson, form)
    try:
        services.open_lesson(request.user, lesson)
    except ApplicationError as error:  # e.g. no longer a seller: the course page says why
        messages.error(request, error.message)
        return _course_page(request, course, status=error.status)
    outline = selectors.outline(course, enrolment)
    previous, following = outline.neighbours(lesson)
    enrolment.refresh_from_db()
    return render(
        request,
        "academy/pages/lesson.html",
        {
            "course": course,
            "lesson": lesson,
            "enrolment": enrolment,
            "outline": outline,
            "state": outline.state_of(lesson),
            "previous": previous,
            "following": following,
            "form": form,
            "attempt": attempt,
            "attempts": selectors.attempts_of(enrolment, lesson),
            "selected": form.selected() if lesson.kind == Lesson.Kind.EXERCISE else None,
            "embed": embed_url(lesson.video_url),
        },
        status=400 if form is not None and form.errors else 200,
    )


def _preview(request, course: Course, lesson: Lesson):
    """Office staff see a lesson as a learner would, without enrolling (nothing is recorded)."""
    outline = selectors.outline(course, None)
    previous, following = outline.neighbours(lesson)
    form = None
    if lesson.kind == Lesson.Kind.QUIZ:
        form = QuizForm(lesson)
    elif lesson.kind == Lesson.Kind.EXERCISE:
        form = EXERCISE_FORMS[lesson.exercise_type](lesson, chosen=request.GET.get("item"))
    return render(
        request,
        "academy/pages/lesson.html",
        {
            "course": course,
            "lesson": lesson,
            "enrolment": None,
            "preview": True,
            "outline": outline,
            "state": outline.state_of(lesson),
            "previous": previous,
            "following": following,
            "form": form,
            "attempt": None,
            "attempts": [],
            "selected": form.selected() if lesson.kind == Lesson.Kind.EXERCISE else None,
            "embed": embed_url(lesson.video_url),
        },
    )


def _mark_done(request, course: Course, lesson: Lesson):
    """A reading, video or resources lesson marked done: on to the next lesson.

    A refusal (e.g. the learner left every store, so the Academy is closed to
    them) records nothing and answers the course page with the reason and the
    error's 4xx status, as opening the lesson again would.
    """
    try:
        services.complete_lesson(request.user, lesson)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _course_page(request, course, status=error.status)
    outline = selectors.outline(course, selectors.enrolment_of(request.user, course))
    following = outline.neighbours(lesson)[1]
    if following is None:
        return redirect(course)
    return redirect("academy:lesson", slug=course.slug, key=following.key)


def _submit(request, lesson: Lesson, form):
    """Grade the lesson's quiz or exercise form; the attempt, or None when refused."""
    if not form.is_valid():
        return None
    user, data = request.user, form.cleaned_data
    try:
        if lesson.kind == Lesson.Kind.QUIZ:
            return services.submit_quiz(user, lesson, form.answers())
        if lesson.exercise_type == Lesson.ExerciseType.ACTION_PLAN:
            return services.submit_action_plan(user, lesson, data["issue"], data["text"])
        if lesson.exercise_type == Lesson.ExerciseType.MESSAGE_REPLY:
            return services.submit_message_reply(user, lesson, data["item"], data["text"])
        return services.submit_review_answer(user, lesson, data["item"], data["text"])
    except ApplicationError as error:
        add_service_error(form, error)
        return None


@require_GET
def certificate(request, code: str):
    found = selectors.certificate(code)
    if found is None:
        return render(
            request, "academy/pages/verify.html", {"code": code, "missing": True}, status=404
        )
    return render(request, "academy/pages/certificate.html", {"certificate": found})


@require_GET
def verify(request):
    code = request.GET.get("code", "").strip()
    if code:
        found = selectors.certificate(code)
        if found is not None:
            return redirect(found)
        return render(
            request, "academy/pages/verify.html", {"code": code, "missing": True}, status=404
        )
    return render(request, "academy/pages/verify.html", {"code": ""})


@require_GET
def stories(request):
    return render(request, "academy/pages/stories.html", {"stories": selectors.published_stories()})


@require_GET
def story(request, slug: str):
    found = selectors.story_for(request.user, slug)
    if found is None:
        raise Http404("No such story.")
    return render(
        request,
        "academy/pages/story.html",
        {"story": found, "impact": selectors.story_impact(found)},
    )
