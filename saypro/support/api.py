"""/api/v1 endpoints for a seller's support tickets: list, open, read, reply, close with a rating.

A person sees the tickets of the stores they belong to (any other code is a
404). Office staff read tickets here too, but never get internal notes
through the API: it serves the seller's view of a ticket.
"""

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Status

from saypro.core.api import AUTH, ERRORS, Paging
from saypro.core.errors import NotFound
from saypro.support import selectors, services
from saypro.support.schemas import (
    TicketCloseIn,
    TicketCode,
    TicketDetailOut,
    TicketIn,
    TicketList,
    TicketMessageOut,
    TicketOut,
    TicketReplyIn,
)

router = Router(tags=["support"], auth=AUTH)


def _ticket_data(ticket) -> dict:
    return {
        "code": ticket.code,
        "store": ticket.store.slug,
        "subject": ticket.subject,
        "category": ticket.category,
        "priority": ticket.priority,
        "status": ticket.status,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "first_response_at": ticket.first_response_at,
        "first_response_due": ticket.first_response_due,
        "resolution_due": ticket.resolution_due,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "satisfaction": ticket.satisfaction,
    }


def _message_data(message) -> dict:
    return {
        "id": message.pk,
        "author": "SayPro support" if message.from_office else message.author.get_full_name(),
        "from_office": message.from_office,
        "body": message.body,
        "created_at": message.created_at,
        "attachments": [
            reverse("support:attachment", args=[item.pk]) for item in message.attachments.all()
        ],
    }


def _visible(request: HttpRequest, code: str):
    ticket = selectors.ticket_for(request.auth, code)
    if ticket is None:
        raise NotFound("No support ticket with this code among your stores'.")
    return ticket


@router.get("/support/tickets", response={200: TicketList, **ERRORS})
def list_tickets(request: HttpRequest, paging: Query[Paging]):
    """The tickets of the person's stores, latest update first."""
    page = paging.page(selectors.my_tickets(request.auth))
    return {**page, "items": [_ticket_data(row) for row in page["items"]]}


@router.post("/support/tickets", response={201: TicketOut, **ERRORS})
def open_ticket(request: HttpRequest, body: TicketIn):
    """Open a ticket for one of the person's stores (attachments: use the web form)."""
    store = selectors.member_stores(request.auth).filter(slug=body.store).first()
    if store is None:
        raise NotFound("No store with this slug among yours.")
    ticket = services.open_ticket(
        request.auth,
        store=store,
        subject=body.subject,
        category=body.category,
        priority=body.priority,
        description=body.description,
    )
    return Status(201, _ticket_data(ticket))


@router.get("/support/tickets/{code}", response={200: TicketDetailOut, **ERRORS})
def get_ticket(request: HttpRequest, code: TicketCode):
    """The ticket and its conversation as the seller sees it (internal notes never appear)."""
    ticket = _visible(request, code)
    messages = [m for m in selectors.thread(request.auth, ticket) if not m.is_internal]
    return {**_ticket_data(ticket), "messages": [_message_data(m) for m in messages]}


@router.post("/support/tickets/{code}/replies", response={201: TicketMessageOut, **ERRORS})
def reply(request: HttpRequest, code: TicketCode, body: TicketReplyIn):
    """Reply on an active ticket (409 once it is resolved or closed)."""
    message = services.reply(request.auth, _visible(request, code), body=body.body)
    return Status(201, _message_data(message))


@router.post("/support/tickets/{code}/close", response={200: TicketOut, **ERRORS})
def close(request: HttpRequest, code: TicketCode, body: TicketCloseIn):
    """Close a resolved ticket with a 1–5 rating and an optional comment (sellers only)."""
    ticket = services.close_ticket(
        request.auth, _visible(request, code), satisfaction=body.satisfaction, comment=body.comment
    )
    return _ticket_data(ticket)
