"""The JSON shapes of messages and conversations, shared by events and the API.

Events are stored with their data, so these shapes are what a client gets
whether it reads the socket, ``GET /api/v1/events`` or the REST endpoints.
"""

from django.urls import reverse

from saypro.catalog.templatetags.catalog import swatch
from saypro.messaging.models import Attachment, Conversation, Message, Participant
from saypro.reviews.schemas import public_name


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def message_data(message: Message) -> dict:
    """The message as clients see it.

    Reads attachments and cards (with their products) through ``.all()``, so a
    caller that prefetched them (``prefetch_related("attachments",
    "cards__product")``, or ``with_parts`` for a message just written) costs no
    query here.
    """
    sender = message.sender
    return {
        "id": message.pk,
        "conversation_id": message.conversation_id,
        "text": message.text,
        "sender": {"id": sender.pk, "name": public_name(sender), "side": message.side},
        "side": message.side,
        "created_at": _iso(message.created_at),
        "client_id": message.client_id,
        "quick_reply_id": message.quick_reply_id,
        "attachments": [attachment_data(attachment) for attachment in message.attachments.all()],
        "cards": [
            {
                "id": card.pk,
                "product_id": card.product_id,
                "title": card.product.title,
                "price": str(card.product.price),
                "currency": card.product.currency,
                # Products are shown with their category colour and initial (as in the shop).
                "thumbnail": {
                    "color": swatch(card.product.category_id),
                    "letter": card.product.title[:1].upper(),
                },
                "url": reverse("messaging:card", args=[card.pk]),
            }
            for card in message.cards.all()
        ],
    }


def with_parts(message: Message, attachments: list, cards: list) -> Message:
    """Give a message just written its attachments and cards, as a prefetch would.

    The sender knows them already (it attached them); ``message_data`` then
    serialises the message without reading them back. Each card needs its
    ``product`` set.
    """
    cache = {}
    for name, rows in (("attachments", attachments), ("cards", cards)):
        # What ``prefetch_related`` stores: the related queryset with its rows filled in.
        queryset = getattr(message, name).all()
        queryset._result_cache = list(rows)
        queryset._prefetch_done = True
        cache[name] = queryset
    message._prefetched_objects_cache = cache
    return message


def attachment_data(attachment: Attachment) -> dict:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "kind": attachment.kind,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "width": attachment.width,
        "height": attachment.height,
        "url": reverse("messaging:attachment", args=[attachment.pk]),
    }


def conversation_data(
    conversation: Conversation,
    *,
    unread: int,
    total_unread: int,
    archived: bool = False,
    muted: bool = False,
) -> dict:
    """The conversation as one participant sees it (their unread count, archive, mute)."""
    return {
        "id": conversation.pk,
        "store_id": conversation.store_id,
        "buyer_id": conversation.buyer_id,
        "product_id": conversation.product_id,
        "order_id": conversation.order_id,
        "last_message_at": _iso(conversation.last_message_at),
        "message_count": conversation.message_count,
        "waiting_since": _iso(conversation.waiting_since),
        "due_at": _iso(conversation.due_at),
        "unread_count": unread,
        "total_unread": total_unread,
        "archived": archived,
        "muted": muted,
    }


def read_data(
    conversation: Conversation, reader: Participant, *, unread: int, total_unread: int
) -> dict:
    return {
        "conversation_id": conversation.pk,
        "reader": {"id": reader.user_id, "side": reader.side},
        "last_read_message_id": reader.last_read_message_id,
        "read_at": _iso(reader.last_read_at),
        "unread_count": unread,
        "total_unread": total_unread,
    }
