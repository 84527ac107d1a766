"""Reads for messaging. Each takes the acting user: a buyer sees their conversations,
a store member their store's; nobody else sees any (office staff read through
the audited moderation view)."""

import re
from datetime import datetime

from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from saypro.accounts.models import User
from saypro.catalog.models import Order, Product, Store, StoreMembership
from saypro.core.sql import columns, instances, placeholders
from saypro.messaging import suggestions
from saypro.messaging.models import (
    Block,
    Conversation,
    ConversationReport,
    Message,
    Participant,
    ProductCard,
    QuickReply,
    Side,
)

BOXES = ("inbox", "waiting", "product", "order", "archived", "all")
QUICK_REPLY_VARIABLE = re.compile(r"\{([a-z_]+)\}")
SENTENCE_START = re.compile(r"[.!?]\s+$")
# Search words: letters and digits only, so a query can never carry FTS operators.
SEARCH_WORD = re.compile(r"\w+")


def side_of(user: User, conversation: Conversation) -> str | None:
    """``"buyer"`` or ``"store"`` when ``user`` takes part in ``conversation``; else None."""
    if not user.is_authenticated:
        return None
    if conversation.buyer_id == user.pk:
        return Side.BUYER
    if StoreMembership.objects.filter(store_id=conversation.store_id, user=user).exists():
        return Side.STORE
    return None


def _visible(user: User) -> Q:
    return Q(buyer=user) | Q(store__memberships__user=user)


def conversation_for(user: User, pk: int) -> Conversation | None:
    """The conversation if ``user`` is its buyer or a member of its store.

    It carries the same state as ``conversations_of`` annotates (``unread``,
    ``is_archived``, ``is_muted``, ``buyer_read``, ``store_read``), computed here
    from the conversation's few participant rows: every conversation endpoint,
    sending included, starts here, and the annotated query took longer to build
    than to run (about 3 ms against 1 ms for these plain reads).
    """
    if not user.is_authenticated:
        return None
    # Not .first(): its ORDER BY over the joined columns costs more to build than the read.
    found = Conversation.objects.select_related(
        "buyer", "store", "product", "order", "last_message"
    ).filter(pk=pk)
    conversation = next(iter(found), None)
    if conversation is None or side_of(user, conversation) is None:
        return None
    rows = list(
        Participant.objects.filter(conversation=conversation).values_list(
            "user_id", "side", "unread", "archived", "muted", "last_read_message_id"
        )
    )
    own = next((row for row in rows if row[0] == user.pk), None)
    conversation.unread = own[2] if own else 0
    conversation.is_archived = bool(own and own[3])
    conversation.is_muted = bool(own and own[4])
    conversation.buyer_read = max((row[5] for row in rows if row[1] == Side.BUYER), default=0)
    conversation.store_read = max((row[5] for row in rows if row[1] == Side.STORE), default=0)
    return conversation


def conversation_to_write(user: User, pk: int) -> Conversation | None:
    """The bare conversation row if ``user`` is its buyer or a member of its store.

    For endpoints that hand the conversation to a service which locks and
    re-reads it (sending): the same access rule as ``conversation_for``,
    without its related rows and read state, which such a write does not use.
    """
    if not user.is_authenticated:
        return None
    conversation = conversation_row(pk)
    if conversation is None or side_of(user, conversation) is None:
        return None
    return conversation


# Every send reads the conversation row twice (access, then locked): written out, as
# building ``filter(pk=…)`` / ``select_for_update().get(…)`` cost more than running them.
CONVERSATION_SQL = f"""
SELECT {columns(Conversation, "c")} FROM messaging_conversation c WHERE c.id = %s
"""


def conversation_row(pk: int, *, lock: bool = False) -> Conversation | None:
    """The conversation row alone (no related rows), locked for the transaction if ``lock``.

    On SQLite the transaction's write lock (``IMMEDIATE``) already serialises writers.
    """
    sql = CONVERSATION_SQL
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    found = instances(Conversation, sql, [pk])
    return found[0] if found else None


BLOCKS_SQL = """
SELECT blocked_by FROM messaging_block
WHERE store_id = %s AND buyer_id = %s AND (until IS NULL OR until > %s)
"""


def blocked_by(store_id: int, buyer_id: int) -> set[str]:
    """Who stopped messages in this buyer–store pair now: ``buyer``, ``store`` (each blocked
    the other) and ``office`` (paused after a report, until a time)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(BLOCKS_SQL, [store_id, buyer_id, now])
        return {side for (side,) in cursor.fetchall()}


def office_pause_ends(store_id: int, buyer_id: int) -> datetime | None:
    """When the office's pause of this pair's messages ends (None without one)."""
    return (
        Block.objects.filter(
            store_id=store_id, buyer_id=buyer_id, blocked_by=Block.OFFICE, until__gt=timezone.now()
        )
        .values_list("until", flat=True)
        .first()
    )


def block_refusal(blocked: set[str], side: str, *, store_id: int, buyer_id: int) -> str | None:
    """Why ``side`` may not write to the other, given who ``blocked_by`` says stopped messages;
    None when nobody did. The one wording of the rule: the services refuse a send with it
    and the pages show it in place of the composer or the "Ask the seller" form."""
    if Block.OFFICE in blocked:
        ends = office_pause_ends(store_id, buyer_id)
        when = date_format(timezone.localtime(ends), "j M Y, H:i") if ends else "soon"
        return (
            "The marketplace office paused messages between this store and this buyer after "
            f"a report. They can write again from {when}."
        )
    if side in blocked:
        return "You blocked this conversation. Unblock it to send messages."
    if blocked:
        return (
            "This store is not accepting your messages."
            if side == Side.BUYER
            else "This buyer is not accepting messages from your store."
        )
    return None


SENT_WITH_CLIENT_ID_SQL = """
SELECT id, conversation_id, fingerprint FROM messaging_message
WHERE sender_id = %s AND client_id = %s
"""


def sent_with_client_id(user: User, client_id: str) -> tuple[int, int, str] | None:
    """``(id, conversation_id, fingerprint)`` of the message ``user`` sent with ``client_id``.

    Asked before every send that carries a ``client_id``; at most one row (unique key).
    """
    with connection.cursor() as cursor:
        cursor.execute(SENT_WITH_CLIENT_ID_SQL, [user.pk, client_id])
        return cursor.fetchone()


def _with_state(conversations: QuerySet[Conversation], user: User) -> QuerySet[Conversation]:
    """Annotate the person's own state and how far each side has read."""
    state = Participant.objects.filter(conversation=OuterRef("pk"), user=user)
    read = Participant.objects.filter(conversation=OuterRef("pk")).order_by("-last_read_message_id")
    return conversations.annotate(
        unread=Coalesce(
            Subquery(state.values("unread")[:1]), Value(0), output_field=IntegerField()
        ),
        is_archived=Exists(state.filter(archived=True)),
        is_muted=Exists(state.filter(muted=True)),
        buyer_read=Coalesce(
            Subquery(read.filter(side=Side.BUYER).values("last_read_message_id")[:1]),
            Value(0),
            output_field=IntegerField(),
        ),
        store_read=Coalesce(
            Subquery(read.filter(side=Side.STORE).values("last_read_message_id")[:1]),
            Value(0),
            output_field=IntegerField(),
        ),
    )


def conversations_of(
    user: User, *, store: Store | None = None, box: str = "inbox"
) -> QuerySet[Conversation]:
    """The buyer's conversations, or (with ``store``) the store's, for one of ``BOXES``.

    A store's inbox is sorted by urgency: open waits first, the one due
    soonest on top; then the most recent conversation.
    """
    if not user.is_authenticated:
        return Conversation.objects.none()
    if store is None:
        conversations = Conversation.objects.filter(buyer=user)
    elif StoreMembership.objects.filter(store=store, user=user).exists():
        conversations = Conversation.objects.filter(store=store)
    else:
        return Conversation.objects.none()
    conversations = _with_state(
        conversations.select_related("buyer", "store", "product", "order", "last_message"), user
    )
    if box == "archived":
        conversations = conversations.filter(is_archived=True)
    elif box != "all":
        conversations = conversations.filter(is_archived=False)
    if box == "waiting":
        conversations = conversations.filter(due_at__isnull=False)
    elif box == "product":
        conversations = conversations.filter(product__isnull=False)
    elif box == "order":
        conversations = conversations.filter(order__isnull=False)
    if store is not None:
        return conversations.order_by(F("due_at").asc(nulls_last=True), "-last_message_at", "-pk")
    return conversations.order_by("-last_message_at", "-pk")


def card_for(user: User, pk: int) -> ProductCard | None:
    """A product card in one of ``user``'s conversations, with its product."""
    card = ProductCard.objects.select_related("message", "product").filter(pk=pk).first()
    if card is None or conversation_for(user, card.message.conversation_id) is None:
        return None
    return card


def unread_counts(conversation: Conversation, user_ids: list[int]) -> dict[int, int]:
    rows = Participant.objects.filter(conversation=conversation, user_id__in=user_ids)
    counts = dict(rows.values_list("user_id", "unread"))
    return {user_id: counts.get(user_id, 0) for user_id in user_ids}


# ``total_unread`` runs on every send and every page (the menu badge). Written out, it
# skips the ORM's query building, which cost about five times running the query.
TOTAL_UNREAD_SQL = """
SELECT p.user_id, SUM(p.unread)
FROM messaging_participant p
JOIN messaging_conversation c ON c.id = p.conversation_id
WHERE p.user_id IN ({users}) AND p.unread > 0 AND (
    p.side = %s OR EXISTS (
        SELECT 1 FROM catalog_storemembership m
        WHERE m.store_id = c.store_id AND m.user_id = p.user_id
    )
)
GROUP BY p.user_id
"""


def total_unread(user_ids: list[int]) -> dict[int, int]:
    """Unread messages over every conversation each user may see (not archived or archived).

    A store member's rows count only while they are a member of that store.
    """
    if not user_ids:
        return {}
    sql = TOTAL_UNREAD_SQL.format(users=placeholders(user_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*user_ids, Side.BUYER.value])
        totals = dict(cursor.fetchall())
    return {user_id: int(totals.get(user_id, 0)) for user_id in user_ids}


# ``participant_rows`` runs on every send and read mark; one written-out query instead of
# the participant rows and the store's members read apart.
PARTICIPANTS_SQL = f"""
SELECT {columns(Participant, "p")},
    EXISTS (
        SELECT 1 FROM catalog_storemembership m WHERE m.store_id = %s AND m.user_id = p.user_id
    ) AS is_member,
    (SELECT COUNT(*) FROM catalog_storemembership m WHERE m.store_id = %s) AS store_members
FROM messaging_participant p
WHERE p.conversation_id = %s
"""


def participant_rows(conversation: Conversation) -> list[Participant]:
    """The conversation's participant rows, for the services that write them.

    Each row carries ``is_member`` (the person is a member of the store now)
    and ``store_members`` (how many members the store has now), so the caller
    can tell whether a member still lacks a row without reading the members.
    """
    return instances(
        Participant,
        PARTICIPANTS_SQL,
        [conversation.store_id, conversation.store_id, conversation.pk],
        extra=("is_member", "store_members"),
    )


# The spam check runs on every send.
REPEATS_SQL = """
SELECT COUNT(DISTINCT conversation_id) FROM messaging_message
WHERE sender_id = %s AND fingerprint = %s AND created_at >= %s
"""


def conversations_with_message(user: User, fingerprint: str, *, since: datetime) -> int:
    """In how many conversations ``user`` sent a message with this fingerprint since ``since``."""
    with connection.cursor() as cursor:
        cursor.execute(
            REPEATS_SQL,
            [user.pk, fingerprint, connection.ops.adapt_datetimefield_value(since)],
        )
        return cursor.fetchone()[0]


def messages_of(
    conversation: Conversation, *, before: int | None = None, after: int | None = None, limit=50
) -> list[Message]:
    """A window of the conversation's messages, oldest first.

    ``before`` pages back from a message id (the newest ``limit`` without it);
    ``after`` reads forward from one.
    """
    messages = conversation.messages.select_related("sender").prefetch_related(
        "attachments", "cards__product"
    )
    if after is not None:
        return list(messages.filter(pk__gt=after).order_by("pk")[:limit])
    if before is not None:
        messages = messages.filter(pk__lt=before)
    return list(reversed(messages.order_by("-pk")[:limit]))


def seen_up_to(conversation: Conversation, user: User) -> int:
    """The last message id the *other* side has read (for the "Seen" mark).

    Needs a conversation from ``conversation_for`` or ``conversations_of``.
    """
    if conversation.buyer_id == user.pk:
        return conversation.store_read
    return conversation.buyer_read


def search_words(text: str) -> list[str]:
    """The words ``search_messages`` looks for: lowercase letters and digits, at most 8."""
    return SEARCH_WORD.findall(text.lower())[:8]


def search_messages(
    user: User, text: str, *, store: Store | None = None, as_buyer: bool = False, limit: int = 50
) -> QuerySet[Message]:
    """Messages in the user's own conversations with every word of ``text`` (as a word prefix).

    Only ``store``'s conversations with ``store``; only those the user started
    as a buyer with ``as_buyer``. Full-text: SQLite's FTS5 table or
    PostgreSQL's ``to_tsvector('simple', text)`` index (migration 0002), newest first.
    """
    words = search_words(text)
    if not user.is_authenticated or not words:
        return Message.objects.none()
    visible = Conversation.objects.filter(_visible(user))
    if store is not None:
        visible = visible.filter(store=store)
    if as_buyer:
        visible = visible.filter(buyer=user)
    visible = visible.values("pk")
    messages = Message.objects.filter(conversation__in=visible)
    if connection.vendor == "sqlite":
        match = " ".join(f'"{word}"*' for word in words)
        messages = messages.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM messaging_message_fts WHERE messaging_message_fts MATCH %s",
                [match],
            )
        )
    elif connection.vendor == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        messages = messages.filter(
            RawSQL(
                "to_tsvector('simple', messaging_message.text) @@ to_tsquery('simple', %s)",
                [query],
                output_field=BooleanField(),
            )
        )
    else:
        for word in words:
            messages = messages.filter(text__icontains=word)
    return (
        messages.select_related(
            "sender",
            "conversation__store",
            "conversation__buyer",
            "conversation__product",
            "conversation__order",
        )
        .prefetch_related("attachments", "cards__product")
        .order_by("-pk")[:limit]
    )


# --- Quick replies -------------------------------------------------------------------------


def quick_replies_of(user: User, store: Store) -> QuerySet[QuickReply]:
    if not StoreMembership.objects.filter(store=store, user=user).exists():
        return QuickReply.objects.none()
    return store.quick_replies.all()


def suggested_quick_replies(user: User, conversation: Conversation, *, limit: int = 3) -> list:
    """The store's quick replies that answer what the buyer asks and are true here, best first.

    What the buyer asks is their last messages in a row (a question and its
    "just following up" count together); ``suggestions`` reads which common
    question it is and which replies may be said in this conversation. None
    is better than a wrong one: a message that asks nothing they answer gets
    no suggestion.
    """
    if side_of(user, conversation) != Side.STORE:
        return []
    text = _open_question(conversation)
    ranked = suggestions.rank(text, conversation.store.quick_replies.all()) if text else []
    if not ranked:
        return []
    context = _suggestion_context(conversation, text)
    return [reply for reply in ranked if suggestions.allows(context, reply)][:limit]


def _open_question(conversation: Conversation, *, most: int = 5, window: int = 20) -> str:
    """The buyer's last messages in a row (at most ``most``), as one text.

    Read back past the store's messages since (within the last ``window``), so
    a "just following up" keeps its question and a question the store has
    answered is still what the buyer last asked.
    """
    texts = []
    recent = conversation.messages.order_by("-pk").values_list("side", "text")[:window]
    for side, text in recent:
        if side == Side.BUYER:
            texts.append(text)
            if len(texts) == most:
                break
        elif texts:
            break
    return "\n".join(reversed(texts))


def _suggestion_context(conversation: Conversation, text: str) -> suggestions.Context:
    """The orders and products the buyer may be asking about (``suggestions.Context``)."""
    if conversation.order_id:
        orders = {conversation.order.status}
    else:
        orders = set(
            Order.objects.filter(buyer=conversation.buyer_id, store=conversation.store_id)
            .values_list("status", flat=True)
            .distinct()
        )
    if conversation.product_id:
        products = [(conversation.product.stock, conversation.product.is_active)]
    else:
        rows = list(conversation.store.products.values_list("title", "stock", "is_active"))
        named = suggestions.named_products(text, (title for title, _, _ in rows))
        products = [rows[index][1:] for index in named]
    return suggestions.Context(
        orders=frozenset(orders),
        stock=frozenset(stock > 0 and active for stock, active in products),
    )


def fill_quick_reply(
    body: str, *, buyer_first_name: str, product: str, order_number: str, store: str
) -> str:
    """``body`` with its variables filled in; an unknown ``{name}`` stays as typed.

    Without a product or order the reply says "the product" / "your order",
    capitalised where the variable starts a sentence.
    """
    values = {
        "buyer_first_name": buyer_first_name,
        "product": product or "the product",
        "order_number": order_number or "your order",
        "store": store,
    }

    def fill(match: re.Match) -> str:
        value = values.get(match.group(1), match.group(0))
        starts_sentence = SENTENCE_START.search(body, 0, match.start()) or match.start() == 0
        return value[:1].upper() + value[1:] if starts_sentence else value

    return QUICK_REPLY_VARIABLE.sub(fill, body)


def render_quick_reply(quick_reply: QuickReply, conversation: Conversation) -> str:
    """The reply's text with its variables filled in for this conversation."""
    return fill_quick_reply(
        quick_reply.body,
        buyer_first_name=conversation.buyer.get_short_name(),
        product=conversation.product.title if conversation.product_id else "",
        order_number=conversation.order.number if conversation.order_id else "",
        store=conversation.store.name,
    )


# --- Buyer context (seller inbox side panel) ------------------------------------------------


def buyer_context(user: User, conversation: Conversation) -> dict:
    """What a store member should know about the buyer: orders, products asked about, history."""
    if side_of(user, conversation) != Side.STORE:
        return {}
    others = Conversation.objects.filter(buyer=conversation.buyer, store=conversation.store)
    return {
        "orders": Order.objects.filter(buyer=conversation.buyer, store=conversation.store)
        .prefetch_related("items")
        .order_by("-placed_at")[:10],
        "products_asked": Product.objects.filter(
            conversations__in=others.exclude(product=None)
        ).distinct()[:10],
        "earlier": others.exclude(pk=conversation.pk)
        .select_related("product", "order")
        .order_by("-last_message_at")[:10],
    }


# --- Office -----------------------------------------------------------------------------------


def open_reports() -> QuerySet[ConversationReport]:
    return ConversationReport.objects.filter(status=ConversationReport.Status.OPEN).select_related(
        "conversation__store", "conversation__buyer", "reporter"
    )


def resolved_report(pk: int) -> ConversationReport | None:
    """Report ``pk`` if it was resolved, with who resolved it (office staff only)."""
    return (
        ConversationReport.objects.filter(pk=pk, status=ConversationReport.Status.RESOLVED)
        .select_related("resolved_by")
        .first()
    )


def staff_accesses_of(conversation: Conversation) -> list:
    """The conversation's audit trail: who of the office read it, when and why, newest first."""
    return list(conversation.staff_accesses.select_related("staff"))
