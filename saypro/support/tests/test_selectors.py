from datetime import timedelta

import pytest

from saypro.accounts.tests.factories import StaffFactory
from saypro.catalog.tests.factories import MembershipFactory, StoreFactory
from saypro.support import selectors, services
from saypro.support.models import DutyShift
from saypro.support.tests.factories import OPENED, open_ticket

HOUR = timedelta(hours=1)


def test_sellers_see_their_stores_tickets_without_internal_notes(seller, agent, store, staff):
    ticket = open_ticket(seller, store)
    services.add_note(staff, ticket, body="Internal: check the moderation log", now=OPENED)
    services.reply(staff, ticket, body="We are on it.", now=OPENED + HOUR)

    assert [m.body for m in selectors.thread(agent, ticket)] == [
        ticket.messages.first().body,
        "We are on it.",
    ]
    assert len(selectors.thread(staff, ticket)) == 3
    assert selectors.ticket_for(agent, ticket.code) == ticket
    assert selectors.ticket_for(MembershipFactory(store=StoreFactory()).user, ticket.code) is None
    assert list(selectors.my_tickets(agent)) == [ticket]


@pytest.mark.django_db
def test_tickets_updated_at_the_same_moment_come_newest_first(seller, store):
    """A total order: pages of the list never repeat or skip a ticket."""
    tickets = [open_ticket(seller, store, subject=f"Same time {n}", now=OPENED) for n in range(3)]
    assert list(selectors.my_tickets(seller)) == tickets[::-1]


def test_queue_puts_the_earliest_due_first_and_filters(seller, store, staff):
    low = open_ticket(seller, store, priority="low", subject="Low")
    urgent = open_ticket(seller, store, priority="urgent", subject="Urgent", now=OPENED + 2 * HOUR)
    waiting = open_ticket(seller, store, priority="urgent", subject="Waiting")
    services.reply(staff, waiting, body="Which order?", now=OPENED + HOUR)
    services.assign(staff, low, assignee=staff, now=OPENED)
    now = OPENED + 4 * HOUR

    rows = selectors.queue(staff, now=now)
    assert [ticket.subject for ticket, _ in rows] == ["Urgent", "Low", "Waiting"]
    urgent_clocks = rows[0][1]
    assert [c.label for c in urgent_clocks] == ["First response", "Resolution"]
    assert urgent_clocks[0].text == "overdue by 1 h" and urgent_clocks[0].state == "overdue"
    assert rows[2][1][0].paused and "paused" in rows[2][1][0].text

    assert [t for t, _ in selectors.queue(staff, now=now, mine=True)] == [low]
    assert low not in [t for t, _ in selectors.queue(staff, now=now, unassigned=True)]
    assert [t for t, _ in selectors.queue(staff, now=now, priority="low")] == [low]
    assert selectors.queue(seller, now=now) == []
    assert urgent in [t for t, _ in selectors.queue(staff, now=now, category="reviews")]


def test_rota_now_next_and_gaps(db):
    ana, ben = StaffFactory(first_name="Ana"), StaffFactory(first_name="Ben")
    DutyShift.objects.create(staff=ana, starts_at=OPENED - HOUR, ends_at=OPENED + 8 * HOUR)
    DutyShift.objects.create(staff=ben, starts_at=OPENED + 10 * HOUR, ends_at=OPENED + 34 * HOUR)

    rota = selectors.rota(now=OPENED, days=2)
    assert [s.staff for s in rota.on_duty] == [ana]
    assert [s.staff for s in rota.next_up] == [ben]
    assert rota.gaps == [
        (OPENED + 8 * HOUR, OPENED + 10 * HOUR),
        (OPENED + 34 * HOUR, OPENED + 48 * HOUR),
    ]


def test_satisfaction_counts_ratings_in_the_range(seller, store, staff):
    for rating, day in ((5, 0), (4, 1), (2, 2), (5, 40)):
        ticket = open_ticket(seller, store, now=OPENED + timedelta(days=day))
        services.resolve(staff, ticket, now=OPENED + timedelta(days=day, hours=1))
        services.close_ticket(
            seller, ticket, satisfaction=rating, now=OPENED + timedelta(days=day, hours=2)
        )
    result = selectors.satisfaction(OPENED, OPENED + timedelta(days=30))
    assert result.ratings == 3
    assert result.average == pytest.approx(11 / 3)
    assert result.share_4_or_5 == pytest.approx(2 / 3)
    empty = selectors.satisfaction(OPENED - timedelta(days=9), OPENED)
    assert (empty.ratings, empty.average, empty.share_4_or_5) == (0, None, None)


def test_targets_met_shares(seller, store, staff):
    quick = open_ticket(seller, store, priority="urgent")
    slow = open_ticket(seller, store, priority="urgent")
    services.reply(staff, quick, body="Hi", now=OPENED + timedelta(minutes=30))
    services.reply(staff, slow, body="Hi", now=OPENED + 2 * HOUR)
    services.resolve(staff, quick, now=OPENED + 3 * HOUR)
    result = selectors.targets_met(OPENED, OPENED + 24 * HOUR)
    assert (result.first_responses, result.first_responses_in_time) == (2, 1)
    assert (result.resolutions, result.resolutions_in_time) == (1, 1)
    assert result.first_response_share == 0.5 and result.resolution_share == 1.0
