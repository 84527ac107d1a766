"""Demo conversations: ``saypro.messaging.demo`` and the messaging part of ``saypro demo``."""

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from saypro.accounts.models import User
from saypro.catalog import demo as catalog_demo
from saypro.catalog.models import Store, StoreMembership
from saypro.core.models import Event, Mailbox
from saypro.messaging import demo, safety, selectors, services
from saypro.messaging import demo_vocabulary as words
from saypro.messaging.models import (
    Conversation,
    Message,
    Participant,
    ProductCard,
    QuickReply,
    Side,
    Wait,
)

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
GOAL = timedelta(hours=settings.MESSAGING_RESPONSE_GOAL_HOURS)
QUARTER = timedelta(days=91)


def market_from_spec(spec: catalog_demo.DemoSpec) -> demo.DemoMarket:
    """What ``read_demo_market`` reads once ``spec`` is loaded, with list positions as ids."""
    buyer_order = sorted(range(spec.buyers), key=lambda person: spec.people[person].email)
    buyer_index = {person: position for position, person in enumerate(buyer_order)}
    buyers = [
        demo.MarketBuyer(
            person,
            spec.people[person].email,
            spec.people[person].first_name,
            spec.people[person].date_joined,
        )
        for person in buyer_order
    ]
    descriptions = defaultdict(list)
    for product in spec.products:
        descriptions[product.store].append(product.description)
    stores = [
        demo.MarketStore(
            pk=index,
            external_id=store.external_id,
            name=store.name,
            city=demo.store_city(store.name, store.description),
            dispatch=demo.dispatch_time(descriptions[index]),
            members=tuple(
                (member, spec.people[member].first_name)
                for member in (store.owner, store.agent)
                if member is not None
            ),
        )
        for index, store in enumerate(spec.stores)
    ]
    products = [
        demo.MarketProduct(
            index,
            product.store,
            product.category_slug,
            product.title,
            product.is_active,
            product.stock,
        )
        for index, product in enumerate(spec.products)
    ]
    orders = [
        demo.MarketOrder(
            pk=index,
            number=order.number,
            buyer=buyer_index[order.buyer],
            store=order.store,
            status=order.status,
            placed_at=order.placed_at,
            shipped_at=order.shipped_at,
            delivered_at=order.delivered_at,
            cancelled_at=order.cancelled_at,
            products=tuple(product for product, _ in order.lines),
        )
        for index, order in enumerate(
            sorted(spec.orders, key=lambda order: (order.placed_at, order.number))
        )
        if order.buyer in buyer_index
    ]
    return demo.DemoMarket(stores=stores, buyers=buyers, products=products, orders=orders)


def run_demo(*args: str) -> str:
    stdout = StringIO()
    call_command("demo", *args, stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


@pytest.fixture
def loaded(db) -> demo.MessagingReport:
    """The tiny demo marketplace with its conversations, as of NOW."""
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)
    return demo.load_demo_messaging(seed=1, now=NOW)


@pytest.fixture(scope="module")
def small() -> tuple[demo.DemoMarket, demo.MessagingSpec]:
    """The default scale's conversations, described without a database, for statistics."""
    market = market_from_spec(catalog_demo.build_demo(seed=1, scale="small", now=NOW))
    return market, demo.build_messaging(seed=1, now=NOW, market=market)


def in_quarter(moments, quarters_ago: int) -> int:
    """How many of ``moments`` fall in the 91 days that ended ``quarters_ago`` quarters ago."""
    end = NOW - quarters_ago * QUARTER
    return sum(end - QUARTER < moment <= end for moment in moments)


# --- The vocabulary -----------------------------------------------------------------------


def every_exchange():
    yield from (*words.PRODUCT_COMMON, words.RESTOCK)
    for exchanges in (*words.FAMILY_EXCHANGES.values(), *words.ORDER_EXCHANGES.values()):
        yield from exchanges
    yield from words.GENERAL_EXCHANGES


def test_every_template_fills_for_every_family_and_has_no_contact_details():
    aisles = {family: slug for slug, family in words.FAMILY_OF_AISLE.items() if family}
    titles = {"shoes": "Classic suede Chelsea boots", "clothes": "Wrap linen dress"}
    market = demo.DemoMarket(
        stores=[demo.MarketStore(1, "demo-store-001", "Karoo Co", "Paarl", "1 working day", ())],
        buyers=[demo.MarketBuyer(1, "a@demo.saypro.test", "Thandi", NOW - 100 * DAY)],
        products=[
            demo.MarketProduct(i, 0, slug, titles.get(family, "Hand-made thing"), True, 3)
            for i, (family, slug) in enumerate(sorted(aisles.items()))
        ],
        orders=[],
    )
    context = demo._Context(1, NOW, market)
    templates = [
        template
        for exchange in every_exchange()
        for template in exchange.questions + exchange.answers
    ] + [
        template
        for pool in (
            words.BUYER_GREETINGS,
            words.BUYER_MORNING_GREETINGS,
            words.BUYER_CONTEXTS,
            words.BUYER_THANKS,
            words.BUYER_THANKS_FAST,
            words.BUYER_ORDERED,
            words.BUYER_LATER,
            words.BUYER_NUDGES,
            words.STORE_GREETINGS,
            words.STORE_QUESTION_GREETINGS,
            words.STORE_LATE_APOLOGIES,
            words.STORE_EXTRAS,
            words.STORE_SIGNATURES,
            words.STORE_WELCOMES,
            words.STORE_ORDER_THANKS,
            words.CARD_LINES_SOLD_OUT,
        )
        for template in pool
    ]
    rng = demo._stream(1, "test")
    for product in range(len(market.products)):
        text = demo._Text(context, rng, buyer=0, store=0, product=product, order=None, start=NOW)
        for template in templates:
            filled = text(template, member="Sipho")
            assert "{" not in filled and "}" not in filled, template
            assert safety.contact_details(filled) == [], filled
    assert {exchange.topic for exchange in every_exchange()} <= set(QuickReply.Topic.values)


def test_quick_replies_use_only_known_variables_and_cover_the_four_topics():
    for topic, templates in words.QUICK_REPLIES.items():
        assert topic in QuickReply.Topic.values
        for template in templates:
            assert set(selectors.QUICK_REPLY_VARIABLE.findall(template.body)) <= set(
                services.QUICK_REPLY_VARIABLES
            )
            assert len(template.title) <= 80
            for key in template.answers:
                assert key == "ordered" or key in {e.key for e in every_exchange()}
    assert {"availability", "sizing", "delivery", "returns"} <= set(words.QUICK_REPLIES)


def test_store_city_and_dispatch_time_are_read_from_the_descriptions():
    description = "Based in Durban, Stellenbosch Atelier brings you women's clothing."
    assert demo.store_city("Stellenbosch Atelier", description) == "Durban"
    assert demo.dispatch_time(["Dispatched from Durban within 1 working day by courier."]) == (
        "1 working day"
    )
    assert demo.dispatch_time(["Ships within 3 working days.", "No words."]) == "3 working days"


# --- The description, at the default scale ----------------------------------------------------


def test_same_seed_same_conversations_and_another_seed_other_ones():
    market = market_from_spec(catalog_demo.build_demo(seed=2, scale="tiny", now=NOW))

    first = demo.build_messaging(seed=2, now=NOW, market=market)
    again = demo.build_messaging(seed=2, now=NOW, market=market)
    other = demo.build_messaging(seed=3, now=NOW, market=market)

    assert again == first
    assert other.conversations != first.conversations


def test_conversations_rise_about_30_percent_a_quarter(small):
    _, spec = small
    started = [c.created_at for c in spec.conversations]
    messages = [m.created_at for c in spec.conversations for m in c.messages]

    quarters = [in_quarter(started, ago) for ago in (2, 1, 0)]

    assert quarters[0] < quarters[1] < quarters[2]
    assert 1.2 < quarters[2] / quarters[1] < 1.45
    assert 1.2 < in_quarter(messages, 0) / in_quarter(messages, 1) < 1.45
    assert min(started) >= NOW - timedelta(days=catalog_demo.ORDER_WINDOW_DAYS + 7)
    assert max(m for m in messages) <= NOW


def test_products_orders_and_general_questions_in_a_realistic_mix(small):
    market, spec = small
    conversations = spec.conversations
    kinds = Counter(c.kind for c in conversations)
    total = len(conversations)

    assert 3500 < total < 4500  # about one per five orders
    assert kinds["purchase"] / total == pytest.approx(0.2, abs=0.03)
    assert kinds["product"] / total == pytest.approx(0.35, abs=0.03)
    assert kinds["order"] / total == pytest.approx(0.35, abs=0.03)
    assert kinds["general"] / total == pytest.approx(0.1, abs=0.02)
    assert len({c.subject for c in conversations}) >= 40  # sizing, care, delivery, damaged, ...
    for conversation in conversations:
        if conversation.product is not None:
            product = market.products[conversation.product]
            assert product.store == conversation.store and product.is_active
        if conversation.order is not None:
            order = market.orders[conversation.order]
            assert (order.buyer, order.store) == (conversation.buyer, conversation.store)
            assert order.placed_at < conversation.created_at
        assert market.buyers[conversation.buyer].date_joined < conversation.created_at
    keys = Counter((c.buyer, c.store, c.product, c.order) for c in conversations)
    assert max(keys.values()) == 1  # one conversation per buyer, store and subject
    texts = [m.text for c in conversations for m in c.messages if m.quick_reply is None]
    assert len(set(texts)) > 0.6 * len(texts)
    assert all(safety.contact_details(text) == [] for text in texts)


def test_stores_answer_fast_slowly_or_never_and_buyers_say_thanks(small):
    _, spec = small
    conversations = spec.conversations
    firsts = [c.first_response_seconds for c in conversations if c.first_response_seconds]
    waits = [w for c in conversations for w in c.waits]
    goal = GOAL.total_seconds()
    open_waits = [w for w in waits if w.outcome == Wait.Outcome.OPEN]
    abandoned = [w for w in open_waits if w.started_at <= NOW - 48 * HOUR]

    assert 0.25 < sum(s <= 3600 for s in firsts) / len(firsts) < 0.5
    assert sum(s <= 15 * 60 for s in firsts) > 0.1 * len(firsts)  # minutes
    assert 0.05 < sum(s > goal for s in firsts) / len(firsts) < 0.2  # later than the goal
    assert 0.01 < len(abandoned) / len(conversations) < 0.06
    assert any(w.started_at > NOW - GOAL for w in open_waits)  # still within the goal
    no_response = [w for w in waits if w.outcome == Wait.Outcome.NO_RESPONSE_NEEDED]
    assert len(no_response) > 0.15 * len(conversations)
    for conversation in conversations:  # "no response needed" follows a buyer's thanks
        for wait in conversation.waits:
            if wait.outcome == Wait.Outcome.NO_RESPONSE_NEEDED:
                assert wait.message > 0 and wait.response_seconds is None


def test_some_conversations_lead_to_a_purchase_within_7_days(small):
    market, spec = small
    purchases = [c for c in spec.conversations if c.kind == "purchase"]

    assert sum(c.followed_by_purchase for c in spec.conversations) > 0.18 * len(spec.conversations)
    for conversation in purchases:
        orders = [
            order
            for order in market.orders
            if (order.buyer, order.store) == (conversation.buyer, conversation.store)
            and conversation.created_at < order.placed_at <= conversation.created_at + 7 * DAY
            and conversation.product in order.products
        ]
        assert orders and conversation.followed_by_purchase
        first_answer = next(m for m in conversation.messages if m.side == Side.STORE)
        assert first_answer.created_at < orders[0].placed_at  # answered, then bought


def test_stores_send_product_cards_and_quick_replies(small):
    market, spec = small
    replies_per_store = Counter(reply.store for reply in spec.quick_replies)
    topics = defaultdict(set)
    for reply in spec.quick_replies:
        topics[reply.store].add(reply.topic)
    messages = [(c, m) for c in spec.conversations for m in c.messages]
    with_cards = [(c, m) for c, m in messages if m.cards]
    with_replies = [(c, m) for c, m in messages if m.quick_reply is not None]

    assert set(replies_per_store.values()) <= {4, 5, 6}
    assert len(replies_per_store) == len(market.stores)
    assert all(t >= {"availability", "sizing", "delivery", "returns"} for t in topics.values())
    assert len(with_cards) > 0.02 * len(spec.conversations)
    assert len(with_replies) > 0.02 * len(spec.conversations)
    for conversation, message in with_cards:
        assert message.side == Side.STORE
        for card in message.cards:
            product = market.products[card]
            assert product.store == conversation.store and product.is_active
            assert card != conversation.product
    for conversation, message in with_replies:
        assert spec.quick_replies[message.quick_reply].store == conversation.store
        assert message.side == Side.STORE
    usage = Counter(m.quick_reply for _, m in with_replies)
    assert all(r.usage_count == usage[i] for i, r in enumerate(spec.quick_replies))


# --- Loaded into the database ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_market_read_from_the_database_is_the_one_described():
    spec = catalog_demo.build_demo(seed=1, scale="tiny", now=NOW)
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)

    read = demo.read_demo_market()
    described = market_from_spec(spec)

    def without_ids(market: demo.DemoMarket) -> tuple:
        return (
            [
                (s.external_id, s.name, s.city, s.dispatch, [n for _, n in s.members])
                for s in market.stores
            ],
            [(b.email, b.first_name, b.date_joined) for b in market.buyers],
            [(p.store, p.category_slug, p.title, p.is_active, p.stock) for p in market.products],
            [{**o.__dict__, "pk": None} for o in market.orders],
        )

    assert without_ids(read) == without_ids(described)
    assert demo.build_messaging(seed=1, now=NOW, market=read) == demo.build_messaging(
        seed=1, now=NOW, market=described
    )


@pytest.mark.django_db
def test_load_writes_the_described_conversations(loaded):
    conversations = Conversation.objects.all()

    assert loaded.created
    assert conversations.count() == loaded.conversations > 50
    assert Message.objects.count() == loaded.messages
    assert ProductCard.objects.count() == loaded.cards
    assert QuickReply.objects.count() == loaded.quick_replies
    assert Message.objects.filter(quick_reply__isnull=False).count() == loaded.quick_reply_messages
    assert Wait.objects.filter(outcome=Wait.Outcome.OPEN).count() == loaded.waiting
    assert conversations.filter(order__isnull=False).count() == loaded.about_orders
    assert not Message.objects.filter(is_spam=True).exists()
    assert not Message.objects.filter(contact_details=True).exists()
    for conversation in conversations.select_related("product", "order"):
        expected = (
            f"order:{conversation.order_id}"
            if conversation.order_id
            else f"product:{conversation.product_id}"
            if conversation.product_id
            else ""
        )
        assert conversation.topic == expected
        assert conversation.started_by == Side.BUYER


@pytest.mark.django_db
def test_every_conversation_counts_and_dates_its_messages(loaded):
    members = defaultdict(set)
    for store_id, user_id in StoreMembership.objects.values_list("store_id", "user_id"):
        members[store_id].add(user_id)

    for conversation in Conversation.objects.all():
        messages = list(conversation.messages.order_by("pk"))
        assert conversation.message_count == len(messages) > 0
        assert conversation.last_message_id == messages[-1].pk
        assert conversation.last_message_at == messages[-1].created_at <= NOW
        assert conversation.created_at == messages[0].created_at
        assert messages[0].side == Side.BUYER
        times = [message.created_at for message in messages]
        assert times == sorted(times) and len(set(times)) == len(times)  # ids in time order
        for message in messages:
            if message.side == Side.BUYER:
                assert message.sender_id == conversation.buyer_id
            else:
                assert message.sender_id in members[conversation.store_id]
            assert message.fingerprint == safety.fingerprint(
                message.text, [], list(message.cards.values_list("product_id", flat=True))
            )


@pytest.mark.django_db
def test_waits_are_what_sending_and_no_response_needed_leave(loaded):
    for conversation in Conversation.objects.all():
        messages = list(conversation.messages.order_by("pk"))
        waits = list(conversation.waits.order_by("pk"))
        by_id = {message.pk: message for message in messages}
        open_waits = [wait for wait in waits if wait.outcome == Wait.Outcome.OPEN]

        assert open_waits == waits[-1:] if open_waits else not open_waits
        for wait, following in zip(waits, [*waits[1:], None], strict=True):
            started_by = by_id[wait.message_id]
            assert started_by.side == Side.BUYER
            assert wait.started_at == started_by.created_at
            assert wait.due_at == wait.started_at + GOAL
            # the store's first message after the wait started is what ended it, if anything
            reply = next(
                (m for m in messages if m.side == Side.STORE and m.created_at > wait.started_at),
                None,
            )
            if wait.outcome == Wait.Outcome.ANSWERED:
                assert (wait.ended_at, wait.ended_by_id) == (reply.created_at, reply.sender_id)
                assert wait.response_seconds == int(
                    (reply.created_at - wait.started_at).total_seconds()
                )
            elif wait.outcome == Wait.Outcome.NO_RESPONSE_NEEDED:
                assert reply is None or reply.created_at > wait.ended_at
                assert wait.response_seconds is None and wait.ended_by_id is not None
                assert wait.ended_at > wait.started_at
            else:
                assert reply is None and wait.ended_at is None
            if following is not None:  # the next wait starts with the next buyer message
                assert wait.ended_at <= following.started_at
                first_after = next(
                    m for m in messages if m.side == Side.BUYER and m.created_at > wait.ended_at
                )
                assert first_after.pk == following.message_id
        assert conversation.waiting_since == (open_waits[0].started_at if open_waits else None)
        assert conversation.due_at == (open_waits[0].due_at if open_waits else None)
        first = waits[0] if waits else None
        answered_first = first is not None and first.outcome == Wait.Outcome.ANSWERED
        assert conversation.first_response_seconds == (
            first.response_seconds if answered_first else None
        )
        # every buyer message opened a wait or came while one was open
        for message in messages:
            if message.side == Side.BUYER:
                assert any(
                    w.started_at <= message.created_at
                    and (w.ended_at is None or message.created_at < w.ended_at)
                    for w in waits
                )


@pytest.mark.django_db
def test_the_buyer_and_every_store_member_take_part_with_consistent_read_state(loaded):
    members = defaultdict(set)
    for store_id, user_id in StoreMembership.objects.values_list("store_id", "user_id"):
        members[store_id].add(user_id)
    unread_somewhere = 0

    for conversation in Conversation.objects.prefetch_related("participants", "messages"):
        messages = sorted(conversation.messages.all(), key=lambda m: m.pk)
        states = {p.user_id: p for p in conversation.participants.all()}
        assert set(states) == {conversation.buyer_id} | members[conversation.store_id]
        settled = conversation.last_message_at <= NOW - 3 * DAY
        for user_id, state in states.items():
            assert state.side == (Side.BUYER if user_id == conversation.buyer_id else Side.STORE)
            own = [m.pk for m in messages if m.sender_id == user_id]
            assert state.last_read_message_id in {0, *(m.pk for m in messages)}
            assert state.last_read_message_id >= max(own, default=0)
            assert state.unread == sum(
                1 for m in messages if m.pk > state.last_read_message_id and m.sender_id != user_id
            )
            assert (state.last_read_at is None) == (state.last_read_message_id == 0)
            if settled:
                assert state.unread == 0
            unread_somewhere += state.unread > 0
            assert not state.muted
    assert unread_somewhere >= 3


@pytest.mark.django_db
def test_cards_and_quick_replies_are_the_stores_own(loaded):
    for card in ProductCard.objects.select_related("message__conversation", "product"):
        conversation = card.message.conversation
        assert card.product.store_id == conversation.store_id and card.product.is_active
        assert card.message.side == Side.STORE
    for message in Message.objects.filter(quick_reply__isnull=False).select_related(
        "quick_reply",
        "conversation__buyer",
        "conversation__store",
        "conversation__product",
        "conversation__order",
    ):
        assert message.quick_reply.store_id == message.conversation.store_id
        assert message.text == selectors.render_quick_reply(
            message.quick_reply, message.conversation
        )
    stores = Store.objects.filter(external_id__startswith="demo-store-")
    for store in stores:
        replies = list(store.quick_replies.all())
        assert 4 <= len(replies) <= 6
        assert {"availability", "sizing", "delivery", "returns"} <= {r.topic for r in replies}
        for reply in replies:
            assert reply.usage_count == reply.messages.count()
            variables = set(selectors.QUICK_REPLY_VARIABLE.findall(reply.body))
            assert variables <= set(services.QUICK_REPLY_VARIABLES) and len(reply.title) <= 80


@pytest.mark.django_db
def test_the_demo_logins_find_their_inbox_working(loaded):
    buyer = User.objects.get(email="buyer@demo.saypro.test")
    owner = User.objects.get(email="owner@demo.saypro.test")
    agent = User.objects.get(email="agent@demo.saypro.test")
    store = Store.objects.get(external_id="demo-store-001")

    inbox = list(selectors.conversations_of(buyer))
    assert len(inbox) >= 5
    assert len({c.store_id for c in inbox}) >= 4
    assert any(c.due_at is not None and c.store_id == store.pk for c in inbox)  # waiting
    assert any(c.unread > 0 for c in inbox)  # an answer not read yet
    assert any(c.order_id for c in inbox) and any(c.product_id for c in inbox)

    waiting = list(selectors.conversations_of(owner, store=store, box="waiting"))
    assert len(waiting) >= 3
    assert waiting[0].due_at <= NOW  # the overdue one heads the inbox
    assert sum(c.due_at > NOW for c in waiting) >= 2
    assert sum(c.unread > 0 for c in waiting) >= 2
    assert list(selectors.conversations_of(agent, store=store, box="waiting")) == waiting
    assert selectors.total_unread([buyer.pk, owner.pk]) == {
        buyer.pk: sum(c.unread for c in inbox),
        owner.pk: sum(c.unread for c in selectors.conversations_of(owner, store=store, box="all")),
    }
    # answered once, and the buyer wrote again (thanks): ready for "no response needed"
    assert any(c.first_response_seconds is not None for c in waiting)


@pytest.mark.django_db
def test_the_services_carry_on_from_the_demo_state(loaded):
    owner = User.objects.get(email="owner@demo.saypro.test")
    buyer = User.objects.get(email="buyer@demo.saypro.test")
    store = Store.objects.get(external_id="demo-store-001")
    waiting = list(selectors.conversations_of(owner, store=store, box="waiting"))
    conversation = next(c for c in waiting if c.buyer_id == buyer.pk)
    count = conversation.message_count

    message, _ = services.send_message(owner, conversation, text="All sorted, Thandi!")
    services.mark_read(buyer, conversation)
    other = next(c for c in waiting if c.buyer_id != buyer.pk)
    services.no_response_needed(owner, other)

    conversation.refresh_from_db()
    assert conversation.message_count == count + 1 and conversation.last_message == message
    assert conversation.due_at is None
    assert conversation.waits.get(outcome=Wait.Outcome.ANSWERED, ended_at=message.created_at)
    assert not Wait.objects.filter(conversation=other, outcome=Wait.Outcome.OPEN).exists()
    assert Participant.objects.get(conversation=conversation, user=buyer).unread == 0


@pytest.mark.django_db
def test_history_writes_no_events(loaded):
    demo_users = User.objects.filter(email__endswith="@demo.saypro.test")

    assert not Event.objects.exists()
    assert not Mailbox.objects.filter(user__in=demo_users).exists()


@pytest.mark.django_db
def test_the_command_loads_conversations_once_and_says_so():
    first = run_demo("--scale", "tiny")
    counts = (Conversation.objects.count(), Message.objects.count(), Wait.objects.count())

    second = run_demo("--scale", "tiny", "--seed", "3")

    assert "Demo conversations created in" in first
    assert "in the last 91 days against the 91 before" in first
    assert (Conversation.objects.count(), Message.objects.count(), Wait.objects.count()) == counts
    assert f"Demo conversations are already loaded ({counts[0]:,} conversations)" in second


@pytest.mark.django_db
def test_a_marketplace_loaded_before_messaging_gets_it_once():
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)

    report = demo.load_demo_messaging(seed=1, now=NOW + DAY)
    again = demo.load_demo_messaging(seed=1, now=NOW + DAY)

    assert report.created and report.conversations == Conversation.objects.count() > 0
    assert not again.created and again.conversations == report.conversations


@pytest.mark.django_db
def test_without_a_demo_marketplace_nothing_is_written():
    report = demo.load_demo_messaging(seed=1, now=NOW)

    assert not report.created and report.conversations == 0
    assert not Conversation.objects.exists() and not QuickReply.objects.exists()
