"""Demo webinars: six past sessions with attendance and recordings, four upcoming ones and a
monthly series, all from the shipped descriptions and hosted by the demo office account.

Everything goes through the services at past times, as the office and the
sellers would have done it. Of the upcoming sessions one is nearly full, one
is full with a waiting list, and the demo store owner is registered for the
first. A "How was the webinar?" survey is created (when none asks after
webinars yet) and a few attendees answered it. Loaded once: nothing happens
when any session exists.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import F

from saypro.academy.content import Webinar, load_content
from saypro.accounts.models import User
from saypro.catalog.demo import ACCOUNTS
from saypro.catalog.models import StoreMembership
from saypro.core.errors import ApplicationError
from saypro.notifications.models import EmailDelivery, Notification, NotificationType
from saypro.surveys import services as surveys
from saypro.surveys.models import Survey, Trigger
from saypro.webinars import services
from saypro.webinars.models import Registration, Series, Session

PAST_SESSIONS = 6
UPCOMING_DAYS = (3, 6, 9, 13)  # days from now of the four upcoming sessions
START_UTC = time(12, 0)  # 14:00 in Johannesburg
READ_AFTER = timedelta(days=2)
NEARLY_FULL_LEFT = 2
FULL_CAPACITY = 12
FULL_WAITING = 3
ATTENDANCE = 0.7
COMMENTS = [
    "The live rewrites showed exactly what the coach wants.",
    "Useful, and the questions from the chat were the best part.",
    "Good pace. I set up the weekly routine the same day.",
    "",
]


@dataclass(frozen=True)
class WebinarsReport:
    created: bool
    past: int
    upcoming: int
    registrations: int
    attended: int
    series: int


def load_demo_webinars(*, seed: int, now: datetime) -> WebinarsReport:
    office = User.objects.filter(email=ACCOUNTS["office"].email).first()
    created = office is not None and not Session.objects.exists()
    if created:
        _build(random.Random(seed), office, now)
        _settle_history(now)
    return WebinarsReport(
        created=created,
        past=Session.objects.filter(starts_at__lt=now).count(),
        upcoming=Session.objects.filter(starts_at__gte=now, status="scheduled").count(),
        registrations=Registration.objects.exclude(status="cancelled").count(),
        attended=Registration.objects.filter(attended=True).count(),
        series=Series.objects.count(),
    )


def _settle_history(now: datetime) -> None:
    """Webinar notifications older than two days were read, and their emails went out then.

    Without this, loading the demo would email hundreds of confirmations for
    sessions long past.
    """
    old = Notification.objects.filter(
        type=NotificationType.WEBINAR_REMINDER, created_at__lt=now - READ_AFTER
    )
    EmailDelivery.objects.filter(notification__in=old, status=EmailDelivery.Status.PENDING).update(
        status=EmailDelivery.Status.SKIPPED, last_error="Demo history: not sent."
    )
    old.update(read_at=F("updated_at"))


def _details(description: Webinar, office: User, *, capacity: int | None = None):
    return services.Details(
        title=description.title,
        summary=description.summary,
        host=office,
        duration_minutes=description.duration_minutes,
        capacity=capacity or description.capacity,
        format=description.format,
        agenda=list(description.agenda),
        host_name=description.host,
        host_role=description.host_role,
        join_url=f"https://meet.saypro.test/{description.slug}",
        description_slug=description.slug,
    )


def _at(day: datetime) -> datetime:
    return day.replace(hour=START_UTC.hour, minute=0, second=0, microsecond=0)


def _build(rng: random.Random, office: User, now: datetime) -> None:
    descriptions = list(load_content().webinars)
    sellers = list(
        User.objects.filter(
            pk__in=StoreMembership.objects.values("user_id"), is_active=True
        ).order_by("pk")
    )
    owner = next((p for p in sellers if p.email == ACCOUNTS["owner"].email), None)
    others = [p for p in sellers if p != owner]
    survey = _survey(office, now)
    for number in range(PAST_SESSIONS):
        description = descriptions[number % len(descriptions)]
        start = _at(now - timedelta(days=10 + 14 * number))
        _past(rng, office, description, start, others, survey)
    recurring = next(d for d in descriptions if d.recurring_monthly)
    # The series has its own sessions: an upcoming one-off of the same title could land on
    # one of its dates (the second Tuesday), the same webinar listed twice at one time.
    rest = descriptions[PAST_SESSIONS:] + descriptions[:PAST_SESSIONS]
    one_offs = [d for d in rest if d != recurring][: len(UPCOMING_DAYS)]
    for number, (days, description) in enumerate(zip(UPCOMING_DAYS, one_offs, strict=True)):
        _upcoming(
            rng, office, description, _at(now + timedelta(days=days)), number, others, owner, now
        )
    services.create_series(
        actor=office,
        details=_details(recurring, office),
        weekday_number=1,
        week_of_month=2,
        local_time=time(14, 0),
        time_zone="Africa/Johannesburg",
        now=now,
    )


def _past(rng, office, description, start, people, survey) -> None:
    scheduled_at = start - timedelta(days=21)
    session = services.schedule_session(
        actor=office, details=_details(description, office), starts_at=start, now=scheduled_at
    )
    count = min(session.capacity, len(people), rng.randint(8, 30))
    registered = rng.sample(people, count)
    for offset, person in enumerate(registered):
        services.register(
            user=person, session=session, now=scheduled_at + timedelta(hours=3 + offset * 5)
        )
    seats = session.registrations.filter(status=Registration.Status.REGISTERED)
    present = {r.pk for r in seats if rng.random() < ATTENDANCE}
    end = session.ends_at
    services.mark_attendance(actor=office, session=session, attended_ids=present, now=end)
    services.set_recording(
        actor=office,
        session=session,
        url=f"https://video.saypro.test/webinars/{description.slug}-{start:%Y-%m}",
        now=end + timedelta(hours=2),
    )
    if survey is not None:
        for registration in seats.filter(pk__in=present).select_related("user")[:3]:
            _answer(rng, survey, registration.user, session, end + timedelta(hours=1))


def _upcoming(rng, office, description, start, number, people, owner, now) -> None:
    full = number == 1
    # Small demo scales have few sellers: the seats shrink so that some still wait.
    capacity = (
        max(min(description.capacity, FULL_CAPACITY, len(people) - FULL_WAITING), 1)
        if full
        else None
    )
    if number == 2:  # nearly full: a small group, all but two seats taken
        capacity = min(description.capacity, max(len(people) - 1, NEARLY_FULL_LEFT + 1), 20)
    session = services.schedule_session(
        actor=office,
        details=_details(description, office, capacity=capacity),
        starts_at=start,
        now=now - timedelta(days=14),
    )
    if full:
        wanted = session.capacity + FULL_WAITING
    elif number == 2:
        wanted = session.capacity - NEARLY_FULL_LEFT
    else:
        wanted = rng.randint(5, 15)
    for offset, person in enumerate(rng.sample(people, min(wanted, len(people)))):
        services.register(
            user=person, session=session, now=now - timedelta(days=10, hours=-offset * 3)
        )
    if number == 0 and owner is not None:
        services.register(user=owner, session=session, now=now - timedelta(days=2))


def _survey(office: User, now: datetime) -> Survey | None:
    return surveys.create_follow_up_survey(
        actor=office,
        trigger=Trigger.WEBINAR_ATTENDED,
        title="After a webinar or workshop",
        question="How useful was the session for your store?",
        comment_prompt="What would have made it more useful?",
        now=now - timedelta(days=120),
    )


def _answer(rng, survey: Survey, user: User, session: Session, when: datetime) -> None:
    invitation = surveys.invite_to(survey=survey, user=user, subject=session, now=when)
    if invitation is None:  # asked something recently: the survey rules say no
        return
    try:
        surveys.answer(
            invitation=invitation,
            user=user,
            score=rng.choice([4, 5, 5, 4, 3]),
            comment=rng.choice(COMMENTS),
            now=when + timedelta(hours=rng.randint(1, 20)),
        )
    except ApplicationError:
        return
