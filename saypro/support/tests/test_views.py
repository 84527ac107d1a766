from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from saypro.catalog.tests.factories import MembershipFactory, StoreFactory
from saypro.support import services
from saypro.support.models import Attachment, CannedReply, DutyShift, Status, Ticket
from saypro.support.tests.factories import open_ticket, png

NOTE = "Internal: seller was rude on the phone"


@pytest.fixture
def ticket(seller, store, staff):
    ticket = open_ticket(seller, store, now=timezone.now(), attachments=[png()])
    services.add_note(staff, ticket, body=NOTE)
    return ticket


def test_anonymous_is_sent_to_log_in(client, ticket):
    for url in (
        reverse("support:mine"),
        ticket.get_absolute_url(),
        reverse("office_support:queue"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_seller_sees_the_ticket_without_internal_notes(client, agent, ticket):
    client.force_login(agent)
    response = client.get(ticket.get_absolute_url())
    assert response.status_code == 200
    assert ticket.subject.replace("'", "&#x27;") in response.content.decode()
    assert NOTE not in response.content.decode()
    # The live refresh fragment hides it too.
    fragment = client.get(ticket.get_absolute_url(), headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and NOTE not in fragment.content.decode()
    assert b"<html" not in fragment.content


def test_office_sees_the_internal_note(client, staff, ticket):
    client.force_login(staff)
    response = client.get(ticket.get_office_url())
    assert response.status_code == 200 and NOTE in response.content.decode()


@pytest.mark.parametrize("who", ["buyer", "other_seller"])
def test_strangers_get_404_and_the_office_pages_403(client, who, buyer, ticket):
    person = buyer if who == "buyer" else MembershipFactory(store=StoreFactory()).user
    client.force_login(person)
    assert client.get(ticket.get_absolute_url()).status_code == 404
    assert client.get(ticket.get_office_url()).status_code == 403
    assert client.get(reverse("office_support:queue")).status_code == 403
    attachment = Attachment.objects.get()
    assert client.get(reverse("support:attachment", args=[attachment.pk])).status_code == 404
    response = client.post(reverse("support:reply", args=[ticket.code]), {"body": "hi"})
    assert response.status_code == 404
    assert ticket.messages.count() == 2


def test_attachment_is_served_to_the_store_with_its_real_type(client, agent, ticket):
    client.force_login(agent)
    attachment = Attachment.objects.get()
    response = client.get(reverse("support:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_seller_opens_a_ticket_through_the_form(client, seller, store):
    client.force_login(seller)
    assert client.get(reverse("support:new")).status_code == 200
    response = client.post(
        reverse("support:new"),
        {
            "store": str(store.pk),
            "category": "messaging",
            "priority": "high",
            "subject": "Messages not arriving",
            "description": "Buyers say my replies don't reach them.",
            "attachments": [png()],
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert ticket.priority == "high" and ticket.messages.get().attachments.count() == 1


def test_new_ticket_form_shows_errors_and_writes_nothing(client, seller, store):
    client.force_login(seller)
    response = client.post(
        reverse("support:new"),
        {"store": str(store.pk), "category": "messaging", "priority": "high", "subject": ""},
    )
    assert response.status_code == 400 and not Ticket.objects.exists()


@override_settings(SUPPORT_TICKET_RATE_LIMIT="1/h")
def test_a_second_ticket_within_the_hour_is_a_429_with_retry_after(client, seller, store):
    client.force_login(seller)
    data = {
        "store": str(store.pk),
        "category": "messaging",
        "priority": "normal",
        "subject": "Payout",
        "description": "Late",
    }
    assert client.post(reverse("support:new"), data).status_code == 302
    refused = client.post(reverse("support:new"), {**data, "subject": "Again"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "Try again in" in refused.content.decode()
    assert refused.context["form"]["subject"].value() == "Again"
    assert Ticket.objects.count() == 1


def test_a_new_ticket_has_no_topic_until_the_seller_chooses_one(client, seller, store):
    client.force_login(seller)
    page = client.get(reverse("support:new"))
    assert page.context["form"]["category"].value() is None
    response = client.post(
        reverse("support:new"),
        {"store": str(store.pk), "priority": "normal", "subject": "Payout", "description": "Late"},
    )
    assert response.status_code == 400 and not Ticket.objects.exists()
    assert response.context["form"].errors["category"] == ["Choose what the ticket is about."]


def test_an_open_tickets_status_menu_asks_for_a_choice(client, staff, ticket):
    client.force_login(staff)
    html = client.get(ticket.get_office_url()).content.decode()
    menu = html.split('name="status"', 1)[1].split("</select>", 1)[0]
    assert '<option value="">Choose a status…</option>' in menu and "selected" not in menu
    response = client.post(reverse("office_support:status", args=[ticket.code]), {"status": ""})
    assert response.status_code == 400 and "Choose a status." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_buyer_cannot_open_tickets_but_is_told_where_to_get_help(client, buyer, settings):
    settings.SUPPORT_EMAIL = "help@market.example"
    client.force_login(buyer)
    assert client.get(reverse("support:new")).status_code == 302
    page = client.get(reverse("support:mine"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Help with an order, a review or your account" in html
    assert '<a href="mailto:help@market.example">help@market.example</a>' in html
    assert f'href="{reverse("knowledge:hub")}"' in html
    assert f'href="{reverse("catalog:my_orders")}"' in html


def test_office_flow_reply_resolve_and_seller_rating(client, seller, staff, ticket):
    client.force_login(staff)
    assert client.get(reverse("office_support:queue")).status_code == 200
    client.post(reverse("office_support:assign", args=[ticket.code]), {"take": "1"})
    client.post(reverse("office_support:reply", args=[ticket.code]), {"body": "Fixed it."})
    client.post(reverse("office_support:status", args=[ticket.code]), {"status": "resolved"})
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (staff, Status.RESOLVED)
    assert ticket.first_response_at is not None

    client.force_login(seller)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "Close with my rating" in page
    response = client.post(
        reverse("support:close", args=[ticket.code]), {"satisfaction": "5", "comment": "Great"}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction) == (Status.CLOSED, 5)


def test_a_refused_reply_is_shown_and_changes_nothing(client, seller, staff, ticket):
    services.resolve(staff, ticket)
    client.force_login(seller)
    response = client.post(reverse("support:reply", args=[ticket.code]), {"body": "More?"})
    assert response.status_code == 409
    assert "reopen it to reply" in response.content.decode()
    assert ticket.messages.count() == 2


def test_seller_cannot_use_office_actions(client, seller, ticket):
    client.force_login(seller)
    response = client.post(reverse("office_support:note", args=[ticket.code]), {"body": "x"})
    assert response.status_code == 403
    assert ticket.messages.filter(is_internal=True).count() == 1


def test_duty_page_and_adding_a_shift(client, staff):
    client.force_login(staff)
    response = client.get(reverse("office_support:duty"))
    assert response.status_code == 200 and "Nobody is on duty" in response.content.decode()
    start = timezone.localtime() + timedelta(hours=1)
    response = client.post(
        reverse("office_support:duty"),
        {"staff": str(staff.pk), "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "hours": "8"},
    )
    assert response.status_code == 302
    shift = DutyShift.objects.get()
    assert shift.ends_at - shift.starts_at == timedelta(hours=8)


def test_canned_replies_page(client, staff):
    services.load_canned_replies()
    client.force_login(staff)
    response = client.get(reverse("office_support:canned"))
    assert response.status_code == 200
    response = client.post(
        reverse("office_support:canned"),
        {"title": "Payout delay", "slug": "payout-delay", "category": "account", "body": "Hi"},
    )
    assert response.status_code == 302
    assert CannedReply.objects.count() == 11


def test_list_pages_take_a_fixed_number_of_queries(
    client, seller, store, staff, django_assert_max_num_queries
):
    for number in range(6):
        open_ticket(seller, store, subject=f"Problem {number}", now=timezone.now())
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("office_support:queue")).status_code == 200
    client.force_login(seller)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("support:mine"), headers={"HX-Request": "true"})
    assert response.status_code == 200 and b"<html" not in response.content
    assert response.content.decode().count("Problem ") == 6


def test_a_store_not_theirs_is_refused_with_a_visible_reason(client, seller, store):
    """A seller of one store has the store as a hidden field: its error shows above the form."""
    other = StoreFactory()
    client.force_login(seller)
    response = client.post(
        reverse("support:new"),
        {
            "store": str(other.pk),
            "category": "messaging",
            "priority": "high",
            "subject": "Messages not arriving",
            "description": "Buyers say my replies don't reach them.",
        },
    )
    assert response.status_code == 400
    assert "Choose one of your stores" in response.content.decode()
    assert not Ticket.objects.exists()


def test_closing_an_unresolved_ticket_says_why_and_changes_nothing(client, seller, ticket):
    client.force_login(seller)
    response = client.post(reverse("support:close", args=[ticket.code]), {"satisfaction": "5"})
    assert response.status_code == 409
    # The rating form is not on the page of an open ticket: the reason is a message.
    assert "Only a resolved ticket can be closed with a rating." in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction) == (Status.OPEN, None)


def test_a_reply_to_a_closed_ticket_says_why_above_the_hidden_form(client, seller, staff, ticket):
    services.resolve(staff, ticket)
    services.close_ticket(seller, ticket, satisfaction=4)
    client.force_login(seller)
    response = client.post(reverse("support:reply", args=[ticket.code]), {"body": "More?"})
    assert response.status_code == 409
    assert '<li class="toast error">This ticket is closed;' in response.content.decode()
    assert ticket.messages.count() == 2


@pytest.mark.parametrize("who", ["seller", "staff"])
def test_a_refused_reopen_is_a_409_with_the_reason(client, who, seller, staff, ticket):
    client.force_login(seller if who == "seller" else staff)
    response = client.post(reverse("support:reopen", args=[ticket.code]))
    assert response.status_code == 409
    assert "can be reopened; open a new one instead." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


@pytest.mark.parametrize(
    ("action", "data", "status", "reason"),
    [
        ("assign", {"assign-assignee": "999999"}, 400, "Choose someone from the office."),
        ("status", {"status": "closed"}, 400, "Choose a status."),
        ("priority", {"priority": "mega"}, 400, "Choose a priority."),
        ("status", {"status": "waiting_on_office"}, 409, "already “Waiting on office”"),
    ],
)
def test_office_refusals_are_4xx_with_the_reason_and_change_nothing(
    client, staff, ticket, action, data, status, reason
):
    services.change_status(staff, ticket, status=Status.WAITING_ON_OFFICE)
    ticket.refresh_from_db()
    before = (ticket.status, ticket.priority, ticket.assignee_id, ticket.updated_at)
    client.force_login(staff)
    response = client.post(reverse(f"office_support:{action}", args=[ticket.code]), data)
    assert response.status_code == status
    assert reason in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee_id, ticket.updated_at) == before


def test_a_bad_queue_filter_is_a_400_showing_every_active_ticket(client, staff, ticket):
    client.force_login(staff)
    response = client.get(reverse("office_support:queue"), {"priority": "mega"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "These filters are not valid" in html and ticket.code in html
