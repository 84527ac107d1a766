from datetime import UTC, datetime, timedelta

from django.core.management import call_command

from saypro.analytics import education
from saypro.catalog.demo import ACCOUNTS, load_demo
from saypro.consultations.demo import load_demo_consultations
from saypro.consultations.models import Booking, Topic
from saypro.surveys.models import Invitation, Response, Survey, Trigger

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def test_demo_consultations_history_and_upcoming(db):
    load_demo(seed=7, scale="tiny", now=NOW)

    report = load_demo_consultations(seed=7, now=NOW)

    assert (report.topics, report.experts) == (6, 2)
    assert (report.held, report.upcoming, report.cancelled) == (10, 3, 1)
    assert report.free_slots > 20
    assert Booking.objects.filter(status=Booking.Status.NO_SHOW).count() == 1
    assert Booking.objects.filter(
        status=Booking.Status.BOOKED, seller__email=ACCOUNTS["owner"].email
    ).exists()
    held = Booking.objects.filter(status=Booking.Status.COMPLETED)
    assert all(booking.private_notes for booking in held)
    # Loading again adds nothing.
    assert load_demo_consultations(seed=7, now=NOW) == report
    assert Survey.objects.filter(trigger=Trigger.CONSULTATION_HELD).count() == 1


def test_demo_sellers_answered_the_consultation_survey(db):
    load_demo(seed=7, scale="tiny", now=NOW)

    load_demo_consultations(seed=7, now=NOW)

    survey = Survey.objects.get(trigger=Trigger.CONSULTATION_HELD)
    assert survey.is_live(NOW)
    held = Booking.objects.filter(status=Booking.Status.COMPLETED)
    asked = Invitation.objects.filter(survey=survey)
    assert set(asked.values_list("subject_id", flat=True)) <= set(held.values_list("pk", flat=True))
    answers = Response.objects.filter(survey=survey)
    # Part of the held consultations, not all of them, and not the no-show.
    assert 3 <= answers.count() < held.count()
    assert all(answer.score in range(1, 6) for answer in answers)
    # The education KPI reads them as satisfaction (no course or webinar answers here).
    kpis = education.compute(NOW - timedelta(days=120), NOW)
    satisfied = answers.filter(score__gte=4).count()
    assert kpis["satisfaction_education"] == education.Fraction(satisfied, answers.count())


def test_load_command(db, capsys):
    call_command("consultations", "load")
    assert Topic.objects.count() == 6
    assert "6 created" in capsys.readouterr().out
