"""Support pages: the seller's tickets under /support/, the office desk under /office/support/.

Views parse a form, call one service or selector and render. A ticket page
asked for by htmx (``HX-Request``), which is how support.js refreshes it on a
``support.ticket`` event, gets only its live part; opened directly it is the
whole page.
"""

from datetime import timedelta

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saypro.core import ratelimit
from saypro.core.auth import login_required, require_office
from saypro.core.errors import ApplicationError
from saypro.core.events import last_event_id
from saypro.core.forms import add_service_error
from saypro.support import selectors, services
from saypro.support.forms import (
    AssignForm,
    CannedReplyForm,
    CloseForm,
    NoteForm,
    PriorityForm,
    QueueFilterForm,
    ReplyForm,
    ShiftForm,
    StatusForm,
    TicketForm,
)
from saypro.support.models import Status

# --- Seller side ------------------------------------------------------------------------------


@login_required
@require_GET
def my_tickets(request):
    stores = list(selectors.member_stores(request.user))
    template = (
        "support/partials/my_tickets_table.html"
        if request.htmx
        else "support/pages/my_tickets.html"
    )
    return render(
        request,
        template,
        {
            "tickets": selectors.my_tickets(request.user)[:200],
            "is_seller": bool(stores),
            "live_last_event_id": last_event_id(request.user.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_ticket(request):
    stores = list(selectors.member_stores(request.user))
    if not stores:
        messages.error(request, "Support tickets are for sellers: open a store first.")
        return redirect("support:mine")
    form = TicketForm(stores, request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.open_ticket(
                    request.user,
                    store=form.stores[data["store"]],
                    subject=data["subject"],
                    category=data["category"],
                    priority=data["priority"],
                    description=data["description"],
                    attachments=data["attachments"],
                )
            except ApplicationError as error:
                add_service_error(form, error)
                page = render(
                    request, "support/pages/new_ticket.html", {"form": form}, status=error.status
                )
                return ratelimit.with_retry_after(page, error)
            messages.success(request, f"Ticket {ticket.code} is open. We will answer here.")
            return redirect(ticket)
        status = 400
    return render(request, "support/pages/new_ticket.html", {"form": form}, status=status)


def _ticket(request, code: str):
    ticket = selectors.ticket_for(request.user, code)
    if ticket is None:
        raise Http404("No such ticket.")
    return ticket


def _seller_page(request, ticket, *, status=200, reply_form=None, close_form=None):
    template = "support/partials/seller_live.html" if request.htmx else "support/pages/ticket.html"
    return render(
        request,
        template,
        {
            "ticket": ticket,
            "thread": selectors.thread(request.user, ticket),
            "reply_form": reply_form or ReplyForm(),
            "close_form": close_form or CloseForm(),
            "can_reply": ticket.is_active,
            "live_last_event_id": last_event_id(request.user.pk),
        },
        status=status,
    )


@login_required
@require_GET
def ticket(request, code: str):
    ticket = _ticket(request, code)
    if request.user.is_office_staff and not selectors.is_member(request.user, ticket):
        return redirect(ticket.get_office_url())
    return _seller_page(request, ticket)


@login_required
@require_POST
def reply(request, code: str):
    ticket = _ticket(request, code)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.reply(
                request.user,
                ticket,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
            if not ticket.is_active:  # the reply form is hidden: say it where it shows
                messages.error(request, error.message)
            return _seller_page(request, ticket, status=error.status, reply_form=form)
        messages.success(request, "Reply sent.")
        return redirect(ticket)
    return _seller_page(request, ticket, status=400, reply_form=form)


@login_required
@require_POST
def close(request, code: str):
    ticket = _ticket(request, code)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_ticket(
                request.user,
                ticket,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
            if ticket.status != Status.RESOLVED:  # the rating form is not on the page
                messages.error(request, error.message)
            return _seller_page(request, ticket, status=error.status, close_form=form)
        messages.success(request, "Thank you: the ticket is closed and your rating saved.")
        return redirect(ticket)
    return _seller_page(request, ticket, status=400, close_form=form)


@login_required
@require_POST
def reopen(request, code: str):
    ticket = _ticket(request, code)
    is_office_page = request.user.is_office_staff and not selectors.is_member(request.user, ticket)
    try:
        services.reopen(request.user, ticket)
    except ApplicationError as error:
        messages.error(request, error.message)
        if is_office_page:
            return _office_page(request, ticket, status=error.status)
        return _seller_page(request, ticket, status=error.status)
    messages.success(request, "The ticket is open again.")
    if is_office_page:
        return redirect(ticket.get_office_url())
    return redirect(ticket)


@login_required
@require_GET
def attachment(request, pk: int):
    """A ticket's attachment, for the store's members and the office (internal ones: office)."""
    item = selectors.attachment_for(request.user, pk)
    if item is None:
        raise Http404("No such attachment.")
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=item.kind == item.Kind.PDF,
        filename=item.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Office -----------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request):
    require_office(request)
    form = QueueFilterForm(request.GET or None)
    is_valid = form.is_valid()
    filters = form.cleaned_data if is_valid else {}
    rows = selectors.queue(
        request.user,
        now=timezone.now(),
        mine=filters.get("scope") == "mine",
        unassigned=filters.get("scope") == "unassigned",
        priority=filters.get("priority", ""),
        status=filters.get("status", ""),
        category=filters.get("category", ""),
    )
    context = {
        "form": form,
        "rows": rows,
        "filtered": any(filters.values()),
        "rota": selectors.rota(now=timezone.now(), days=1),
        "live_last_event_id": last_event_id(request.user.pk),
    }
    template = "support/partials/queue_table.html" if request.htmx else "support/pages/queue.html"
    # A filter value that is not one of the choices: the unfiltered queue, the reason, a 400.
    return render(request, template, context, status=400 if form.is_bound and not is_valid else 200)


def _office_page(request, ticket, *, status=200, reply_form=None, note_form=None, tab="reply"):
    require_office(request)
    now = timezone.now()
    staff = list(selectors.office_staff())
    context = {
        "ticket": ticket,
        "thread": selectors.thread(request.user, ticket),
        "clocks": selectors.clocks(ticket, now),
        "reply_form": reply_form or ReplyForm(),
        "note_form": note_form or NoteForm(),
        "assign_form": AssignForm(
            staff, initial={"assignee": str(ticket.assignee_id or "")}, prefix="assign"
        ),
        "status_form": StatusForm(initial={"status": ticket.status}),
        "priority_form": PriorityForm(initial={"priority": ticket.priority}),
        "canned_replies": selectors.canned_replies(),
        "tab": tab,
        "can_reply": ticket.is_active,
        "live_last_event_id": last_event_id(request.user.pk),
    }
    template = (
        "support/partials/office_live.html" if request.htmx else "support/pages/office_ticket.html"
    )
    return render(request, template, context, status=status)


def _office_ticket(request, code: str):
    require_office(request)
    return _ticket(request, code)


@login_required
@require_GET
def office_ticket(request, code: str):
    return _office_page(request, _office_ticket(request, code))


@login_required
@require_POST
def office_reply(request, code: str):
    ticket = _office_ticket(request, code)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.reply(
                request.user,
                ticket,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
            return _office_page(request, ticket, status=error.status, reply_form=form)
        messages.success(request, "Reply sent to the seller.")
        return redirect(ticket.get_office_url())
    return _office_page(request, ticket, status=400, reply_form=form)


@login_required
@require_POST
def office_note(request, code: str):
    ticket = _office_ticket(request, code)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(request.user, ticket, body=form.cleaned_data["body"])
        except ApplicationError as error:
            add_service_error(form, error)
            return _office_page(request, ticket, status=error.status, note_form=form, tab="note")
        messages.success(request, "Internal note added.")
        return redirect(ticket.get_office_url())
    return _office_page(request, ticket, status=400, note_form=form, tab="note")


def _refuse(request, ticket, message: str, status: int):
    """The office ticket page again, with why the action was refused, and a 4xx."""
    messages.error(request, message)
    return _office_page(request, ticket, status=status)


def _act(request, ticket, call, success: str):
    try:
        call()
    except ApplicationError as error:
        return _refuse(request, ticket, error.message, error.status)
    messages.success(request, success)
    return redirect(ticket.get_office_url())


@login_required
@require_POST
def office_assign(request, code: str):
    ticket = _office_ticket(request, code)
    if "take" in request.POST:
        return _act(
            request,
            ticket,
            lambda: services.assign(request.user, ticket, assignee=request.user),
            "The ticket is yours.",
        )
    form = AssignForm(list(selectors.office_staff()), request.POST, prefix="assign")
    if not form.is_valid():
        return _refuse(request, ticket, "Choose someone from the office.", 400)
    assignee = form.staff.get(form.cleaned_data["assignee"])
    return _act(
        request,
        ticket,
        lambda: services.assign(request.user, ticket, assignee=assignee),
        f"Assigned to {assignee.get_full_name()}." if assignee else "Unassigned.",
    )


@login_required
@require_POST
def office_status(request, code: str):
    ticket = _office_ticket(request, code)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _refuse(request, ticket, "Choose a status.", 400)
    status = form.cleaned_data["status"]
    return _act(
        request,
        ticket,
        lambda: services.change_status(request.user, ticket, status=status),
        f"Status: {Status(status).label}.",
    )


@login_required
@require_POST
def office_priority(request, code: str):
    ticket = _office_ticket(request, code)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        return _refuse(request, ticket, "Choose a priority.", 400)
    priority = form.cleaned_data["priority"]
    return _act(
        request,
        ticket,
        lambda: services.change_priority(request.user, ticket, priority=priority),
        "Priority changed; the due times follow it.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def duty(request):
    """Who is on the desk now and next, the week's rota with its gaps, and a form to add shifts."""
    require_office(request)
    staff = list(selectors.office_staff())
    form = ShiftForm(staff, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_shift(
                    request.user,
                    staff=form.staff[data["staff"]],
                    starts_at=data["starts_at"],
                    ends_at=data["starts_at"] + timedelta(hours=data["hours"]),
                )
            except ApplicationError as error:
                add_service_error(form, error)
                status = error.status
            else:
                messages.success(request, "Shift added to the rota.")
                return redirect("office_support:duty")
        else:
            status = 400
    now = timezone.now()
    return render(
        request,
        "support/pages/duty.html",
        {"rota": selectors.rota(now=now), "form": form, "now": now},
        status=status,
    )


@login_required
@require_POST
def remove_shift(request, pk: int):
    require_office(request)
    shift = selectors.shift(pk)
    if shift is None:
        raise Http404("No such shift.")
    services.remove_shift(request.user, shift)
    messages.success(request, "Shift removed.")
    return redirect("office_support:duty")


@login_required
@require_http_methods(["GET", "POST"])
def canned_replies(request, pk: int | None = None):
    """The canned replies, and the form to add one (or edit ``pk``)."""
    require_office(request)
    reply = None
    if pk is not None:
        reply = selectors.canned_reply(pk)
        if reply is None:
            raise Http404("No such canned reply.")
    initial = (
        {"title": reply.title, "slug": reply.slug, "category": reply.category, "body": reply.body}
        if reply
        else None
    )
    form = CannedReplyForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_canned_reply(request.user, reply=reply, **form.cleaned_data)
            except ApplicationError as error:
                add_service_error(form, error)
                status = error.status
            else:
                messages.success(request, "Canned reply saved.")
                return redirect("office_support:canned")
        else:
            status = 400
    return render(
        request,
        "support/pages/canned.html",
        {"replies": selectors.canned_replies(), "form": form, "editing": reply},
        status=status,
    )
