"""Every write of webinars and workshops: registration, the waiting list, attendance,
recordings, scheduling, series and reminders.

Who registers: sellers (members of a store) and office staff, the Academy's
learners (``academy.services.can_learn``). Office staff schedule, edit and
cancel sessions and series; the session's host or office staff mark
attendance and add the recording.

Capacity: every write that changes who holds a seat runs in one transaction
holding the session's row lock (``select_for_update``), so two people taking
the last seat at once get one seat and one waiting-list place. Invariants
after every such write: registered ≤ capacity, and nobody waits while a seat
is free (freed seats go to the waiting list in order of registration time).
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule, weekday
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from saypro.academy.services import can_learn
from saypro.accounts.models import User
from saypro.core.effects import enqueue_on_commit
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.notifications import services as notifications
from saypro.notifications.models import NotificationType
from saypro.notifications.selectors import settings_by_user
from saypro.webinars.models import DURATION_MINUTES, Format, Registration, Series, Session
from saypro.webinars.tasks import attendance_marked

DAY_REMINDER = timedelta(hours=24)
HOUR_REMINDER = timedelta(hours=1)
TITLE_MAX = 200
CAPACITY_MAX = 10_000
# How far ahead a one-off session may start: far enough for any real plan, and it keeps
# a mistyped year (9999) from being stored, where its end would overflow ``datetime``.
SCHEDULE_AHEAD = timedelta(days=2 * 365)

# --- Who may do what ---------------------------------------------------------------------------


def can_register(user: User) -> bool:
    """Sellers and office staff; buyers and anonymous visitors may only look."""
    return can_learn(user)


def can_host(user: User, session: Session) -> bool:
    """The session's host and office staff mark attendance and add the recording."""
    return user.is_authenticated and user.is_active and (user.is_staff or user == session.host)


def _require_registrant(user: User) -> None:
    if not can_register(user):
        raise PermissionDenied(
            "Webinars and workshops are for sellers: open a store or join a store's team "
            "to register."
        )


def _require_office(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_office_staff):
        raise PermissionDenied("Only the marketplace office schedules webinars.")


def _require_host(actor: User, session: Session) -> None:
    if not can_host(actor, session):
        raise PermissionDenied("Only the session's host or the marketplace office may do this.")


# --- Helpers -----------------------------------------------------------------------------------


def _locked(session: Session) -> Session:
    """The session re-read under its row lock: the one place seat changes serialise."""
    return Session.objects.select_for_update().select_related("host").get(pk=session.pk)


def _local_text(when: datetime, zone_name: str) -> str:
    local = when.astimezone(ZoneInfo(zone_name))
    return f"{local:%a %-d %b %Y, %H:%M} ({zone_name})"


def _when_for(users: list[int], when: datetime) -> dict[int, str]:
    zones = settings_by_user(users)
    return {user_id: _local_text(when, zones[user_id].time_zone) for user_id in users}


def _tell(user_ids: list[int], session: Session, text: str, now: datetime) -> None:
    """A webinar notification to each person, with the start in their own time zone."""
    for user_id, when in _when_for(user_ids, session.starts_at).items():
        notifications.notify(
            User(pk=user_id),
            NotificationType.WEBINAR_REMINDER,
            subject=session,
            text=text.format(title=session.title, when=when),
            link=session.get_absolute_url(),
            now=now,
        )


def _registered_count(session: Session) -> int:
    return session.registrations.filter(status=Registration.Status.REGISTERED).count()


def _fill_seats(session: Session, now: datetime) -> list[Registration]:
    """Give free seats to the waiting list in order; the promoted, who are told. Lock held."""
    free = session.capacity - _registered_count(session)
    if free <= 0:
        return []
    promoted = list(
        session.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
            "created_at", "pk"
        )[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.REGISTERED
        registration.promoted_at = now
        _skip_passed_reminders(registration, session, now)
        registration.save(
            update_fields=["status", "promoted_at", "reminded_day_at", "reminded_hour_at"]
        )
    if promoted:
        _tell(
            [r.user_id for r in promoted],
            session,
            "A seat came free: you are now registered for “{title}”, {when}.",
            now,
        )
    return promoted


def _skip_passed_reminders(registration: Registration, session: Session, now: datetime) -> None:
    """Someone who gets a seat inside a reminder window was just told; no reminder repeats it."""
    if session.starts_at - now <= DAY_REMINDER:
        registration.reminded_day_at = registration.reminded_day_at or now
    if session.starts_at - now <= HOUR_REMINDER:
        registration.reminded_hour_at = registration.reminded_hour_at or now


# --- Registration ------------------------------------------------------------------------------


@transaction.atomic
def register(*, user: User, session: Session, now: datetime | None = None) -> Registration:
    """Register ``user``: a seat while one is free, else a place on the waiting list.

    Registering again while registered or waiting returns that registration
    unchanged. Someone who cancelled and registers again goes to the end of
    the queue like anyone new. Registration closes at the start.
    """
    now = now or timezone.now()
    _require_registrant(user)
    session = _locked(session)
    if session.is_cancelled:
        raise Conflict("This session was cancelled.", code="cancelled")
    existing = Registration.objects.filter(session=session, user=user).first()
    if existing is not None and existing.is_active:
        return existing
    if now >= session.starts_at:
        raise Conflict("Registration closed when the session started.", code="started")
    seat_free = _registered_count(session) < session.capacity
    status = Registration.Status.REGISTERED if seat_free else Registration.Status.WAITLISTED
    registration = existing or Registration(session=session, user=user)
    registration.status, registration.created_at = status, now
    registration.cancelled_at = registration.promoted_at = None
    registration.reminded_day_at = registration.reminded_hour_at = None
    if seat_free:
        _skip_passed_reminders(registration, session, now)
    registration.save()
    if seat_free:
        text = "You are registered for “{title}”, {when}. The join link opens 15 minutes before."
    else:
        text = (
            "“{title}” ({when}) is full: you are on the waiting list "
            "and will hear if a seat frees up."
        )
    _tell([user.pk], session, text, now)
    return registration


@transaction.atomic
def cancel_registration(
    *, user: User, session: Session, now: datetime | None = None
) -> Registration:
    """Give up a seat or a waiting-list place; a freed seat goes to the first who waits."""
    now = now or timezone.now()
    session = _locked(session)
    registration = Registration.objects.filter(
        session=session,
        user=user,
        status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED],
    ).first()
    if registration is None:
        raise NotFound("You are not registered for this session.")
    if now >= session.starts_at:
        raise Conflict("The session has started; there is nothing to cancel.", code="started")
    registration.status, registration.cancelled_at = Registration.Status.CANCELLED, now
    registration.save(update_fields=["status", "cancelled_at"])
    if not session.is_cancelled:
        _fill_seats(session, now)
    return registration


# --- Host: attendance and recording ------------------------------------------------------------


@transaction.atomic
def mark_attendance(
    *, actor: User, session: Session, attended_ids: set[int], now: datetime | None = None
) -> int:
    """Record who attended: the registered in ``attended_ids`` were there, the others not.

    Only after the start. Each person newly marked present is invited, after
    commit, to the ``webinar_attended`` survey about the session. Returns how
    many are marked present.
    """
    now = now or timezone.now()
    _require_host(actor, session)
    session = _locked(session)
    if session.is_cancelled:
        raise Conflict("This session was cancelled.", code="cancelled")
    if now < session.starts_at:
        raise Conflict("Attendance can be marked once the session has started.", code="not_started")
    registered = list(session.registrations.filter(status=Registration.Status.REGISTERED))
    unknown = set(attended_ids) - {r.pk for r in registered}
    if unknown:
        raise ValidationFailed("Only registered people can be marked present.")
    present = 0
    for registration in registered:
        was_there = registration.pk in attended_ids
        present += was_there
        if registration.attended == was_there:
            continue
        if was_there:
            enqueue_on_commit(attendance_marked, registration.pk)
        registration.attended, registration.attendance_marked_at = was_there, now
        registration.save(update_fields=["attended", "attendance_marked_at"])
    return present


def _check_url(url: str, field_name: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if url and (parts.scheme not in ("https", "http") or not parts.netloc or len(url) > 200):
        raise ValidationFailed(
            "Enter a full web address starting with https://.", details={"field": field_name}
        )
    return url


@transaction.atomic
def set_recording(
    *, actor: User, session: Session, url: str, now: datetime | None = None
) -> Session:
    """Add (or change, or remove with an empty ``url``) the recording, after the end."""
    now = now or timezone.now()
    _require_host(actor, session)
    url = _check_url(url, "recording_url")
    session = _locked(session)
    if session.is_cancelled:
        raise Conflict("This session was cancelled.", code="cancelled")
    if now < session.ends_at:
        raise Conflict("Add the recording once the session has ended.", code="not_ended")
    session.recording_url = url
    session.save(update_fields=["recording_url"])
    return session


# --- Office: sessions --------------------------------------------------------------------------


@dataclass
class Details:
    """What a session (or a series) says; validated by ``_validated``."""

    title: str
    summary: str
    host: User
    duration_minutes: int
    capacity: int
    format: str = Format.WEBINAR
    agenda: list[str] = field(default_factory=list)
    host_name: str = ""
    host_role: str = ""
    join_url: str = ""
    description_slug: str = ""


def _validated(details: Details) -> Details:
    details.title, details.summary = details.title.strip(), details.summary.strip()
    if not details.title or len(details.title) > TITLE_MAX:
        raise ValidationFailed(
            f"Give the session a title of at most {TITLE_MAX} characters.",
            details={"field": "title"},
        )
    if not details.summary:
        raise ValidationFailed(
            "Say in a sentence or two what the session is about.", details={"field": "summary"}
        )
    if details.format not in Format.values:
        raise ValidationFailed("Choose webinar or workshop.", details={"field": "format"})
    low, high = DURATION_MINUTES
    if not low <= details.duration_minutes <= high:
        raise ValidationFailed(
            f"A session lasts {low} to {high} minutes.", details={"field": "duration_minutes"}
        )
    if not 1 <= details.capacity <= CAPACITY_MAX:
        raise ValidationFailed(
            f"A session has 1 to {CAPACITY_MAX} seats.",
            details={"field": "capacity"},
        )
    if not details.host.is_office_staff:
        raise ValidationFailed(
            "The host must be a member of the office staff.", details={"field": "host"}
        )
    details.agenda = [item.strip() for item in details.agenda if item.strip()]
    details.join_url = _check_url(details.join_url, "join_url")
    return details


def _apply(session: Session, details: Details) -> None:
    for name in (
        "title",
        "summary",
        "host",
        "duration_minutes",
        "capacity",
        "format",
        "agenda",
        "host_name",
        "host_role",
        "join_url",
        "description_slug",
    ):
        setattr(session, name, getattr(details, name))


def _check_start(starts_at: datetime, now: datetime) -> None:
    """A start in the future and within ``SCHEDULE_AHEAD`` (aware times; no arithmetic on
    ``starts_at``, which may be as late as year 9999)."""
    if starts_at <= now:
        raise ValidationFailed("Choose a start in the future.", details={"field": "starts_at"})
    if starts_at > now + SCHEDULE_AHEAD:
        raise ValidationFailed(
            "Choose a start within the next two years.", details={"field": "starts_at"}
        )


@transaction.atomic
def schedule_session(
    *, actor: User, details: Details, starts_at: datetime, now: datetime | None = None
) -> Session:
    """Schedule a one-off session (office staff), starting in the future."""
    now = now or timezone.now()
    _require_office(actor)
    details = _validated(details)
    _check_start(starts_at, now)
    session = Session(starts_at=starts_at, created_at=now)
    _apply(session, details)
    session.save()
    return session


@transaction.atomic
def edit_session(
    *,
    actor: User,
    session: Session,
    details: Details,
    starts_at: datetime,
    now: datetime | None = None,
) -> Session:
    """Change a session that has not started (office staff).

    Capacity cannot drop below the people already registered; a larger
    capacity seats the waiting list. A new start time is announced to the
    registered and their reminders are due again.
    """
    now = now or timezone.now()
    _require_office(actor)
    details = _validated(details)
    session = _locked(session)
    if session.is_cancelled:
        raise Conflict("This session was cancelled.", code="cancelled")
    if now >= session.starts_at:
        raise Conflict("A session that has started cannot be changed.", code="started")
    _check_start(starts_at, now)
    registered = _registered_count(session)
    if details.capacity < registered:
        raise ValidationFailed(
            f"{registered} {'person is' if registered == 1 else 'people are'} registered; "
            "the capacity cannot be lower.",
            details={"field": "capacity"},
        )
    moved = starts_at != session.starts_at
    _apply(session, details)
    session.starts_at = starts_at
    session.save()
    if moved:
        active = session.registrations.exclude(status=Registration.Status.CANCELLED)
        active.update(reminded_day_at=None, reminded_hour_at=None)
        _tell(
            list(
                active.filter(status=Registration.Status.REGISTERED).values_list(
                    "user_id", flat=True
                )
            ),
            session,
            "“{title}” moved: it now starts {when}.",
            now,
        )
    _fill_seats(session, now)
    return session


@transaction.atomic
def cancel_session(*, actor: User, session: Session, now: datetime | None = None) -> Session:
    """Cancel a session that has not started; everyone registered or waiting is told."""
    now = now or timezone.now()
    _require_office(actor)
    session = _locked(session)
    if session.is_cancelled:
        return session
    if now >= session.starts_at:
        raise Conflict("A session that has started cannot be cancelled.", code="started")
    session.status, session.cancelled_at = Session.Status.CANCELLED, now
    session.save(update_fields=["status", "cancelled_at"])
    people = list(
        session.registrations.exclude(status=Registration.Status.CANCELLED).values_list(
            "user_id", flat=True
        )
    )
    _tell(people, session, "Cancelled: “{title}”, {when}, will not take place.", now)
    return session


# --- Office: monthly series --------------------------------------------------------------------


def occurrences(series: Series, after: datetime, until: datetime) -> list[datetime]:
    """The series' starts in UTC with ``after`` < start ≤ ``until``.

    Computed on local wall-clock times in the series' zone and converted one
    by one, so 14:00 stays 14:00 local on both sides of a DST change.
    """
    zone = ZoneInfo(series.time_zone)
    first = after.astimezone(zone).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    rule = rrule(
        MONTHLY,
        dtstart=first.replace(tzinfo=None),
        byweekday=weekday(series.weekday, series.week_of_month),
        byhour=series.local_time.hour,
        byminute=series.local_time.minute,
        bysecond=0,
        until=until.astimezone(zone).replace(tzinfo=None) + timedelta(days=1),
    )
    starts = [local.replace(tzinfo=zone).astimezone(ZoneInfo("UTC")) for local in rule]
    return [start for start in starts if after < start <= until]


def _horizon(now: datetime) -> datetime:
    return now + relativedelta(months=settings.WEBINARS_SERIES_MONTHS_AHEAD)


def _validated_rule(weekday_number: int, week_of_month: int, time_zone: str) -> None:
    if weekday_number not in range(7):
        raise ValidationFailed("Choose a day of the week.", details={"field": "weekday"})
    if week_of_month not in (1, 2, 3, 4, -1):
        raise ValidationFailed(
            "Choose the first to fourth, or the last, week of the month.",
            details={"field": "week_of_month"},
        )
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(
            f"“{time_zone}” is not a time zone (e.g. Africa/Johannesburg).",
            details={"field": "time_zone"},
        ) from None


@transaction.atomic
def create_series(
    *,
    actor: User,
    details: Details,
    weekday_number: int,
    week_of_month: int,
    local_time: time,
    time_zone: str,
    now: datetime | None = None,
) -> Series:
    """Create a monthly series (office staff) and schedule its sessions ahead."""
    now = now or timezone.now()
    _require_office(actor)
    details = _validated(details)
    _validated_rule(weekday_number, week_of_month, time_zone)
    series = Series(
        weekday=weekday_number,
        week_of_month=week_of_month,
        local_time=local_time,
        time_zone=time_zone,
        created_at=now,
    )
    _apply(series, details)
    series.save()
    extend_series(series=series, now=now)
    return series


@transaction.atomic
def extend_series(*, series: Series, now: datetime | None = None) -> list[Session]:
    """Schedule the series' missing sessions up to the horizon; safe to run again.

    A local date that already has one of the series' sessions (for example
    one kept at its old time after the rule changed) gets no second one.
    """
    now = now or timezone.now()
    series = Series.objects.select_for_update().get(pk=series.pk)
    if not series.is_active:
        return []
    zone = ZoneInfo(series.time_zone)
    taken = {
        start.astimezone(zone).date()
        for start in series.sessions.values_list("starts_at", flat=True)
    }
    created = []
    for start in occurrences(series, now, _horizon(now)):
        if start.astimezone(zone).date() in taken:
            continue
        session = Session(series=series, starts_at=start, created_at=now)
        _apply(session, _details_of(series))
        session.save()
        created.append(session)
    return created


def _details_of(series: Series) -> Details:
    return Details(
        title=series.title,
        summary=series.summary,
        host=series.host,
        duration_minutes=series.duration_minutes,
        capacity=series.capacity,
        format=series.format,
        agenda=list(series.agenda),
        host_name=series.host_name,
        host_role=series.host_role,
        join_url=series.join_url,
        description_slug=series.description_slug,
    )


@transaction.atomic
def edit_series(
    *,
    actor: User,
    series: Series,
    details: Details,
    weekday_number: int,
    week_of_month: int,
    local_time: time,
    time_zone: str,
    now: datetime | None = None,
) -> Series:
    """Change an active series (office staff); only its future sessions nobody signed up
    for follow. An ended series is refused: it schedules nothing any more.

    Future sessions of the series with no registration at all (not even a
    cancelled one) are removed and generated again from the new rule and
    details. Sessions with registrations keep their time and text: people
    registered for them, so the office changes them one by one.
    """
    now = now or timezone.now()
    _require_office(actor)
    details = _validated(details)
    _validated_rule(weekday_number, week_of_month, time_zone)
    series = Series.objects.select_for_update().get(pk=series.pk)
    if not series.is_active:
        raise Conflict("This series has ended; create a new one instead.", code="ended")
    _apply(series, details)
    series.weekday, series.week_of_month = weekday_number, week_of_month
    series.local_time, series.time_zone = local_time, time_zone
    series.save()
    series.sessions.filter(starts_at__gt=now, registrations__isnull=True).delete()
    extend_series(series=series, now=now)
    return series


@transaction.atomic
def end_series(*, actor: User, series: Series, now: datetime | None = None) -> Series:
    """Stop a series (office staff): no new sessions; future ones nobody signed up for go."""
    now = now or timezone.now()
    _require_office(actor)
    series = Series.objects.select_for_update().get(pk=series.pk)
    series.is_active = False
    series.save(update_fields=["is_active"])
    series.sessions.filter(starts_at__gt=now, registrations__isnull=True).delete()
    return series


def extend_all_series(*, now: datetime | None = None) -> int:
    """The daily top-up of every active series; how many sessions were scheduled."""
    now = now or timezone.now()
    return sum(
        len(extend_series(series=series, now=now))
        for series in Series.objects.filter(is_active=True)
    )


# --- Reminders ---------------------------------------------------------------------------------


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind the registered 24 h and 1 h before the start; how many reminders were sent.

    Each reminder goes once: the row is locked (skipping rows another worker
    holds) and stamped in the same transaction as the notification. When the
    24-hour reminder was missed (registered late, or the worker was down) the
    1-hour one covers both, and someone whose registration was already inside
    a window was told at registration (see ``_skip_passed_reminders``).
    """
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        session__status=Session.Status.SCHEDULED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + DAY_REMINDER,
    ).filter(reminded_hour_at__isnull=True)
    sent = 0
    for registration_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            registration = (
                Registration.objects.select_for_update(skip_locked=True)
                .select_related("session")
                .filter(pk=registration_id, status=Registration.Status.REGISTERED)
                .first()
            )
            if registration is None:
                continue
            session = registration.session
            within_hour = session.starts_at - now <= HOUR_REMINDER
            if within_hour and registration.reminded_hour_at is None:
                text = (
                    "Starting within the hour: “{title}”, {when}. "
                    "The join link is on the session page."
                )
                registration.reminded_hour_at = now
                registration.reminded_day_at = registration.reminded_day_at or now
            elif not within_hour and registration.reminded_day_at is None:
                text = "Tomorrow: “{title}”, {when}."
                registration.reminded_day_at = now
            else:
                continue
            registration.save(update_fields=["reminded_day_at", "reminded_hour_at"])
            _tell([registration.user_id], session, text, now)
            sent += 1
    return sent
