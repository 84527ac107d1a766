"""Office › Academy, under ``/office/academy/``: course authoring and success stories.

Staff only (403 for everyone else). Every write is an ``authoring`` service;
a refusal changes nothing and answers with its 4xx status: next to the form,
or, for a button, on the page it was pressed on with the reason on top.
Reordering is done with "Move up" / "Move down" buttons, so it works by
keyboard and on a phone.
"""

from functools import partial, wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saypro.academy import authoring, selectors
from saypro.academy.models import Course, Lesson, Module, Question, Resource, SuccessStory
from saypro.academy.office_forms import (
    CourseForm,
    LessonForm,
    ModuleForm,
    NewLessonForm,
    PracticeItemsForm,
    QuestionForm,
    ResourceForm,
    RevisionForm,
    StoryForm,
)
from saypro.core.auth import login_required
from saypro.core.errors import ApplicationError, ValidationFailed
from saypro.core.forms import add_service_error, posted
from saypro.core.markdown import render_markdown


def office_only(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not authoring.can_author(request.user):
            raise PermissionDenied("This page is for the marketplace office.")
        return view(request, *args, **kwargs)

    return wrapped


def _form_page(request, form, *, title: str, crumbs: list, submit: str, cancel: str, status=200):
    return render(
        request,
        "academy/office/form.html",
        {"form": form, "title": title, "crumbs": crumbs, "submit": submit, "cancel": cancel},
        status=status,
    )


def _to(name: str, pk: int, anchor: str):
    """Back to a page, scrolled to the part just changed."""
    return redirect(reverse(f"office_academy:{name}", kwargs={"pk": pk}) + f"#{anchor}")


def _refused(request, error: ApplicationError, page):
    """A refused action: the page it was made from, with the reason on top and the error's
    4xx status (the service changed nothing)."""
    messages.error(request, error.message)
    return page(status=error.status)


def _first_error(form) -> str:
    """A one-field form's first error, for the message (its messages say which field)."""
    return next(iter(form.errors.values()))[0]


# --- Courses ---------------------------------------------------------------------------


@office_only
@require_GET
def courses(request):
    start, end = selectors.quarter(timezone.now())
    return render(
        request,
        "academy/office/courses.html",
        {"courses": selectors.office_courses(), "kpi": selectors.participation(start, end)},
    )


@office_only
@require_http_methods(["GET", "POST"])
def create_course(request):
    form = CourseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            course = authoring.create_course(request.user, form.to_input())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Course created as a draft: add its modules and lessons.")
            return redirect("office_academy:course", pk=course.pk)
    return _form_page(
        request,
        form,
        title="New course",
        crumbs=[],
        submit="Create the course",
        cancel=reverse("office_academy:courses"),
        status=400 if form.errors else 200,
    )


@office_only
@require_GET
def course(request, pk: int):
    return _course_page(request, pk)


def _course_page(request, pk: int, *, status: int = 200, **forms):
    found = get_object_or_404(Course, pk=pk)
    return render(
        request,
        "academy/office/course.html",
        {
            "course": found,
            "outline": selectors.authoring_outline(found),
            "problems": authoring.publication_problems(found),
            "module_form": forms.get("module_form") or ModuleForm(),
            "revision_form": forms.get("revision_form") or RevisionForm(),
            "revisions": found.revisions.select_related("author")[:10],
            "learners": found.enrolments.count(),
        },
        status=status,
    )


@office_only
@require_http_methods(["GET", "POST"])
def edit_course(request, pk: int):
    found = get_object_or_404(Course, pk=pk)
    form = CourseForm(posted(request), course=found)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.update_course(request.user, found, form.to_input())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Course details saved.")
            return redirect("office_academy:course", pk=found.pk)
    return _form_page(
        request,
        form,
        title=f"Edit “{found.title}”",
        crumbs=[(found.title, "office_academy:course", found.pk)],
        submit="Save changes",
        cancel=reverse("office_academy:course", kwargs={"pk": found.pk}),
        status=400 if form.errors else 200,
    )


def _course_action(request, pk: int, action, done: str):
    found = get_object_or_404(Course, pk=pk)
    try:
        action(request.user, found)
    except ApplicationError as error:
        return _refused(request, error, partial(_course_page, request, found.pk))
    messages.success(request, done)
    return redirect("office_academy:course", pk=found.pk)


@office_only
@require_POST
def publish(request, pk: int):
    return _course_action(request, pk, authoring.publish, "Published: sellers see it now.")


@office_only
@require_POST
def unpublish(request, pk: int):
    return _course_action(request, pk, authoring.unpublish, "Back to draft.")


@office_only
@require_POST
def add_revision(request, pk: int):
    found = get_object_or_404(Course, pk=pk)
    form = RevisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_first_error(form))
        authoring.add_revision(request.user, found, form.cleaned_data["note"])
    except ApplicationError as error:
        page = partial(_course_page, request, found.pk, revision_form=form)
        return _refused(request, error, page)
    messages.success(request, "Revision note added to the course page.")
    return redirect("office_academy:course", pk=found.pk)


# --- Modules ---------------------------------------------------------------------------


@office_only
@require_POST
def add_module(request, pk: int):
    found = get_object_or_404(Course, pk=pk)
    form = ModuleForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_first_error(form))
        authoring.add_module(request.user, found, **form.cleaned_data)
    except ApplicationError as error:
        return _refused(request, error, partial(_course_page, request, found.pk, module_form=form))
    return redirect("office_academy:course", pk=found.pk)


@office_only
@require_http_methods(["GET", "POST"])
def edit_module(request, pk: int):
    module = get_object_or_404(Module.objects.select_related("course"), pk=pk)
    initial = {"title": module.title, "summary": module.summary}
    form = ModuleForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.update_module(request.user, module, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect("office_academy:course", pk=module.course_id)
    return _form_page(
        request,
        form,
        title=f"Rename “{module.title}”",
        crumbs=[(module.course.title, "office_academy:course", module.course_id)],
        submit="Save",
        cancel=reverse("office_academy:course", kwargs={"pk": module.course_id}),
        status=400 if form.errors else 200,
    )


STEPS = {"up": -1, "down": 1}


def _step(request) -> int:
    """The posted "direction" as a step; anything but up or down is refused."""
    step = STEPS.get(request.POST.get("direction", ""))
    if step is None:
        raise ValidationFailed("Move it up or down.", details={"field": "direction"})
    return step


@office_only
@require_POST
def move_module(request, pk: int):
    module = get_object_or_404(Module, pk=pk)
    try:
        authoring.move_module(request.user, module, _step(request))
    except ApplicationError as error:
        return _refused(request, error, partial(_course_page, request, module.course_id))
    return _to("course", module.course_id, f"module-{module.pk}")


@office_only
@require_POST
def delete_module(request, pk: int):
    module = get_object_or_404(Module, pk=pk)
    try:
        authoring.delete_module(request.user, module)
    except ApplicationError as error:
        return _refused(request, error, partial(_course_page, request, module.course_id))
    return redirect("office_academy:course", pk=module.course_id)


# --- Lessons ---------------------------------------------------------------------------


@office_only
@require_http_methods(["GET", "POST"])
def add_lesson(request, pk: int):
    module = get_object_or_404(Module.objects.select_related("course"), pk=pk)
    form = NewLessonForm(posted(request), initial={"kind": request.GET.get("kind", "text")})
    if request.method == "POST" and form.is_valid():
        try:
            lesson = authoring.add_lesson(request.user, module, form.to_input())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Lesson “{lesson.title}” added.")
            return redirect("office_academy:lesson", pk=lesson.pk)
    return _form_page(
        request,
        form,
        title=f"New lesson in “{module.title}”",
        crumbs=[(module.course.title, "office_academy:course", module.course_id)],
        submit="Add the lesson",
        cancel=reverse("office_academy:course", kwargs={"pk": module.course_id}),
        status=400 if form.errors else 200,
    )


def _lesson_page(request, lesson: Lesson, *, form=None, status=200, **forms):
    course = lesson.module.course
    context = {
        "lesson": lesson,
        "course": course,
        "form": form or LessonForm(lesson=lesson),
        "modules": course.modules.order_by("position", "pk"),
        "questions": lesson.questions.prefetch_related("choices"),
        "question_form": forms.get("question_form") or QuestionForm(),
        "resource_form": forms.get("resource_form") or ResourceForm(),
        "items_form": forms.get("items_form") or PracticeItemsForm(lesson=lesson),
        "learners": lesson.progress.count(),
        "preview": render_markdown(lesson.body, images=True),
        "embed": authoring.embed_url(lesson.video_url),
    }
    return render(request, "academy/office/lesson.html", context, status=status)


def _lesson(pk: int) -> Lesson:
    return get_object_or_404(Lesson.objects.select_related("module__course"), pk=pk)


@office_only
@require_http_methods(["GET", "POST"])
def lesson(request, pk: int):
    found = _lesson(pk)
    if request.method == "GET":
        return _lesson_page(request, found)
    form = LessonForm(request.POST, request.FILES, lesson=found)
    if form.is_valid():
        try:
            authoring.update_lesson(
                request.user,
                found,
                form.to_input(),
                video=form.cleaned_data.get("video_file") or None,
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Lesson saved.")
            return redirect("office_academy:lesson", pk=found.pk)
    found.refresh_from_db()
    return _lesson_page(request, found, form=form, status=400)


def _module(value: str) -> Module:
    """The module a form names by id; a tampered value is a 404 like an unknown id."""
    if not (value.isascii() and value.isdigit()):
        raise Http404("No such module.")
    return get_object_or_404(Module, pk=int(value))


@office_only
@require_POST
def move_lesson(request, pk: int):
    found = _lesson(pk)
    try:
        if request.POST.get("module"):
            authoring.move_lesson_to(request.user, found, _module(request.POST["module"]))
        else:
            authoring.move_lesson(request.user, found, _step(request))
    except ApplicationError as error:
        return _refused(request, error, partial(_course_page, request, found.module.course_id))
    return _to("course", found.module.course_id, f"lesson-{found.pk}")


@office_only
@require_POST
def remove_lesson(request, pk: int):
    found = _lesson(pk)
    outcome = authoring.remove_lesson(request.user, found)
    if outcome == "retired":
        messages.info(
            request,
            f"“{found.title}” is retired: learners started it, so their progress stays. "
            "It left the outline and is no longer required.",
        )
    else:
        messages.success(request, f"“{found.title}” deleted.")
    return redirect("office_academy:course", pk=found.module.course_id)


@office_only
@require_POST
def restore_lesson(request, pk: int):
    found = _lesson(pk)
    authoring.restore_lesson(request.user, found)
    messages.success(request, f"“{found.title}” is back in the course.")
    return redirect("office_academy:course", pk=found.module.course_id)


@office_only
@require_POST
def add_question(request, pk: int):
    found = _lesson(pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            authoring.save_question(
                request.user,
                found,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                choices=form.choices(),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Question added.")
            return _to("lesson", found.pk, "questions")
    return _lesson_page(request, found, question_form=form, status=400)


@office_only
@require_http_methods(["GET", "POST"])
def edit_question(request, pk: int):
    question = get_object_or_404(Question.objects.select_related("lesson__module__course"), pk=pk)
    found = question.lesson
    form = QuestionForm(posted(request), question=question)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.save_question(
                request.user,
                found,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                choices=form.choices(),
                question=question,
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Question saved.")
            return _to("lesson", found.pk, "questions")
    return render(
        request,
        "academy/office/question.html",
        {"form": form, "lesson": found, "question": question},
        status=400 if form.errors else 200,
    )


@office_only
@require_POST
def delete_question(request, pk: int):
    question = get_object_or_404(Question, pk=pk)
    try:
        authoring.remove_question(request.user, question)
    except ApplicationError as error:
        return _refused(request, error, partial(_lesson_page, request, _lesson(question.lesson_id)))
    messages.success(request, "Question removed.")
    return _to("lesson", question.lesson_id, "questions")


@office_only
@require_POST
def add_resource(request, pk: int):
    found = _lesson(pk)
    form = ResourceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            authoring.add_resource(
                request.user, found, form.cleaned_data["title"], form.cleaned_data["file"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "File added.")
            return _to("lesson", found.pk, "resources")
    return _lesson_page(request, found, resource_form=form, status=400)


@office_only
@require_POST
def delete_resource(request, pk: int):
    resource = get_object_or_404(Resource, pk=pk)
    try:
        authoring.remove_resource(request.user, resource)
    except ApplicationError as error:
        return _refused(request, error, partial(_lesson_page, request, _lesson(resource.lesson_id)))
    messages.success(request, "File removed.")
    return _to("lesson", resource.lesson_id, "resources")


@office_only
@require_POST
def practice_items(request, pk: int):
    found = _lesson(pk)
    form = PracticeItemsForm(request.POST, lesson=found)
    if form.is_valid():
        data = form.cleaned_data
        try:
            authoring.set_practice_items(
                request.user,
                found,
                reviews=data.get("reviews") or (),
                scenarios=data.get("scenarios") or (),
                product_set=data.get("product_set"),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Practice items saved.")
            return _to("lesson", found.pk, "items")
    return _lesson_page(request, found, items_form=form, status=400)


@office_only
@require_POST
def preview(request):
    """The Markdown of one field, rendered as learners will see it (htmx fragment)."""
    text = request.POST.get(request.GET.get("field", "body"), "")
    return HttpResponse(render_markdown(text, images=True) or "<p class='muted'>Nothing yet.</p>")


# --- Success stories -------------------------------------------------------------------


@office_only
@require_GET
def stories(request):
    return _stories_page(request)


def _stories_page(request, *, status: int = 200):
    context = {"stories": selectors.office_stories()}
    return render(request, "academy/office/stories.html", context, status=status)


@office_only
@require_http_methods(["GET", "POST"])
def create_story(request):
    form = StoryForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            story = authoring.create_story(request.user, form.to_input())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Story saved as a draft.")
            return redirect(story)
    return _form_page(
        request,
        form,
        title="New success story",
        crumbs=[("Success stories", "office_academy:stories", None)],
        submit="Save the draft",
        cancel=reverse("office_academy:stories"),
        status=400 if form.errors else 200,
    )


@office_only
@require_http_methods(["GET", "POST"])
def edit_story(request, pk: int):
    story = get_object_or_404(SuccessStory, pk=pk)
    form = StoryForm(posted(request), story=story)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.update_story(request.user, story, form.to_input())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Story saved.")
            return redirect("office_academy:stories")
    return _form_page(
        request,
        form,
        title=f"Edit “{story.title}”",
        crumbs=[("Success stories", "office_academy:stories", None)],
        submit="Save changes",
        cancel=reverse("office_academy:stories"),
        status=400 if form.errors else 200,
    )


@office_only
@require_POST
def publish_story(request, pk: int):
    story = get_object_or_404(SuccessStory, pk=pk)
    try:
        if request.POST.get("action") == "unpublish":
            authoring.unpublish_story(request.user, story)
            messages.success(request, f"“{story.title}” is a draft again.")
        else:
            authoring.publish_story(request.user, story)
            messages.success(request, f"“{story.title}” is published.")
    except ApplicationError as error:
        return _refused(request, error, partial(_stories_page, request))
    return redirect("office_academy:stories")
