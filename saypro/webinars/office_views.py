"""Office › Webinars: schedule, edit and cancel sessions; create, edit and end series.

Office staff only (others get a 404, as for every office page). Times typed
into the forms are read in the office person's own time zone.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saypro.academy.content import load_content
from saypro.core.auth import login_required, require_office
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error
from saypro.webinars import selectors, services
from saypro.webinars.forms import SeriesForm, SessionForm, local_input
from saypro.webinars.views import in_viewer_zone


def _descriptions() -> dict:
    return {webinar.slug: webinar for webinar in load_content().webinars}


def _initial_from_description(request) -> dict:
    description = _descriptions().get(request.GET.get("from", ""))
    if description is None:
        return {"host": request.user.pk, "duration_minutes": 60, "capacity": 100}
    return {
        "title": description.title,
        "format": description.format,
        "summary": description.summary,
        "agenda": "\n".join(description.agenda),
        "host": request.user.pk,
        "host_name": description.host,
        "host_role": description.host_role,
        "duration_minutes": description.duration_minutes,
        "capacity": description.capacity,
        "description_slug": description.slug,
    }


def _list_page(request, *, status: int = 200):
    """The office list; also the answer to a refused cancel or end (with its status)."""
    return render(
        request,
        "webinars/pages/office_list.html",
        {
            "sessions": selectors.office_sessions(),
            "series_list": selectors.office_series(),
            "descriptions": list(_descriptions().values()),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require_GET
@in_viewer_zone
def sessions(request):
    require_office(request)
    return _list_page(request)


def _session_editor(request, session=None):
    if session is None:
        initial = _initial_from_description(request)
    else:
        initial = {
            name: getattr(session, name)
            for name in (
                "title",
                "format",
                "summary",
                "host_name",
                "host_role",
                "duration_minutes",
                "capacity",
                "join_url",
                "description_slug",
            )
        }
        initial |= {
            "host": session.host_id,
            "agenda": "\n".join(session.agenda),
            "starts_at": local_input(session.starts_at),
        }
    form = SessionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            starts_at = form.cleaned_data["starts_at"]
            try:
                if session is None:
                    session = services.schedule_session(
                        actor=request.user, details=form.details(), starts_at=starts_at
                    )
                else:
                    session = services.edit_session(
                        actor=request.user,
                        session=session,
                        details=form.details(),
                        starts_at=starts_at,
                    )
            except ApplicationError as error:
                add_service_error(form, error)
                status = error.status
            else:
                messages.success(request, f"“{session.title}” is saved.")
                return redirect(session)
        else:
            status = 400
    return render(
        request,
        "webinars/pages/office_session_form.html",
        {
            "form": form,
            "session": session,
            # The service refuses changes after the start or a cancellation; say so up front.
            "is_editable": session is None
            or (not session.is_cancelled and timezone.now() < session.starts_at),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@in_viewer_zone
def create_session(request):
    require_office(request)
    return _session_editor(request)


def _office_session(request, pk: int):
    require_office(request)
    session = selectors.session_by_id(pk)
    if session is None:
        raise Http404("No such session.")
    return session


@login_required
@require_http_methods(["GET", "POST"])
@in_viewer_zone
def edit_session(request, pk: int):
    return _session_editor(request, _office_session(request, pk))


@login_required
@require_POST
@in_viewer_zone
def cancel_session(request, pk: int):
    """Cancel a session; a refusal (it has started) shows the list with the reason and its 4xx."""
    session = _office_session(request, pk)
    try:
        services.cancel_session(actor=request.user, session=session)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _list_page(request, status=error.status)
    messages.success(request, f"“{session.title}” is cancelled; everyone registered is told.")
    return redirect("office_webinars:list")


def _series_editor(request, series=None):
    if series is None:
        initial = _initial_from_description(request) | {
            "week_of_month": 2,
            "weekday": 1,
            "local_time": "14:00",
            "time_zone": selectors.time_zone_of(request.user),
        }
    else:
        initial = {
            name: getattr(series, name)
            for name in (
                "title",
                "format",
                "summary",
                "host_name",
                "host_role",
                "duration_minutes",
                "capacity",
                "join_url",
                "description_slug",
                "week_of_month",
                "weekday",
                "local_time",
                "time_zone",
            )
        } | {"host": series.host_id, "agenda": "\n".join(series.agenda)}
    form = SeriesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            rule = {
                "weekday_number": data["weekday"],
                "week_of_month": data["week_of_month"],
                "local_time": data["local_time"],
                "time_zone": data["time_zone"],
            }
            try:
                if series is None:
                    series = services.create_series(
                        actor=request.user, details=form.details(), **rule
                    )
                else:
                    series = services.edit_series(
                        actor=request.user, series=series, details=form.details(), **rule
                    )
            except ApplicationError as error:
                add_service_error(form, error)
                status = error.status
            else:
                messages.success(request, f"The series “{series.title}” is saved and scheduled.")
                return redirect("office_webinars:list")
        else:
            status = 400
    return render(
        request,
        "webinars/pages/office_series_form.html",
        {
            "form": form,
            "series": series,
            "is_editable": series is None or series.is_active,
            "months_ahead": settings.WEBINARS_SERIES_MONTHS_AHEAD,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@in_viewer_zone
def create_series(request):
    require_office(request)
    return _series_editor(request)


def _office_series(request, pk: int):
    require_office(request)
    series = selectors.series_by_id(pk)
    if series is None:
        raise Http404("No such series.")
    return series


@login_required
@require_http_methods(["GET", "POST"])
@in_viewer_zone
def edit_series(request, pk: int):
    return _series_editor(request, _office_series(request, pk))


@login_required
@require_POST
@in_viewer_zone
def end_series(request, pk: int):
    """End a series; a refusal shows the list with the reason and its 4xx status."""
    series = _office_series(request, pk)
    try:
        services.end_series(actor=request.user, series=series)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _list_page(request, status=error.status)
    messages.success(request, f"The series “{series.title}” is ended.")
    return redirect("office_webinars:list")
