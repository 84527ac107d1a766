"""Survey pages: answering an invitation (and "no thanks"), and the office's surveys,
editor, results and CSV export.

Reads go through ``selectors``, writes through ``services``. The card that
invites people is rendered by ``base.html`` from ``context_processors.survey_card``.
"""

import csv

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saypro.core.auth import login_required, require_office
from saypro.core.downloads import csv_response
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error
from saypro.core.pagination import paginate
from saypro.surveys import selectors, services
from saypro.surveys.forms import SCALE_ENDS, AnswerForm, ResultsForm, SurveyForm
from saypro.surveys.models import Kind

COMMENTS_PAGE = 20
# Spreadsheets run cells starting with these as formulas; such text is exported with a "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --- Answering -------------------------------------------------------------------------------


def _invitation(request, token: str):
    invitation = selectors.invitation_for(request.user, token)
    if invitation is None:
        raise Http404("Survey not found.")
    return invitation


def _answer_page(request, invitation, *, form=None, error=None, status=200):
    survey = invitation.survey
    now = timezone.now()
    if invitation.answered_at is not None:
        state = "answered"
    elif invitation.dismissed_at is not None or now >= invitation.expires_at:
        state = "closed"
    else:
        state = "open"
    context = {
        "invitation": invitation,
        "survey": survey,
        "state": state,
        "form": form or AnswerForm(survey=survey),
        "scale_ends": SCALE_ENDS[survey.kind],
        "is_nps": survey.kind == Kind.NPS_11,
        "about": selectors.subject_label(invitation) if state == "open" else "",
        "error": error,
    }
    return render(request, "surveys/pages/answer.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    """The survey of one invitation: the form, or thanks, or why it is closed (410)."""
    invitation = _invitation(request, token)
    if request.method == "GET":
        closed = invitation.answered_at is None and not invitation.is_open(timezone.now())
        if invitation.is_open(timezone.now()):
            services.mark_shown(invitation_id=invitation.pk, user=request.user)
        return _answer_page(request, invitation, status=410 if closed else 200)
    form = AnswerForm(request.POST, survey=invitation.survey)
    valid = form.is_valid()
    if not valid and invitation.is_open(timezone.now()):
        return _answer_page(request, invitation, form=form, status=400)
    try:  # an invitation that is not open is refused by the service (409, 410) whatever was sent
        services.answer(
            invitation=invitation,
            user=request.user,
            score=form.cleaned_data["score"] if valid else None,
            comment=form.cleaned_data.get("comment", "") if valid else "",
        )
    except ApplicationError as error:
        if error.status == 400:
            add_service_error(form, error)
            return _answer_page(request, invitation, form=form, status=400)
        invitation.refresh_from_db()
        return _answer_page(request, invitation, error=error.message, status=error.status)
    messages.success(request, "Thank you! Your answer helps the marketplace do better.")
    return redirect("surveys:answer", token=token)


def _back(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("catalog:home")


@login_required
@require_POST
def dismiss(request, token: str):
    """ "No thanks": close the invitation and go back to the page the card was on."""
    invitation = _invitation(request, token)
    try:
        services.dismiss(invitation=invitation, user=request.user)
    except ApplicationError as error:
        return _answer_page(request, invitation, error=error.message, status=error.status)
    messages.success(request, "All right, we will not ask you this one again.")
    return redirect(_back(request))


# --- Office ----------------------------------------------------------------------------------


def _office_survey(request, pk: int):
    require_office(request)
    survey = selectors.office_survey(request.user, pk)
    if survey is None:
        raise Http404("No such survey.")
    return survey


@login_required
@require_GET
def office_surveys(request):
    """Every survey with how many people were asked and answered."""
    require_office(request)
    return render(
        request,
        "surveys/pages/office_surveys.html",
        {
            "surveys": selectors.office_surveys(request.user),
            "min_days": settings.SURVEYS_MIN_DAYS_BETWEEN,
        },
    )


def _editor(request, survey=None):
    locked = bool(survey and survey.invitation_count)
    if survey is None:
        initial = {"starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    else:
        initial = SurveyForm.initial_for(survey)
    form = SurveyForm(request.POST or None, initial=initial, locked=locked)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if survey is None:
                    survey = services.create_survey(actor=request.user, fields=form.survey_fields())
                else:
                    survey = services.update_survey(
                        actor=request.user, survey=survey, fields=form.survey_fields()
                    )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"The survey “{survey.title}” is saved.")
                return redirect("office_surveys:results", pk=survey.pk)
        status = 400
    return render(
        request,
        "surveys/pages/office_survey_form.html",
        {"form": form, "survey": survey, "locked": locked},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_create(request):
    require_office(request)
    return _editor(request)


@login_required
@require_http_methods(["GET", "POST"])
def office_edit(request, pk: int):
    return _editor(request, _office_survey(request, pk))


@login_required
@require_GET
def office_results(request, pk: int):
    """Rate, average, distribution, NPS, the chart over time, and the comments."""
    survey = _office_survey(request, pk)
    form = ResultsForm(request.GET)
    valid = form.is_valid()
    filters = form.filters()
    if valid:  # the fields show the period actually used, defaults included
        form = ResultsForm.showing(filters)
    found = selectors.results(
        request.user, survey, start=filters["start"], end=filters["end"], bucket=filters["bucket"]
    )
    rows = selectors.comments(
        request.user,
        survey,
        start=filters["start"],
        end=filters["end"],
        sentiment=filters["sentiment"],
    )
    context = {
        "survey": survey,
        "form": form,
        "filters": filters,
        "results": found,
        "is_nps": survey.kind == Kind.NPS_11,
        "export_query": request.GET.urlencode(),
        **paginate(request, rows, per_page=COMMENTS_PAGE),
    }
    return render(
        request, "surveys/pages/office_results.html", context, status=200 if valid else 400
    )


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@login_required
@require_GET
def office_export(request, pk: int):
    """The responses of the period (and comment sentiment) as CSV, oldest first."""
    survey = _office_survey(request, pk)
    form = ResultsForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            "The period is not valid: " + " ".join(e for es in form.errors.values() for e in es),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    filters = form.filters()
    rows = selectors.export_rows(
        request.user,
        survey,
        start=filters["start"],
        end=filters["end"],
        sentiment=filters["sentiment"],
    )
    name = f"survey-{survey.pk}-{filters['since']:%Y%m%d}-{filters['until']:%Y%m%d}.csv"
    response = csv_response(name)
    writer = csv.writer(response)
    writer.writerow(
        [
            "response_id",
            "answered_at",
            "invited_at",
            "score",
            "satisfied",
            "comment",
            "sentiment",
            "negative",
            "neutral",
            "positive",
            "subject",
        ]
    )
    for row in rows.iterator(chunk_size=500):
        probabilities = row.probabilities or {}
        writer.writerow(
            [
                row.pk,
                row.created_at.isoformat(),
                row.invitation.created_at.isoformat(),
                row.score,
                "yes" if row.is_satisfied else "no",
                _cell(row.comment),
                row.sentiment,
                probabilities.get("negative", ""),
                probabilities.get("neutral", ""),
                probabilities.get("positive", ""),
                f"{row.invitation.subject_type.model}:{row.invitation.subject_id}",
            ]
        )
    return response
