"""Messaging pages: the buyer's Messages, "Ask the seller", the Seller Center inbox and
quick replies, the office's report queue; and the attachment and product-card links.

Reads go through ``selectors``, writes through ``services``; a refused write
(``ApplicationError``) is shown next to its field or as a flash message on the
page it was posted from, answered with a 4xx status (no redirect). Each
page renders the current state and the person's last event id;
``static/js/messaging.js`` then keeps it live over the socket and sends through
the JSON API. The forms posted here are the path without JavaScript.

A conversation someone is not part of answers 404, as if it did not exist. A
store member opening ``/messages/<id>/`` is sent to the Seller Center view.
"""

import re

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_POST

from saypro.catalog import selectors as catalog
from saypro.catalog.views.seller import seller_context, store_for_member
from saypro.core import events, ratelimit
from saypro.core.auth import login_required, require_office
from saypro.core.errors import ApplicationError, Conflict, ValidationFailed
from saypro.core.forms import add_service_error
from saypro.core.pagination import paginate
from saypro.messaging import selectors, services
from saypro.messaging.forms import (
    BoxForm,
    MessageForm,
    QuickReplyForm,
    ReasonForm,
    ResolveForm,
    SearchForm,
    StaffAccessForm,
    StartForm,
    new_client_id,
)
from saypro.messaging.models import Attachment, Conversation, ConversationReport, Side
from saypro.messaging.services import QUICK_REPLY_VARIABLES

THREAD_PAGE = 50
LIST_PAGE = 25
SEARCH_LIMIT = 50  # the newest matching messages a search shows
SNIPPET = 200  # characters of a matching message shown
CARD_PRODUCTS = 200  # the product-card picker lists at most this many active products
BUYER_BOXES = ("inbox", "archived")
STORE_BOXES = ("inbox", "waiting", "product", "order", "archived")
VARIABLE_HELP = {
    "buyer_first_name": "the buyer's first name",
    "product": "the product the conversation is about (else “the product”)",
    "order_number": "the order's number (else “your order”)",
    "store": "your store's name",
}
VARIABLES = [(name, VARIABLE_HELP[name]) for name in QUICK_REPLY_VARIABLES]
RESENT_FORM = "That form was already sent. Your new text is kept below: send it again."


# --- Shared -----------------------------------------------------------------------------


def _conversation(request, pk: int) -> Conversation:
    conversation = selectors.conversation_for(request.user, pk)
    if conversation is None:
        raise Http404("No such conversation among yours.")
    return conversation


def _page_url(conversation: Conversation, side: str) -> str:
    if side == Side.STORE:
        return reverse(
            "seller_inbox:conversation",
            kwargs={"slug": conversation.store.slug, "pk": conversation.pk},
        )
    return reverse("messaging:conversation", kwargs={"pk": conversation.pk})


def _list_url(conversation: Conversation, side: str) -> str:
    if side == Side.STORE:
        return reverse("seller_inbox:inbox", kwargs={"slug": conversation.store.slug})
    return reverse("messaging:inbox")


def _show_error(form, error: ApplicationError) -> None:
    """The service's refusal next to its field; a contact-details warning offers "send anyway".

    A form whose ``client_id`` already sent another text (the back button
    restored a sent form) is told so in words for a person, and the form gets a
    fresh ``client_id``: sending the kept text again goes through.
    """
    if isinstance(error, Conflict) and (error.details or {}).get("field") == "client_id":
        form.add_error(None, RESENT_FORM)
        form.data = form.data.copy()
        form.data["client_id"] = new_client_id()
        return
    add_service_error(form, error)
    if error.code == "contact_details":
        form.contact_warning = True


def _query_id(request, name: str) -> int | None:
    """``?<name>=`` as an id: ASCII digits that fit a database integer; None for anything else
    ("²" and "١" are digits to ``str.isdigit`` but not ids)."""
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _thread(request, conversation: Conversation, side: str) -> dict:
    """The newest messages (or those before ``?before=``), the "Seen" mark and live-update state.

    One message more than a page is read: "Earlier messages" is offered only
    when an older one exists. The last event id is read before the messages: an
    event that happens in between is replayed by the socket and shown once (the
    page dedupes by id).
    """
    last_event_id = events.last_event_id(request.user.pk)
    before = _query_id(request, "before")
    window = selectors.messages_of(conversation, before=before, limit=THREAD_PAGE + 1)
    thread = window[-THREAD_PAGE:]
    seen_up_to = selectors.seen_up_to(conversation, request.user)
    own = [message.pk for message in thread if message.side == side and message.pk <= seen_up_to]
    blocked = selectors.blocked_by(conversation.store_id, conversation.buyer_id)
    return {
        "conversation": conversation,
        "side": side,
        "thread": thread,
        "seen_message_id": max(own, default=0),
        "seen_up_to": seen_up_to,
        "is_latest": before is None,
        "has_older": len(window) > THREAD_PAGE,
        "blocked": blocked,
        "blocked_reason": selectors.block_refusal(
            blocked, side, store_id=conversation.store_id, buyer_id=conversation.buyer_id
        ),
        "last_event_id": last_event_id,
        "now": timezone.now(),
    }


def _card_products(request, store):
    return catalog.store_products(request.user, store).filter(is_active=True)[:CARD_PRODUCTS]


def _render_conversation(request, conversation: Conversation, side: str, *, status=400, **forms):
    """The conversation page of ``side`` with these (bound, erroneous) forms and a 4xx status."""
    if side == Side.STORE:
        return _seller_page(request, conversation.store, conversation, status=status, **forms)
    return _buyer_page(request, conversation, status=status, **forms)


def _highlight(text: str, words: list[str]) -> str:
    """The start of ``text``, escaped, with each word beginning with one of ``words`` in <mark>.

    The raw text is split around the matches and every piece is escaped on its
    own, so the marks never wrap or cut HTML.
    """
    pattern = r"(\b(?:{})\w*)".format("|".join(re.escape(word) for word in words))
    parts = re.split(pattern, Truncator(text).chars(SNIPPET), flags=re.IGNORECASE)
    plain, marked = parts[::2], parts[1::2]
    return format_html(
        "{}{}",
        format_html_join("", "{}<mark>{}</mark>", zip(plain[:-1], marked, strict=True)),
        plain[-1],
    )


def _results_or_list(request, form: SearchForm, conversations, **scope) -> dict:
    """The newest messages matching the valid ``q`` (``scope`` narrows the search);
    without one, a page of ``conversations``."""
    query = form.query()
    if not query:
        return paginate(request, conversations, per_page=LIST_PAGE)
    found = list(selectors.search_messages(request.user, query, limit=SEARCH_LIMIT + 1, **scope))
    words = selectors.search_words(query)
    return {
        "query": query,
        "results": [(hit, _highlight(hit.text, words)) for hit in found[:SEARCH_LIMIT]],
        "capped": len(found) > SEARCH_LIMIT,
    }


# --- Buyer: Messages -----------------------------------------------------------------------


@login_required
def inbox(request):
    """The buyer's conversations, newest first, or the messages matching ``?q=`` in any of
    them; store members also get links to their inboxes."""
    form = BoxForm(request.GET or None)
    box = form.box_or_default()
    if box not in BUYER_BOXES:
        box = "inbox"
    search_form = SearchForm(request.GET or None)
    conversations = selectors.conversations_of(request.user, box=box)
    context = {
        "box": box,
        "search_form": search_form,
        "search_limit": SEARCH_LIMIT,
        "last_event_id": events.last_event_id(request.user.pk),
        "memberships": catalog.memberships_of(request.user),
        "now": timezone.now(),
        **_results_or_list(request, search_form, conversations, as_buyer=True),
    }
    return render(request, "messaging/pages/inbox.html", context)


@login_required
def conversation(request, pk: int):
    found = _conversation(request, pk)
    side = selectors.side_of(request.user, found)
    if side == Side.STORE:
        return redirect(_page_url(found, side))
    return _buyer_page(request, found)


def _buyer_page(request, conversation: Conversation, *, status=200, form=None, report_form=None):
    context = {
        **_thread(request, conversation, Side.BUYER),
        "form": form or MessageForm(),
        "report_form": report_form or ReasonForm(),
    }
    return render(request, "messaging/pages/conversation.html", context, status=status)


@login_required
def new_conversation(request):
    """ "Ask the seller": ``?store=<id>`` with ``&product=<id>`` or ``&order=<id>``.

    Opens the existing conversation about that subject, or shows the form for
    the first message; posting it starts the conversation. When either side
    blocked the other, the page says so instead of offering the form (403).
    """
    store, product, order = _subject(request)
    if catalog.is_store_member(request.user, store):
        messages.info(request, "This is your store: its conversations are in your inbox.")
        return redirect("seller_inbox:inbox", slug=store.slug)
    topic = f"order:{order.pk}" if order else f"product:{product.pk}" if product else ""
    subject = {
        "store": store,
        "product": product,
        "order": order,
        "back_url": (order or product or store).get_absolute_url(),
    }
    if request.method != "POST":
        existing = (
            selectors.conversations_of(request.user, box="all")
            .filter(store=store, topic=topic)
            .first()
        )
        if existing is not None:
            return redirect("messaging:conversation", pk=existing.pk)
        blocked = selectors.blocked_by(store.pk, request.user.pk)
        refusal = selectors.block_refusal(
            blocked, Side.BUYER, store_id=store.pk, buyer_id=request.user.pk
        )
        if refusal:
            # Where the buyer can unblock: a conversation with the store they blocked.
            unblock_in = (
                selectors.conversations_of(request.user, box="all").filter(store=store).first()
                if Side.BUYER in blocked
                else None
            )
            context = {**subject, "blocked_reason": refusal, "unblock_in": unblock_in}
            return render(request, "messaging/pages/new.html", context, status=403)
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            started, _, _ = services.start_conversation(
                request.user,
                store_id=store.pk,
                product_id=product.pk if product else None,
                order_id=order.pk if order else None,
                text=form.cleaned_data["text"],
                client_id=form.cleaned_data["client_id"] or None,
                acknowledge_contact=form.cleaned_data["acknowledge_contact"],
            )
        except ApplicationError as error:
            _show_error(form, error)
            context = {**subject, "form": form}
            page = render(request, "messaging/pages/new.html", context, status=error.status)
            return ratelimit.with_retry_after(page, error)
        messages.success(request, f"Your message is on its way to {store.name}.")
        return redirect("messaging:conversation", pk=started.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "messaging/pages/new.html", {**subject, "form": form}, status=status)


def _number(request, name: str) -> int | None:
    """``?<name>=`` as an id, None when it is absent; 404 for anything that is not an id."""
    number = _query_id(request, name)
    if number is None and request.GET.get(name, ""):
        raise Http404(f"No such {name}.")
    return number


def _subject(request):
    """The store, product and order named in the query string (404 for anything not visible)."""
    store_id, product_id, order_id = (
        _number(request, name) for name in ("store", "product", "order")
    )
    product = order = None
    if order_id is not None:
        order = catalog.orders_of_buyer(request.user).filter(pk=order_id).first()
        if order is None:
            raise Http404("No such order among yours.")
    if product_id is not None:
        product = catalog.visible_product(request.user, product_id)
        if product is None or not product.is_active:
            raise Http404("No such product.")
    store_id = store_id or (order.store_id if order else product.store_id if product else None)
    store = catalog.active_stores().filter(pk=store_id).first() if store_id else None
    if store is None:
        raise Http404("No such store.")
    if (order and order.store_id != store.pk) or (product and product.store_id != store.pk):
        raise Http404("That is not sold by this store.")
    return store, product, order


@login_required
@require_POST
def send(request, pk: int):
    """Send a message from the composer (the path without JavaScript; the page uses the API)."""
    found = _conversation(request, pk)
    side = selectors.side_of(request.user, found)
    products = _card_products(request, found.store) if side == Side.STORE else ()
    form = MessageForm(request.POST, products=products)
    if form.is_valid():
        data = form.cleaned_data
        try:
            message, _ = services.send_with_files(
                request.user,
                found,
                files=request.FILES.getlist("files"),
                text=data["text"],
                client_id=data["client_id"] or None,
                product_ids=data["product_ids"],
                quick_reply_id=data["quick_reply_id"],
                acknowledge_contact=data["acknowledge_contact"],
            )
        except ApplicationError as error:
            _show_error(form, error)
            page = _render_conversation(request, found, side, status=error.status, form=form)
            return ratelimit.with_retry_after(page, error)
        return redirect(f"{_page_url(found, side)}#m-{message.pk}")
    return _render_conversation(request, found, side, form=form)


STATE_CHANGES = {
    "archive": (services.set_archived, True, "Archived. A new message brings it back."),
    "unarchive": (services.set_archived, False, "Back in your inbox."),
    "mute": (services.set_muted, True, "Muted: no notifications from this conversation."),
    "unmute": (services.set_muted, False, "Unmuted."),
}


@login_required
@require_POST
def change_state(request, pk: int):
    """Archive, mute, block or unblock (``action``) for the person asking; no or another
    ``action`` is refused (400) on the conversation page."""
    found = _conversation(request, pk)
    side = selectors.side_of(request.user, found)
    action = request.POST.get("action", "")
    try:
        if action in STATE_CHANGES:
            change, value, done = STATE_CHANGES[action]
            change(request.user, found, value)
        elif action == "block":
            services.block(request.user, found)
            done = "Blocked: the other side cannot send you messages here any more."
        elif action == "unblock":
            services.unblock(request.user, found)
            done = "Unblocked: messages can flow again."
        else:
            raise ValidationFailed(
                "Nothing was changed: choose archive, mute or block under “Conversation”."
            )
    except ApplicationError as error:  # the conversation page says why, with the 4xx status
        messages.error(request, error.message)
        return _render_conversation(request, found, side, status=error.status)
    messages.success(request, done)
    if action == "archive":
        return redirect(_list_url(found, side))
    return redirect(_page_url(found, side))


@login_required
@require_POST
def report(request, pk: int):
    found = _conversation(request, pk)
    side = selectors.side_of(request.user, found)
    form = ReasonForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.report_conversation(request.user, found, form.cleaned_data["reason"])
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            messages.success(request, "Reported. The marketplace office will look at it.")
            return redirect(_page_url(found, side))
    return _render_conversation(request, found, side, status=status, report_form=form)


# --- Seller Center: Inbox ------------------------------------------------------------------


@login_required
def seller_inbox(request, slug: str):
    """The store's conversations, most urgent first (open waits by due time, then recent),
    or the messages matching ``?q=`` in any of them."""
    store = store_for_member(request, slug)
    form = BoxForm(request.GET or None)
    box = form.box_or_default()
    if box not in STORE_BOXES:
        box = "inbox"
    search_form = SearchForm(request.GET or None)
    conversations = selectors.conversations_of(request.user, store=store, box=box)
    context = seller_context(
        request,
        store,
        box=box,
        boxes=[(key, label) for key, label in form.fields["box"].choices if key in STORE_BOXES],
        search_form=search_form,
        search_limit=SEARCH_LIMIT,
        last_event_id=events.last_event_id(request.user.pk),
        now=timezone.now(),
        **_results_or_list(request, search_form, conversations, store=store),
    )
    return render(request, "messaging/pages/seller_inbox.html", context)


def _store_conversation(request, store, pk: int) -> Conversation:
    found = _conversation(request, pk)
    if found.store_id != store.pk:
        raise Http404("No such conversation in this store.")
    return found


@login_required
def seller_conversation(request, slug: str, pk: int):
    store = store_for_member(request, slug)
    return _seller_page(request, store, _store_conversation(request, store, pk))


def _seller_page(
    request, store, conversation: Conversation, *, status=200, form=None, report_form=None
):
    replies = list(selectors.quick_replies_of(request.user, store))
    suggested = selectors.suggested_quick_replies(request.user, conversation)
    rendered = {reply.pk: selectors.render_quick_reply(reply, conversation) for reply in replies}
    if form is None:
        chosen = _query_id(request, "reply")
        initial = {}
        if chosen in rendered:  # "Insert" without JavaScript: the page comes back with it
            initial = {"text": rendered[chosen], "quick_reply_id": chosen}
        form = MessageForm(initial=initial, products=_card_products(request, store))
    context = seller_context(
        request,
        store,
        **_thread(request, conversation, Side.STORE),
        form=form,
        report_form=report_form or ReasonForm(),
        suggested=[(reply, rendered[reply.pk]) for reply in suggested],
        quick_replies=[(reply, rendered[reply.pk]) for reply in replies],
        buyer=selectors.buyer_context(request.user, conversation),
    )
    return render(request, "messaging/pages/seller_conversation.html", context, status=status)


@login_required
@require_POST
def no_response_needed(request, slug: str, pk: int):
    store = store_for_member(request, slug)
    found = _store_conversation(request, store, pk)
    try:
        services.no_response_needed(request.user, found)
    except ApplicationError as error:  # e.g. nobody is waiting any more: 409 on the page
        messages.error(request, error.message)
        return _seller_page(request, store, found, status=error.status)
    messages.success(request, "Marked: no response needed. It does not count as late.")
    return redirect("seller_inbox:conversation", slug=store.slug, pk=found.pk)


@login_required
def quick_replies(request, slug: str):
    """The store's quick replies with how often each was used; add one."""
    store = store_for_member(request, slug)
    form = QuickReplyForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            reply = services.create_quick_reply(request.user, store, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            messages.success(request, f"Quick reply “{reply.title}” saved.")
            return redirect("seller_inbox:quick_replies", slug=store.slug)
    return _quick_replies_page(request, store, form=form, status=status)


def _quick_replies_page(request, store, *, form=None, status: int = 200):
    context = seller_context(
        request,
        store,
        form=form or QuickReplyForm(),
        replies=selectors.quick_replies_of(request.user, store),
        variables=VARIABLES,
    )
    return render(request, "messaging/pages/quick_replies.html", context, status=status)


def _quick_reply(request, store, pk: int):
    reply = selectors.quick_replies_of(request.user, store).filter(pk=pk).first()
    if reply is None:
        raise Http404("No such quick reply in this store.")
    return reply


@login_required
def quick_reply_edit(request, slug: str, pk: int):
    store = store_for_member(request, slug)
    reply = _quick_reply(request, store, pk)
    initial = {"title": reply.title, "topic": reply.topic, "body": reply.body}
    form = QuickReplyForm(request.POST or None, initial=initial)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_quick_reply(request.user, reply, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
            reply = _quick_reply(request, store, pk)  # as stored, not the refused edit
        else:
            messages.success(request, f"Quick reply “{reply.title}” saved.")
            return redirect("seller_inbox:quick_replies", slug=store.slug)
    context = seller_context(request, store, form=form, reply=reply, variables=VARIABLES)
    return render(request, "messaging/pages/quick_reply_edit.html", context, status=status)


@login_required
@require_POST
def quick_reply_delete(request, slug: str, pk: int):
    store = store_for_member(request, slug)
    reply = _quick_reply(request, store, pk)
    try:
        services.delete_quick_reply(request.user, reply)
    except ApplicationError as error:  # the list says why, with the 4xx status; nothing deleted
        messages.error(request, error.message)
        return _quick_replies_page(request, store, status=error.status)
    messages.success(request, f"Quick reply “{reply.title}” deleted.")
    return redirect("seller_inbox:quick_replies", slug=store.slug)


# --- Office: reported conversations ----------------------------------------------------------


def _open_report(request, pk: int) -> ConversationReport | None:
    """The open report ``pk`` for office staff (403 for anyone else), or None."""
    require_office(request)
    return selectors.open_reports().filter(pk=pk).first()


def _report_not_open(request, pk: int, *, status: int):
    """Answer for a report that is not open: 404 when there is none.

    A report that was already resolved (a double click, a second tab, the back
    button) shows the queue with who resolved it, when and how, instead of
    "page not found": 404 when it was only being read, 409 when staff acted on
    it again. Nothing is recorded or changed.
    """
    resolved = selectors.resolved_report(pk)
    if resolved is None:
        raise Http404("No such report.")
    who = resolved.resolved_by.email if resolved.resolved_by else "someone"
    when = date_format(timezone.localtime(resolved.resolved_at), "j M Y, H:i")
    text = (
        f"Report {resolved.pk} on conversation {resolved.conversation_id} was already "
        f"resolved by {who} on {when}: “{resolved.resolution}”."
    )
    messages.error(request, f"{text} Nothing was changed." if status == 409 else text)
    return _queue(request, status=status)


def _queue(request, *, status: int = 200):
    return render(
        request,
        "messaging/pages/office_reports.html",
        paginate(request, selectors.open_reports(), per_page=LIST_PAGE),
        status=status,
    )


@login_required
@require_GET
def office_reports(request):
    """Open reports, oldest first (people's reports and the spam check's)."""
    require_office(request)
    return _queue(request)


def _office_page(request, report, *, status=200, thread=None, access_form=None, resolve_form=None):
    """The report page. ``accesses`` is the conversation's audit trail (who read it, when,
    why), newest first, read after any access this request recorded."""
    context = {
        "report": report,
        "conversation": report.conversation,
        "thread": thread,
        "accesses": selectors.staff_accesses_of(report.conversation),
        "pause_ends": selectors.office_pause_ends(
            report.conversation.store_id, report.conversation.buyer_id
        ),
        "access_form": access_form or StaffAccessForm(),
        "resolve_form": resolve_form or ResolveForm(),
    }
    return render(request, "messaging/pages/office_report.html", context, status=status)


@login_required
@require_GET
def office_report(request, pk: int):
    """The report; the messages stay closed until staff give a reason (``open_conversation``)."""
    report = _open_report(request, pk)
    if report is None:
        return _report_not_open(request, pk, status=404)
    return _office_page(request, report)


@login_required
@require_POST
def office_open_conversation(request, pk: int):
    """Record why staff read the conversation, then show it read-only (this response only)."""
    report = _open_report(request, pk)
    if report is None:
        return _report_not_open(request, pk, status=409)
    form = StaffAccessForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.record_staff_access(
                request.user, report.conversation, form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            thread = selectors.messages_of(report.conversation, limit=THREAD_PAGE * 4)
            return _office_page(request, report, thread=thread, access_form=form)
    return _office_page(request, report, status=status, access_form=form)


@login_required
@require_POST
def office_resolve(request, pk: int):
    report = _open_report(request, pk)
    if report is None:
        return _report_not_open(request, pk, status=409)
    form = ResolveForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            resolved = services.resolve_report(
                request.user,
                report,
                form.cleaned_data["resolution"],
                pause_days=form.cleaned_data["pause_days"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            done = f"Report on conversation {report.conversation_id} resolved."
            if resolved.messages_stopped_until:
                until = date_format(timezone.localtime(resolved.messages_stopped_until), "j M Y")
                done += f" Messages between the buyer and the store are paused until {until}."
            messages.success(request, done)
            return redirect("office_messaging:reports")
    return _office_page(request, report, status=status, resolve_form=form)


# --- Links inside messages -------------------------------------------------------------------


@require_GET
@login_required
def attachment(request, pk: int):
    """An attachment, for the people of its conversation (and its uploader before sending)."""
    item = get_object_or_404(Attachment.objects.select_related("message"), pk=pk)
    if item.message is None:
        allowed = item.uploader_id == request.user.pk
    else:
        allowed = selectors.conversation_for(request.user, item.message.conversation_id) is not None
    if not allowed:
        raise Http404("No such attachment.")
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=item.kind == Attachment.Kind.PDF,
        filename=item.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
@login_required
def open_card(request, pk: int):
    """Follow a product card: count the buyer's click, open the product page."""
    card = selectors.card_for(request.user, pk)
    if card is None:
        raise Http404("No such product card.")
    services.count_card_click(request.user, card)
    return redirect(card.product.get_absolute_url())
