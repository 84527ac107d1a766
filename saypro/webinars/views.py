"""Webinar pages for sellers and hosts, under ``/academy/webinars/``.

Lists and session pages are public, like the course catalog; registering
needs a seller or office account. Every page renders inside the viewer's
time zone (``in_viewer_zone``), so times read as local and the zone is named.
"""

from datetime import timedelta
from functools import wraps
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saypro.core.auth import login_required
from saypro.core.errors import ApplicationError
from saypro.webinars import selectors, services
from saypro.webinars.invites import session_invite
from saypro.webinars.models import Registration, Session


def in_viewer_zone(view):
    """Render in the viewer's time zone; forms also read typed times in it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with timezone.override(ZoneInfo(selectors.time_zone_of(request.user))):
            return view(request, *args, **kwargs)

    return wrapped


def _session(pk: int) -> Session:
    session = selectors.session_by_id(pk)
    if session is None:
        raise Http404("No such session.")
    return session


def _list(request, template: str, sessions, **context):
    if request.user.is_authenticated:
        sessions = sessions.prefetch_related(selectors.prefetch_mine(request.user))
    return render(
        request,
        template,
        {"sessions": sessions, "can_register": services.can_register(request.user), **context},
    )


@require_GET
@in_viewer_zone
def upcoming(request):
    return _list(request, "webinars/pages/upcoming.html", selectors.upcoming_sessions())


@require_GET
@in_viewer_zone
def past(request):
    return _list(request, "webinars/pages/past.html", selectors.past_sessions())


@login_required
@require_GET
@in_viewer_zone
def mine(request):
    now = timezone.now()
    registrations = list(selectors.my_registrations(request.user))
    return render(
        request,
        "webinars/pages/mine.html",
        {
            "upcoming": [r for r in registrations if r.session.ends_at > now],
            "past": [r for r in registrations if r.session.ends_at <= now],
            "hosted": selectors.hosted_by(request.user) if request.user.is_staff else [],
            "can_register": services.can_register(request.user),
        },
    )


def _session_page(request, session: Session, *, status: int = 200):
    """The session page; also the answer to a refused register or cancel (with its status)."""
    now = timezone.now()
    registration = selectors.registration_of(request.user, session)
    registered = registration is not None and registration.status == Registration.Status.REGISTERED
    join_opens = session.starts_at - timedelta(minutes=settings.WEBINARS_JOIN_OPENS_MINUTES)
    return render(
        request,
        "webinars/pages/session.html",
        {
            "session": session,
            "registration": registration,
            "position": (
                selectors.waiting_position(registration)
                if registration and registration.status == Registration.Status.WAITLISTED
                else None
            ),
            "seats_left": max(session.capacity - session.registered_count, 0),
            "is_open": not session.is_cancelled and now < session.starts_at,
            "has_ended": session.ends_at <= now,
            "show_join": registered
            and not session.is_cancelled
            and bool(session.join_url)
            and join_opens <= now < session.ends_at,
            "join_opens": join_opens,
            "can_register": services.can_register(request.user),
            "can_host": services.can_host(request.user, session),
        },
        status=status,
    )


@require_GET
@in_viewer_zone
def session(request, pk: int):
    return _session_page(request, _session(pk))


@login_required
@require_POST
@in_viewer_zone
def register(request, pk: int):
    """A seat or the waiting list, then back to the session page (post/redirect/get).

    A refusal (a buyer, a started or cancelled session) answers with its 4xx
    status: the session page as it stands, with the reason.
    """
    session = _session(pk)
    try:
        registration = services.register(user=request.user, session=session)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _session_page(request, _session(pk), status=error.status)
    if registration.status == Registration.Status.REGISTERED:
        messages.success(request, "You are registered. Add it to your calendar below.")
    else:
        messages.success(request, "The session is full: you are on the waiting list.")
    return redirect(session)


@login_required
@require_POST
@in_viewer_zone
def cancel(request, pk: int):
    """Cancel one's registration; a refusal shows the session page with its 4xx status."""
    session = _session(pk)
    try:
        services.cancel_registration(user=request.user, session=session)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _session_page(request, _session(pk), status=error.status)
    messages.success(request, "Your registration is cancelled.")
    return redirect(session)


@require_GET
def invite(request, pk: int):
    """The calendar invite: anyone may have it, as the session page is public."""
    session = _session(pk)
    body = session_invite(
        session,
        page_url=request.build_absolute_uri(session.get_absolute_url()),
        domain=request.get_host().split(":")[0],
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="saypro-webinar-{session.pk}.ics"'
    return response


def _hosted(request, pk: int) -> Session:
    session = _session(pk)
    if not services.can_host(request.user, session):
        raise Http404("This page is for the session's host.")
    return session


def _host_page(request, session: Session, *, recording_url: str | None = None, status: int = 200):
    """The host's page; ``recording_url`` keeps a refused link in its box to fix."""
    return render(
        request,
        "webinars/pages/host.html",
        {
            "session": session,
            "attendees": selectors.attendees(session),
            "waiting": selectors.waiting_list(session),
            "has_started": session.starts_at <= timezone.now(),
            "has_ended": session.ends_at <= timezone.now(),
            "recording_url": session.recording_url if recording_url is None else recording_url,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@in_viewer_zone
def host(request, pk: int):
    """The host's page: who registered, attendance checkboxes, the recording link."""
    session = _hosted(request, pk)
    status = 200
    if request.method == "POST":
        chosen = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
        try:
            present = services.mark_attendance(
                actor=request.user, session=session, attended_ids=chosen
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            status = error.status
        else:
            messages.success(request, f"Attendance saved: {present} present.")
            return redirect("webinars:host", pk=session.pk)
    return _host_page(request, session, status=status)


@login_required
@require_POST
@in_viewer_zone
def recording(request, pk: int):
    """Save the recording link; a refusal shows the host page with the reason and its 4xx."""
    session = _hosted(request, pk)
    url = request.POST.get("recording_url", "")
    try:
        services.set_recording(actor=request.user, session=session, url=url)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _host_page(request, _session(pk), recording_url=url, status=error.status)
    messages.success(request, "The recording link is saved.")
    return redirect("webinars:host", pk=session.pk)
