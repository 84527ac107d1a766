"""Engagement pages and endpoints: a prompt's click and dismissal, tutorial progress,
and Office › Engagement (every prompt's figures, the tours' completions, the editor).

Clicks and tutorial moves are posted by ``static/js/prompts.js`` and
``static/js/tutorial.js`` and answer 204; a dismissal also works as a plain
form post, which returns to the page. Office pages answer 403 to anyone but
office staff (anonymous visitors are sent to log in).
"""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from saypro.core.auth import login_required, require_office
from saypro.core.errors import ApplicationError, ValidationFailed
from saypro.core.forms import add_service_error
from saypro.engagement import selectors, services
from saypro.engagement.forms import PERIODS, EventForm, PeriodForm, PromptForm, TutorialForm
from saypro.engagement.placeholders import LINK_PLACEHOLDERS, TEXT_PLACEHOLDERS
from saypro.engagement.tutorials import TUTORIALS


def _wants_json(request) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _refusal(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"message": message}}, status=status)


def _prompt(request, pk: int):
    prompt = selectors.live_prompt(request.user, pk)
    if prompt is None:
        raise Http404("No such prompt for you, or it is no longer shown.")
    return prompt


# --- Prompts: click and dismiss ----------------------------------------------------------------


@login_required
@require_POST
def click(request, pk: int):
    """Count a click on a prompt's call to action (the link itself does the navigation)."""
    prompt = _prompt(request, pk)
    form = EventForm(request.POST)
    if not form.is_valid():
        return _refusal("The page ids are not valid.", 400)
    try:
        services.record_click(user=request.user, prompt=prompt, **form.cleaned_data)
    except ApplicationError as error:
        return _refusal(error.message, error.status)
    return HttpResponse(status=204)


@login_required
@require_POST
def dismiss(request, pk: int):
    """Dismiss a prompt for good: 204 for the script, else back to the page."""
    prompt = _prompt(request, pk)
    form = EventForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed("The page ids are not valid.")
        services.dismiss_prompt(user=request.user, prompt=prompt, **form.cleaned_data)
    except ApplicationError as error:
        if _wants_json(request):
            return _refusal(error.message, error.status)
        messages.error(request, f"That prompt could not be dismissed: {error.message}")
    if _wants_json(request):
        return HttpResponse(status=204)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("catalog:home")
    return redirect(target)


# --- Tutorials ---------------------------------------------------------------------------------


@login_required
@require_GET
def tour(request, code: str):
    """The Help menu's "Tour: …" link: the tour's page, where the tour then plays."""
    found = TUTORIALS.get(code)
    if found is None:
        raise Http404("No such tour.")
    kwargs = {}
    if found.for_sellers:
        store = selectors.tour_page_store(request.user, found)
        if store is None:
            raise Http404("This tour is for sellers.")
        kwargs["slug"] = store.slug
    return redirect(f"{reverse(found.url_name, kwargs=kwargs)}?tour=replay")


@login_required
@require_POST
def tutorial(request, code: str):
    """A move in a guided tour (start, replay, step, complete, skip): 204, or 4xx with why."""
    form = TutorialForm(request.POST)
    if not form.is_valid():
        if "action" in form.errors:
            return _refusal("Send an action (start, replay, step, complete, skip).", 400)
        return _refusal("The step is the number of a step of the tour.", 400)
    try:
        services.record_tutorial(
            user=request.user,
            code=code,
            action=form.cleaned_data["action"],
            step=form.step_or_first(),
        )
    except ApplicationError as error:
        return _refusal(error.message, error.status)
    return HttpResponse(status=204)


# --- Office ------------------------------------------------------------------------------------


def _office_prompt(request, pk: int):
    prompt = selectors.office_prompt(request.user, pk)
    if prompt is None:
        raise Http404("No such prompt.")
    return prompt


@login_required
def office(request):
    """Every prompt with its figures over the chosen period, a chart, and the tours."""
    require_office(request)
    return _office_page(request)


def _office_page(request, status: int = 200):
    days = PeriodForm(request.GET or None).days_or_default()
    until = timezone.now()
    since = until - timedelta(days=days)
    rows = selectors.prompt_stats(request.user, since=since, until=until)
    context = {
        "form": PeriodForm(initial={"days": days}),
        "days": days,
        "period_label": dict(PERIODS)[days],
        "since": since,
        "rows": rows,
        "tutorials": selectors.tutorial_stats(request.user, since=since, until=until),
    }
    return render(request, "engagement/pages/office.html", context, status=status)


def _editor(request, form, prompt=None, status=200):
    context = {
        "form": form,
        "prompt": prompt,
        "text_placeholders": TEXT_PLACEHOLDERS,
        "link_placeholders": LINK_PLACEHOLDERS,
    }
    return render(request, "engagement/pages/office_prompt_form.html", context, status=status)


@login_required
def prompt_create(request):
    require_office(request)
    form = PromptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            prompt = services.create_prompt(actor=request.user, **form.values())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"“{prompt.name}” is saved.")
            return redirect("office_engagement:prompts")
    return _editor(request, form, status=400 if request.method == "POST" else 200)


@login_required
def prompt_edit(request, pk: int):
    require_office(request)
    prompt = _office_prompt(request, pk)
    form = PromptForm(request.POST or None, instance=prompt)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_prompt(actor=request.user, prompt=prompt, **form.values())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"“{form.cleaned_data['name']}” is saved.")
            return redirect("office_engagement:prompts")
    return _editor(request, form, prompt, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def prompt_active(request, pk: int):
    """Switch a prompt off (people stop seeing it; its figures stay) or on again."""
    require_office(request)
    prompt = _office_prompt(request, pk)
    choice = request.POST.get("is_active")
    if choice not in ("0", "1"):
        messages.error(
            request, f"“{prompt.name}” is unchanged: send is_active 1 (switch on) or 0 (off)."
        )
        return _office_page(request, status=400)
    is_active = choice == "1"
    services.set_prompt_active(actor=request.user, prompt=prompt, is_active=is_active)
    state = "on" if is_active else "off"
    messages.success(request, f"“{prompt.name}” is switched {state}.")
    return redirect("office_engagement:prompts")
