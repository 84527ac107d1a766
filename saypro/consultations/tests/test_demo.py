from datetime import UTC, datetime

from django.core.management import call_command

from saypro.catalog.demo import ACCOUNTS, load_demo
from saypro.consultations.demo import load_demo_consultations
from saypro.consultations.models import Booking, Topic

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


def test_load_command(db, capsys):
    call_command("consultations", "load")
    assert Topic.objects.count() == 6
    assert "6 created" in capsys.readouterr().out
