"""API shapes of messaging. Outputs mirror ``serializers`` (the same dicts events carry)."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from saypro.core.api import MAX_ID, BodyId, ClientId, Id
from saypro.messaging.models import MAX_CARDS, REASON_MAX_LENGTH, TEXT_MAX_LENGTH
from saypro.messaging.selectors import BOXES

Text = Annotated[str, Field(max_length=TEXT_MAX_LENGTH * 2, description="Plain text, 1–5,000.")]
Ids = Annotated[list[BodyId], Field(max_length=20)]


class SenderOut(Schema):
    id: int
    name: str
    side: Literal["buyer", "store"]


class AttachmentOut(Schema):
    id: int
    name: str
    kind: Literal["image", "pdf"]
    content_type: str
    size: int
    width: int | None
    height: int | None
    url: str


class ThumbnailOut(Schema):
    color: str
    letter: str


class CardOut(Schema):
    id: int
    product_id: int
    title: str
    price: str
    currency: str
    thumbnail: ThumbnailOut
    url: str = Field(description="Opens the product and counts the click.")


class CardOpened(Schema):
    product_id: int
    url: str = Field(description="The product's page.")


class MessageOut(Schema):
    id: int
    conversation_id: int
    text: str
    sender: SenderOut
    side: Literal["buyer", "store"]
    created_at: datetime
    client_id: str | None
    quick_reply_id: int | None
    attachments: list[AttachmentOut]
    cards: list[CardOut]


class ConversationOut(Schema):
    id: int
    store_id: int
    store_name: str
    buyer_id: int
    buyer_name: str
    product_id: int | None
    order_id: int | None
    subject: str
    last_message_at: datetime
    last_message: str
    message_count: int
    waiting_since: datetime | None
    due_at: datetime | None
    unread_count: int
    archived: bool
    muted: bool
    seen_up_to: int = Field(description="The last message id the other side has read.")


class ConversationList(Schema):
    items: list[ConversationOut]
    count: int
    total_unread: int


class StartIn(Schema):
    store_id: BodyId
    product_id: BodyId | None = None
    order_id: BodyId | None = None
    text: Text = ""
    client_id: ClientId | None = None
    attachment_ids: Ids = []
    acknowledge_contact: bool = Field(
        False, description="Send even though it contains contact details (after the warning)."
    )


class StartOut(ConversationOut):
    message: MessageOut


class SendIn(Schema):
    text: Text = ""
    client_id: ClientId | None = None
    attachment_ids: Ids = []
    product_ids: Annotated[list[BodyId], Field(max_length=MAX_CARDS)] = Field(
        [],
        description=f"Up to {MAX_CARDS} product cards (store members only, own store's products).",
    )
    quick_reply_id: BodyId | None = None
    acknowledge_contact: bool = False


class ConversationFilters(Schema):
    store_id: Id | None = Field(None, description="A store you belong to: its inbox.")
    box: Literal[BOXES] = "inbox"  # type: ignore[valid-type]
    limit: int = Field(30, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class MessageWindow(Schema):
    before: int | None = Field(None, ge=1, le=MAX_ID, description="Older than this message id.")
    after: int | None = Field(None, ge=0, le=MAX_ID, description="Newer than this message id.")
    limit: int = Field(50, ge=1, le=200)


class MessagePage(Schema):
    items: list[MessageOut]
    has_older: bool


class SearchIn(Schema):
    q: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]


class SearchHit(MessageOut):
    store_name: str
    subject: str


class ReadIn(Schema):
    up_to: BodyId | None = Field(None, description="Default: the latest message.")


class ArchiveIn(Schema):
    archived: bool = True


class MuteIn(Schema):
    muted: bool = True


class ReasonIn(Schema):
    reason: Annotated[str, Field(min_length=1, max_length=REASON_MAX_LENGTH)]


class StateOut(Schema):
    conversation_id: int
    unread_count: int
    last_read_message_id: int
    archived: bool
    muted: bool


class WaitOut(Schema):
    conversation_id: int
    outcome: str
    started_at: datetime
    due_at: datetime
    ended_at: datetime | None


class ReportCreated(Schema):
    id: int
    status: str


class BlockOut(Schema):
    blocked: bool


class QuickReplyIn(Schema):
    title: Annotated[str, Field(min_length=1, max_length=80)]
    body: Annotated[str, Field(min_length=1, max_length=TEXT_MAX_LENGTH)]
    topic: Literal["availability", "sizing", "delivery", "returns", "other"] = "other"


class QuickReplyOut(Schema):
    id: int
    store_id: int
    title: str
    body: str
    topic: str
    usage_count: int


class SuggestedReplyOut(QuickReplyOut):
    text: str = Field(description="The body with its variables filled in for this conversation.")


class EventOut(Schema):
    id: int
    type: str
    data: dict


class EventPage(Schema):
    events: list[EventOut]
    last_event_id: int = Field(description="Pass as `after` next time (and to the socket).")
