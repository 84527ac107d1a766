import pytest
from django.test import override_settings

from saypro.accounts.tests.factories import token_client
from saypro.catalog.tests.factories import MembershipFactory, StoreFactory
from saypro.core.errors import ValidationFailed
from saypro.core.testing import assert_error
from saypro.support import services
from saypro.support.models import Status, Ticket
from saypro.support.tests.factories import open_ticket

NOTE = "Internal: VIP seller, be quick"
OPEN = {
    "store": "cape-linen-co",
    "category": "notifications",
    "priority": "low",
    "subject": "Too many emails",
    "description": "I get an email for every message.",
}


@pytest.fixture
def ticket(seller, store, staff):
    ticket = open_ticket(seller, store)
    services.add_note(staff, ticket, body=NOTE)
    services.reply(staff, ticket, body="Which emails exactly?")
    return ticket


def test_seller_reads_the_ticket_without_internal_notes(agent, ticket):
    response = token_client(agent).get(f"/api/v1/support/tickets/{ticket.code}")
    assert response.status_code == 200
    data = response.json()
    assert [m["body"] for m in data["messages"]] == [
        "A buyer says she left a review yesterday but I can't see it.",
        "Which emails exactly?",
    ]
    assert data["messages"][1]["author"] == "SayPro support"
    assert NOTE not in response.content.decode()


def test_office_reading_through_the_api_gets_no_internal_notes_either(staff, ticket):
    response = token_client(staff).get(f"/api/v1/support/tickets/{ticket.code}")
    assert response.status_code == 200 and NOTE not in response.content.decode()


def test_open_list_reply_and_close(seller, store, staff):
    client = token_client(seller)
    response = client.post("/api/v1/support/tickets", OPEN, content_type="application/json")
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    assert response.json()["status"] == "open"
    assert [t["code"] for t in client.get("/api/v1/support/tickets").json()["items"]] == [code]

    response = client.post(
        f"/api/v1/support/tickets/{code}/replies",
        {"body": "Also digests."},
        content_type="application/json",
    )
    assert response.status_code == 201

    assert_error(
        client.post(
            f"/api/v1/support/tickets/{code}/close",
            {"satisfaction": 5},
            content_type="application/json",
        ),
        409,
        "conflict",
    )
    services.resolve(staff, Ticket.objects.get(code=code))
    response = client.post(
        f"/api/v1/support/tickets/{code}/close",
        {"satisfaction": 4, "comment": "Thanks"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["satisfaction"] == 4
    assert Ticket.objects.get(code=code).status == Status.CLOSED


@pytest.mark.parametrize("who", ["buyer", "other_seller"])
def test_strangers_get_404_and_change_nothing(who, buyer, ticket):
    person = buyer if who == "buyer" else MembershipFactory(store=StoreFactory()).user
    client = token_client(person)
    assert_error(client.get(f"/api/v1/support/tickets/{ticket.code}"), 404, "not_found")
    assert_error(
        client.post(
            f"/api/v1/support/tickets/{ticket.code}/replies",
            {"body": "hi"},
            content_type="application/json",
        ),
        404,
        "not_found",
    )
    assert_error(
        client.post("/api/v1/support/tickets", OPEN, content_type="application/json"),
        404,
        "not_found",
    )
    assert ticket.messages.count() == 3 and Ticket.objects.count() == 1


def test_anonymous_gets_401(client, ticket):
    assert client.get("/api/v1/support/tickets").status_code == 401


@override_settings(SUPPORT_TICKET_RATE_LIMIT="1/h")
def test_opening_is_rate_limited_with_429(seller, store):
    client = token_client(seller)
    assert (
        client.post("/api/v1/support/tickets", OPEN, content_type="application/json").status_code
        == 201
    )
    assert_error(
        client.post("/api/v1/support/tickets", OPEN, content_type="application/json"),
        429,
        "rate_limited",
    )
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize("satisfaction", [True, "5"])
def test_a_rating_that_is_not_a_json_number_is_refused(seller, staff, ticket, satisfaction):
    services.resolve(staff, ticket)
    response = token_client(seller).post(
        f"/api/v1/support/tickets/{ticket.code}/close",
        {"satisfaction": satisfaction},
        content_type="application/json",
    )
    assert_error(response, 422, "invalid_request")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction) == (Status.RESOLVED, None)


def test_the_service_refuses_a_boolean_rating(seller, staff, ticket):
    services.resolve(staff, ticket)
    with pytest.raises(ValidationFailed):
        services.close_ticket(seller, ticket, satisfaction=True)
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_tickets_are_listed_a_page_at_a_time_with_the_total(seller, store):
    codes = {open_ticket(seller, store).code for _ in range(3)}
    client = token_client(seller)

    first = client.get("/api/v1/support/tickets", {"limit": 2}).json()
    rest = client.get("/api/v1/support/tickets", {"limit": 2, "offset": 2}).json()

    assert (first["count"], rest["count"]) == (3, 3)
    assert [len(first["items"]), len(rest["items"])] == [2, 1]
    assert {t["code"] for t in first["items"] + rest["items"]} == codes
    assert_error(client.get("/api/v1/support/tickets", {"limit": 101}), 422, "invalid_request")
