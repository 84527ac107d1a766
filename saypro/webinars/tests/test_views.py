"""Webinar pages per role: lists and session pages are public, registering is for sellers
and staff, the host page for the host and staff, the office pages for staff."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.notifications.models import NotificationSettings
from saypro.webinars.models import Registration, Series, Session
from saypro.webinars.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming():
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    return SessionFactory(title="Answering reviews <live>", starts_at=start, capacity=1)


@pytest.fixture
def finished():
    return SessionFactory(
        title="Reading insights",
        starts_at=timezone.now() - timedelta(days=3),
        recording_url="https://video.example.test/insights",
    )


def login_seller(client):
    user = MembershipFactory().user
    client.force_login(user)
    return user


def test_lists_are_public_and_split_upcoming_from_past(client, upcoming, finished):
    cancelled = SessionFactory(
        title="Called off", starts_at=timezone.now() + timedelta(days=1), status="cancelled"
    )
    page = client.get(reverse("webinars:upcoming")).content.decode()
    past = client.get(reverse("webinars:past")).content.decode()
    assert "Answering reviews &lt;live&gt;" in page and "Reading insights" not in page
    assert cancelled.title not in page
    assert "Reading insights" in past and "https://video.example.test/insights" in past
    assert "Log in" in page


def test_list_queries_do_not_grow_with_sessions(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_seller(client)
    client.get(reverse("webinars:upcoming"))  # warms the per-person caches of the layout
    counts = []
    for day in (1, 2):
        for hour in range(day * 3):
            SessionFactory(starts_at=timezone.now() + timedelta(days=day, hours=hour))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("webinars:upcoming")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_times_show_in_the_viewers_zone_with_the_zone_named(client):
    user = login_seller(client)
    NotificationSettings.objects.create(user=user, time_zone="Europe/London")
    start = timezone.now().replace(month=1, day=20, hour=12, minute=0, second=0, microsecond=0)
    start = start.replace(year=timezone.now().year + 1)
    session = SessionFactory(starts_at=start)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "12:00–13:00" in page and "Europe/London" in page
    client.logout()
    page = client.get(session.get_absolute_url()).content.decode()
    assert "14:00–15:00" in page and "Africa/Johannesburg" in page


def test_seller_registers_then_joins_the_waiting_list_and_cancels(client, upcoming):
    login_seller(client)
    response = client.post(reverse("webinars:register", args=[upcoming.pk]))
    assert response.status_code == 302
    page = client.get(upcoming.get_absolute_url()).content.decode()
    assert "You are registered" in page and "Cancel my registration" in page
    assert upcoming.join_url not in page  # too early for the join link

    other = login_seller(client)
    client.post(reverse("webinars:register", args=[upcoming.pk]))
    page = client.get(upcoming.get_absolute_url()).content.decode()
    assert "You are number 1" in page
    client.post(reverse("webinars:cancel", args=[upcoming.pk]))
    assert Registration.objects.get(user=other).status == Registration.Status.CANCELLED


def test_join_link_only_for_the_registered_from_15_minutes_before(client):
    soon = SessionFactory(starts_at=timezone.now() + timedelta(minutes=10))
    seller = login_seller(client)
    Registration.objects.create(
        session=soon, user=seller, status="registered", created_at=timezone.now()
    )
    assert soon.join_url in client.get(soon.get_absolute_url()).content.decode()
    login_seller(client)
    assert soon.join_url not in client.get(soon.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ["buyer", "anonymous"])
def test_buyers_and_visitors_cannot_register(client, upcoming, role):
    if role == "buyer":
        client.force_login(UserFactory())
    response = client.post(reverse("webinars:register", args=[upcoming.pk]))
    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        # The refusal answers with its status: the session page, with the reason.
        assert response.status_code == 403
        page = response.content.decode()
        assert "Webinars and workshops are for sellers" in page
        assert "Answering reviews &lt;live&gt;" in page
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("change", "status", "reason"),
    [
        ({"starts_at": timezone.now() - timedelta(minutes=5)}, 409, "Registration closed"),
        ({"status": Session.Status.CANCELLED}, 409, "This session was cancelled."),
    ],
)
def test_registering_for_a_started_or_cancelled_session_is_refused_on_its_page(
    client, upcoming, change, status, reason
):
    Session.objects.filter(pk=upcoming.pk).update(**change)
    login_seller(client)
    response = client.post(reverse("webinars:register", args=[upcoming.pk]))
    assert response.status_code == status
    assert reason in response.content.decode()
    assert "Answering reviews &lt;live&gt;" in response.content.decode()
    assert not Registration.objects.exists()


def test_cancelling_without_a_registration_is_refused_on_the_session_page(client, upcoming):
    other = login_seller(client)
    client.post(reverse("webinars:register", args=[upcoming.pk]))
    login_seller(client)
    response = client.post(reverse("webinars:cancel", args=[upcoming.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "You are not registered for this session." in page
    assert "Answering reviews &lt;live&gt;" in page  # the session page, not a bare 404
    assert Registration.objects.get().user == other
    assert Registration.objects.get().status == Registration.Status.REGISTERED


def test_cancelling_after_the_start_is_refused_and_keeps_the_seat(client, upcoming):
    seller = login_seller(client)
    client.post(reverse("webinars:register", args=[upcoming.pk]))
    Session.objects.filter(pk=upcoming.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    response = client.post(reverse("webinars:cancel", args=[upcoming.pk]))
    assert response.status_code == 409
    assert "The session has started; there is nothing to cancel." in response.content.decode()
    registration = Registration.objects.get(user=seller)
    assert registration.status == Registration.Status.REGISTERED
    assert registration.cancelled_at is None


def test_register_and_cancel_need_post(client, upcoming):
    """Opened in a browser, they change nothing and lead to the session's page."""
    login_seller(client)
    for name in ("register", "cancel"):
        response = client.get(reverse(f"webinars:{name}", args=[upcoming.pk]))
        assert (response.status_code, response.url) == (302, upcoming.get_absolute_url())
        assert client.put(reverse(f"webinars:{name}", args=[upcoming.pk])).status_code == 405
    assert not Registration.objects.exists()


def test_ics_invite(client, upcoming):
    response = client.get(reverse("webinars:invite", args=[upcoming.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == f"webinar-session-{upcoming.pk}@testserver"
    assert event.decoded("DTSTART") == upcoming.starts_at
    assert event.decoded("DTEND") == upcoming.ends_at
    assert b"DTSTART:" in response.content and b"Z\r\n" in response.content  # UTC form
    assert str(event["SUMMARY"]) == "Answering reviews <live>"
    assert "Real reviews answered live." in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"http://testserver/academy/webinars/{upcoming.pk}/"
    assert str(event["ORGANIZER"]) == f"mailto:{upcoming.host.email}"
    assert upcoming.join_url.encode() not in response.content
    assert str(event["STATUS"]) == "CONFIRMED"


def test_ics_of_a_cancelled_session_cancels_the_event(client, upcoming):
    upcoming.status = Session.Status.CANCELLED
    upcoming.save()
    calendar = Calendar.from_ical(
        client.get(reverse("webinars:invite", args=[upcoming.pk])).content
    )
    [event] = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"


def test_my_webinars(client, upcoming, finished):
    seller = login_seller(client)
    Registration.objects.create(
        session=upcoming, user=seller, status="registered", created_at=timezone.now()
    )
    Registration.objects.create(
        session=finished, user=seller, status="registered", created_at=timezone.now(), attended=True
    )
    page = client.get(reverse("webinars:mine")).content.decode()
    assert "Answering reviews &lt;live&gt;" in page and "Attended" in page
    assert reverse("webinars:invite", args=[upcoming.pk]) in page
    client.logout()
    assert client.get(reverse("webinars:mine")).status_code == 302


def test_host_page_marks_attendance_and_saves_the_recording(client, finished):
    seller = MembershipFactory().user
    registration = Registration.objects.create(
        session=finished, user=seller, status="registered", created_at=timezone.now()
    )
    client.force_login(finished.host)
    page = client.get(reverse("webinars:host", args=[finished.pk])).content.decode()
    assert f'name="attended" value="{registration.pk}"' in page
    client.post(reverse("webinars:host", args=[finished.pk]), {"attended": [registration.pk]})
    registration.refresh_from_db()
    assert registration.attended is True
    client.post(
        reverse("webinars:recording", args=[finished.pk]),
        {"recording_url": "https://video.example.test/new"},
    )
    finished.refresh_from_db()
    assert finished.recording_url == "https://video.example.test/new"


def test_a_refused_recording_link_shows_the_host_page_with_the_reason(client, finished, upcoming):
    client.force_login(finished.host)
    response = client.post(
        reverse("webinars:recording", args=[finished.pk]), {"recording_url": "video.example/x"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a full web address starting with https://." in page
    assert 'value="video.example/x"' in page  # kept in its box, to fix
    finished.refresh_from_db()
    assert finished.recording_url == "https://video.example.test/insights"

    client.force_login(upcoming.host)
    response = client.post(
        reverse("webinars:recording", args=[upcoming.pk]),
        {"recording_url": "https://video.example.test/early"},
    )
    assert response.status_code == 409
    assert "Add the recording once the session has ended." in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.recording_url == ""


def test_refused_attendance_shows_the_host_page_with_the_reason(client, upcoming):
    seller = MembershipFactory().user
    registration = Registration.objects.create(
        session=upcoming, user=seller, status="registered", created_at=timezone.now()
    )
    client.force_login(upcoming.host)
    response = client.post(
        reverse("webinars:host", args=[upcoming.pk]), {"attended": [registration.pk]}
    )
    assert response.status_code == 409
    assert "Attendance can be marked once the session has started." in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is None


@pytest.mark.parametrize("role", ["seller", "buyer", "anonymous"])
def test_host_and_office_pages_are_hidden_from_others(client, finished, role):
    if role == "seller":
        login_seller(client)
    elif role == "buyer":
        client.force_login(UserFactory())
    hidden, refused = (302, 302) if role == "anonymous" else (404, 403)
    assert client.get(reverse("webinars:host", args=[finished.pk])).status_code == hidden
    for url in [
        reverse("office_webinars:list"),
        reverse("office_webinars:create"),
        reverse("office_webinars:create_series"),
        reverse("office_webinars:edit", args=[finished.pk]),
    ]:
        assert client.get(url).status_code == refused, url
    assert (
        client.post(
            reverse("webinars:recording", args=[finished.pk]), {"recording_url": "https://x.test/"}
        ).status_code
        == hidden
    )
    finished.refresh_from_db()
    assert finished.recording_url == "https://video.example.test/insights"


def test_office_schedules_from_a_description_edits_and_cancels(client, staff):
    client.force_login(staff)
    assert "Answering reviews live" in client.get(reverse("office_webinars:list")).content.decode()
    form = client.get(reverse("office_webinars:create"), {"from": "answering-reviews-live"})
    assert "Nomvula Dlamini" in form.content.decode()
    start = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title": "Answering reviews live",
        "format": "webinar",
        "summary": "Live answers.",
        "agenda": "One\nTwo",
        "host": staff.pk,
        "host_name": "Nomvula Dlamini",
        "duration_minutes": 60,
        "capacity": 300,
        "starts_at": start,
        "description_slug": "answering-reviews-live",
    }
    response = client.post(reverse("office_webinars:create"), data)
    session = Session.objects.get()
    assert response.status_code == 302 and session.agenda == ["One", "Two"]
    assert timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M") == start
    bad = client.post(reverse("office_webinars:edit", args=[session.pk]), data | {"capacity": 0})
    assert bad.status_code == 400
    client.post(reverse("office_webinars:cancel", args=[session.pk]))
    session.refresh_from_db()
    assert session.is_cancelled


def test_office_cancel_of_a_started_session_is_refused_on_the_list(client, staff, finished):
    client.force_login(staff)
    response = client.post(reverse("office_webinars:cancel", args=[finished.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "A session that has started cannot be cancelled." in page
    assert "Reading insights" in page  # the office list, as it stands
    finished.refresh_from_db()
    assert not finished.is_cancelled and finished.cancelled_at is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"starts_at": "9999-12-31T23:30"}, "Choose a start within the next two years."),
        ({"capacity": str(10**20)}, "Ensure this value is less than or equal to 10000."),
    ],
)
def test_office_form_refuses_a_far_start_or_a_huge_capacity_next_to_the_field(
    client, staff, change, message
):
    """Both once ended in a server error (a date overflow; an integer too big to store)."""
    client.force_login(staff)
    start = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title": "Answering reviews live",
        "format": "webinar",
        "summary": "Live answers.",
        "host": staff.pk,
        "duration_minutes": 60,
        "capacity": 300,
        "starts_at": start,
    }
    response = client.post(reverse("office_webinars:create"), data | change)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Session.objects.exists()


def test_office_edit_page_of_a_started_session_says_it_cannot_change(client, staff, finished):
    """Reached by a typed address (the list has no Edit link): no form that would be refused."""
    client.force_login(staff)
    response = client.get(reverse("office_webinars:edit", args=[finished.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This session has started, so it can no longer be changed." in page
    assert "Save changes" not in page


def test_office_creates_a_series(client, staff):
    client.force_login(staff)
    assert (
        client.get(
            reverse("office_webinars:create_series"), {"from": "reading-your-insights"}
        ).status_code
        == 200
    )
    response = client.post(
        reverse("office_webinars:create_series"),
        {
            "title": "Reading your Insights page",
            "format": "webinar",
            "summary": "A guided tour.",
            "host": staff.pk,
            "duration_minutes": 45,
            "capacity": 300,
            "week_of_month": 2,
            "weekday": 1,
            "local_time": "14:00",
            "time_zone": "Africa/Johannesburg",
        },
    )
    assert response.status_code == 302
    series = Series.objects.get()
    assert series.sessions.count() >= 3
    assert client.get(reverse("office_webinars:list")).status_code == 200
    assert client.get(reverse("office_webinars:edit_series", args=[series.pk])).status_code == 200


def test_office_edits_and_ends_a_series(client, staff):
    from datetime import time

    from saypro.webinars import services

    series = services.create_series(
        actor=staff,
        details=services.Details(
            title="Insights tour", summary="A tour.", host=staff, duration_minutes=45, capacity=50
        ),
        weekday_number=1,
        week_of_month=2,
        local_time=time(14),
        time_zone="Africa/Johannesburg",
    )
    client.force_login(staff)
    data = {
        "title": "Insights tour, monthly",
        "format": "webinar",
        "summary": "A tour.",
        "host": staff.pk,
        "duration_minutes": 45,
        "capacity": 50,
        "week_of_month": -1,
        "weekday": 3,
        "local_time": "09:30",
        "time_zone": "Africa/Johannesburg",
    }
    bad = client.post(
        reverse("office_webinars:edit_series", args=[series.pk]), data | {"capacity": 0}
    )
    assert bad.status_code == 400
    response = client.post(reverse("office_webinars:edit_series", args=[series.pk]), data)
    assert response.status_code == 302
    sessions = list(series.sessions.all())
    assert sessions and {s.title for s in sessions} == {"Insights tour, monthly"}
    assert {timezone.localtime(s.starts_at).strftime("%a %H:%M") for s in sessions} == {"Thu 09:30"}
    client.post(reverse("office_webinars:end_series", args=[series.pk]))
    series.refresh_from_db()
    assert not series.is_active and not series.sessions.exists()

    # An ended series: the page says so, and a typed-in POST is refused, changing nothing.
    page = client.get(reverse("office_webinars:edit_series", args=[series.pk])).content.decode()
    assert "This series has ended, so it can no longer be changed." in page
    assert "Save changes" not in page
    refused = client.post(
        reverse("office_webinars:edit_series", args=[series.pk]), data | {"title": "Revived"}
    )
    assert refused.status_code == 409
    series.refresh_from_db()
    assert series.title == "Insights tour, monthly" and not series.sessions.exists()
