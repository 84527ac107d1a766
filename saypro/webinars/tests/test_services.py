from datetime import time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from saypro.notifications.models import Notification, NotificationSettings
from saypro.surveys.models import Audience, Invitation, Trigger
from saypro.surveys.selectors import subject_label
from saypro.surveys.tests.factories import SurveyFactory
from saypro.webinars import services
from saypro.webinars.models import Registration, Series, Session
from saypro.webinars.tests.factories import NOW, SessionFactory

pytestmark = pytest.mark.django_db
REGISTERED, WAITLISTED, CANCELLED = (
    Registration.Status.REGISTERED,
    Registration.Status.WAITLISTED,
    Registration.Status.CANCELLED,
)


def sellers(count: int):
    return [MembershipFactory().user for _ in range(count)]


def statuses(session):
    return list(session.registrations.order_by("pk").values_list("status", flat=True))


def test_seats_then_the_waiting_list_and_registering_twice_returns_the_same(staff):
    session = SessionFactory(capacity=2)
    first, second, third = sellers(3)

    a = services.register(user=first, session=session, now=NOW)
    assert services.register(user=first, session=session, now=NOW + timedelta(minutes=1)) == a
    services.register(user=second, session=session, now=NOW)
    waiting = services.register(user=third, session=session, now=NOW)

    assert waiting.status == WAITLISTED
    assert statuses(session) == [REGISTERED, REGISTERED, WAITLISTED]
    assert Registration.objects.filter(user=first).count() == 1
    # Office staff register like sellers.
    assert services.register(user=staff, session=session, now=NOW).status == WAITLISTED


def test_cancelling_promotes_the_first_waiting_who_is_told():
    session = SessionFactory(capacity=1, title="Insights tour")
    holder, early, late = sellers(3)
    services.register(user=holder, session=session, now=NOW)
    services.register(user=early, session=session, now=NOW + timedelta(minutes=1))
    services.register(user=late, session=session, now=NOW + timedelta(minutes=2))

    services.cancel_registration(user=holder, session=session, now=NOW + timedelta(hours=1))

    assert Registration.objects.get(user=early).status == REGISTERED
    assert Registration.objects.get(user=late).status == WAITLISTED
    assert Registration.objects.get(user=holder).status == CANCELLED
    told = Notification.objects.filter(recipient=early).order_by("pk").last()
    assert told.text.startswith("A seat came free: you are now registered for “Insights tour”")
    assert told.link == f"/academy/webinars/{session.pk}/"


def test_notifications_show_the_start_in_the_persons_time_zone():
    session = SessionFactory(starts_at=NOW + timedelta(days=2))  # 12 Mar 08:00 UTC
    [seller] = sellers(1)
    NotificationSettings.objects.create(user=seller, time_zone="America/New_York")
    services.register(user=seller, session=session, now=NOW)
    [confirmation] = Notification.objects.filter(recipient=seller)
    assert "Thu 12 Mar 2026, 04:00 (America/New_York)" in confirmation.text


def test_registering_again_after_cancelling_goes_to_the_end_of_the_queue():
    session = SessionFactory(capacity=1)
    holder, other = sellers(2)
    services.register(user=holder, session=session, now=NOW)
    services.cancel_registration(user=holder, session=session, now=NOW)
    services.register(user=other, session=session, now=NOW + timedelta(minutes=1))
    again = services.register(user=holder, session=session, now=NOW + timedelta(minutes=2))
    assert again.status == WAITLISTED and again.cancelled_at is None


@pytest.mark.parametrize("who", ["buyer", "anonymous", "inactive_seller"])
def test_only_sellers_and_staff_register_and_a_refusal_changes_nothing(who, buyer):
    from django.contrib.auth.models import AnonymousUser

    session = SessionFactory()
    person = {"buyer": buyer, "anonymous": AnonymousUser()}.get(who)
    if who == "inactive_seller":
        person = sellers(1)[0]
        person.is_active = False
        person.save()
    with pytest.raises(PermissionDenied, match="for sellers"):
        services.register(user=person, session=session, now=NOW)
    assert not Registration.objects.exists()
    assert not Notification.objects.exists()


def test_no_registration_for_cancelled_or_started_sessions():
    [seller] = sellers(1)
    started = SessionFactory(starts_at=NOW - timedelta(minutes=1))
    with pytest.raises(Conflict, match="closed when the session started"):
        services.register(user=seller, session=started, now=NOW)
    cancelled = SessionFactory(status=Session.Status.CANCELLED)
    with pytest.raises(Conflict, match="cancelled"):
        services.register(user=seller, session=cancelled, now=NOW)
    with pytest.raises(NotFound):
        services.cancel_registration(user=seller, session=cancelled, now=NOW)
    assert not Registration.objects.exists()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    capacity=st.integers(min_value=1, max_value=3),
    steps=st.lists(
        st.tuples(st.sampled_from(["register", "cancel"]), st.integers(0, 5)), max_size=25
    ),
    raise_capacity_at=st.integers(min_value=0, max_value=25),
)
def test_never_over_capacity_and_nobody_waits_beside_a_free_seat(
    django_db_blocker, capacity, steps, raise_capacity_at
):
    from django.db import transaction

    with transaction.atomic():
        people = sellers(6)
        session = SessionFactory(capacity=capacity)
        office = session.host
        for index, (action, person) in enumerate(steps):
            if index == raise_capacity_at:
                session.refresh_from_db()
                details = services.Details(
                    title=session.title,
                    summary=session.summary,
                    host=office,
                    duration_minutes=60,
                    capacity=max(
                        session.capacity, session.registrations.filter(status=REGISTERED).count()
                    )
                    + 1,
                )
                services.edit_session(
                    actor=office,
                    session=session,
                    details=details,
                    starts_at=session.starts_at,
                    now=NOW,
                )
            try:
                if action == "register":
                    services.register(user=people[person], session=session, now=NOW)
                else:
                    services.cancel_registration(user=people[person], session=session, now=NOW)
            except NotFound:
                pass
            session.refresh_from_db()
            registered = session.registrations.filter(status=REGISTERED).count()
            waiting = session.registrations.filter(status=WAITLISTED).count()
            assert registered <= session.capacity
            assert not (waiting and registered < session.capacity)
        transaction.set_rollback(True)


def test_host_marks_attendance_after_the_start_and_attendees_get_the_survey(
    django_capture_on_commit_callbacks,
):
    survey = SurveyFactory(trigger=Trigger.WEBINAR_ATTENDED, audience=Audience.SELLERS)
    session = SessionFactory(capacity=5, title="Insights tour")
    came, missed = sellers(2)
    a = services.register(user=came, session=session, now=NOW)
    b = services.register(user=missed, session=session, now=NOW)

    with pytest.raises(Conflict, match="once the session has started"):
        services.mark_attendance(actor=session.host, session=session, attended_ids={a.pk}, now=NOW)
    start = session.starts_at + timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        present = services.mark_attendance(
            actor=session.host, session=session, attended_ids={a.pk}, now=start
        )
    assert present == 1
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.attended, b.attended) == (True, False)
    invitation = Invitation.objects.get()
    assert (invitation.survey, invitation.user, invitation.subject) == (survey, came, session)
    assert subject_label(invitation) == "About the webinar “Insights tour”"

    # Saving the same attendance again does not ask again.
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_attendance(
            actor=session.host, session=session, attended_ids={a.pk}, now=start
        )
    assert Invitation.objects.count() == 1


def test_only_the_host_or_staff_mark_attendance_and_only_the_registered():
    session = SessionFactory(starts_at=NOW - timedelta(minutes=30))
    seller, other = sellers(2)
    registration = Registration.objects.create(
        session=session, user=seller, status=REGISTERED, created_at=NOW - timedelta(days=1)
    )
    waiting = Registration.objects.create(
        session=session, user=other, status=WAITLISTED, created_at=NOW - timedelta(days=1)
    )
    for intruder in (seller, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.mark_attendance(
                actor=intruder, session=session, attended_ids={registration.pk}, now=NOW
            )
    with pytest.raises(ValidationFailed):
        services.mark_attendance(
            actor=StaffFactory(),
            session=session,
            attended_ids={registration.pk, waiting.pk},
            now=NOW,
        )
    assert not Registration.objects.filter(attended__isnull=False).exists()


def test_recording_only_after_the_end_with_a_web_address():
    session = SessionFactory(starts_at=NOW - timedelta(minutes=30), duration_minutes=60)
    with pytest.raises(Conflict, match="ended"):
        services.set_recording(actor=session.host, session=session, url="https://v.test/1", now=NOW)
    later = NOW + timedelta(hours=1)
    with pytest.raises(ValidationFailed):
        services.set_recording(
            actor=session.host, session=session, url="javascript:alert(1)", now=later
        )
    with pytest.raises(PermissionDenied):
        services.set_recording(
            actor=sellers(1)[0], session=session, url="https://v.test/1", now=later
        )
    session.refresh_from_db()
    assert session.recording_url == ""
    services.set_recording(actor=session.host, session=session, url=" https://v.test/1 ", now=later)
    session.refresh_from_db()
    assert session.recording_url == "https://v.test/1"


def details(office, **changes):
    values = {
        "title": "Messages that sell",
        "summary": "The 24-hour habit.",
        "host": office,
        "duration_minutes": 60,
        "capacity": 10,
        "agenda": ["Waits", "", "Quick replies"],
    }
    return services.Details(**(values | changes))


def test_office_schedules_edits_and_cancels(staff):
    session = services.schedule_session(
        actor=staff, details=details(staff), starts_at=NOW + timedelta(days=3), now=NOW
    )
    assert (
        session.agenda == ["Waits", "Quick replies"] and session.status == Session.Status.SCHEDULED
    )
    seated, also_seated, waiting = sellers(3)
    services.edit_session(
        actor=staff,
        session=session,
        details=details(staff, capacity=2),
        starts_at=session.starts_at,
        now=NOW,
    )
    for person in (seated, also_seated, waiting):
        services.register(user=person, session=session, now=NOW)

    with pytest.raises(ValidationFailed, match="2 people are registered"):
        services.edit_session(
            actor=staff,
            session=session,
            details=details(staff, capacity=1),
            starts_at=session.starts_at,
            now=NOW,
        )
    assert Session.objects.get().capacity == 2
    moved = NOW + timedelta(days=4)
    services.edit_session(
        actor=staff, session=session, details=details(staff, capacity=3), starts_at=moved, now=NOW
    )
    assert statuses(session) == [REGISTERED, REGISTERED, REGISTERED]
    assert Notification.objects.filter(recipient=seated, text__contains="moved").count() == 1
    assert (
        Notification.objects.filter(recipient=waiting, text__startswith="A seat came free").count()
        == 1
    )

    services.cancel_session(actor=staff, session=session, now=NOW)
    session.refresh_from_db()
    assert session.is_cancelled
    for person in (seated, waiting):
        assert (
            Notification.objects.filter(recipient=person, text__startswith="Cancelled").count() == 1
        )


@pytest.mark.parametrize("who", ["seller", "buyer"])
def test_only_the_office_schedules(who, seller, buyer, staff):
    actor = {"seller": seller, "buyer": buyer}[who]
    with pytest.raises(PermissionDenied):
        services.schedule_session(
            actor=actor, details=details(staff), starts_at=NOW + timedelta(days=1), now=NOW
        )
    session = SessionFactory()
    with pytest.raises(PermissionDenied):
        services.cancel_session(actor=actor, session=session, now=NOW)
    assert Session.objects.count() == 1 and not Session.objects.filter(status="cancelled").exists()


def test_scheduling_refuses_bad_input(staff, seller):
    for bad, field in [
        ({"title": " "}, "title"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": services.CAPACITY_MAX + 1}, "capacity"),
        ({"host": seller}, "host"),
        ({"join_url": "ftp://x"}, "join_url"),
    ]:
        with pytest.raises(ValidationFailed) as error:
            services.schedule_session(
                actor=staff,
                details=details(staff, **bad),
                starts_at=NOW + timedelta(days=1),
                now=NOW,
            )
        assert error.value.details == {"field": field}
    with pytest.raises(ValidationFailed):
        services.schedule_session(actor=staff, details=details(staff), starts_at=NOW, now=NOW)
    assert not Session.objects.exists()


@pytest.mark.parametrize("year", [NOW.year + 3, 9999])
def test_a_start_more_than_two_years_ahead_is_refused(staff, year):
    """A mistyped year is caught; 9999 would overflow the session's end on every page."""
    session = services.schedule_session(
        actor=staff, details=details(staff), starts_at=NOW + timedelta(days=30), now=NOW
    )
    far = NOW.replace(year=year, month=12, day=31, hour=23, minute=30)
    with pytest.raises(ValidationFailed, match="within the next two years") as error:
        services.schedule_session(actor=staff, details=details(staff), starts_at=far, now=NOW)
    assert error.value.details == {"field": "starts_at"}
    with pytest.raises(ValidationFailed, match="within the next two years"):
        services.edit_session(
            actor=staff, session=session, details=details(staff), starts_at=far, now=NOW
        )
    assert Session.objects.get().starts_at == NOW + timedelta(days=30)


# --- Series ------------------------------------------------------------------------------------


def test_series_keeps_local_time_across_dst(staff, settings):
    settings.WEBINARS_SERIES_MONTHS_AHEAD = 6
    start = NOW.replace(month=1, day=1)
    series = services.create_series(
        actor=staff,
        details=details(staff),
        weekday_number=1,  # Tuesday
        week_of_month=2,
        local_time=time(14, 0),
        time_zone="Europe/London",
        now=start,
    )
    starts = list(series.sessions.order_by("starts_at").values_list("starts_at", flat=True))
    # Second Tuesdays, 14:00 London: GMT (UTC+0) in winter, BST (UTC+1) from 29 March 2026.
    assert [(s.month, s.day, s.hour) for s in starts] == [
        (1, 13, 14),
        (2, 10, 14),
        (3, 10, 14),
        (4, 14, 13),
        (5, 12, 13),
        (6, 9, 13),
    ]
    assert series.rule_text == "Second Tuesday of each month at 14:00 Europe/London"


def test_last_weekday_rule_and_topping_up_is_idempotent(staff, settings):
    settings.WEBINARS_SERIES_MONTHS_AHEAD = 2
    series = services.create_series(
        actor=staff,
        details=details(staff),
        weekday_number=3,
        week_of_month=-1,
        local_time=time(10, 30),
        time_zone="Africa/Johannesburg",
        now=NOW,
    )
    starts = list(series.sessions.values_list("starts_at", flat=True))
    assert [(s.month, s.day, s.hour, s.minute) for s in starts] == [(3, 26, 8, 30), (4, 30, 8, 30)]
    assert services.extend_series(series=series, now=NOW) == []
    assert len(services.extend_series(series=series, now=NOW + timedelta(days=31))) == 1


def test_editing_a_series_changes_only_future_sessions_without_registrations(staff, settings):
    settings.WEBINARS_SERIES_MONTHS_AHEAD = 3
    series = services.create_series(
        actor=staff,
        details=details(staff),
        weekday_number=1,
        week_of_month=2,
        local_time=time(14, 0),
        time_zone="Africa/Johannesburg",
        now=NOW,
    )
    first = series.sessions.order_by("starts_at").first()
    services.register(user=sellers(1)[0], session=first, now=NOW)

    services.edit_series(
        actor=staff,
        series=series,
        details=details(staff, title="Messages that sell, live"),
        weekday_number=1,
        week_of_month=2,
        local_time=time(15, 0),
        time_zone="Africa/Johannesburg",
        now=NOW,
    )
    sessions = list(series.sessions.order_by("starts_at"))
    assert sessions[0].pk == first.pk and sessions[0].title == "Messages that sell"
    assert sessions[0].starts_at.hour == 12  # kept: 14:00 SAST
    assert {s.title for s in sessions[1:]} == {"Messages that sell, live"}
    assert {s.starts_at.hour for s in sessions[1:]} == {13}  # 15:00 SAST
    assert len(sessions) == 4  # 10 Mar (kept), 14 Apr, 12 May, 9 Jun

    services.end_series(actor=staff, series=series, now=NOW)
    assert list(series.sessions.all()) == [first]
    assert services.extend_series(series=series, now=NOW + timedelta(days=90)) == []
    with pytest.raises(Conflict, match="This series has ended"):
        services.edit_series(
            actor=staff,
            series=series,
            details=details(staff, title="Revived"),
            weekday_number=1,
            week_of_month=2,
            local_time=time(14),
            time_zone="Africa/Johannesburg",
            now=NOW,
        )
    series.refresh_from_db()
    assert series.title == "Messages that sell, live" and not series.is_active


def test_only_the_office_creates_series_and_rules_are_checked(staff, seller):
    with pytest.raises(PermissionDenied):
        services.create_series(
            actor=seller,
            details=details(staff),
            weekday_number=1,
            week_of_month=2,
            local_time=time(14),
            time_zone="Africa/Johannesburg",
            now=NOW,
        )
    with pytest.raises(ValidationFailed, match="not a time zone"):
        services.create_series(
            actor=staff,
            details=details(staff),
            weekday_number=1,
            week_of_month=2,
            local_time=time(14),
            time_zone="Mars/Olympus",
            now=NOW,
        )
    with pytest.raises(ValidationFailed):
        services.create_series(
            actor=staff,
            details=details(staff),
            weekday_number=1,
            week_of_month=5,
            local_time=time(14),
            time_zone="Africa/Johannesburg",
            now=NOW,
        )
    assert not Series.objects.exists() and not Session.objects.exists()


# --- Reminders ---------------------------------------------------------------------------------


def reminders(person):
    return list(
        Notification.objects.filter(recipient=person, type="academy.webinar_reminder")
        .order_by("pk")
        .values_list("text", flat=True)
    )


def test_reminders_24h_and_1h_before_each_once():
    session = SessionFactory(starts_at=NOW + timedelta(days=3), title="Insights tour")
    [seller] = sellers(1)
    services.register(user=seller, session=session, now=NOW)
    assert len(reminders(seller)) == 1  # the confirmation

    day_before = session.starts_at - timedelta(hours=23, minutes=55)
    assert services.send_reminders(now=session.starts_at - timedelta(hours=25)) == 0
    assert services.send_reminders(now=day_before) == 1
    assert services.send_reminders(now=day_before + timedelta(minutes=5)) == 0
    hour_before = session.starts_at - timedelta(minutes=55)
    assert services.send_reminders(now=hour_before) == 1
    assert services.send_reminders(now=hour_before + timedelta(minutes=5)) == 0
    assert services.send_reminders(now=session.starts_at + timedelta(minutes=1)) == 0
    texts = reminders(seller)
    assert texts[1].startswith("Tomorrow: “Insights tour”")
    assert texts[2].startswith("Starting within the hour: “Insights tour”")


def test_late_registrations_are_not_reminded_twice():
    session = SessionFactory(starts_at=NOW + timedelta(hours=3))
    late, very_late, waiting = sellers(3)
    session.capacity = 2
    session.save()
    services.register(user=late, session=session, now=NOW)  # inside the 24 h window
    assert services.send_reminders(now=NOW + timedelta(minutes=5)) == 0
    assert services.send_reminders(now=session.starts_at - timedelta(minutes=50)) == 1

    services.register(
        user=very_late, session=session, now=session.starts_at - timedelta(minutes=30)
    )
    services.register(user=waiting, session=session, now=session.starts_at - timedelta(minutes=20))
    assert services.send_reminders(now=session.starts_at - timedelta(minutes=10)) == 0
    assert len(reminders(late)) == 2 and len(reminders(very_late)) == 1
    assert len(reminders(waiting)) == 1  # "on the waiting list"; no reminder without a seat


def test_cancelled_sessions_and_cancelled_registrations_get_no_reminder(staff):
    session = SessionFactory(starts_at=NOW + timedelta(days=3))
    stays, leaves = sellers(2)
    services.register(user=stays, session=session, now=NOW)
    services.register(user=leaves, session=session, now=NOW)
    services.cancel_registration(user=leaves, session=session, now=NOW)
    services.cancel_session(actor=staff, session=session, now=NOW)
    assert services.send_reminders(now=session.starts_at - timedelta(minutes=30)) == 0
