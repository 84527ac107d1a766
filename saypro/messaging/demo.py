"""Demo conversations: buyers ask stores about products and orders, stores answer (or not).

Runs after the demo marketplace (``saypro.catalog.demo``) and, like the demo
reviews, in three steps:

- ``read_demo_market()`` reads what the conversations are about: the demo
  stores and their teams, the demo buyers, the products and every order of
  a demo store by a demo buyer (``DemoMarket``: plain data, database ids
  included, in an order that does not depend on them).
- ``build_messaging(seed=, now=, market=)`` describes every quick reply,
  conversation, message, product card, wait and read state
  (``MessagingSpec``) without touching the database, from its own
  ``random.Random`` streams, referring to the market by position: the same
  seed, moment and marketplace give the same conversations in any database.
- ``load_demo_messaging(seed=, now=, progress=)`` reads, builds and writes in
  one transaction with ``bulk_create`` (this module is the seeding service for
  messaging, the one place besides ``services`` that writes its rows). It is
  idempotent: when a demo store already has a conversation, it writes
  nothing. It writes no ``Event`` (events are for live clients; a client
  that connects later reads the conversations through the API), so the demo
  users' ``Mailbox`` rows stay absent, which reads as "no events yet".

What it generates (each figure a target, drawn per conversation):

- About one conversation per five orders, over the same 273 days as the
  orders, at a rate that grows every 91 days (``QUARTER_GROWTH``): any
  stretch of time has about 30 % more conversations (and messages) than the
  same stretch a quarter earlier, so the quarter's "+25 % messaging
  interactions" target reads as met. Evenings and weekends are busier.
- About 20 % are questions about a product that the buyer then bought from
  that store within 7 days (attached to a real order of the marketplace: the
  conversation starts up to 6.5 days before it and is answered before it is
  placed; the buyer often says "I've just ordered"); 35 % other questions
  about a product (availability, sizing, delivery time, returns, care, what
  suits the product's aisle, similar products); 35 % about an order at the
  stage it had reached (changing it before it ships, where it is, damaged,
  wrong size, missing item, a refund after cancelling); 10 % about the store
  in general (delivery areas, collection, bulk orders, gift-wrapping).
- Stores differ in how fast they answer: overall about a third of first
  answers come within an hour (many within minutes), most of the rest within
  the response goal (``MESSAGING_RESPONSE_GOAL_HOURS``), about 12 % later,
  with an apology; about 3 % of conversations are never answered: the
  buyer's question stays open (an open wait, "abandoned" once it is over 48
  hours old), sometimes with a nudge. Stores answer between 07:00 and 22:00,
  marketplace time.
- About a third of conversations have a second question; about half end with
  the buyer's thanks, which the store answers or marks "no response needed".
  Store answers about sold-out or similar products carry product cards;
  some answers are sent with the store's quick replies (each store has four
  to six, covering availability, sizing, delivery and returns).
- Read state follows the messages: everyone has read conversations quiet for
  three days; in recent ones, each person has read up to their own last
  message and, if they have opened the conversation since, everything.
  A few old conversations are archived.
- The demo logins (``saypro.catalog.demo.ACCOUNTS``) get conversations of
  their own (``_demo_login_drafts``): the demo buyer has five with four
  stores (one waiting for the owner's store, one with an answer they have
  not read yet, one that led to an order), and the demo owner's store has
  them waiting for an answer (one overdue, one where the buyer just said
  thanks, ready for "no response needed") and unread.
"""

import math
import random
import re
import time
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock_time

from django.conf import settings
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog.demo import (
    ACCOUNTS,
    BATCH_SIZE,
    DEFAULT_SEED,
    DEMO_EMAIL_DOMAIN,
    HOUR_WEIGHTS,
    ORDER_WINDOW_DAYS,
    PRODUCT_EXTERNAL_ID_PREFIX,
    STORE_EXTERNAL_ID_PREFIX,
    WEEKDAY_WEIGHTS,
)
from saypro.catalog.demo_vocabulary import CITIES
from saypro.catalog.models import Order, OrderItem, Product, Store, StoreMembership
from saypro.core.demo_text import lower_first, render
from saypro.core.progress import ProgressFactory, no_progress
from saypro.messaging import demo_vocabulary as words
from saypro.messaging import safety, selectors
from saypro.messaging.demo_vocabulary import Exchange
from saypro.messaging.models import (
    Conversation,
    Message,
    Participant,
    ProductCard,
    QuickReply,
    Side,
    Wait,
)
from saypro.reviews.demo import product_words

OWNER_STORE_EXTERNAL_ID = f"{STORE_EXTERNAL_ID_PREFIX}001"

CONVERSATIONS_PER_ORDER = 0.2
QUARTER = timedelta(days=91)
# The conversation rate against 91 days earlier. A little under the 30 % shown: order
# conversations start days after their order, which tilts them towards the last quarter.
QUARTER_GROWTH = 1.27
KIND_SHARES = {"purchase": 0.2, "product": 0.35, "order": 0.35, "general": 0.1}
PURCHASE_WITHIN = timedelta(days=7)
ABANDONED_AFTER = timedelta(hours=48)
SETTLED_AFTER = timedelta(days=3)  # everyone has read a conversation this quiet
ARCHIVED_AFTER = timedelta(days=30)
FOLLOW_UP_SHARE = {"purchase": 0.3, "product": 0.35, "order": 0.12, "general": 0.3}
THANKS_SHARE = 0.5
LATER_SHARE = 0.1  # product questions: "thanks, I'll think about it"
ORDERED_SHARE = 0.55  # after a purchase: "I've just ordered it"
NUDGE_SHARE = 0.35  # of unanswered buyers, those who ask again
WORKING_HOURS = (7, 22)  # stores answer between these local hours
# Where an order conversation starts: (phase, weight); see _order_phases.
PHASE_WEIGHTS = {
    "placed": 0.2,
    "cancel": 1.0,
    "shipped": 0.25,
    "delivered": 0.55,
    "cancelled": 0.3,
}
# What a product question is about: weight of each kind of exchange.
PRODUCT_TOPIC_WEIGHTS = {
    "availability": 0.25,
    "family": 0.35,
    "delivery_time": 0.14,
    "returns": 0.08,
    "gift": 0.07,
    "more_like_this": 0.11,
}


def _stream(seed: int, name: str) -> random.Random:
    """An independent random stream per concern, so one concern's draws never shift another's."""
    return random.Random(f"saypro-demo:{seed}:messaging:{name}")


def _goal() -> timedelta:
    return timedelta(hours=settings.MESSAGING_RESPONSE_GOAL_HOURS)


# --- What the conversations are about ---------------------------------------------------


@dataclass(frozen=True)
class MarketStore:
    pk: int
    external_id: str
    name: str
    city: str  # where it is, from its description
    dispatch: str  # "2 working days", from its products' descriptions
    members: tuple[tuple[int, str], ...]  # (user id, first name), longest-serving first


@dataclass(frozen=True)
class MarketBuyer:
    pk: int
    email: str
    first_name: str
    date_joined: datetime


@dataclass(frozen=True)
class MarketProduct:
    pk: int
    store: int  # index into DemoMarket.stores
    category_slug: str
    title: str
    is_active: bool
    stock: int


@dataclass(frozen=True)
class MarketOrder:
    pk: int
    number: str
    buyer: int  # index into DemoMarket.buyers
    store: int
    status: str
    placed_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
    products: tuple[int, ...]  # indexes into DemoMarket.products, in line order


@dataclass(frozen=True)
class DemoMarket:
    stores: list[MarketStore]  # by external id
    buyers: list[MarketBuyer]  # by email
    products: list[MarketProduct]  # by external id
    orders: list[MarketOrder]  # oldest first


ORDER_TIMES = ("placed_at", "shipped_at", "delivered_at", "cancelled_at")
DISPATCH = re.compile(r"within (\d+|one) working days?")


def store_city(name: str, description: str) -> str:
    """The city a demo store's description names ("Based in Durban, …"); "" if none."""
    text = description.replace(name, "")
    found = [(text.find(city), city) for city in CITIES if city in text]
    return min(found)[1] if found else ""


def dispatch_time(descriptions: Sequence[str]) -> str:
    """How soon a store dispatches, as its product descriptions say ("2 working days")."""
    days = Counter(match.group(1) for text in descriptions for match in DISPATCH.finditer(text))
    if not days:
        return "2 working days"
    number = min(days, key=lambda value: (-days[value], value))
    return "1 working day" if number in ("1", "one") else f"{number} working days"


def read_demo_market() -> DemoMarket:
    """The demo stores, buyers, products and orders, in an order that does not depend on ids."""
    store_rows = list(
        Store.objects.filter(external_id__startswith=STORE_EXTERNAL_ID_PREFIX)
        .order_by("external_id")
        .values_list("pk", "external_id", "name", "description")
    )
    store_index = {row[0]: index for index, row in enumerate(store_rows)}
    members: dict[int, list[tuple[int, str]]] = {row[0]: [] for row in store_rows}
    for store_pk, user_pk, first_name in (
        StoreMembership.objects.filter(store_id__in=members)
        .order_by("created_at", "user__email")
        .values_list("store_id", "user_id", "user__first_name")
    ):
        members[store_pk].append((user_pk, first_name))
    products, descriptions = [], defaultdict(list)
    for pk, store_pk, slug, title, is_active, stock, description in (
        Product.objects.filter(
            store_id__in=members, external_id__startswith=PRODUCT_EXTERNAL_ID_PREFIX
        )
        .order_by("external_id")
        .values_list(
            "pk", "store_id", "category__slug", "title", "is_active", "stock", "description"
        )
    ):
        products.append(
            MarketProduct(pk, store_index[store_pk], slug or "", title, is_active, stock)
        )
        descriptions[store_pk].append(description)
    stores = [
        MarketStore(
            pk=pk,
            external_id=external_id,
            name=name,
            city=store_city(name, description),
            dispatch=dispatch_time(descriptions[pk]),
            members=tuple(members[pk]),
        )
        for pk, external_id, name, description in store_rows
    ]
    buyers = [
        MarketBuyer(*row)
        for row in User.objects.filter(
            email__iendswith=f"@{DEMO_EMAIL_DOMAIN}", is_staff=False, memberships__isnull=True
        )
        .order_by("email")
        .values_list("pk", "email", "first_name", "date_joined")
    ]
    buyer_index = {buyer.pk: index for index, buyer in enumerate(buyers)}
    product_index = {product.pk: index for index, product in enumerate(products)}
    demo_orders = Order.objects.filter(store_id__in=members, buyer_id__in=buyer_index)
    lines = defaultdict(list)
    for order_pk, product_pk in (
        OrderItem.objects.filter(order__in=demo_orders)
        .order_by("pk")
        .values_list("order_id", "product_id")
    ):
        if product_pk in product_index:
            lines[order_pk].append(product_index[product_pk])
    rows = demo_orders.order_by("placed_at", "number").values_list(
        "pk", "number", "buyer_id", "store_id", "status", *ORDER_TIMES
    )
    orders = [
        MarketOrder(
            pk,
            number,
            buyer_index[buyer_pk],
            store_index[store_pk],
            status,
            *times,
            tuple(lines[pk]),
        )
        for pk, number, buyer_pk, store_pk, status, *times in rows
        if lines[pk]
    ]
    return DemoMarket(stores=stores, buyers=buyers, products=products, orders=orders)


# --- The description of the conversations ------------------------------------------------


@dataclass(frozen=True)
class QuickReplySpec:
    store: int
    title: str
    body: str
    topic: str
    answers: tuple[str, ...]  # the exchange keys it answers
    created_at: datetime
    usage_count: int = 0


@dataclass(frozen=True)
class MessageSpec:
    side: str
    member: int | None  # index into the store's members; None: the buyer
    text: str
    created_at: datetime
    cards: tuple[int, ...] = ()  # indexes into DemoMarket.products
    quick_reply: int | None = None  # index into MessagingSpec.quick_replies


@dataclass(frozen=True)
class WaitSpec:
    message: int  # position of the buyer message that started it
    started_at: datetime
    due_at: datetime
    outcome: str
    ended_at: datetime | None = None
    ended_by: int | None = None  # index into the store's members
    response_seconds: int | None = None


@dataclass(frozen=True)
class ReadSpec:
    member: int | None  # index into the store's members; None: the buyer
    last_read: int  # position of the last message read; -1: none
    read_at: datetime | None
    unread: int
    archived: bool = False


@dataclass(frozen=True)
class ConversationSpec:
    buyer: int  # index into DemoMarket.buyers
    store: int
    product: int | None
    order: int | None
    kind: str  # "purchase", "product", "order" or "general"
    subject: str  # the key of the exchange it starts with
    messages: tuple[MessageSpec, ...]
    waits: tuple[WaitSpec, ...]
    reads: tuple[ReadSpec, ...]  # the buyer's first, then each store member's
    first_response_seconds: int | None
    followed_by_purchase: bool  # the buyer ordered from the store within 7 days of starting it

    @property
    def created_at(self) -> datetime:
        return self.messages[0].created_at

    @property
    def last_message_at(self) -> datetime:
        return self.messages[-1].created_at

    @property
    def open_wait(self) -> WaitSpec | None:
        last = self.waits[-1] if self.waits else None
        return last if last is not None and last.outcome == Wait.Outcome.OPEN else None

    def topic(self, market: DemoMarket) -> str:
        """``Conversation.topic``: "", "product:<pk>" or "order:<pk>"."""
        if self.order is not None:
            return f"order:{market.orders[self.order].pk}"
        if self.product is not None:
            return f"product:{market.products[self.product].pk}"
        return ""


@dataclass(frozen=True)
class MessagingSpec:
    seed: int
    now: datetime
    quick_replies: list[QuickReplySpec]
    conversations: list[ConversationSpec]  # oldest first


@dataclass(frozen=True)
class _Habits:
    """How a store answers: shares of first answers by speed, and its other ways."""

    fast: float  # within minutes
    late: float  # after the goal
    never: float  # not at all (the rest: within the goal)
    agent_share: float  # of conversations the agent handles, when the store has one
    quick_reply_share: float  # of answers a quick reply fits, sent with it
    welcome_share: float  # after the buyer's thanks: a reply (else "no response needed")


@dataclass
class _Event:
    at: datetime
    side: str
    member: int | None
    text: str = ""
    cards: tuple[int, ...] = ()
    quick_reply: int | None = None
    no_response: bool = False  # the store marked "no response needed" (not a message)


@dataclass
class _Draft:
    buyer: int
    store: int
    product: int | None
    order: int | None
    kind: str
    subject: str
    events: list[_Event] = field(default_factory=list)
    # Read state set by hand (the demo logins): participant (None: the buyer) -> when they
    # last opened the conversation, None for never; the others follow the usual rule.
    opened: dict[int | None, datetime | None] = field(default_factory=dict)

    def add(self, event: _Event) -> _Event:
        """Append ``event``, at least 20 seconds after the previous one."""
        if self.events and event.at < self.events[-1].at + timedelta(seconds=20):
            event.at = self.events[-1].at + timedelta(seconds=20)
        self.events.append(event)
        return event


class _Context:
    """What every conversation draws on: the market, the moment, stores' habits and replies."""

    def __init__(self, seed: int, now: datetime, market: DemoMarket) -> None:
        self.seed, self.now, self.market, self.goal = seed, now, market, _goal()
        self.window_start = now - timedelta(days=ORDER_WINDOW_DAYS)
        self.habits = _store_habits(_stream(seed, "habits"), market)
        self.quick_replies = _quick_replies(_stream(seed, "quick-replies"), market, now)
        self.replies_by_store: dict[int, dict[str, list[int]]] = defaultdict(dict)
        for index, reply in enumerate(self.quick_replies):
            for key in reply.answers:
                self.replies_by_store[reply.store].setdefault(key, []).append(index)
        city_rng = _stream(seed, "cities")
        self.cities = [city_rng.choice(CITIES) for _ in market.buyers]
        self.popularity = [1.0] * len(market.products)
        store_orders = [1.0] * len(market.stores)
        self.orders_of: dict[tuple[int, int], list[datetime]] = defaultdict(list)
        for order in market.orders:
            store_orders[order.store] += 1
            self.orders_of[(order.buyer, order.store)].append(order.placed_at)
            for product in order.products:
                self.popularity[product] += 1
        self.store_cumulative = _cumulative(store_orders)
        self.active: list[list[int]] = [[] for _ in market.stores]
        for index, product in enumerate(market.products):
            if product.is_active:
                self.active[product.store].append(index)
        self.joined_order = sorted(
            range(len(market.buyers)), key=lambda b: (market.buyers[b].date_joined, b)
        )
        self.joined_at = [market.buyers[b].date_joined for b in self.joined_order]
        self.taken: set[tuple[int, int, str]] = set()  # (buyer, store, topic) already used

    def key(self, draft: _Draft) -> tuple[int, int, str]:
        if draft.order is not None:
            return (draft.buyer, draft.store, f"order:{draft.order}")
        if draft.product is not None:
            return (draft.buyer, draft.store, f"product:{draft.product}")
        return (draft.buyer, draft.store, "")

    def claim(self, draft: _Draft) -> bool:
        """Reserve the draft's buyer, store and subject: one conversation each."""
        key = self.key(draft)
        if key in self.taken:
            return False
        self.taken.add(key)
        return True


def build_messaging(
    *, seed: int = DEFAULT_SEED, now: datetime, market: DemoMarket
) -> MessagingSpec:
    """Describe the conversations of ``market`` as of ``now``; touches no database."""
    if seed < 0:
        raise ValueError("The seed must be zero or more.")
    if not market.stores or not market.buyers:
        return MessagingSpec(seed=seed, now=now, quick_replies=[], conversations=[])
    context = _Context(seed, now, market)
    drafts = _demo_login_drafts(context, _stream(seed, "demo-logins"))
    drafts += _marketplace_drafts(context)
    reads_rng = _stream(seed, "reads")
    conversations = []
    for draft in drafts:
        conversation = _finish(context, reads_rng, draft)
        if conversation is not None:
            conversations.append(conversation)
    conversations.sort(key=lambda c: (c.created_at, c.buyer, c.store, c.subject))
    usage = Counter(
        message.quick_reply
        for conversation in conversations
        for message in conversation.messages
        if message.quick_reply is not None
    )
    quick_replies = [
        QuickReplySpec(**{**reply.__dict__, "usage_count": usage[index]})
        for index, reply in enumerate(context.quick_replies)
    ]
    return MessagingSpec(
        seed=seed, now=now, quick_replies=quick_replies, conversations=conversations
    )


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, cumulative = 0.0, []
    for weight in weights:
        total += weight
        cumulative.append(total)
    return cumulative


def _store_habits(rng: random.Random, market: DemoMarket) -> list[_Habits]:
    habits = []
    for store in market.stores:
        if store.external_id == OWNER_STORE_EXTERNAL_ID:
            # Fixed, so the demo owner's inbox always shows a good store with room to improve;
            # it never abandons a buyer, so no months-old wait heads its inbox.
            habits.append(_Habits(0.45, 0.1, 0.0, 0.45, 0.3, 0.5))
            continue
        fast = rng.betavariate(2.2, 3.3)
        late = rng.betavariate(1.5, 10)
        never = rng.betavariate(1.1, 18)
        habits.append(
            _Habits(
                fast=fast,
                late=min(late, 1 - fast),
                never=min(never, max(0.0, 1 - fast - late)),
                agent_share=rng.uniform(0.25, 0.6),
                quick_reply_share=rng.choice((0.0, 0.15, 0.3, 0.5)),
                welcome_share=rng.uniform(0.3, 0.7),
            )
        )
    return habits


def _quick_replies(rng: random.Random, market: DemoMarket, now: datetime) -> list[QuickReplySpec]:
    """Four to six per store: one each for availability, sizing, delivery and returns, and more.

    A store that sells clothes or shoes (by its products' most common aisle) gets the
    size advice; the others, a reply about measurements.
    """
    window_start = now - timedelta(days=ORDER_WINDOW_DAYS)
    aisles: list[Counter] = [Counter() for _ in market.stores]
    for product in market.products:
        aisles[product.store][product.category_slug] += 1
    replies = []
    for store_index in range(len(market.stores)):
        main = aisles[store_index].most_common(1)[0][0] if aisles[store_index] else ""
        sized = words.FAMILY_OF_AISLE.get(main) in words.SIZED_FAMILIES
        fitting = {
            topic: [t for t in templates if t.sized in (None, sized)]
            for topic, templates in words.QUICK_REPLIES.items()
        }
        chosen = [
            (topic, rng.choice(fitting[topic]))
            for topic in ("availability", "sizing", "delivery", "returns")
        ]
        extras = [
            (topic, template)
            for topic, templates in fitting.items()
            for template in templates
            if (topic, template) not in chosen
        ]
        chosen += rng.sample(extras, rng.randint(0, 2))
        for topic, template in chosen:
            created = window_start - timedelta(days=rng.uniform(1, 25), minutes=rng.randrange(600))
            replies.append(
                QuickReplySpec(
                    store=store_index,
                    title=template.title,
                    body=template.body,
                    topic=topic,
                    answers=template.answers,
                    created_at=created,
                )
            )
    return replies


# --- When conversations start ---------------------------------------------------------------


def _growth(context: _Context, moment: datetime) -> float:
    """The conversation rate at ``moment``, relative to the window's start."""
    days = (moment - context.window_start).total_seconds() / 86400
    return math.exp(math.log(QUARTER_GROWTH) / QUARTER.days * days)


def _days(context: _Context) -> tuple[list[datetime], list[float]]:
    """Local midnights of the window's days, and their cumulative weights (weekday, growth)."""
    zone = timezone.get_current_timezone()
    today = timezone.localtime(context.now, zone).date()
    midnights, weights = [], []
    for offset in range(ORDER_WINDOW_DAYS, -1, -1):
        date = today - timedelta(days=offset)
        midnight = datetime.combine(date, clock_time(0), tzinfo=zone)
        midnights.append(midnight)
        weights.append(
            WEEKDAY_WEIGHTS[date.weekday()] * _growth(context, midnight + timedelta(hours=12))
        )
    return midnights, _cumulative(weights)


def _moment(rng: random.Random, context: _Context, days: tuple) -> datetime:
    """A moment in the window: a weighted day, then a weighted local hour; retried if outside."""
    midnights, cumulative = days
    while True:
        midnight = rng.choices(midnights, cum_weights=cumulative)[0]
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        local = midnight.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
        if context.window_start <= local <= context.now:
            return local.astimezone(context.now.tzinfo)


def _order_weights(context: _Context) -> list[float]:
    """Cumulative weights that pick orders so their conversations grow like the others.

    Orders have their own trend (and the story products' bursts), so each order's
    weight is the growth at its moment divided by the number of orders placed that week.
    """
    orders = context.market.orders
    week = [(context.now - order.placed_at) // timedelta(weeks=1) for order in orders]  # full weeks
    per_week = Counter(week)
    demo_buyer = _buyer_index(context.market, ACCOUNTS["buyer"].email)
    weights = [
        # the demo buyer's conversations are set by hand
        0.0 if order.buyer == demo_buyer else _growth(context, order.placed_at) / per_week[number]
        for order, number in zip(orders, week, strict=True)
    ]
    return _cumulative(weights)


def _buyer_index(market: DemoMarket, email: str) -> int | None:
    return next((i for i, buyer in enumerate(market.buyers) if buyer.email == email), None)


def _store_index(market: DemoMarket, external_id: str) -> int | None:
    return next((i for i, s in enumerate(market.stores) if s.external_id == external_id), None)


def _marketplace_drafts(context: _Context) -> list[_Draft]:
    """Everyone else's conversations, kind by kind (see ``KIND_SHARES``)."""
    market, seed = context.market, context.seed
    total = round(CONVERSATIONS_PER_ORDER * len(market.orders))
    choice_rng, flow_rng = _stream(seed, "choices"), _stream(seed, "flow")
    text_rng = _stream(seed, "text")
    days = _days(context)
    order_cumulative = _order_weights(context)
    demo_buyer = _buyer_index(market, ACCOUNTS["buyer"].email)
    drafts: list[_Draft] = []
    for kind, share in KIND_SHARES.items():
        target, made, attempts = round(total * share), 0, 0
        while made < target and attempts < 4 * target:
            attempts += 1
            if kind in ("purchase", "order"):
                if not order_cumulative or not order_cumulative[-1]:
                    break
                order = choice_rng.choices(range(len(market.orders)), cum_weights=order_cumulative)
                make = _purchase_draft if kind == "purchase" else _order_draft
                draft = make(context, choice_rng, flow_rng, text_rng, order[0])
            else:
                start = _moment(choice_rng, context, days)
                buyer = _buyer_at(context, choice_rng, start, demo_buyer)
                if buyer is None:
                    continue
                make = _product_draft if kind == "product" else _general_draft
                draft = make(context, choice_rng, flow_rng, text_rng, buyer, start)
            if draft is not None:
                drafts.append(draft)
                made += 1
    return drafts


def _buyer_at(
    context: _Context, rng: random.Random, start: datetime, demo_buyer: int | None
) -> int | None:
    """A buyer who had joined by ``start``, other than the demo buyer; None if nobody had.

    Drawn among those who had joined, not by rejecting the moment: rejecting would
    favour later moments (more buyers), and bend the growth.
    """
    joined = bisect_right(context.joined_at, start - timedelta(minutes=10))
    for _ in range(10 if joined else 0):
        buyer = context.joined_order[rng.randrange(joined)]
        if buyer != demo_buyer:
            return buyer
    return None


# --- The texts --------------------------------------------------------------------------------


def _join(greeting: str, text: str) -> str:
    """A greeting and a sentence: "Hi!" stands apart, "Hi," runs on ("Hi, is this …")."""
    if not greeting:
        return text
    if greeting.endswith(","):
        return f"{greeting} {lower_first(text)}"
    return f"{greeting} {text}"


class _Text:
    """The slots and grammar of one conversation: its buyer, store, product and order."""

    def __init__(
        self,
        context: _Context,
        rng: random.Random,
        *,
        buyer: int,
        store: int,
        product: int | None,
        order: int | None,
        start: datetime,
    ) -> None:
        market = context.market
        store_row = market.stores[store]
        self.family = ""
        self.plural = False
        slots = {
            "buyer": market.buyers[buyer].first_name,
            "store": store_row.name,
            "store_city": store_row.city or "our home town",
            "city": context.cities[buyer],
            "dispatch": store_row.dispatch,
            "restock": rng.choice(words.RESTOCKS),
            "weekday": f"{timezone.localtime(start) + timedelta(days=rng.randint(2, 4)):%A}",
            "order": market.orders[order].number if order is not None else "your order",
            "length": "",
            "device": rng.choice(words.DEVICES),
            "age": rng.choice(words.AGES),
            "member": "",
            "title": "",
            "noun": "it",
            "this": "it",
            "This": "It",
            "it": "it",
            "It": "It",
            "left": "plenty left",
            "size": "M",
            "other_size": "L",
            "a_size": "an M",
            "a_other_size": "an L",
            "pet": "pet",
        }
        if product is not None:
            item = market.products[product]
            described = product_words(item.category_slug, item.title)
            self.family = words.FAMILY_OF_AISLE.get(item.category_slug, "")
            self.plural = described.plural
            this = f"{'these' if described.plural else 'this'} {described.noun}"
            it = "they" if described.plural else "it"
            sizes = words.SIZES.get(self.family, ("S", "M", "L", "XL"))
            size = rng.randrange(len(sizes) - 1)
            slots |= {
                "title": item.title,
                "noun": described.noun,
                "this": this,
                "This": this[:1].upper() + this[1:],
                "it": it,
                "It": it[:1].upper() + it[1:],
                "left": _left(item.stock, rng),
                "size": sizes[size],
                "other_size": sizes[size + 1],
                "a_size": _with_article(sizes[size]),
                "a_other_size": _with_article(sizes[size + 1]),
                "pet": rng.choice(words.PETS.get(item.category_slug, ("pet",))),
                "length": str(rng.randint(*words.LENGTHS.get(self.family, (20, 60)))),
            }
        self.slots = slots

    def __call__(self, template: str, **extra: str) -> str:
        return render(template, self.slots | extra, self.plural)


def _with_article(size: str) -> str:
    """The size with its article, by how it is said: "an M", "an XL", "an 8", "a 7"."""
    spoken_with_vowel = size[:1] in "AEFHILMNORSX8" or size.startswith(("11", "18"))
    return f"{'an' if spoken_with_vowel else 'a'} {size}"


def _left(stock: int, rng: random.Random) -> str:
    if stock <= 0:  # sold out now: it had a few when the buyer asked
        stock = rng.randint(1, 4)
    if stock == 1:
        return "just one left"
    if stock <= 5:
        return f"only {stock} left"
    return "plenty left"


def _buyer_question(
    rng: random.Random, text: _Text, exchange: Exchange, *, context: bool, at: datetime
) -> str:
    question = text(rng.choice(exchange.questions))
    parts = [question]
    if context and rng.random() < 0.2:
        parts.insert(0, text(rng.choice(words.BUYER_CONTEXTS)))
    message = " ".join(parts)
    if rng.random() < 0.6:
        greetings = words.BUYER_GREETINGS
        if timezone.localtime(at).hour < 12:
            greetings += words.BUYER_MORNING_GREETINGS
        message = _join(text(rng.choice(greetings)), message)
    if rng.random() < 0.35:
        message = f"{message} {text(rng.choice(words.BUYER_SIGN_OFFS))}"
    if rng.random() < 0.08:  # some people type the way they text (order numbers pasted)
        message = message.lower().rstrip(".!")
        number = text.slots["order"]
        message = message.replace(number.lower(), number)
    return message


def _buyer_follow_up(rng: random.Random, text: _Text, exchange: Exchange) -> str:
    question = text(rng.choice(exchange.questions))
    opener = rng.choice(words.BUYER_FOLLOW_UP_OPENERS)
    if opener.rstrip().endswith((".", "!")):
        return opener + question
    return opener + lower_first(question)


def _store_answer(
    rng: random.Random,
    text: _Text,
    exchange: Exchange,
    *,
    member: str,
    late: bool,
    first: bool,
    about_order: bool,
) -> str:
    answer = text(rng.choice(exchange.answers), member=member)
    if late:
        answer = f"{rng.choice(words.STORE_LATE_APOLOGIES)} {answer}"
    greetings = words.STORE_FOLLOW_UP_GREETINGS
    if first:  # "thanks for asking" suits a question, not an order's problem or thanks
        greetings = words.STORE_GREETINGS
        greetings += () if about_order else words.STORE_QUESTION_GREETINGS
    message = _join(text(rng.choice(greetings)), answer)
    if rng.random() < 0.25 and not exchange.cards:
        message = f"{message} {rng.choice(words.STORE_EXTRAS)}"
    if first and rng.random() < 0.45 and not exchange.cards:
        message = f"{message}\n\n{text(rng.choice(words.STORE_SIGNATURES), member=member)}"
    return message


# --- How a conversation goes ------------------------------------------------------------------


def _working(rng: random.Random, moment: datetime) -> datetime:
    """``moment``, or the next morning if it falls outside the stores' working hours."""
    local = timezone.localtime(moment)
    opens, closes = WORKING_HOURS
    if opens <= local.hour < closes:
        return moment
    day = local.date() + timedelta(days=1 if local.hour >= closes else 0)
    morning = datetime.combine(day, clock_time(opens), tzinfo=local.tzinfo)
    return (morning + timedelta(minutes=rng.uniform(0, 150))).astimezone(moment.tzinfo)


def _speed(rng: random.Random, habits: _Habits, *, allow_never: bool) -> str:
    draw = rng.random()
    if draw < habits.fast:
        return "fast"
    if draw < habits.fast + habits.late:
        return "late"
    if allow_never and draw < habits.fast + habits.late + habits.never:
        return "never"
    return "on_time"


def _answer_delay(rng: random.Random, speed: str, goal: timedelta) -> timedelta:
    if speed == "fast":
        return timedelta(minutes=rng.triangular(1, 55, 6))
    if speed == "late":
        return goal + timedelta(hours=rng.triangular(0.5, 96, 6))
    hours = goal.total_seconds() / 3600
    return timedelta(hours=rng.triangular(1, max(1.5, hours - 0.5), min(3, hours / 2)))


class _Conversation:
    """Writes one conversation's events: questions, answers, thanks, no-response marks."""

    def __init__(
        self,
        context: _Context,
        flow: random.Random,
        words_rng: random.Random,
        draft: _Draft,
        text: _Text,
        member: int,
    ) -> None:
        self.context, self.flow, self.rng = context, flow, words_rng
        self.draft, self.text, self.member = draft, text, member
        self.habits = context.habits[draft.store]
        self.members = context.market.stores[draft.store].members

    def member_name(self, member: int) -> str:
        return self.members[member][1]

    def ask(self, exchange: Exchange, at: datetime, *, follow_up: bool = False) -> _Event:
        if follow_up:
            body = _buyer_follow_up(self.rng, self.text, exchange)
        else:
            body = _buyer_question(
                self.rng,
                self.text,
                exchange,
                context=self.draft.kind in ("purchase", "product"),
                at=at,
            )
        return self.draft.add(_Event(at, Side.BUYER, None, body))

    def say(self, template_pool: Sequence[str], at: datetime) -> _Event:
        """A buyer's short message (thanks, "I've ordered", a nudge)."""
        member = self.member_name(self.member)
        return self.draft.add(
            _Event(at, Side.BUYER, None, self.text(self.rng.choice(template_pool), member=member))
        )

    def answer(
        self, exchange: Exchange, at: datetime, asked_at: datetime, *, first: bool
    ) -> _Event:
        member = self.member
        late = at - asked_at > self.context.goal * 0.8
        reply = self._quick_reply(exchange.key)
        cards: tuple[int, ...] = ()
        if reply is not None and not late:
            body = self._quick_reply_body(reply)
        else:
            reply = None
            body = _store_answer(
                self.rng,
                self.text,
                exchange,
                member=self.member_name(member),
                late=late,
                first=first,
                about_order=self.draft.order is not None,
            )
        if exchange.cards and reply is None:
            count = 1 if exchange.key == "restock" else self.flow.randint(1, 3)
            if exchange.key != "restock" or self.flow.random() < 0.7:
                cards = self._cards(count)
                if cards and exchange.key == "restock":
                    body = f"{body} {self.rng.choice(words.CARD_LINES_SOLD_OUT)}"
        return self.draft.add(_Event(at, Side.STORE, member, body, cards=cards, quick_reply=reply))

    def close(self, at: datetime, *, after_order: bool) -> _Event:
        """After the buyer's thanks: a short reply, or "no response needed"."""
        member = self.member if self.flow.random() < 0.8 else self.flow.randrange(len(self.members))
        if self.flow.random() < self.habits.welcome_share:
            reply = self._quick_reply("ordered") if after_order else None
            if reply is not None:
                body = self._quick_reply_body(reply)
            else:
                pool = words.STORE_ORDER_THANKS if after_order else words.STORE_WELCOMES
                body = self.text(self.rng.choice(pool), member=self.member_name(member))
            return self.draft.add(_Event(at, Side.STORE, member, body, quick_reply=reply))
        return self.draft.add(_Event(at, Side.STORE, member, no_response=True))

    def _quick_reply(self, key: str) -> int | None:
        candidates = self.context.replies_by_store[self.draft.store].get(key, [])
        if not candidates or self.flow.random() >= self.habits.quick_reply_share:
            return None
        return self.flow.choice(candidates)

    def _quick_reply_body(self, reply: int) -> str:
        market, draft = self.context.market, self.draft
        return selectors.fill_quick_reply(
            self.context.quick_replies[reply].body,
            buyer_first_name=market.buyers[draft.buyer].first_name,
            product=market.products[draft.product].title if draft.product is not None else "",
            order_number=market.orders[draft.order].number if draft.order is not None else "",
            store=market.stores[draft.store].name,
        )

    def _cards(self, count: int) -> tuple[int, ...]:
        market = self.context.market
        candidates = [
            index
            for index in self.context.active[self.draft.store]
            if index != self.draft.product and market.products[index].stock > 0
        ]
        if self.draft.product is not None:  # alike first: the same aisle, if it has any
            aisle = market.products[self.draft.product].category_slug
            alike = [i for i in candidates if market.products[i].category_slug == aisle]
            candidates = alike or candidates
        chosen: list[int] = []
        while candidates and len(chosen) < count:
            pick = self.flow.choices(
                candidates, weights=[self.context.popularity[i] for i in candidates]
            )[0]
            chosen.append(pick)
            candidates.remove(pick)
        return tuple(chosen)

    def answer_at(self, asked_at: datetime, speed: str, deadline: datetime | None) -> datetime:
        at = _working(self.flow, asked_at + _answer_delay(self.flow, speed, self.context.goal))
        if deadline is not None and at >= deadline:
            at = asked_at + (deadline - asked_at) * self.flow.uniform(0.1, 0.8)
        return max(at, asked_at + timedelta(minutes=1))

    def run(
        self,
        first: Exchange,
        start: datetime,
        *,
        follow_ups: Sequence[Exchange] = (),
        deadline: datetime | None = None,
        allow_never: bool = True,
        ordered_at: datetime | None = None,
        may_say_later: bool = False,
    ) -> None:
        """The usual course: a question, an answer (or none), maybe another, then an ending.

        ``deadline``: every store answer comes before it (the order shipped, was placed
        or cancelled then); ``ordered_at``: the buyer placed an order then (a purchase).
        """
        flow, draft = self.flow, self.draft
        asked = self.ask(first, start)
        speed = _speed(flow, self.habits, allow_never=allow_never and deadline is None)
        if speed == "never":
            if flow.random() < NUDGE_SHARE:
                self.say(words.BUYER_NUDGES, start + timedelta(hours=flow.uniform(20, 44)))
            return
        answered = self.answer(
            first, self.answer_at(asked.at, speed, deadline), asked.at, first=True
        )
        share = FOLLOW_UP_SHARE[draft.kind]
        if follow_ups and flow.random() < share:
            second = flow.choice([e for e in follow_ups if e.key != first.key] or follow_ups)
            asked_at = answered.at + timedelta(minutes=flow.triangular(2, 20 * 60, 20))
            limit = deadline or (ordered_at - timedelta(minutes=5) if ordered_at else None)
            if limit is None or asked_at < limit - timedelta(minutes=10):
                asked = self.ask(second, asked_at, follow_up=True)
                speed = _speed(flow, self.habits, allow_never=False)
                answered = self.answer(
                    second, self.answer_at(asked.at, speed, limit), asked.at, first=False
                )
        if ordered_at is not None and ordered_at > answered.at and flow.random() < ORDERED_SHARE:
            said = self.say(
                words.BUYER_ORDERED, ordered_at + timedelta(minutes=flow.uniform(1, 30))
            )
            self.close(self._closing_at(said.at), after_order=True)
            return
        ending = flow.random()
        thanks_at = answered.at + timedelta(minutes=flow.triangular(1, 12 * 60, 10))
        if ordered_at is not None and thanks_at >= ordered_at:
            return
        if ending < THANKS_SHARE:
            quick = answered.at - asked.at < timedelta(minutes=15) and flow.random() < 0.3
            said = self.say(words.BUYER_THANKS_FAST if quick else words.BUYER_THANKS, thanks_at)
            self.close(self._closing_at(said.at), after_order=False)
        elif may_say_later and ending < THANKS_SHARE + LATER_SHARE:
            said = self.say(words.BUYER_LATER, thanks_at)
            self.close(self._closing_at(said.at), after_order=False)

    def _closing_at(self, said_at: datetime) -> datetime:
        return _working(self.flow, said_at + timedelta(minutes=self.flow.triangular(2, 8 * 60, 20)))


def _member_for(context: _Context, rng: random.Random, store: int) -> int:
    members = context.market.stores[store].members
    if len(members) > 1 and rng.random() < context.habits[store].agent_share:
        return 1 + rng.randrange(len(members) - 1)
    return 0


def _product_exchanges(product: MarketProduct, *, purchase: bool) -> dict[str, list[Exchange]]:
    family = words.FAMILY_OF_AISLE.get(product.category_slug, "")
    availability = words.IN_STOCK if purchase or product.stock > 0 else words.RESTOCK
    return {
        "availability": [availability],
        "family": list(words.FAMILY_EXCHANGES.get(family, ())) or [words.IN_STOCK],
        "delivery_time": [words.DELIVERY_TIME],
        "returns": [words.RETURNS],
        "gift": [words.GIFT],
        "more_like_this": [words.MORE_LIKE_THIS],
    }


def _product_question(
    rng: random.Random, product: MarketProduct, *, purchase: bool
) -> tuple[Exchange, list[Exchange]]:
    """The first question about a product, and what a follow-up may ask."""
    pools = _product_exchanges(product, purchase=purchase)
    topic = rng.choices(list(PRODUCT_TOPIC_WEIGHTS), weights=PRODUCT_TOPIC_WEIGHTS.values())[0]
    first = rng.choice(pools[topic])
    follow_ups = pools["family"] + [words.DELIVERY_TIME, words.RETURNS, words.GIFT]
    return first, [exchange for exchange in follow_ups if exchange.key != first.key]


def _start_draft(context: _Context, draft: _Draft) -> _Draft | None:
    return draft if context.claim(draft) else None


def _purchase_draft(
    context: _Context,
    choice: random.Random,
    flow: random.Random,
    text_rng: random.Random,
    order_index: int,
) -> _Draft | None:
    """A product question that the buyer's order (``order_index``) followed within 7 days."""
    market = context.market
    order = market.orders[order_index]
    product = choice.choice(order.products)
    joined = market.buyers[order.buyer].date_joined
    longest = min(PURCHASE_WITHIN - timedelta(hours=12), order.placed_at - joined)
    longest -= timedelta(minutes=10)
    if longest < timedelta(hours=1):
        return None
    hours = longest.total_seconds() / 3600
    ahead = timedelta(hours=choice.triangular(1, hours, min(4, hours)))
    draft = _start_draft(context, _Draft(order.buyer, order.store, product, None, "purchase", ""))
    if draft is None:
        return None
    first, follow_ups = _product_question(choice, market.products[product], purchase=True)
    draft.subject = first.key
    text = _Text(
        context,
        text_rng,
        buyer=order.buyer,
        store=order.store,
        product=product,
        order=None,
        start=order.placed_at - ahead,
    )
    member = _member_for(context, choice, order.store)
    _Conversation(context, flow, text_rng, draft, text, member).run(
        first,
        order.placed_at - ahead,
        follow_ups=follow_ups,
        deadline=order.placed_at - timedelta(minutes=5),
        ordered_at=order.placed_at,
    )
    return draft


def _product_draft(
    context: _Context,
    choice: random.Random,
    flow: random.Random,
    text_rng: random.Random,
    buyer: int,
    start: datetime,
) -> _Draft | None:
    store = choice.choices(range(len(context.market.stores)), cum_weights=context.store_cumulative)[
        0
    ]
    products = context.active[store]
    if not products:
        return None
    product = choice.choices(products, weights=[context.popularity[i] for i in products])[0]
    draft = _start_draft(context, _Draft(buyer, store, product, None, "product", ""))
    if draft is None:
        return None
    first, follow_ups = _product_question(choice, context.market.products[product], purchase=False)
    draft.subject = first.key
    text = _Text(
        context, text_rng, buyer=buyer, store=store, product=product, order=None, start=start
    )
    member = _member_for(context, choice, store)
    _Conversation(context, flow, text_rng, draft, text, member).run(
        first, start, follow_ups=follow_ups, may_say_later=True
    )
    return draft


def _general_draft(
    context: _Context,
    choice: random.Random,
    flow: random.Random,
    text_rng: random.Random,
    buyer: int,
    start: datetime,
) -> _Draft | None:
    store = choice.choices(range(len(context.market.stores)), cum_weights=context.store_cumulative)[
        0
    ]
    draft = _start_draft(context, _Draft(buyer, store, None, None, "general", ""))
    if draft is None:
        return None
    first = choice.choice(words.GENERAL_EXCHANGES)
    draft.subject = first.key
    text = _Text(context, text_rng, buyer=buyer, store=store, product=None, order=None, start=start)
    member = _member_for(context, choice, store)
    follow_ups = [exchange for exchange in words.GENERAL_EXCHANGES if exchange.key != first.key]
    _Conversation(context, flow, text_rng, draft, text, member).run(
        first, start, follow_ups=follow_ups
    )
    return draft


def _order_phases(order: MarketOrder) -> list[tuple[str, datetime, datetime, datetime | None]]:
    """Where a conversation about ``order`` can start: (phase, from, to, answer deadline).

    The spans do not stop at ``now``: a conversation that would start later has not
    happened yet, and squeezing it in before ``now`` would crowd the last days.
    """
    minute, hour, day = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
    if order.cancelled_at is not None:
        phases = [("cancelled", order.cancelled_at + day, order.cancelled_at + 6 * day, None)]
        if order.cancelled_at - order.placed_at >= 20 * minute:
            span = ("cancel", order.placed_at + 5 * minute, order.cancelled_at, order.cancelled_at)
            phases.append(span)
        return phases
    phases = []
    placed_end = order.shipped_at or order.placed_at + 2 * day
    if placed_end - order.placed_at >= 20 * minute:
        phases.append(("placed", order.placed_at + 5 * minute, placed_end, order.shipped_at))
    if order.shipped_at is not None:
        shipped_end = order.delivered_at or order.shipped_at + 4 * day
        if shipped_end - order.shipped_at >= 8 * hour:
            span = ("shipped", order.shipped_at + 6 * hour, shipped_end, order.delivered_at)
            phases.append(span)
    if order.delivered_at is not None:
        phases.append(("delivered", order.delivered_at + hour, order.delivered_at + 14 * day, None))
    return phases


def _order_exchanges(phase: str, family: str, several: bool) -> list[Exchange]:
    pool = list(words.ORDER_EXCHANGES[phase])
    if family in words.SIZED_FAMILIES and phase in ("placed", "delivered"):
        pool += words.ORDER_EXCHANGES[f"{phase}_sized"]
    if several and phase == "delivered":
        pool += words.ORDER_EXCHANGES["delivered_several"]
    return pool


def _order_draft(
    context: _Context,
    choice: random.Random,
    flow: random.Random,
    text_rng: random.Random,
    order_index: int,
) -> _Draft | None:
    """A question about an order, at the stage it had reached."""
    market = context.market
    order = market.orders[order_index]
    phases = _order_phases(order)
    phase, begin, end, deadline = choice.choices(
        phases, weights=[PHASE_WEIGHTS[p[0]] for p in phases]
    )[0]
    start = begin + (end - begin) * choice.uniform(0.05, 0.7)
    if start > context.now:
        return None
    product = order.products[0]
    family = words.FAMILY_OF_AISLE.get(market.products[product].category_slug, "")
    pool = _order_exchanges(phase, family, len(order.products) > 1)
    draft = _start_draft(context, _Draft(order.buyer, order.store, None, order_index, "order", ""))
    if draft is None:
        return None
    first = choice.choice(pool)
    draft.subject = first.key
    text = _Text(
        context,
        text_rng,
        buyer=order.buyer,
        store=order.store,
        product=product,
        order=order_index,
        start=start,
    )
    member = _member_for(context, choice, order.store)
    # Only an order still being packed gets a second question ("and can you change …");
    # after that, a problem is the conversation's one subject.
    follow_ups = [e for e in pool if e.key != first.key] if phase == "placed" else []
    _Conversation(context, flow, text_rng, draft, text, member).run(
        first, start, follow_ups=follow_ups, deadline=deadline
    )
    return draft


# --- The demo logins' conversations -------------------------------------------------------------


def _demo_login_drafts(context: _Context, rng: random.Random) -> list[_Draft]:
    """Conversations for whoever tries the demo (see the module docstring); reserved first."""
    logins = _DemoLogins(context, rng)
    if logins.buyer is None or logins.owner_store is None:
        return []
    logins.buyer_waits_to_change_an_order()
    logins.buyer_has_an_unread_answer()
    logins.buyer_asked_about_care()
    logins.buyer_asked_before_buying()
    logins.owner_settled_a_sizing_question()
    logins.owners_queue()
    return logins.drafts


class _DemoLogins:
    """The demo buyer's conversations and the demo owner's queue, each at a set moment.

    The demo buyer's follow their hand-placed orders (``saypro.catalog.demo._build_orders``:
    a just-placed order with the owner's store, one on its way, delivered ones), each with
    another store where there are enough, so their inbox shows several.
    """

    def __init__(self, context: _Context, rng: random.Random) -> None:
        self.context, self.rng, self.now = context, rng, context.now
        market = self.market = context.market
        self.buyer = _buyer_index(market, ACCOUNTS["buyer"].email)
        self.owner_store = _store_index(market, OWNER_STORE_EXTERNAL_ID)
        self.drafts: list[_Draft] = []
        self.orders = [i for i, order in enumerate(market.orders) if order.buyer == self.buyer]
        self.stores_used = {self.owner_store}
        if self.owner_store is not None:
            self.owner_members = range(len(market.stores[self.owner_store].members))

    def start(
        self,
        store: int,
        exchange: Exchange,
        at: datetime,
        *,
        buyer: int | None = None,
        product: int | None = None,
        order: int | None = None,
        kind: str,
    ) -> tuple[_Conversation, _Event] | None:
        """Open a conversation with the buyer's question, or None if its subject is taken."""
        buyer = self.buyer if buyer is None else buyer
        draft = _Draft(buyer, store, product, order, kind, exchange.key)
        if not self.context.claim(draft):
            return None
        self.drafts.append(draft)
        self.stores_used.add(store)
        named = self.market.orders[order].products[0] if order is not None else product
        text = _Text(
            self.context, self.rng, buyer=buyer, store=store, product=named, order=order, start=at
        )
        chat = _Conversation(self.context, self.rng, self.rng, draft, text, member=0)
        return chat, chat.ask(exchange, at)

    def _orders(self, status: str) -> list[int]:
        return [i for i in self.orders if self.market.orders[i].status == status]

    def _other_store(self, orders: list[int]) -> list[int]:
        """``orders`` with a store not used yet first (keeping their order), then the rest."""
        fresh = [i for i in orders if self.market.orders[i].store not in self.stores_used]
        return fresh + [i for i in orders if i not in fresh]

    def buyer_waits_to_change_an_order(self) -> None:
        """The just-placed order with the owner's store: can it still change? Nobody has read it."""
        placed = self._orders(Order.Status.PLACED)
        for index in [i for i in placed if self.market.orders[i].store == self.owner_store][-1:]:
            order = self.market.orders[index]
            product = self.market.products[order.products[0]]
            sized = words.FAMILY_OF_AISLE.get(product.category_slug) in words.SIZED_FAMILIES
            exchange = words.ORDER_EXCHANGES["placed_sized" if sized else "placed"][0]
            at = max(order.placed_at + timedelta(minutes=20), self.now - timedelta(hours=3))
            started = self.start(self.owner_store, exchange, at, order=index, kind="order")
            if started is not None:
                started[0].draft.opened = dict.fromkeys(self.owner_members)

    def buyer_has_an_unread_answer(self) -> None:
        """Where is the order on its way? The store answered 35 minutes ago; not read yet."""
        for index in self._orders(Order.Status.SHIPPED)[-1:]:
            order = self.market.orders[index]
            exchange = words.ORDER_EXCHANGES["shipped"][0]
            at = max(order.shipped_at + timedelta(hours=1), self.now - timedelta(hours=16))
            started = self.start(order.store, exchange, at, order=index, kind="order")
            if started is not None:
                chat, asked = started
                answer_at = max(asked.at + timedelta(minutes=10), self.now - timedelta(minutes=35))
                chat.answer(exchange, answer_at, asked.at, first=True)
                chat.draft.opened = {None: asked.at}

    def buyer_asked_about_care(self) -> None:
        """A delivered order: a care question answered late, then thanks and a reply."""
        delivered = self._orders(Order.Status.DELIVERED)[::-1]  # the most recent first
        for index in self._other_store(delivered)[:1]:
            order = self.market.orders[index]
            exchange = next(e for e in words.ORDER_EXCHANGES["delivered"] if e.key == "care_after")
            at = min(order.delivered_at + timedelta(days=2), self.now - timedelta(days=3))
            started = self.start(order.store, exchange, at, order=index, kind="order")
            if started is not None:
                chat, asked = started
                late = _working(self.rng, asked.at + timedelta(hours=27))
                answered = chat.answer(exchange, late, asked.at, first=True)
                said = chat.say(words.BUYER_THANKS, answered.at + timedelta(hours=2))
                welcome = chat.text(words.STORE_WELCOMES[0])
                chat.draft.add(_Event(said.at + timedelta(minutes=15), Side.STORE, 0, welcome))

    def buyer_asked_before_buying(self) -> None:
        """The oldest delivered order: asked about delivery, got an answer, bought."""
        joined = self.market.buyers[self.buyer].date_joined
        for index in self._other_store(self._orders(Order.Status.DELIVERED))[:1]:
            order = self.market.orders[index]
            at = max(order.placed_at - timedelta(days=2, hours=4), joined + timedelta(hours=1))
            if at >= order.placed_at - timedelta(hours=2):
                return
            product = order.products[0]
            started = self.start(
                order.store, words.DELIVERY_TIME, at, product=product, kind="purchase"
            )
            if started is not None:
                chat, asked = started
                answer_at = min(
                    _working(self.rng, asked.at + timedelta(hours=2, minutes=30)),
                    asked.at + (order.placed_at - asked.at) * 0.5,
                )
                chat.answer(words.DELIVERY_TIME, answer_at, asked.at, first=True)
                said = chat.say(words.BUYER_ORDERED, order.placed_at + timedelta(minutes=6))
                thanks = chat.text(words.STORE_ORDER_THANKS[0])
                chat.draft.add(_Event(said.at + timedelta(minutes=44), Side.STORE, 0, thanks))

    def _owner_products(self) -> list[int]:
        """The owner's store's products on sale, the ones the demo buyer never bought first."""
        market = self.market
        on_sale = [i for i in self.context.active[self.owner_store] if market.products[i].stock]
        bought = {p for i in self.orders for p in market.orders[i].products}
        return [i for i in on_sale if i not in bought] + [i for i in on_sale if i in bought]

    def owner_settled_a_sizing_question(self) -> None:
        """Nine days ago: answered in minutes with a quick reply; thanks; "no response needed"."""
        products = self._owner_products()
        if not products:
            return
        product = products[0]
        family = words.FAMILY_OF_AISLE.get(self.market.products[product].category_slug, "")
        exchange = words.FAMILY_EXCHANGES.get(family, (words.IN_STOCK,))[0]
        at = self.now - timedelta(days=9, hours=3)
        started = self.start(self.owner_store, exchange, at, product=product, kind="product")
        if started is not None:
            chat, asked = started
            chat.habits = _Habits(1, 0, 0, 0, 1.0, 0)  # this answer uses a quick reply if one fits
            answered = chat.answer(exchange, asked.at + timedelta(minutes=12), asked.at, first=True)
            said = chat.say(words.BUYER_THANKS, answered.at + timedelta(minutes=20))
            chat.draft.add(_Event(said.at + timedelta(minutes=55), Side.STORE, 0, no_response=True))

    def owners_queue(self) -> None:
        """Other buyers, waiting for the owner's store: a new question nobody has read, one
        overdue (with a nudge), and one where the buyer just said thanks."""
        now, market = self.now, self.market
        products = self._owner_products()[1:4]
        others = [
            i
            for i, person in enumerate(market.buyers)
            if i != self.buyer and person.date_joined < now - timedelta(days=60)
        ]
        if len(others) < 3 or len(products) < 2:
            return
        new, overdue, thankful = self.rng.sample(others, 3)
        at = now - timedelta(minutes=50)
        started = self.start(
            self.owner_store, words.IN_STOCK, at, buyer=new, product=products[0], kind="product"
        )
        if started is not None:
            started[0].draft.opened = dict.fromkeys(self.owner_members)
        exchange = words.GENERAL_EXCHANGES[0]
        at = now - timedelta(hours=30)
        started = self.start(self.owner_store, exchange, at, buyer=overdue, kind="general")
        if started is not None:
            chat, _ = started
            nudge = chat.say(words.BUYER_NUDGES[1:2], now - timedelta(hours=5))
            seen = nudge.at + timedelta(minutes=40)  # the owner has seen it, the agent not
            chat.draft.opened = {0: seen} | {m: None for m in self.owner_members if m}
        at = now - timedelta(days=2)
        started = self.start(
            self.owner_store,
            words.RETURNS,
            at,
            buyer=thankful,
            product=products[-1],
            kind="product",
        )
        if started is not None:
            chat, asked = started
            chat.member = self.owner_members[-1]  # the agent answered, if there is one
            answered = chat.answer(
                words.RETURNS, asked.at + timedelta(minutes=40), asked.at, first=True
            )
            chat.say(
                words.BUYER_THANKS, max(answered.at + timedelta(hours=1), now - timedelta(hours=1))
            )
            chat.draft.opened = dict.fromkeys(self.owner_members, answered.at + timedelta(hours=2))


# --- Waits and read state ------------------------------------------------------------------------


def _finish(context: _Context, rng: random.Random, draft: _Draft) -> ConversationSpec | None:
    """The conversation as ``services`` would have left it: waits, counters, read state."""
    now, goal = context.now, context.goal
    events = [event for event in draft.events if event.at <= now]
    while events and events[0].no_response:
        events.pop(0)
    if not events:
        return None
    messages: list[MessageSpec] = []
    waits: list[WaitSpec] = []
    open_wait: dict | None = None
    first_response = None
    for event in events:
        if event.no_response:
            if open_wait is not None:
                waits.append(
                    WaitSpec(
                        **open_wait,
                        outcome=Wait.Outcome.NO_RESPONSE_NEEDED,
                        ended_at=event.at,
                        ended_by=event.member,
                    )
                )
                open_wait = None
            continue
        messages.append(
            MessageSpec(
                side=event.side,
                member=event.member,
                text=event.text,
                created_at=event.at,
                cards=event.cards,
                quick_reply=event.quick_reply,
            )
        )
        if event.side == Side.BUYER:
            if open_wait is None:
                open_wait = {
                    "message": len(messages) - 1,
                    "started_at": event.at,
                    "due_at": event.at + goal,
                }
        elif open_wait is not None:
            seconds = max(0, int((event.at - open_wait["started_at"]).total_seconds()))
            if not waits and first_response is None:
                first_response = seconds
            waits.append(
                WaitSpec(
                    **open_wait,
                    outcome=Wait.Outcome.ANSWERED,
                    ended_at=event.at,
                    ended_by=event.member,
                    response_seconds=seconds,
                )
            )
            open_wait = None
    if open_wait is not None:
        waits.append(WaitSpec(**open_wait, outcome=Wait.Outcome.OPEN))
    members = len(context.market.stores[draft.store].members)
    reads = tuple(
        _read(rng, context, draft, messages, participant, has_open_wait=open_wait is not None)
        for participant in (None, *range(members))
    )
    placed = context.orders_of.get((draft.buyer, draft.store), [])
    created = messages[0].created_at
    position = bisect_right(placed, created)
    followed = position < len(placed) and placed[position] <= created + PURCHASE_WITHIN
    return ConversationSpec(
        buyer=draft.buyer,
        store=draft.store,
        product=draft.product,
        order=draft.order,
        kind=draft.kind,
        subject=draft.subject,
        messages=tuple(messages),
        waits=tuple(waits),
        reads=reads,
        first_response_seconds=first_response,
        followed_by_purchase=followed,
    )


READ_DELAY_HOURS = {"buyer": 1.5, "owner": 0.75, "agent": 3.0}  # median time to open a message


def _read(
    rng: random.Random,
    context: _Context,
    draft: _Draft,
    messages: list[MessageSpec],
    participant: int | None,
    *,
    has_open_wait: bool,
) -> ReadSpec:
    """How far ``participant`` (None: the buyer) has read, as ``send_message`` and ``mark_read``
    would have left it: everything up to their own last message, and everything if they
    have opened the conversation since the other side last wrote."""
    now = context.now

    def sender(message: MessageSpec) -> int | None:
        return None if message.side == Side.BUYER else message.member

    own = [i for i, m in enumerate(messages) if sender(m) == participant]
    others = [i for i, m in enumerate(messages) if sender(m) != participant]
    position, read_at = (own[-1], messages[own[-1]].created_at) if own else (-1, None)
    last_at = messages[-1].created_at
    if participant in draft.opened:
        opened = draft.opened[participant]
    elif others:
        role = "buyer" if participant is None else "owner" if participant == 0 else "agent"
        delay = timedelta(hours=rng.lognormvariate(math.log(READ_DELAY_HOURS[role]), 1.0))
        opened = messages[others[-1]].created_at + delay
        if last_at <= now - SETTLED_AFTER:
            opened = min(opened, now)
    else:
        opened = None
    if opened is not None and opened <= now:
        seen = [i for i, m in enumerate(messages) if m.created_at <= opened]
        if seen and seen[-1] > position:
            position, read_at = seen[-1], max(opened, messages[seen[-1]].created_at)
    unread = sum(
        1 for i in range(position + 1, len(messages)) if sender(messages[i]) != participant
    )
    archived = (
        not has_open_wait
        and not draft.opened
        and unread == 0
        and last_at <= now - ARCHIVED_AFTER
        and rng.random() < (0.1 if participant is None else 0.05)
    )
    return ReadSpec(participant, position, read_at, unread, archived)


# --- Writing it --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MessagingReport:
    created: bool  # False: demo conversations were already there (or no demo marketplace)
    conversations: int
    about_products: int
    about_orders: int
    general: int
    messages: int
    growth: float | None  # conversations started in the last 91 days / in the 91 days before
    first_answers: int
    answered_within_hour: int
    answered_on_time: int  # first answers within the response goal
    waiting: int  # open waits
    overdue: int  # open waits past their due time
    abandoned: int  # open waits started more than 48 hours ago
    no_response_needed: int
    followed_by_purchase: int  # conversations the buyer's order from the store followed in 7 days
    cards: int
    quick_replies: int
    quick_reply_messages: int
    seconds: float


def _demo_conversations():
    return Conversation.objects.filter(store__external_id__startswith=STORE_EXTERNAL_ID_PREFIX)


def demo_messaging_present() -> bool:
    return _demo_conversations().exists()


def load_demo_messaging(
    *,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
    progress: ProgressFactory = no_progress,
) -> MessagingReport:
    """Write the demo conversations in one transaction, unless a demo store already has one.

    Atomic: a failure part-way leaves the database as it was. Works on any demo
    marketplace, also one loaded before messaging existed.
    """
    started = time.monotonic()
    now = now or timezone.now()
    with transaction.atomic():
        if demo_messaging_present():
            return _existing_report(now, time.monotonic() - started)
        market = read_demo_market()
        spec = build_messaging(seed=seed, now=now, market=market)
        if spec.conversations:
            _write(spec, market, progress)
    return _report(spec, now, time.monotonic() - started)


def _report(spec: MessagingSpec, now: datetime, seconds: float) -> MessagingReport:
    conversations = spec.conversations
    kinds = Counter(c.kind for c in conversations)
    goal = _goal()
    firsts = [
        c.first_response_seconds for c in conversations if c.first_response_seconds is not None
    ]
    waits = [w for c in conversations for w in c.waits]
    open_waits = [w for w in waits if w.outcome == Wait.Outcome.OPEN]
    messages = [m for c in conversations for m in c.messages]
    return MessagingReport(
        created=bool(conversations),
        conversations=len(conversations),
        about_products=kinds["purchase"] + kinds["product"],
        about_orders=kinds["order"],
        general=kinds["general"],
        messages=len(messages),
        growth=_growth_of([c.created_at for c in conversations], now),
        first_answers=len(firsts),
        answered_within_hour=sum(s <= 3600 for s in firsts),
        answered_on_time=sum(s <= goal.total_seconds() for s in firsts),
        waiting=len(open_waits),
        overdue=sum(w.due_at <= now for w in open_waits),
        abandoned=sum(w.started_at <= now - ABANDONED_AFTER for w in open_waits),
        no_response_needed=sum(w.outcome == Wait.Outcome.NO_RESPONSE_NEEDED for w in waits),
        followed_by_purchase=sum(c.followed_by_purchase for c in conversations),
        cards=sum(len(m.cards) for m in messages),
        quick_replies=len(spec.quick_replies),
        quick_reply_messages=sum(m.quick_reply is not None for m in messages),
        seconds=seconds,
    )


def _growth_of(moments: Sequence[datetime], now: datetime) -> float | None:
    """Conversations started in the last 91 days against the 91 days before."""
    last = sum(now - QUARTER < moment <= now for moment in moments)
    before = sum(now - 2 * QUARTER < moment <= now - QUARTER for moment in moments)
    return last / before if before else None


def _existing_report(now: datetime, seconds: float) -> MessagingReport:
    conversations = _demo_conversations()
    waits = Wait.objects.filter(conversation__in=conversations)
    open_waits = waits.filter(outcome=Wait.Outcome.OPEN)
    messages = Message.objects.filter(conversation__in=conversations)
    firsts = conversations.filter(first_response_seconds__isnull=False)
    goal = _goal()
    return MessagingReport(
        created=False,
        conversations=conversations.count(),
        about_products=conversations.filter(order=None, product__isnull=False).count(),
        about_orders=conversations.filter(order__isnull=False).count(),
        general=conversations.filter(order=None, product=None).count(),
        messages=messages.count(),
        growth=_growth_of(list(conversations.values_list("created_at", flat=True)), now),
        first_answers=firsts.count(),
        answered_within_hour=firsts.filter(first_response_seconds__lte=3600).count(),
        answered_on_time=firsts.filter(first_response_seconds__lte=goal.total_seconds()).count(),
        waiting=open_waits.count(),
        overdue=open_waits.filter(due_at__lte=now).count(),
        abandoned=open_waits.filter(started_at__lte=now - ABANDONED_AFTER).count(),
        no_response_needed=waits.filter(outcome=Wait.Outcome.NO_RESPONSE_NEEDED).count(),
        followed_by_purchase=0,
        cards=ProductCard.objects.filter(message__in=messages).count(),
        quick_replies=QuickReply.objects.filter(
            store__external_id__startswith=STORE_EXTERNAL_ID_PREFIX
        ).count(),
        quick_reply_messages=messages.filter(quick_reply__isnull=False).count(),
        seconds=seconds,
    )


def _write(spec: MessagingSpec, market: DemoMarket, progress: ProgressFactory) -> None:
    conversations = spec.conversations
    message_count = sum(len(c.messages) for c in conversations)
    bar = progress("Messaging", len(conversations) + message_count)

    def bulk(model, objects: list) -> list:
        for start in range(0, len(objects), BATCH_SIZE):
            model.objects.bulk_create(objects[start : start + BATCH_SIZE])
        return objects

    replies = bulk(
        QuickReply,
        [
            QuickReply(
                store_id=market.stores[reply.store].pk,
                title=reply.title,
                body=reply.body,
                topic=reply.topic,
                usage_count=reply.usage_count,
                created_at=reply.created_at,
                updated_at=reply.created_at,
            )
            for reply in spec.quick_replies
        ],
    )
    rows = []
    for conversation in conversations:
        open_wait = conversation.open_wait
        rows.append(
            Conversation(
                buyer_id=market.buyers[conversation.buyer].pk,
                store_id=market.stores[conversation.store].pk,
                product_id=(
                    market.products[conversation.product].pk
                    if conversation.product is not None
                    else None
                ),
                order_id=(
                    market.orders[conversation.order].pk if conversation.order is not None else None
                ),
                topic=conversation.topic(market),
                started_by=Side.BUYER,
                created_at=conversation.created_at,
                last_message_at=conversation.last_message_at,
                message_count=len(conversation.messages),
                waiting_since=open_wait.started_at if open_wait else None,
                due_at=open_wait.due_at if open_wait else None,
                first_response_seconds=conversation.first_response_seconds,
            )
        )
    bulk(Conversation, rows)
    bar.update(len(rows))

    # Messages in time order, so their ids read in the order they were sent.
    ordered = sorted(
        (
            (message.created_at, index, position)
            for index, conversation in enumerate(conversations)
            for position, message in enumerate(conversation.messages)
        )
    )
    message_rows: dict[tuple[int, int], Message] = {}
    batch: list[Message] = []
    for _, index, position in ordered:
        conversation = conversations[index]
        message = conversation.messages[position]
        members = market.stores[conversation.store].members
        sender = (
            market.buyers[conversation.buyer].pk
            if message.side == Side.BUYER
            else members[message.member][0]
        )
        cards = [market.products[card].pk for card in message.cards]
        row = Message(
            conversation=rows[index],
            sender_id=sender,
            side=message.side,
            text=message.text,
            fingerprint=safety.fingerprint(message.text, [], cards),
            quick_reply=replies[message.quick_reply] if message.quick_reply is not None else None,
            contact_details=bool(safety.contact_details(message.text)),
            created_at=message.created_at,
        )
        message_rows[(index, position)] = row
        batch.append(row)
        if len(batch) == BATCH_SIZE:
            Message.objects.bulk_create(batch)
            bar.update(len(batch))
            batch = []
    Message.objects.bulk_create(batch)
    bar.update(len(batch))
    bar.close()

    bulk(
        ProductCard,
        [
            ProductCard(
                message=message_rows[(index, position)],
                product_id=market.products[card].pk,
                position=order,
            )
            for index, conversation in enumerate(conversations)
            for position, message in enumerate(conversation.messages)
            for order, card in enumerate(message.cards)
        ],
    )
    waits = sorted(
        (
            (wait.started_at, index, wait)
            for index, conversation in enumerate(conversations)
            for wait in conversation.waits
        ),
        key=lambda item: (item[0], item[1]),
    )
    bulk(
        Wait,
        [
            Wait(
                conversation=rows[index],
                message=message_rows[(index, wait.message)],
                started_at=wait.started_at,
                due_at=wait.due_at,
                outcome=wait.outcome,
                ended_at=wait.ended_at,
                ended_by_id=(
                    market.stores[conversations[index].store].members[wait.ended_by][0]
                    if wait.ended_by is not None
                    else None
                ),
                response_seconds=wait.response_seconds,
            )
            for _, index, wait in waits
        ],
    )
    bulk(
        Participant,
        [
            Participant(
                conversation=rows[index],
                user_id=(
                    market.buyers[conversation.buyer].pk
                    if read.member is None
                    else market.stores[conversation.store].members[read.member][0]
                ),
                side=Side.BUYER if read.member is None else Side.STORE,
                unread=read.unread,
                last_read_message_id=(
                    message_rows[(index, read.last_read)].pk if read.last_read >= 0 else 0
                ),
                last_read_at=read.read_at,
                archived=read.archived,
            )
            for index, conversation in enumerate(conversations)
            for read in conversation.reads
        ],
    )
    # Each conversation's last message: the largest id, as messages were written in time order.
    last = Message.objects.filter(conversation=OuterRef("pk")).order_by().values("conversation")
    pks = [row.pk for row in rows]
    for start in range(0, len(pks), BATCH_SIZE):
        Conversation.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).update(
            last_message=Subquery(last.annotate(last=Max("pk")).values("last"))
        )
