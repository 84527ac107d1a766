"""Every write to conversations, messages, waits, quick replies and safety records.

Sending is the hot path. ``send_message`` locks the conversation row, so the
messages of one conversation (and the waits they open and close) are written
one at a time, in commit order; then it writes the message, the counters and
one ``message.created`` event per participant (``saypro.core.events``) in the
same transaction. The socket push happens after commit. A retry with the same
``client_id`` returns the original message and writes nothing.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from saypro.accounts.models import User
from saypro.catalog.models import Order, Product, Store, StoreMembership
from saypro.core import events, ratelimit
from saypro.core.effects import enqueue_on_commit
from saypro.core.errors import (
    ApplicationError,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from saypro.core.idempotency import clean_client_id
from saypro.core.sql import placeholders
from saypro.messaging import presence, safety, selectors
from saypro.messaging.models import (
    MAX_CARDS,
    PAUSE_DAYS,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Attachment,
    Block,
    Conversation,
    ConversationReport,
    Message,
    Participant,
    ProductCard,
    QuickReply,
    Side,
    StaffAccess,
    Wait,
)
from saypro.messaging.serializers import conversation_data, message_data, read_data, with_parts
from saypro.notifications import services as notifications
from saypro.notifications.models import NotificationType
from saypro.reviews.schemas import public_name
from saypro.rewards import tasks as rewards_tasks

MAX_ATTACHMENTS = 10
MAX_PENDING_UPLOADS = 20
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
QUICK_REPLY_VARIABLES = ("buyer_first_name", "product", "order_number", "store")
# Anything written like a variable ("{Product}", "{ order number }"): only the exact names
# above are filled in, so any other would reach the buyer as typed.
VARIABLE_LIKE = re.compile(r"\{\s*[A-Za-z][\w -]{0,39}\}")
SPAM_WINDOW = timedelta(hours=1)


# --- Validation ------------------------------------------------------------------


def _clean_text(value: str | None, *, label: str, max_length: int, required: bool) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if required and not text:
        raise ValidationFailed(f"{label} cannot be empty.", details={"field": "text"})
    if len(text) > max_length:
        raise ValidationFailed(
            f"{label} can be at most {max_length:,} characters (this is {len(text):,}).",
            details={"field": "text"},
        )
    return text


def _clean_reason(reason: str | None) -> str:
    return _clean_text(reason, label="The reason", max_length=REASON_MAX_LENGTH, required=True)


def _side(user: User, conversation: Conversation) -> str:
    """The side ``user`` acts for in ``conversation``; NotFound for anyone else."""
    side = selectors.side_of(user, conversation)
    if side is None:
        raise NotFound("Conversation not found.")
    return side


def _goal() -> timedelta:
    return timedelta(hours=settings.MESSAGING_RESPONSE_GOAL_HOURS)


# --- Conversations ---------------------------------------------------------------


def start_conversation(
    user: User,
    *,
    store_id: int,
    product_id: int | None = None,
    order_id: int | None = None,
    text: str = "",
    client_id: str | None = None,
    attachment_ids: list[int] | tuple = (),
    acknowledge_contact: bool = False,
) -> tuple[Conversation, Message, bool]:
    """Find or start the buyer's conversation with a store about a subject; send ``text``.

    Returns ``(conversation, message, created)`` where ``created`` tells whether
    the message is new (False for a retry with the same ``client_id``).
    """
    if not user.is_authenticated:
        raise PermissionDenied("Log in to message a store.")
    store = Store.objects.filter(pk=store_id, is_active=True).first()
    if store is None:
        raise NotFound("Store not found.", details={"field": "store_id"})
    if StoreMembership.objects.filter(store=store, user=user).exists():
        raise ValidationFailed(
            "You are a member of this store; buyers start conversations with it.",
            details={"field": "store_id"},
        )
    product = order = None
    topic = ""
    if order_id is not None:
        order = Order.objects.filter(pk=order_id, buyer=user).first()
        if order is None:
            raise NotFound("Order not found among your orders.", details={"field": "order_id"})
        if order.store_id != store.pk:
            raise ValidationFailed(
                "That order is not from this store.", details={"field": "order_id"}
            )
        topic = f"order:{order.pk}"
    if product_id is not None:
        product = Product.objects.filter(pk=product_id, is_active=True).first()
        if product is None:
            raise NotFound("Product not found.", details={"field": "product_id"})
        if product.store_id != store.pk:
            raise ValidationFailed(
                "That product is not sold by this store.", details={"field": "product_id"}
            )
        topic = topic or f"product:{product.pk}"
    blocked = selectors.blocked_by(store.pk, user.pk)
    reason = selectors.block_refusal(blocked, Side.BUYER, store_id=store.pk, buyer_id=user.pk)
    if reason:
        raise PermissionDenied(reason)

    # One transaction: a first message that is refused leaves no empty conversation behind.
    with transaction.atomic():
        conversation = Conversation.objects.filter(buyer=user, store=store, topic=topic).first()
        if conversation is None:
            ratelimit.hit(
                "conversation-start",
                user.pk,
                settings.MESSAGING_RATE_LIMITS["start"],
                action="start a conversation",
            )
            conversation = _create_conversation(user, store, product, order, topic)
        message, created = send_message(
            user,
            conversation,
            text=text,
            client_id=client_id,
            attachment_ids=attachment_ids,
            acknowledge_contact=acknowledge_contact,
        )
    return message.conversation, message, created


def _create_conversation(
    buyer: User, store: Store, product: Product | None, order: Order | None, topic: str
) -> Conversation:
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                buyer=buyer, store=store, product=product, order=order, topic=topic
            )
            members = StoreMembership.objects.filter(store=store).values_list("user_id", flat=True)
            Participant.objects.bulk_create(
                [Participant(conversation=conversation, user=buyer, side=Side.BUYER)]
                + [
                    Participant(conversation=conversation, user_id=member, side=Side.STORE)
                    for member in members
                ]
            )
            return conversation
    except IntegrityError:  # the same buyer started it at the same moment elsewhere
        return Conversation.objects.get(buyer=buyer, store=store, topic=topic)


def _participants(conversation: Conversation) -> dict[int, Participant]:
    """Everyone who receives the conversation's events: its buyer and the store's members.

    Members who joined the store after the conversation started get their row here.
    """
    rows = selectors.participant_rows(conversation)
    members_with_rows = sum(1 for row in rows if row.is_member)
    if not rows or rows[0].store_members > members_with_rows:
        have = {row.user_id for row in rows}
        members = StoreMembership.objects.filter(store_id=conversation.store_id).values_list(
            "user_id", flat=True
        )
        Participant.objects.bulk_create(
            [
                Participant(conversation=conversation, user_id=user_id, side=Side.STORE)
                for user_id in members
                if user_id not in have
            ],
            ignore_conflicts=True,
        )
        rows = selectors.participant_rows(conversation)
    return {
        row.user_id: row for row in rows if row.user_id == conversation.buyer_id or row.is_member
    }


def _locked(conversation: Conversation) -> Conversation:
    """The conversation row, locked and re-read (no related rows: writes need only their ids)."""
    locked = selectors.conversation_row(conversation.pk, lock=True)
    if locked is None:
        raise NotFound("Conversation not found.")
    return locked


# --- Messages --------------------------------------------------------------------


def send_message(
    user: User,
    conversation: Conversation,
    *,
    text: str = "",
    client_id: str | None = None,
    attachment_ids: list[int] | tuple = (),
    product_ids: list[int] | tuple = (),
    quick_reply_id: int | None = None,
    acknowledge_contact: bool = False,
) -> tuple[Message, bool]:
    """Send a message; ``(message, created)``. A retried ``client_id`` returns the original."""
    side = _side(user, conversation)
    client_id = clean_client_id(client_id)
    attachment_ids = sorted(set(attachment_ids))
    product_ids = list(dict.fromkeys(product_ids))
    text = _clean_text(
        text,
        label="The message",
        max_length=TEXT_MAX_LENGTH,
        required=not (attachment_ids or product_ids),
    )
    digest = safety.fingerprint(text, attachment_ids, product_ids)
    if client_id is not None:
        earlier = _retried(user, client_id, conversation, digest)
        if earlier is not None:
            return earlier, False
    found = safety.contact_details(text)
    if found and settings.MESSAGING_CONTACT_POLICY == "mask":
        text = safety.masked(text)
    elif found and not acknowledge_contact:
        raise ValidationFailed(
            "This message contains contact details or links ("
            + ", ".join(found[:3])
            + "). Keep the conversation on SayPro: it protects you both. "
            "Send it anyway only if you must.",
            code="contact_details",
            details={"field": "text", "found": found},
        )
    ratelimit.hit(
        "message-send", user.pk, settings.MESSAGING_RATE_LIMITS["send"], action="send a message"
    )
    try:
        with transaction.atomic():
            message = _write_message(
                user,
                conversation,
                side=side,
                text=text,
                client_id=client_id,
                digest=digest,
                attachment_ids=attachment_ids,
                product_ids=product_ids,
                quick_reply_id=quick_reply_id,
                contact_details=bool(found),
            )
    except IntegrityError:
        if client_id is None:
            raise
        earlier = _retried(user, client_id, conversation, digest)
        if earlier is None:
            raise
        return earlier, False
    return message, True


def _retried(user: User, client_id: str, conversation: Conversation, digest: str):
    """The message an earlier send with this ``client_id`` created; 409 if it differs."""
    earlier = selectors.sent_with_client_id(user, client_id)
    if earlier is None:
        return None
    message_id, conversation_id, fingerprint = earlier
    if conversation_id != conversation.pk or fingerprint != digest:
        raise Conflict(
            "This client_id was already used for a different message. "
            "Use a new client_id for each new message.",
            details={"field": "client_id", "message_id": message_id},
        )
    return Message.objects.get(pk=message_id)


def _write_message(
    user: User,
    conversation: Conversation,
    *,
    side: str,
    text: str,
    client_id: str | None,
    digest: str,
    attachment_ids: list[int],
    product_ids: list[int],
    quick_reply_id: int | None,
    contact_details: bool,
) -> Message:
    conversation = _locked(conversation)
    store_id, buyer_id = conversation.store_id, conversation.buyer_id
    blocked = selectors.blocked_by(store_id, buyer_id)
    reason = selectors.block_refusal(blocked, side, store_id=store_id, buyer_id=buyer_id)
    if reason:
        raise PermissionDenied(reason)
    attachments = _pending_attachments(user, attachment_ids)
    products = _card_products(conversation, side, product_ids)
    quick_reply = None
    if quick_reply_id is not None:
        quick_reply = QuickReply.objects.filter(
            pk=quick_reply_id, store_id=conversation.store_id
        ).first()
        if quick_reply is None or side != Side.STORE:
            raise NotFound(
                "Quick reply not found in this store.", details={"field": "quick_reply_id"}
            )
    now = timezone.now()
    message = _insert_message(
        Message(
            conversation=conversation,
            sender=user,
            side=side,
            text=text,
            client_id=client_id,
            fingerprint=digest,
            quick_reply=quick_reply,
            contact_details=contact_details,
            created_at=now,
        )
    )
    if attachments:
        Attachment.objects.filter(pk__in=[a.pk for a in attachments]).update(message=message)
    cards = (
        ProductCard.objects.bulk_create(
            ProductCard(message=message, product=product, position=index)
            for index, product in enumerate(products)
        )
        if products
        else []
    )
    for attachment in attachments:
        attachment.message = message
    with_parts(message, attachments, cards)
    if quick_reply is not None:
        QuickReply.objects.filter(pk=quick_reply.pk).update(usage_count=F("usage_count") + 1)
    if side == Side.BUYER:
        _open_wait(conversation, message)
    else:
        _close_wait(conversation, user, Wait.Outcome.ANSWERED, now)
    conversation.last_message = message
    conversation.last_message_at = now
    conversation.message_count += 1  # the row is locked (``_locked``): the count is current
    _save_sent(conversation)
    if quick_reply is None and _is_repeated(user, digest):
        message.is_spam = True
        message.save(update_fields=["is_spam"])
        _file_spam_report(conversation)

    participants = _participants(conversation)
    others = [user_id for user_id in participants if user_id != user.pk]
    _count_sent(conversation, sender=user, others=others, message=message)
    # Every write to participant rows locks the conversation row first (``_locked``), so
    # the counts read by ``_participants`` are current: the new ones follow without a read.
    unread = {
        user_id: 0 if user_id == user.pk else row.unread + 1
        for user_id, row in participants.items()
    }
    totals = selectors.total_unread(list(participants))
    body = message_data(message)
    with events.together():  # the message, the notifications and the read ones: one go
        events.record(
            "message.created",
            {
                user_id: {
                    **body,
                    "conversation": conversation_data(
                        conversation, unread=unread[user_id], total_unread=totals[user_id]
                    ),
                }
                for user_id in participants
            },
        )
        _notify_new_message(conversation, message, participants, others)
        notifications.mark_subject_read(user=user, subject=conversation, now=now)  # replying = seen
    return message


# Written out, with the signal the ORM sends after it: ``objects.create`` (building and
# compiling the insert) was the largest single cost of a send on the database thread.
MESSAGE_SQL = """
INSERT INTO messaging_message (conversation_id, sender_id, side, text, client_id, fingerprint,
    quick_reply_id, contact_details, is_spam, created_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id
"""


def _insert_message(message: Message) -> Message:
    """Store a new message as ``save()`` would: the row, then ``post_save`` (analytics)."""
    with connection.cursor() as cursor:
        cursor.execute(
            MESSAGE_SQL,
            [
                message.conversation_id,
                message.sender_id,
                message.side,
                message.text,
                message.client_id,
                message.fingerprint,
                message.quick_reply_id,
                message.contact_details,
                message.is_spam,
                connection.ops.adapt_datetimefield_value(message.created_at),
            ],
        )
        message.pk = cursor.fetchone()[0]
    message._state.adding, message._state.db = False, connection.alias
    post_save.send(
        Message,
        instance=message,
        created=True,
        update_fields=None,
        raw=False,
        using=connection.alias,
    )
    return message


# Written out: the ORM's ``save(update_fields=…)`` cost more than running it. Its one
# receiver, analytics' mark of the conversation's store-day, has nothing to add: the
# message's own save in the same transaction marks that store-day (analytics.signals).
CONVERSATION_SENT_SQL = """
UPDATE messaging_conversation
SET last_message_id = %s, last_message_at = %s, message_count = %s, waiting_since = %s, due_at = %s
WHERE id = %s
"""


def _save_sent(conversation: Conversation) -> None:
    """Store what a send changed on the (locked) conversation row."""
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            CONVERSATION_SENT_SQL,
            [
                conversation.last_message_id,
                adapt(conversation.last_message_at),
                conversation.message_count,
                adapt(conversation.waiting_since),
                adapt(conversation.due_at),
                conversation.pk,
            ],
        )


# One statement for the sender's and everyone else's row (it was two ORM updates).
SENT_SQL = """
UPDATE messaging_participant SET
    unread = CASE WHEN user_id = %s THEN 0 ELSE unread + 1 END,
    last_read_message_id = CASE WHEN user_id = %s THEN %s ELSE last_read_message_id END,
    last_read_at = CASE WHEN user_id = %s THEN %s ELSE last_read_at END,
    archived = %s
WHERE conversation_id = %s AND user_id IN ({users})
"""


def _count_sent(
    conversation: Conversation, *, sender: User, others: list[int], message: Message
) -> None:
    """The message is unread for ``others`` and read by its sender; unarchived for all."""
    users = [*others, sender.pk]
    read_at = connection.ops.adapt_datetimefield_value(message.created_at)
    with connection.cursor() as cursor:
        cursor.execute(
            SENT_SQL.format(users=placeholders(users)),
            [sender.pk, sender.pk, message.pk, sender.pk, read_at, False, conversation.pk, *users],
        )


NOTIFICATION_PREVIEW = 120


def notify_new_message(message: Message) -> None:
    """``message.new`` about a stored message for the people on the other side.

    Sending notifies by itself; this is for replaying stored messages (the demo).
    """
    conversation = message.conversation
    participants = _participants(conversation)
    others = [user_id for user_id, row in participants.items() if row.side != message.side]
    _notify_new_message(conversation, message, participants, others)


def _notify_new_message(
    conversation: Conversation,
    message: Message,
    participants: dict[int, Participant],
    recipient_ids: list[int],
) -> None:
    """``message.new`` for the other side, coalesced per conversation and person.

    Nobody who muted the conversation or has it open right now (``presence``)
    is notified: the open thread already shows the message live.
    """
    recipient_ids = [user_id for user_id in recipient_ids if not participants[user_id].muted]
    recipient_ids = sorted(set(recipient_ids) - presence.viewers(recipient_ids, conversation.pk))
    if not recipient_ids:
        return
    sender = conversation.store.name if message.side == Side.STORE else public_name(message.sender)
    preview = " ".join(message.text.split()) or "sent an attachment"
    if len(preview) > NOTIFICATION_PREVIEW:
        preview = preview[: NOTIFICATION_PREVIEW - 1].rstrip() + "…"
    notifications.notify_many(
        recipient_ids,
        NotificationType.MESSAGE_NEW,
        subject=conversation,
        text=f"{sender}: {preview}",
        link=reverse("messaging:conversation", args=[conversation.pk]),
        coalesce_key=f"conversation:{conversation.pk}",
        now=message.created_at,
    )


def _pending_attachments(user: User, attachment_ids: list[int]) -> list[Attachment]:
    if len(attachment_ids) > MAX_ATTACHMENTS:
        raise ValidationFailed(
            f"A message can carry at most {MAX_ATTACHMENTS} attachments.",
            details={"field": "attachment_ids"},
        )
    if not attachment_ids:  # most messages: no query
        return []
    attachments = list(
        Attachment.objects.select_for_update().filter(
            pk__in=attachment_ids, uploader=user, message__isnull=True
        )
    )
    if len(attachments) != len(attachment_ids):
        raise NotFound(
            "Attachment not found: upload it first (each attachment is sent once).",
            details={"field": "attachment_ids"},
        )
    return attachments


def _card_products(conversation: Conversation, side: str, product_ids: list[int]) -> list[Product]:
    if not product_ids:
        return []
    if side != Side.STORE:
        raise PermissionDenied("Only the store can recommend products in a conversation.")
    if len(product_ids) > MAX_CARDS:
        raise ValidationFailed(
            f"Recommend at most {MAX_CARDS} products in one message.",
            details={"field": "product_ids"},
        )
    found = Product.objects.in_bulk(product_ids)
    for product_id in product_ids:
        product = found.get(product_id)
        if product is None or product.store_id != conversation.store_id:
            raise ValidationFailed(
                "Recommend only your own store's products.", details={"field": "product_ids"}
            )
        if not product.is_active:
            raise ValidationFailed(
                f"“{product.title}” is not on sale; recommend an active product.",
                details={"field": "product_ids"},
            )
    return [found[product_id] for product_id in product_ids]


def _is_repeated(user: User, digest: str) -> bool:
    since = timezone.now() - SPAM_WINDOW
    conversations = selectors.conversations_with_message(user, digest, since=since)
    return conversations >= settings.MESSAGING_SPAM_REPEATS


def _file_spam_report(conversation: Conversation) -> None:
    exists = ConversationReport.objects.filter(
        conversation=conversation, reporter=None, status=ConversationReport.Status.OPEN
    ).exists()
    if not exists:
        ConversationReport.objects.create(
            conversation=conversation,
            reason=(
                "Spam check: the same message was sent to "
                f"{settings.MESSAGING_SPAM_REPEATS} or more conversations within an hour."
            ),
        )


# --- Waits -------------------------------------------------------------------------


def _open_wait(conversation: Conversation, message: Message) -> None:
    """A buyer message with no open wait starts one (or re-opens the wait after an answer)."""
    if conversation.due_at is not None:
        return
    due = message.created_at + _goal()
    Wait.objects.create(
        conversation=conversation, message=message, started_at=message.created_at, due_at=due
    )
    conversation.waiting_since = message.created_at
    conversation.due_at = due


def _close_wait(conversation: Conversation, user: User, outcome: str, now) -> Wait | None:
    wait = Wait.objects.filter(conversation=conversation, outcome=Wait.Outcome.OPEN).first()
    if wait is None:
        return None
    wait.conversation = conversation  # the locked row: saving the wait reads no other copy
    wait.outcome = outcome
    wait.ended_at = now
    wait.ended_by = user
    if outcome == Wait.Outcome.ANSWERED:
        wait.response_seconds = max(0, int((now - wait.started_at).total_seconds()))
        if (
            conversation.first_response_seconds is None
            and not Wait.objects.filter(conversation=conversation, pk__lt=wait.pk).exists()
        ):
            conversation.first_response_seconds = wait.response_seconds
            Conversation.objects.filter(pk=conversation.pk).update(
                first_response_seconds=wait.response_seconds
            )
    wait.save(update_fields=["outcome", "ended_at", "ended_by", "response_seconds"])
    enqueue_on_commit(rewards_tasks.wait_closed, wait.pk, conversation.store_id)
    conversation.waiting_since = None
    conversation.due_at = None
    return wait


def no_response_needed(user: User, conversation: Conversation) -> Wait:
    """End the open wait without a reply (e.g. the buyer said thanks); not counted as late."""
    if _side(user, conversation) != Side.STORE:
        raise PermissionDenied("Only the store can mark that no response is needed.")
    with transaction.atomic():
        conversation = _locked(conversation)
        wait = _close_wait(conversation, user, Wait.Outcome.NO_RESPONSE_NEEDED, timezone.now())
        if wait is None:
            raise Conflict("Nobody is waiting for an answer in this conversation.")
        conversation.save(update_fields=["waiting_since", "due_at"])
        _record_update(conversation, list(_participants(conversation)))
    return wait


def _record_update(conversation: Conversation, user_ids: list[int]) -> None:
    """``conversation.updated`` for these people, with their own view of it."""
    states = {
        p.user_id: p
        for p in Participant.objects.filter(conversation=conversation, user_id__in=user_ids)
    }
    totals = selectors.total_unread(user_ids)
    events.record(
        "conversation.updated",
        {
            user_id: conversation_data(
                conversation,
                unread=states[user_id].unread if user_id in states else 0,
                total_unread=totals[user_id],
                archived=states[user_id].archived if user_id in states else False,
                muted=states[user_id].muted if user_id in states else False,
            )
            for user_id in user_ids
        },
    )


# --- Read state, archive, mute ---------------------------------------------------------


def mark_read(user: User, conversation: Conversation, *, up_to: int | None = None) -> Participant:
    """Mark the conversation read (up to message ``up_to``, default: all) for ``user``."""
    _side(user, conversation)
    if up_to is not None and up_to < 1:
        raise ValidationFailed("up_to must be a message id.", details={"field": "up_to"})
    with transaction.atomic():
        conversation = _locked(conversation)
        participants = _participants(conversation)
        state = Participant.objects.select_for_update().get(conversation=conversation, user=user)
        last = conversation.last_message_id or 0
        # Reading never goes back: a mark below what was read already changes nothing.
        target = max(last if up_to is None else min(up_to, last), state.last_read_message_id)
        unread = (
            0
            if target >= last
            else conversation.messages.filter(pk__gt=target).exclude(sender=user).count()
        )
        if target == state.last_read_message_id and unread == state.unread:
            return state
        state.unread = unread
        state.last_read_message_id = target
        state.last_read_at = timezone.now()
        state.save(update_fields=["unread", "last_read_message_id", "last_read_at"])
        totals = selectors.total_unread(list(participants))
        with events.together():  # message.read and the reader's notification.read: one go
            events.record(
                "message.read",
                {
                    user_id: read_data(
                        conversation,
                        state,
                        unread=state.unread if user_id == user.pk else participants[user_id].unread,
                        total_unread=totals[user_id],
                    )
                    for user_id in participants
                },
            )
            if target >= last:
                notifications.mark_subject_read(user=user, subject=conversation)
    return state


def set_archived(user: User, conversation: Conversation, archived: bool) -> Participant:
    return _set_state(user, conversation, archived=archived)


def set_muted(user: User, conversation: Conversation, muted: bool) -> Participant:
    return _set_state(user, conversation, muted=muted)


def _set_state(user: User, conversation: Conversation, **changes: bool) -> Participant:
    _side(user, conversation)
    with transaction.atomic():
        conversation = _locked(conversation)
        _participants(conversation)
        state = Participant.objects.select_for_update().get(conversation=conversation, user=user)
        for field, value in changes.items():
            setattr(state, field, bool(value))
        state.save(update_fields=list(changes))
        _record_update(conversation, [user.pk])
    return state


# --- Blocks, reports, staff access ----------------------------------------------------


def block(user: User, conversation: Conversation) -> Block:
    """Refuse further messages from the other side of this conversation."""
    side = _side(user, conversation)
    with transaction.atomic():
        blocked, _ = Block.objects.get_or_create(
            store=conversation.store,
            buyer=conversation.buyer,
            blocked_by=side,
            defaults={"created_by": user},
        )
    return blocked


def unblock(user: User, conversation: Conversation) -> None:
    side = _side(user, conversation)
    Block.objects.filter(
        store=conversation.store, buyer=conversation.buyer, blocked_by=side
    ).delete()


def report_conversation(user: User, conversation: Conversation, reason: str) -> ConversationReport:
    _side(user, conversation)
    reason = _clean_reason(reason)
    if ConversationReport.objects.filter(
        conversation=conversation, reporter=user, status=ConversationReport.Status.OPEN
    ).exists():
        raise Conflict("You already reported this conversation; the office is looking at it.")
    return ConversationReport.objects.create(
        conversation=conversation, reporter=user, reason=reason
    )


def resolve_report(
    staff: User, report: ConversationReport, resolution: str, *, pause_days: int = 0
) -> ConversationReport:
    """Resolve an open report with what staff found; with ``pause_days`` (one of
    ``PAUSE_DAYS``), neither the buyer nor the store can write to the other for that long
    (an office ``Block`` that lifts itself; a longer pause already running is kept)."""
    if not staff.is_office_staff:
        raise PermissionDenied("Only office staff resolve reports.")
    resolution = _clean_text(
        resolution, label="The resolution", max_length=REASON_MAX_LENGTH, required=True
    )
    if pause_days not in PAUSE_DAYS:
        raise ValidationFailed(
            "Choose whether to pause their messages.", details={"field": "pause_days"}
        )
    now = timezone.now()
    with transaction.atomic():
        report = (
            ConversationReport.objects.select_for_update()
            .select_related("conversation")
            .get(pk=report.pk)
        )
        if report.status == ConversationReport.Status.RESOLVED:
            raise Conflict("This report is already resolved.")
        if pause_days:
            report.messages_stopped_until = _pause_messages(
                staff, report.conversation, now + timedelta(days=pause_days)
            )
        report.status = ConversationReport.Status.RESOLVED
        report.resolved_by = staff
        report.resolved_at = now
        report.resolution = resolution
        report.save(
            update_fields=[
                "status",
                "resolved_by",
                "resolved_at",
                "resolution",
                "messages_stopped_until",
            ]
        )
    return report


def _pause_messages(staff: User, conversation: Conversation, until):
    """The office's block of this buyer–store pair, to ``until`` or a later end it had."""
    pause, created = Block.objects.select_for_update().get_or_create(
        store_id=conversation.store_id,
        buyer_id=conversation.buyer_id,
        blocked_by=Block.OFFICE,
        defaults={"until": until, "created_by": staff},
    )
    if not created and (pause.until is None or pause.until < until):
        pause.until = until
        pause.created_by = staff
        pause.save(update_fields=["until", "created_by"])
    return pause.until


def record_staff_access(staff: User, conversation: Conversation, reason: str) -> StaffAccess:
    """Office staff read a conversation: allowed, and always written down."""
    if not staff.is_office_staff:
        raise PermissionDenied("Only office staff may open other people's conversations.")
    return StaffAccess.objects.create(
        conversation=conversation, staff=staff, reason=_clean_reason(reason)
    )


# --- Attachments ----------------------------------------------------------------------


def upload_attachment(user: User, upload) -> Attachment:
    """Store an image (JPEG, PNG, GIF, WebP) or PDF of at most 5 MB, checked by its content."""
    if not user.is_authenticated:
        raise PermissionDenied("Log in to upload attachments.")
    limit = settings.MESSAGING_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationFailed(
            f"Attachments can be at most {limit // (1024 * 1024)} MB "
            f"(this one is {upload.size / (1024 * 1024):.1f} MB).",
            details={"field": "file"},
        )
    if upload.size == 0:
        raise ValidationFailed("The file is empty.", details={"field": "file"})
    kind, content_type, width, height = _sniff(upload)
    pending = Attachment.objects.filter(uploader=user, message__isnull=True).count()
    if pending >= MAX_PENDING_UPLOADS:
        raise Conflict(
            f"You have {pending} attachments waiting to be sent; send or discard them first."
        )
    name = (upload.name or "attachment").replace("\\", "/").rsplit("/", 1)[-1][-200:]
    attachment = Attachment(
        uploader=user,
        name=name or "attachment",
        kind=kind,
        content_type=content_type,
        size=upload.size,
        width=width,
        height=height,
    )
    upload.seek(0)
    attachment.file.save(name or "attachment", upload, save=False)
    attachment.save()
    return attachment


def _sniff(upload) -> tuple[str, str, int | None, int | None]:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return Attachment.Kind.PDF, "application/pdf", None, None
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        image_format = None
    if image_format not in IMAGE_FORMATS:
        raise ValidationFailed(
            "Attach an image (JPEG, PNG, GIF or WebP) or a PDF; "
            "this file's content is neither, whatever its name says.",
            details={"field": "file"},
        )
    return Attachment.Kind.IMAGE, IMAGE_FORMATS[image_format], width, height


def send_with_files(
    user: User, conversation: Conversation, *, files, **fields
) -> tuple[Message, bool]:
    """Upload ``files`` and send them with a message in one step (the page without JavaScript).

    ``fields`` are ``send_message``'s. A refused upload or send keeps none of
    the files: the uploads made so far are discarded before the error is raised,
    so a refusal writes nothing and leaves no unsent upload behind. The same form
    posted again (a double click, a reload) carries its ``client_id`` and the same
    files: they are not uploaded again, and the original message is returned.
    """
    client_id = clean_client_id(fields.get("client_id"))
    earlier = selectors.sent_with_client_id(user, client_id) if client_id else None
    if earlier is not None:
        sent = Attachment.objects.filter(message_id=earlier[0]).values_list("pk", flat=True)
        return send_message(user, conversation, attachment_ids=list(sent), **fields)
    uploads = []
    try:
        for upload in files:
            uploads.append(upload_attachment(user, upload))
        return send_message(
            user, conversation, attachment_ids=[attachment.pk for attachment in uploads], **fields
        )
    except ApplicationError:
        for attachment in uploads:
            discard_attachment(user, attachment)
        raise


def discard_attachment(user: User, attachment: Attachment) -> None:
    if attachment.uploader_id != user.pk or attachment.message_id is not None:
        raise NotFound("Attachment not found among your unsent uploads.")
    attachment.file.delete(save=False)
    attachment.delete()


# --- Product cards ----------------------------------------------------------------------


def count_card_click(user: User, card: ProductCard) -> None:
    """A buyer opened a recommended product from the conversation (store clicks don't count)."""
    if card.message.conversation.buyer_id == user.pk:
        ProductCard.objects.filter(pk=card.pk).update(clicks=F("clicks") + 1)


# --- Quick replies ------------------------------------------------------------------------


def _clean_quick_reply(title: str, body: str, topic: str) -> tuple[str, str, str]:
    title = _clean_text(title, label="The title", max_length=80, required=True)
    body = _clean_text(body, label="The reply", max_length=TEXT_MAX_LENGTH, required=True)
    known = {"{" + name + "}" for name in QUICK_REPLY_VARIABLES}
    unknown = sorted(set(VARIABLE_LIKE.findall(body)) - known)
    if unknown:
        raise ValidationFailed(
            "Unknown variable "
            + ", ".join(unknown)
            + "; use exactly "
            + ", ".join("{" + name + "}" for name in QUICK_REPLY_VARIABLES)
            + ".",
            details={"field": "body"},
        )
    if topic not in QuickReply.Topic.values:
        raise ValidationFailed(
            "Topic must be one of " + ", ".join(QuickReply.Topic.values) + ".",
            details={"field": "topic"},
        )
    return title, body, topic


def _require_member(user: User, store: Store) -> None:
    if not StoreMembership.objects.filter(store=store, user=user).exists():
        raise NotFound("Store not found among yours.")


def create_quick_reply(
    user: User, store: Store, *, title: str, body: str, topic: str = "other"
) -> QuickReply:
    _require_member(user, store)
    title, body, topic = _clean_quick_reply(title, body, topic)
    try:
        with transaction.atomic():
            return QuickReply.objects.create(store=store, title=title, body=body, topic=topic)
    except IntegrityError:
        raise Conflict(
            f"Your store already has a quick reply called “{title}”.", details={"field": "title"}
        ) from None


def update_quick_reply(
    user: User, quick_reply: QuickReply, *, title: str, body: str, topic: str
) -> QuickReply:
    _require_member(user, quick_reply.store)
    title, body, topic = _clean_quick_reply(title, body, topic)
    quick_reply.title, quick_reply.body, quick_reply.topic = title, body, topic
    quick_reply.updated_at = timezone.now()
    try:
        with transaction.atomic():
            quick_reply.save(update_fields=["title", "body", "topic", "updated_at"])
    except IntegrityError:
        raise Conflict(
            f"Your store already has a quick reply called “{title}”.", details={"field": "title"}
        ) from None
    return quick_reply


def delete_quick_reply(user: User, quick_reply: QuickReply) -> None:
    _require_member(user, quick_reply.store)
    quick_reply.delete()


def discard_stale_uploads(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete uploads never sent within ``older_than`` (files first, then rows); how many."""
    stale = Attachment.objects.filter(
        message__isnull=True, created_at__lt=timezone.now() - older_than
    )
    count = 0
    for attachment in stale.iterator():
        attachment.file.delete(save=False)
        attachment.delete()
        count += 1
    return count


# --- Reminders --------------------------------------------------------------------------

REMIND_BEFORE = timedelta(hours=4)


def remind_waiting(*, now=None) -> int:
    """Remind each store of buyers whose answer is due within ``REMIND_BEFORE``; how many.

    Each wait is reminded once. A store gets one ``message.waiting`` notification
    per run: about the one conversation (linking to it), or about several
    (linking to the inbox's waiting list).
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Wait.objects.select_for_update(of=("self",))
            .filter(
                outcome=Wait.Outcome.OPEN,
                reminded_at__isnull=True,
                due_at__gt=now,
                due_at__lte=now + REMIND_BEFORE,
            )
            .select_related("conversation__store", "conversation__buyer")
            .order_by("due_at")
        )
        Wait.objects.filter(pk__in=[wait.pk for wait in due]).update(reminded_at=now)
        by_store: dict[int, list[Wait]] = {}
        for wait in due:
            by_store.setdefault(wait.conversation.store_id, []).append(wait)
        for waits in by_store.values():
            _remind_store(waits, now)
    return len(due)


def _remind_store(waits: list[Wait], now) -> None:
    store = waits[0].conversation.store
    members = list(StoreMembership.objects.filter(store=store).values_list("user_id", flat=True))
    hours = max(1, round((waits[0].due_at - now).total_seconds() / 3600))
    if len(waits) == 1:
        conversation = waits[0].conversation
        subject = conversation
        text = f"{public_name(conversation.buyer)} is waiting: answer within {hours} h"
        link = reverse(
            "seller_inbox:conversation", kwargs={"slug": store.slug, "pk": conversation.pk}
        )
    else:
        subject = store
        text = f"{len(waits)} buyers are waiting: the first answer is due within {hours} h"
        link = reverse("seller_inbox:inbox", kwargs={"slug": store.slug}) + "?box=waiting"
    notifications.notify_many(
        members,
        NotificationType.MESSAGE_WAITING,
        subject=subject,
        text=text,
        link=link,
        coalesce_key=f"waiting:{store.pk}",
        now=now,
    )
