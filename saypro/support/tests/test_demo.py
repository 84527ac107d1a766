"""The support desk's part of the demo: rota, canned replies and tickets through the services."""

from datetime import UTC, datetime, timedelta

import pytest

from saypro.catalog import demo as catalog_demo
from saypro.support import demo, selectors
from saypro.support.models import CannedReply, Status, Ticket

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)
    return demo.load_demo_support(seed=1, now=NOW)


def test_the_desk_has_tickets_ratings_and_a_rota(report):
    assert report.created and report.tickets == Ticket.objects.count() == 25
    assert CannedReply.objects.count() == 10
    assert report.ratings >= 10 and report.average >= 3.5
    assert Ticket.objects.filter(satisfaction__lte=2).exclude(satisfaction_comment="").exists()
    assert Ticket.objects.filter(status=Status.CLOSED, satisfaction__isnull=True).exists()
    assert Ticket.objects.filter(requester__email=catalog_demo.ACCOUNTS["owner"].email).count() >= 4
    assert len(report.agents) == 4 and report.agents[0] == catalog_demo.ACCOUNTS["office"].email
    rota = selectors.rota(now=NOW)
    assert len(rota.on_duty) == 1 and rota.gaps == []


def test_the_open_desk_has_an_overdue_and_an_unassigned_urgent_ticket(report):
    staff = Ticket.objects.filter(assignee__isnull=False).first().assignee
    rows = selectors.queue(staff, now=NOW)
    assert any(clock.overdue for _, clocks in rows for clock in clocks)
    assert Ticket.objects.filter(priority="urgent", assignee__isnull=True, status="open").exists()
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {"open", "waiting_on_seller", "waiting_on_office", "resolved", "closed"} <= statuses
    assert not Ticket.objects.filter(
        created_at__lt=NOW - timedelta(days=demo.HISTORY_DAYS)
    ).exists()


def test_loading_again_adds_nothing(report):
    again = demo.load_demo_support(seed=2, now=NOW)
    assert not again.created and Ticket.objects.count() == 25
