"""Reads of webinars and workshops: lists, one session for a viewer, hosts' lists, KPIs."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog.models import StoreMembership
from saypro.notifications.selectors import settings_for
from saypro.webinars.models import Registration, Series, Session

REGISTERED = Registration.Status.REGISTERED
WAITLISTED = Registration.Status.WAITLISTED


def time_zone_of(user: User | AnonymousUser) -> str:
    """The viewer's time zone (their notification settings), else the marketplace's."""
    return settings_for(user).time_zone


def _with_counts(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.select_related("host", "series").annotate(
        registered_count=Count("registrations", filter=Q(registrations__status=REGISTERED)),
        waiting_count=Count("registrations", filter=Q(registrations__status=WAITLISTED)),
        attended_count=Count("registrations", filter=Q(registrations__attended=True)),
    )


def upcoming_sessions(*, now: datetime | None = None) -> QuerySet[Session]:
    """Scheduled sessions that have not ended, soonest first."""
    now = now or timezone.now()
    # A session is listed until its end; the longest lasts 8 hours.
    candidates = Session.objects.filter(
        status=Session.Status.SCHEDULED, starts_at__gt=now - timedelta(hours=8)
    )
    ended = [s.pk for s in candidates.only("starts_at", "duration_minutes") if s.ends_at <= now]
    return _with_counts(candidates.exclude(pk__in=ended)).order_by("starts_at", "pk")


def past_sessions(*, now: datetime | None = None) -> QuerySet[Session]:
    """Sessions that took place (not cancelled), latest first, with their recordings."""
    now = now or timezone.now()
    started = Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__lte=now)
    upcoming = upcoming_sessions(now=now).values("pk")
    return _with_counts(started.exclude(pk__in=upcoming)).order_by("-starts_at", "-pk")


def session_by_id(session_id: int) -> Session | None:
    """Any session, cancelled ones included (their page says so); with seat counts."""
    return _with_counts(Session.objects.filter(pk=session_id)).first()


def registration_of(user: User, session: Session) -> Registration | None:
    """The viewer's active registration for ``session``, if any."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(session=session, user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def waiting_position(registration: Registration) -> int:
    """1 for the first in the queue."""
    return (
        Registration.objects.filter(session_id=registration.session_id, status=WAITLISTED)
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lte=registration.pk)
        )
        .count()
    )


def my_registrations(user: User) -> QuerySet[Registration]:
    """The person's registrations and waiting-list places, newest session first."""
    return (
        Registration.objects.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("session", "session__host")
        .order_by("-session__starts_at")
    )


def attendees(session: Session) -> list[Registration]:
    """The registered (who may be marked present), in registration order."""
    return list(
        session.registrations.filter(status=REGISTERED)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def waiting_list(session: Session) -> list[Registration]:
    return list(
        session.registrations.filter(status=WAITLISTED)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def hosted_by(user: User, *, now: datetime | None = None) -> QuerySet[Session]:
    """Sessions the person hosts (for the host's links on "My webinars")."""
    return _with_counts(Session.objects.filter(host=user)).order_by("-starts_at")[:20]


def office_sessions(*, now: datetime | None = None) -> QuerySet[Session]:
    """Every session for the office list, the latest start first."""
    return _with_counts(Session.objects.all()).order_by("-starts_at", "-pk")


def office_series() -> QuerySet[Series]:
    return (
        Series.objects.select_related("host")
        .annotate(session_count=Count("sessions"))
        .order_by("-is_active", "title")
    )


def series_by_id(series_id: int) -> Series | None:
    return Series.objects.filter(pk=series_id).first()


@dataclass(frozen=True)
class Engagement:
    sessions_held: int
    registrations: int
    attendees: int
    sellers_attending: int
    attendance_rate: float | None  # attendees / registered, None when nobody registered


def _held(start: datetime, end: datetime) -> QuerySet[Session]:
    return Session.objects.filter(
        status=Session.Status.SCHEDULED, starts_at__gte=start, starts_at__lt=end
    )


def sellers_attending(start: datetime, end: datetime) -> QuerySet:
    """The ids of store members marked present at a session starting in ``[start, end)``."""
    return (
        Registration.objects.filter(session__in=_held(start, end), status=REGISTERED, attended=True)
        .filter(user__in=StoreMembership.objects.values("user"))
        .order_by()  # not the default ordering: DISTINCT would carry its columns
        .values_list("user", flat=True)
        .distinct()
    )


def engagement(start: datetime, end: datetime) -> Engagement:
    """Webinar engagement for sessions starting in [start, end) (the KPI's quarter).

    Held: not cancelled. Registrations: seats held at the session (the
    registered, not the waiting list). Attendees: marked present. Sellers
    attending: distinct people who belong to a store and were marked present.
    """
    held = _held(start, end)
    seats = Registration.objects.filter(session__in=held, status=REGISTERED)
    registrations, attended = seats.count(), seats.filter(attended=True).count()
    sellers = sellers_attending(start, end).count()
    return Engagement(
        sessions_held=held.count(),
        registrations=registrations,
        attendees=attended,
        sellers_attending=sellers,
        attendance_rate=attended / registrations if registrations else None,
    )


def prefetch_mine(user: User) -> Prefetch:
    """The viewer's own registration on each listed session (one query for the list)."""
    return Prefetch(
        "registrations",
        queryset=Registration.objects.filter(user=user).exclude(
            status=Registration.Status.CANCELLED
        ),
        to_attr="mine",
    )
