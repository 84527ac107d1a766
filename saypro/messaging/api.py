"""/api/v1 endpoints for conversations, messages, attachments, quick replies and events.

Reads go through ``selectors`` (a buyer sees their conversations, a store
member their store's), writes through ``services``. A conversation someone
is not part of is a 404, as if it did not exist.
"""

from django.http import HttpRequest
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from saypro.catalog.models import Store
from saypro.catalog.selectors import is_store_member
from saypro.core import database_threads, events
from saypro.core.api import ASYNC_AUTH, AUTH, ERRORS, Id
from saypro.core.errors import NotFound
from saypro.messaging import selectors, services
from saypro.messaging.models import Attachment, Conversation, Participant, QuickReply
from saypro.messaging.schemas import (
    ArchiveIn,
    AttachmentOut,
    BlockOut,
    CardOpened,
    ConversationFilters,
    ConversationList,
    ConversationOut,
    EventPage,
    MessageOut,
    MessagePage,
    MessageWindow,
    MuteIn,
    QuickReplyIn,
    QuickReplyOut,
    ReadIn,
    ReasonIn,
    ReportCreated,
    SearchHit,
    SearchIn,
    SendIn,
    StartIn,
    StartOut,
    StateOut,
    SuggestedReplyOut,
    WaitOut,
)
from saypro.messaging.serializers import attachment_data, message_data
from saypro.reviews.schemas import public_name

router = Router(tags=["messaging"], auth=AUTH)


def _conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    conversation = selectors.conversation_for(request.auth, conversation_id)
    if conversation is None:
        raise NotFound(f"No conversation {conversation_id} among yours.")
    return conversation


def _store(request: HttpRequest, store_id: int) -> Store:
    store = Store.objects.filter(pk=store_id).first()
    if store is None or not is_store_member(request.auth, store):
        raise NotFound(f"No store {store_id} among yours.")
    return store


def _quick_reply(request: HttpRequest, quick_reply_id: int) -> QuickReply:
    reply = QuickReply.objects.select_related("store").filter(pk=quick_reply_id).first()
    if reply is None or not is_store_member(request.auth, reply.store):
        raise NotFound(f"No quick reply {quick_reply_id} in your stores.")
    return reply


def conversation_out(conversation: Conversation, user) -> dict:
    """A conversation from ``selectors`` as ``user`` sees it."""
    last = conversation.last_message
    return {
        "id": conversation.pk,
        "store_id": conversation.store_id,
        "store_name": conversation.store.name,
        "buyer_id": conversation.buyer_id,
        "buyer_name": public_name(conversation.buyer),
        "product_id": conversation.product_id,
        "order_id": conversation.order_id,
        "subject": conversation.subject_label,
        "last_message_at": conversation.last_message_at,
        "last_message": last.text[:140] if last else "",
        "message_count": conversation.message_count,
        "waiting_since": conversation.waiting_since,
        "due_at": conversation.due_at,
        "unread_count": conversation.unread,
        "archived": conversation.is_archived,
        "muted": conversation.is_muted,
        "seen_up_to": selectors.seen_up_to(conversation, user),
    }


def _state(state: Participant) -> dict:
    return {
        "conversation_id": state.conversation_id,
        "unread_count": state.unread,
        "last_read_message_id": state.last_read_message_id,
        "archived": state.archived,
        "muted": state.muted,
    }


# --- Conversations ---------------------------------------------------------------------


@router.get("/conversations", response={200: ConversationList, **ERRORS})
def list_conversations(request, filters: Query[ConversationFilters]):
    """Your conversations (as a buyer), or with `store_id` your store's inbox, by urgency."""
    store = _store(request, filters.store_id) if filters.store_id else None
    conversations = selectors.conversations_of(request.auth, store=store, box=filters.box)
    window = conversations[filters.offset : filters.offset + filters.limit]
    return {
        "items": [conversation_out(c, request.auth) for c in window],
        "count": conversations.count(),
        "total_unread": selectors.total_unread([request.auth.pk])[request.auth.pk],
    }


@router.post("/conversations", response={200: StartOut, 201: StartOut, **ERRORS})
def start_conversation(request, payload: StartIn):
    """Start (or reuse) your conversation with a store about a product, an order or nothing;
    send its first message. 201 when a message was created, 200 for a retried `client_id`."""
    conversation, message, created = services.start_conversation(
        request.auth,
        store_id=payload.store_id,
        product_id=payload.product_id,
        order_id=payload.order_id,
        text=payload.text,
        client_id=payload.client_id,
        attachment_ids=payload.attachment_ids,
        acknowledge_contact=payload.acknowledge_contact,
    )
    fresh = selectors.conversation_for(request.auth, conversation.pk)
    body = {**conversation_out(fresh, request.auth), "message": message_data(message)}
    return Status(201 if created else 200, body)


@router.get("/conversations/{conversation_id}", response={200: ConversationOut, **ERRORS})
def get_conversation(request, conversation_id: Id):
    return conversation_out(_conversation(request, conversation_id), request.auth)


@router.post("/conversations/{conversation_id}/archive", response={200: StateOut, **ERRORS})
def archive_conversation(request, conversation_id: Id, payload: ArchiveIn):
    """Archive (or with `{"archived": false}` restore); a new message restores it."""
    conversation = _conversation(request, conversation_id)
    return _state(services.set_archived(request.auth, conversation, payload.archived))


@router.post("/conversations/{conversation_id}/mute", response={200: StateOut, **ERRORS})
def mute_conversation(request, conversation_id: Id, payload: MuteIn):
    conversation = _conversation(request, conversation_id)
    return _state(services.set_muted(request.auth, conversation, payload.muted))


@router.post("/conversations/{conversation_id}/read", response={200: StateOut, **ERRORS})
def mark_read(request, conversation_id: Id, payload: ReadIn):
    """Mark read up to a message (default: all); the other side sees "Seen"."""
    conversation = _conversation(request, conversation_id)
    return _state(services.mark_read(request.auth, conversation, up_to=payload.up_to))


@router.post(
    "/conversations/{conversation_id}/no-response-needed", response={200: WaitOut, **ERRORS}
)
def no_response_needed(request, conversation_id: Id):
    """Store members: end the buyer's wait without a reply; it does not count as late."""
    wait = services.no_response_needed(request.auth, _conversation(request, conversation_id))
    return {
        "conversation_id": wait.conversation_id,
        "outcome": wait.outcome,
        "started_at": wait.started_at,
        "due_at": wait.due_at,
        "ended_at": wait.ended_at,
    }


@router.post("/conversations/{conversation_id}/block", response={200: BlockOut, **ERRORS})
def block(request, conversation_id: Id):
    """Refuse messages from the other side (a buyer blocks the store, a store the buyer)."""
    services.block(request.auth, _conversation(request, conversation_id))
    return {"blocked": True}


@router.delete("/conversations/{conversation_id}/block", response={200: BlockOut, **ERRORS})
def unblock(request, conversation_id: Id):
    services.unblock(request.auth, _conversation(request, conversation_id))
    return {"blocked": False}


@router.post("/conversations/{conversation_id}/report", response={201: ReportCreated, **ERRORS})
def report(request, conversation_id: Id, payload: ReasonIn):
    """Report the conversation to the marketplace office (abuse, scam, spam…)."""
    conversation = _conversation(request, conversation_id)
    filed = services.report_conversation(request.auth, conversation, payload.reason)
    return Status(201, {"id": filed.pk, "status": filed.status})


# --- Messages ------------------------------------------------------------------------------


@router.get("/conversations/{conversation_id}/messages", response={200: MessagePage, **ERRORS})
def list_messages(request, conversation_id: Id, window: Query[MessageWindow]):
    """Messages oldest first: the newest page, or `before`/`after` a message id."""
    conversation = _conversation(request, conversation_id)
    messages = selectors.messages_of(
        conversation, before=window.before, after=window.after, limit=window.limit
    )
    has_older = bool(messages) and conversation.messages.filter(pk__lt=messages[0].pk).exists()
    return {"items": [message_data(m) for m in messages], "has_older": has_older}


@router.post(
    "/conversations/{conversation_id}/messages",
    response={200: MessageOut, 201: MessageOut, **ERRORS},
    auth=ASYNC_AUTH,
)
async def send_message(request, conversation_id: Id, payload: SendIn):
    """Send a message. 201 when created; a retry with the same `client_id` returns the
    original with 200; the same `client_id` with different content is a 409."""
    # The hot path: its database work runs on the process's few database threads
    # (``core.database_threads``), not in a thread per request.
    created, body = await database_threads.run_together(
        _send, request.auth, conversation_id, payload
    )
    return Status(201 if created else 200, body)


def _send(user, conversation_id: int, payload: SendIn) -> tuple[bool, dict]:
    conversation = selectors.conversation_to_write(user, conversation_id)
    if conversation is None:
        raise NotFound(f"No conversation {conversation_id} among yours.")
    message, created = services.send_message(
        user,
        conversation,
        text=payload.text,
        client_id=payload.client_id,
        attachment_ids=payload.attachment_ids,
        product_ids=payload.product_ids,
        quick_reply_id=payload.quick_reply_id,
        acknowledge_contact=payload.acknowledge_contact,
    )
    return created, message_data(message)


@router.get("/messages/search", response={200: list[SearchHit], **ERRORS})
def search_messages(request, query: Query[SearchIn]):
    """Messages in your own conversations containing every word of `q` (newest first)."""
    return [
        {
            **message_data(message),
            "store_name": message.conversation.store.name,
            "subject": message.conversation.subject_label,
        }
        for message in selectors.search_messages(request.auth, query.q)
    ]


@router.post("/attachments", response={201: AttachmentOut, **ERRORS})
def upload_attachment(request, file: File[UploadedFile]):
    """Upload an image (JPEG, PNG, GIF, WebP) or PDF of at most 5 MB; then send its `id`
    in a message's `attachment_ids`. The type is checked from the content."""
    attachment = services.upload_attachment(request.auth, file)
    return Status(201, attachment_data(attachment))


@router.delete("/attachments/{attachment_id}", response={204: None, **ERRORS})
def discard_attachment(request, attachment_id: Id):
    """Discard an upload that was not sent."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("Attachment not found among your unsent uploads.")
    services.discard_attachment(request.auth, attachment)
    return Status(204, None)


@router.post("/cards/{card_id}/open", response={200: CardOpened, **ERRORS})
def open_card(request, card_id: Id):
    """A buyer opens a recommended product: counts the click (the store's own opens do not
    count) and answers where the product is."""
    card = selectors.card_for(request.auth, card_id)
    if card is None:
        raise NotFound(f"No product card {card_id} in your conversations.")
    services.count_card_click(request.auth, card)
    return {"product_id": card.product_id, "url": card.product.get_absolute_url()}


# --- Quick replies -----------------------------------------------------------------------


def _reply_out(reply: QuickReply) -> dict:
    return {
        "id": reply.pk,
        "store_id": reply.store_id,
        "title": reply.title,
        "body": reply.body,
        "topic": reply.topic,
        "usage_count": reply.usage_count,
    }


@router.get("/stores/{store_id}/quick-replies", response={200: list[QuickReplyOut], **ERRORS})
def list_quick_replies(request, store_id: Id):
    store = _store(request, store_id)
    return [_reply_out(reply) for reply in selectors.quick_replies_of(request.auth, store)]


@router.post("/stores/{store_id}/quick-replies", response={201: QuickReplyOut, **ERRORS})
def create_quick_reply(request, store_id: Id, payload: QuickReplyIn):
    """Save a reply; `{buyer_first_name}`, `{product}`, `{order_number}` and `{store}`
    are filled in when it is inserted."""
    reply = services.create_quick_reply(
        request.auth,
        _store(request, store_id),
        title=payload.title,
        body=payload.body,
        topic=payload.topic,
    )
    return Status(201, _reply_out(reply))


@router.put("/quick-replies/{quick_reply_id}", response={200: QuickReplyOut, **ERRORS})
def update_quick_reply(request, quick_reply_id: Id, payload: QuickReplyIn):
    reply = services.update_quick_reply(
        request.auth,
        _quick_reply(request, quick_reply_id),
        title=payload.title,
        body=payload.body,
        topic=payload.topic,
    )
    return _reply_out(reply)


@router.delete("/quick-replies/{quick_reply_id}", response={204: None, **ERRORS})
def delete_quick_reply(request, quick_reply_id: Id):
    services.delete_quick_reply(request.auth, _quick_reply(request, quick_reply_id))
    return Status(204, None)


@router.get(
    "/conversations/{conversation_id}/suggested-replies",
    response={200: list[SuggestedReplyOut], **ERRORS},
)
def suggested_replies(request, conversation_id: Id):
    """Store members: the store's quick replies that best answer the buyer's last message."""
    conversation = _conversation(request, conversation_id)
    return [
        {**_reply_out(reply), "text": selectors.render_quick_reply(reply, conversation)}
        for reply in selectors.suggested_quick_replies(request.auth, conversation)
    ]


# --- Events --------------------------------------------------------------------------------


@router.get("/events", response={200: EventPage, **ERRORS})
def list_events(
    request, after: int = Query(0, ge=0, le=2**63 - 1), limit: int = Query(200, ge=1, le=500)
):
    """Your events after the id `after`, oldest first (the socket sends the same frames)."""
    batch = events.events_after(request.auth.pk, after, limit=limit)
    return {
        "events": [event.frame() for event in batch],
        "last_event_id": batch[-1].pk if batch else after,
    }
