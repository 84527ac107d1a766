"""Suggested quick replies (``saypro.messaging.suggestions``): right topic, true claims, or none.

``LABELLED`` is a set of realistic buyer messages, each with what the
conversation is about and the question a right suggestion answers (``None``:
no saved reply should be suggested). Precision counts every suggested reply.
"""

import pytest

from saypro.catalog.models import Order
from saypro.catalog.tests.factories import OrderFactory, ProductFactory
from saypro.messaging import selectors, services, suggestions
from saypro.messaging.models import QuickReply
from saypro.messaging.suggestions import Context, Intent

AVAILABILITY, SIZING, DELIVERY_TIME, ORDER_STATUS, RETURNS = (
    Intent.AVAILABILITY,
    Intent.SIZING,
    Intent.DELIVERY_TIME,
    Intent.ORDER_STATUS,
    Intent.RETURNS,
)
REPLIES = [
    QuickReply(title=title, topic=topic, body=body)
    for title, topic, body in [
        ("In stock", "availability", "Yes, {product} is in stock and ready to ship."),
        ("Sold out", "availability", "Sorry, {product} is sold out; more arrive next week."),
        ("Size advice", "sizing", "Our sizes run true to size: take your usual one."),
        (
            "Delivery times",
            "delivery",
            "Orders leave us within two working days, and the courier takes two to four "
            "working days to most of South Africa.",
        ),
        (
            "Where is my order?",
            "delivery",
            "{order_number} is with the courier and should reach you within two working days.",
        ),
        (
            "Returns policy",
            "returns",
            "You can return anything unused within 30 days for a full refund.",
        ),
        (
            "Size exchange",
            "returns",
            "Send the item from {order_number} back unworn, and we'll send the new size.",
        ),
        ("Gift wrapping", "other", "We gift-wrap for free: tell us what to write on the card."),
        ("Pre-washed", "other", "The shirt is pre-washed, so it does not shrink."),
    ]
]
PRODUCT = Context(stock=frozenset({True}))  # about a product in stock, no order yet
GENERAL = Context()  # about the store, no order with it
PLACED, SHIPPED, DELIVERED = (
    Context(orders=frozenset({status}))
    for status in (Order.Status.PLACED, Order.Status.SHIPPED, Order.Status.DELIVERED)
)

SMALL_TALK = [
    (PRODUCT, "Thanks so much, that's really helpful!"),
    (DELIVERED, "Got my order today and it's beautiful. Thank you!"),
    (DELIVERED, "The parcel arrived safely, thanks for the quick delivery!"),
    (PRODUCT, "Great, I've just ordered it!"),
    (GENERAL, "Hello?"),
    (GENERAL, "Hi again, just following up on my question."),
    (SHIPPED, "Have a lovely weekend!"),
    (PRODUCT, "Ok, I'll think about it."),
]
LABELLED = [
    (PRODUCT, "Is this still available?", AVAILABILITY),
    (PRODUCT, "Do you still have these sneakers in stock? I'd like to order them.", AVAILABILITY),
    (PRODUCT, "Hi! Are there any of the linen shirts left?", AVAILABILITY),
    (PRODUCT, "Can I still order this, or is it about to sell out?", AVAILABILITY),
    (PRODUCT, "Is the linen shirt in stock in size M?", AVAILABILITY),
    (PRODUCT, "I'm usually an M. Which size would you recommend?", SIZING),
    (PRODUCT, "Does it run small? I'm between sizes.", SIZING),
    (PRODUCT, "What are the measurements? Will a 15-inch laptop fit in it?", SIZING),
    (PRODUCT, "Hi, does this dress fit true to size?", SIZING),
    (GENERAL, "Do you deliver to Polokwane?", DELIVERY_TIME),
    (GENERAL, "Hey, do you ship to Stellenbosch, and how long does it take?", DELIVERY_TIME),
    (PRODUCT, "How long would it take to arrive in Durban if I order today?", DELIVERY_TIME),
    (PRODUCT, "If I order today, will it reach Durban by Friday?", DELIVERY_TIME),
    (PLACED, "I placed order SP-1234 this morning. When will it be dispatched?", DELIVERY_TIME),
    (PLACED, "When will it ship?", DELIVERY_TIME),
    (SHIPPED, "Where is my parcel? It says shipped on Monday.", ORDER_STATUS),
    (SHIPPED, "The tracking hasn't changed in three days. Is everything OK?", ORDER_STATUS),
    (SHIPPED, "My order still hasn't arrived. Any update?", ORDER_STATUS),
    (SHIPPED, "Hi, any news on my order?", ORDER_STATUS),
    (DELIVERED, "The mug arrived broken. Can I get a replacement or a refund?", RETURNS),
    (DELIVERED, "It doesn't suit me. How do I send it back?", RETURNS),
    (DELIVERED, "These are too small. Can I swap them for a size 8?", RETURNS),
    (DELIVERED, "Can I return these if they don't fit?", RETURNS),
    (PLACED, "I ordered the wrong colour by mistake, can I cancel the order?", RETURNS),
    (PLACED, "I put the wrong delivery address on my order. Can you change it?", None),
    (SHIPPED, "I won't be home on Friday. Can the courier leave it with my neighbour?", None),
    (PLACED, "Please can you update the address for SP-2222? We moved last week.", None),
    (SHIPPED, "Can the courier deliver it to my office instead?", None),
    (PRODUCT, "Is this dress machine washable?", None),
    (PRODUCT, "Is the leather real or vegan?", None),
    (PRODUCT, "Does it come in other colours?", None),
    (PRODUCT, "How long does this cream last once opened?", None),
    (GENERAL, "Do you have a shop in Cape Town where I can see your things?", None),
    (GENERAL, "Do you do bulk orders for a year-end function?", None),
    (GENERAL, "Can I collect from you in Woodstock?", None),
    (PRODUCT, "Will it shrink in the wash?", "Pre-washed"),
    (GENERAL, "Do you gift-wrap?", "Gift wrapping"),
    *((context, text, None) for context, text in SMALL_TALK),
]


def suggest(context: Context, text: str) -> list[QuickReply]:
    """What ``selectors.suggested_quick_replies`` shows for ``text`` in ``context``."""
    ranked = suggestions.rank(text, REPLIES)
    return [reply for reply in ranked if suggestions.allows(context, reply)][:3]


def is_right(reply: QuickReply, label) -> bool:
    return label is not None and label in (suggestions.read(reply).answers, reply.title)


def test_the_labelled_set_covers_every_kind_of_message():
    assert len(LABELLED) >= 25
    labels = {label for _, _, label in LABELLED}
    assert set(Intent) - {Intent.ADDRESS_CHANGE} <= labels and None in labels
    assert any("address" in text for _, text, _ in LABELLED)


def test_suggestions_are_right_on_realistic_messages():
    results = [(label, suggest(context, text)) for context, text, label in LABELLED]
    suggested = [(label, reply) for label, replies in results for reply in replies]
    right = sum(is_right(reply, label) for label, reply in suggested)
    answerable = [label for label, _ in results if label is not None]
    found = sum(any(is_right(reply, label) for reply in replies) for label, replies in results)
    assert right / len(suggested) >= 0.9, [(label, reply.title) for label, reply in suggested]
    assert found / len(answerable) >= 0.8  # and most questions do get a right reply


@pytest.mark.parametrize(
    ("context", "text"), [(context, text) for context, text, label in LABELLED if label is None]
)
def test_small_talk_and_off_topic_messages_get_no_suggestion(context, text):
    assert suggest(context, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Is it in stock in size M?", {AVAILABILITY}),
        ("Does it fit? And how long does delivery to Durban take?", {SIZING, DELIVERY_TIME}),
        ("Can I change the delivery address?", {Intent.ADDRESS_CHANGE}),
        ("It shows as shipped. When will it arrive?", {ORDER_STATUS}),
        ("My refund hasn't come through yet.", {RETURNS}),
        ("The M is too tight. Can I exchange it for an L?", {RETURNS}),
        ("Do you have this in blue?", set()),
        ("available", set()),  # one loose word is not a question
    ],
)
def test_what_a_message_asks(text, expected):
    assert set(suggestions.intents(text)) == expected


def test_a_delivery_reply_answers_delivery_times_or_where_an_order_is():
    answers = {reply.title: suggestions.read(reply).answers for reply in REPLIES}
    assert answers["Delivery times"] == DELIVERY_TIME
    assert answers["Where is my order?"] == ORDER_STATUS
    parcel = QuickReply(title="Your parcel", topic="delivery", body="It's on its way to you!")
    assert suggestions.read(parcel).answers == ORDER_STATUS


def test_an_order_status_reply_needs_an_order_on_its_way():
    text = "Where is my order?"
    assert suggest(GENERAL, text) == suggest(PLACED, text) == suggest(DELIVERED, text) == []
    assert [reply.title for reply in suggest(SHIPPED, text)] == ["Where is my order?"]


def test_an_availability_reply_needs_a_product_and_says_only_what_is_true_of_it():
    text = "Is it still available?"
    assert suggest(GENERAL, text) == suggest(SHIPPED, text) == []
    assert [reply.title for reply in suggest(PRODUCT, text)] == ["In stock"]
    sold_out = Context(stock=frozenset({False}))
    assert [reply.title for reply in suggest(sold_out, text)] == ["Sold out"]
    either = Context(stock=frozenset({True, False}))  # two products named, one sold out
    assert suggest(either, text) == []


def test_returns_and_replies_that_name_the_order_need_an_order():
    assert suggest(PRODUCT, "Can I return it if it doesn't suit me?") == []
    titles = [reply.title for reply in suggest(DELIVERED, "Can I return it?")]
    assert titles == ["Returns policy"]  # "Size exchange" only when the buyer speaks of size
    titles = [reply.title for reply in suggest(DELIVERED, "Too big! Can I swap it for an S?")]
    assert titles == ["Size exchange", "Returns policy"]


def test_a_product_is_named_by_its_noun():
    titles = ["Wheeled kit bag", "Classic vegan leather sneakers", "Rooibos shampoo, 250 ml"]
    assert suggestions.named_products("Are the sneakers still in stock?", titles) == [1]
    assert suggestions.named_products("Any of that shampoo left?", titles) == [2]
    assert suggestions.named_products("Do you ship to Durban?", titles) == []


# --- In a conversation ------------------------------------------------------------------------


def reply(seller, store, title, topic, body):
    return services.create_quick_reply(seller, store, title=title, topic=topic, body=body)


@pytest.mark.django_db
def test_a_general_question_without_orders_gets_no_order_reply(buyer, store, seller):
    """QA: "do you ship to …" was answered with "your order is with the courier"."""
    for title, topic, body in [
        ("Where is my order?", "delivery", "{order_number} is with the courier."),
        ("Still available", "availability", "{product} is available right now."),
    ]:
        reply(seller, store, title, topic, body)
    conversation, _, _ = services.start_conversation(
        buyer, store_id=store.pk, text="Hey, do you ship to Stellenbosch, and how long?"
    )
    services.send_message(buyer, conversation, text="Hi again, just following up on my question.")
    services.send_message(seller, conversation, text="hi")
    assert selectors.suggested_quick_replies(seller, conversation) == []

    times = reply(seller, store, "Delivery times", "delivery", "We ship within 2 days.")
    OrderFactory(buyer=buyer, store=store, status=Order.Status.SHIPPED)
    assert selectors.suggested_quick_replies(seller, conversation) == [times]


@pytest.mark.django_db
def test_an_order_conversation_is_answered_for_what_it_asks(buyer, store, seller):
    """QA: an address change and "when will it ship?" were answered with "still available"."""
    replies = {
        title: reply(seller, store, title, topic, body)
        for title, topic, body in [
            ("Still available", "availability", "{product} is available right now."),
            ("Delivery times", "delivery", "Orders leave us within two working days."),
            ("Where is my order?", "delivery", "{order_number} is with the courier."),
        ]
    }
    order = OrderFactory(buyer=buyer, store=store)
    conversation, _, _ = services.start_conversation(
        buyer,
        store_id=store.pk,
        order_id=order.pk,
        text=f"Can I still change the delivery address for order {order.number}?",
    )
    assert selectors.suggested_quick_replies(seller, conversation) == []
    services.send_message(seller, conversation, text="Done, I've changed it.")
    assert selectors.suggested_quick_replies(seller, conversation) == []  # still that question

    services.send_message(buyer, conversation, text="Thanks! And when will it ship?")
    assert selectors.suggested_quick_replies(seller, conversation) == [replies["Delivery times"]]


@pytest.mark.django_db
def test_a_general_conversation_names_a_product_of_the_store(buyer, store, seller):
    in_stock = reply(seller, store, "In stock", "availability", "Yes, {product} is in stock.")
    sold_out = reply(seller, store, "Sold out", "availability", "{product} is sold out for now.")
    shirt = ProductFactory(store=store, title="Linen shirt, navy", stock=3)
    ProductFactory(title="Linen dress", stock=3)  # another store's
    conversation, _, _ = services.start_conversation(
        buyer, store_id=store.pk, text="Is the dress still in stock?"
    )
    assert selectors.suggested_quick_replies(seller, conversation) == []

    services.send_message(buyer, conversation, text="Sorry, I mean the shirts.")
    assert selectors.suggested_quick_replies(seller, conversation) == [in_stock]
    shirt.stock = 0
    shirt.save()
    assert selectors.suggested_quick_replies(seller, conversation) == [sold_out]
