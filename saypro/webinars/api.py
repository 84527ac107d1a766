"""/api/v1 endpoints of webinars: upcoming sessions, one session, registering and cancelling.

Lists and sessions are public; registering needs a seller or office account
(others get 403). Writes go through the same services as the pages.
"""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router

from saypro.core.api import AUTH, ERRORS, PUBLIC, Id
from saypro.core.errors import NotFound
from saypro.webinars import selectors, services
from saypro.webinars.models import Registration, Session
from saypro.webinars.schemas import WebinarList, WebinarOut, WebinarRegistrationOut

router = Router(tags=["webinars"])


def _webinar_data(session: Session, mine: Registration | None) -> dict:
    return {
        "id": session.pk,
        "title": session.title,
        "format": session.format,
        "summary": session.summary,
        "agenda": list(session.agenda),
        "presenter": session.presenter,
        "presenter_role": session.host_role,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "capacity": session.capacity,
        "seats_left": max(session.capacity - session.registered_count, 0),
        "waiting": session.waiting_count,
        "status": session.status,
        "recording_url": session.recording_url or None,
        "page_url": session.get_absolute_url(),
        "invite_url": reverse("webinars:invite", args=[session.pk]),
        "my_status": mine.status if mine else None,
    }


def _registration_data(registration: Registration) -> dict:
    session = registration.session
    now = timezone.now()
    opens = session.starts_at - timedelta(minutes=settings.WEBINARS_JOIN_OPENS_MINUTES)
    seated = registration.status == Registration.Status.REGISTERED
    waiting = registration.status == Registration.Status.WAITLISTED
    join = seated and not session.is_cancelled and opens <= now < session.ends_at
    return {
        "webinar_id": session.pk,
        "status": registration.status,
        "waiting_position": selectors.waiting_position(registration) if waiting else None,
        "created_at": registration.created_at,
        "join_url": (session.join_url or None) if join else None,
    }


def _session(session_id: int) -> Session:
    session = selectors.session_by_id(session_id)
    if session is None:
        raise NotFound("No webinar with this id.")
    return session


@router.get("/webinars", response={200: WebinarList, **ERRORS}, auth=PUBLIC)
def list_webinars(request: HttpRequest):
    """Upcoming sessions (not ended, not cancelled), soonest first."""
    sessions = selectors.upcoming_sessions()
    if request.auth.is_authenticated:
        sessions = sessions.prefetch_related(selectors.prefetch_mine(request.auth))
    items = [_webinar_data(s, next(iter(getattr(s, "mine", [])), None)) for s in sessions]
    return {"items": items, "count": len(items)}


@router.get("/webinars/{webinar_id}", response={200: WebinarOut, **ERRORS}, auth=PUBLIC)
def get_webinar(request: HttpRequest, webinar_id: Id):
    """One session, cancelled ones included."""
    session = _session(webinar_id)
    return _webinar_data(session, selectors.registration_of(request.auth, session))


@router.post(
    "/webinars/{webinar_id}/registration",
    response={200: WebinarRegistrationOut, **ERRORS},
    auth=AUTH,
)
def register(request: HttpRequest, webinar_id: Id):
    """A seat while one is free, else the waiting list; calling again returns the same."""
    registration = services.register(user=request.auth, session=_session(webinar_id))
    return _registration_data(registration)


@router.delete(
    "/webinars/{webinar_id}/registration",
    response={200: WebinarRegistrationOut, **ERRORS},
    auth=AUTH,
)
def cancel(request: HttpRequest, webinar_id: Id):
    """Give up the seat (the first waiting gets it) or the waiting-list place; 404 if none."""
    registration = services.cancel_registration(user=request.auth, session=_session(webinar_id))
    return _registration_data(registration)
