"""Messaging in two browsers at once, over a real WebSocket.

pytest-django's ``live_server`` speaks WSGI only, so these journeys run their
own ASGI server (``asgi_server``): uvicorn in a child process, on a copy of the
test database in a file that both processes open (SQLite in WAL mode; on
PostgreSQL the test database itself). The buyer and the store's owner each get
a browser context of their own (own cookies), like two people on two devices.
"""

import json
import multiprocessing
import re
import socket
import traceback
from types import SimpleNamespace

import pytest
from django.db import connections
from playwright.sync_api import expect

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import MembershipFactory, ProductFactory, StoreFactory
from saypro.core import webserver
from saypro.messaging import services
from saypro.messaging.models import Message, QuickReply
from tests.e2e.conftest import DESKTOP, PHONE, _reports_key, new_page, sign_in_as
from tests.e2e.test_keyboard import ACTIVE, tab_until
from tests.e2e.test_phone import problems_on

pytestmark = pytest.mark.e2e

SERVER_START_SECONDS = 20
FORK = multiprocessing.get_context("fork")


class UvicornProcess(FORK.Process):
    """uvicorn serving ``saypro.asgi`` (``saypro.core.webserver``'s options) in a forked child.

    Forked, so the child has this test's settings and database; the listening
    socket is bound here before the fork, so the port is known at once and no
    other process can take it meanwhile. ``ready`` is set once the child
    serves; if it cannot, its traceback is put on ``errors``. ``terminate``
    (SIGTERM) shuts it down gracefully, as in production.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.ready = FORK.Event()
        self.errors = FORK.SimpleQueue()

    def run(self) -> None:
        import uvicorn

        ready = self.ready

        class Server(uvicorn.Server):
            async def startup(self, sockets=None) -> None:
                await super().startup(sockets)
                if self.started:
                    ready.set()

        try:
            from saypro.asgi import application

            config = uvicorn.Config(
                application,
                log_config=webserver.log_config(),
                log_level="warning",
                access_log=False,
                **webserver.OPTIONS,
            )
            Server(config).run(sockets=[self.socket])
        except BaseException:  # anything, startup's SystemExit included, goes to the parent
            self.errors.put(traceback.format_exc())
            raise


@pytest.fixture
def asgi_server(transactional_db, tmp_path, settings):
    """uvicorn serving ``saypro.asgi`` (HTTP and WebSockets) on this test's database.

    An in-memory SQLite test database lives in this process only, so it is
    copied (``VACUUM INTO``) to a file that this process and the server then
    both use; afterwards the in-memory database is put back for pytest-django
    to flush. The server is forked (``UvicornProcess``) after every connection
    (and, on PostgreSQL, the connection pool) is closed, so the two processes
    share no database handle.
    """
    # What the test writes itself (through services, not this server) reaches the
    # server's sockets through the event table only: have them re-read it often.
    settings.MESSAGING_SOCKET_RESYNC_SECONDS = 0.5
    connection = connections["default"]
    in_memory = None
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        database_file = tmp_path / "messaging-e2e.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(database_file)])
        # Closing an in-memory database would destroy it: keep its handle aside.
        in_memory = (connection.connection, connection.settings_dict["NAME"])
        connection.connection = None
        connection.settings_dict["NAME"] = str(database_file)
    connections.close_all()
    if connection.vendor == "postgresql":
        # A pooled connection "closed" above stays open in its pool: close the pool
        # too, or the forked server would talk over this process's sockets.
        connection.close_pool()
    process = UvicornProcess()
    process.start()
    process.socket.close()  # the child's copy is the one that listens
    try:
        if not process.ready.wait(SERVER_START_SECONDS):
            errors = "" if process.errors.empty() else process.errors.get()
            pytest.fail(f"uvicorn did not start within {SERVER_START_SECONDS} s\n{errors}")
        yield SimpleNamespace(url=f"http://127.0.0.1:{process.port}")
    finally:
        process.terminate()
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join(10)
        if in_memory is not None:
            connection.close()
            connection.connection, connection.settings_dict["NAME"] = in_memory


@pytest.fixture
def open_page(request, asgi_server, browser, artifacts):
    """``open_page(user)``: a page of its own context, signed in as ``user`` (desktop size
    unless ``viewport`` says otherwise). On failure each is saved as ``failure-<n>.png``.

    While Playwright's event loop runs in this thread, Django hands the test code
    other connection objects (asgiref keeps them per context when a loop runs),
    which outlive the test. They are closed here, at the start and at the end, so
    that they reconnect to the database in use: the file now, in-memory later.
    """
    connections.close_all()
    opened = []

    def open_for(user, viewport=DESKTOP):
        context, page = new_page(browser, asgi_server, viewport)
        sign_in_as(page, asgi_server, user)
        opened.append((context, page))
        return page

    yield open_for
    call = request.node.stash.get(_reports_key, {}).get("call")
    for index, (context, page) in enumerate(opened, start=1):
        if call is not None and call.failed:
            page.screenshot(path=artifacts / f"failure-{index}.png", full_page=True)
        context.close()
    connections.close_all()


def wait_until_live(page) -> None:
    expect(page.locator("[data-messaging]")).to_have_attribute("data-connection", "open")


def unread_badge(page):
    return page.locator(".main-nav [data-unread-total]")


@pytest.fixture
def shop(db):
    store = StoreFactory(name="Cape Linen Co", slug="cape-linen-co")
    owner = MembershipFactory(
        store=store, user__email="owner@example.test", user__first_name="Lerato"
    ).user
    product = ProductFactory(store=store, title="Linen shirt", stock=5)
    trousers = ProductFactory(store=store, title="Linen trousers", stock=5)
    buyer = UserFactory(email="naledi@example.test", first_name="Naledi", last_name="Mokoena")
    return SimpleNamespace(
        store=store, owner=owner, product=product, trousers=trousers, buyer=buyer
    )


def test_buyer_asks_and_the_store_answers_live(shop, open_page, shot):
    services.create_quick_reply(
        shop.owner,
        shop.store,
        title="In stock",
        topic="availability",
        body="Hi {buyer_first_name}! {product} is in stock in every size and ships in 2 days.",
    )
    services.create_quick_reply(
        shop.owner, shop.store, title="Returns", topic="returns", body="Returns are free."
    )

    # The owner keeps the inbox open: nothing yet.
    seller = open_page(shop.owner)
    seller.goto("/seller/cape-linen-co/inbox/")
    expect(seller.get_by_role("heading", name="No conversations yet")).to_be_visible()
    wait_until_live(seller)
    expect(unread_badge(seller)).to_be_hidden()

    # The buyer asks about the shirt from its product page.
    buyer = open_page(shop.buyer)
    buyer.goto(shop.product.get_absolute_url())
    buyer.get_by_role("link", name="Ask the seller").click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Ask Cape Linen Co")
    buyer.get_by_label("Your question").fill("Hello! Is the linen shirt in stock in size M?")
    shot(buyer, "buyer-asks")
    buyer.get_by_role("button", name="Send to Cape Linen Co").click()
    expect(buyer.locator("[data-thread] .message.mine")).to_have_count(1)
    expect(buyer.locator(".messages")).to_contain_text("on its way to Cape Linen Co")

    # The question appears in the owner's inbox without a reload, unread, with its due time.
    row = seller.locator(".conversation-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Naledi M.")
    expect(row).to_contain_text("Linen shirt")
    expect(row).to_contain_text("Is the linen shirt in stock in size M?")
    expect(row.locator("[data-field=unread]")).to_have_text("1 unread")
    expect(row.locator("[data-field=due]")).to_contain_text(re.compile(r"Due in 2[34] h"))
    expect(seller.get_by_role("heading", name="No conversations yet")).to_be_hidden()
    expect(unread_badge(seller)).to_have_text("1 unread")
    shot(seller, "seller-inbox-live")

    # The buyer goes to Messages to wait for the answer.
    buyer.goto("/messages/")
    wait_until_live(buyer)
    buyer_row = buyer.locator(".conversation-row")
    expect(buyer_row).to_have_count(1)
    expect(buyer_row.locator("[data-field=unread]")).to_be_hidden()

    # Opening the conversation reads it: the owner's badge clears, the buyer sees "Seen".
    row.get_by_role("link").click()
    wait_until_live(seller)
    expect(unread_badge(seller)).to_be_hidden()
    buyer_row.get_by_role("link").click()
    expect(buyer.locator(".message.mine [data-status]")).to_have_text("Seen")
    buyer.goto("/messages/")
    wait_until_live(buyer)

    # A suggested quick reply, edited, plus a product card.
    suggested = seller.locator("[data-suggested-list] .quick-reply-option")
    expect(suggested).to_have_count(1)
    expect(suggested).to_contain_text("In stock")
    suggested.get_by_role("link", name=re.compile("Insert")).click()
    draft = seller.get_by_label("Your reply")
    expect(draft).to_have_value(
        "Hi Naledi! Linen shirt is in stock in every size and ships in 2 days."
    )
    expect(draft).to_be_focused()
    draft.press("End")
    draft.type(" The matching trousers are here too:")
    seller.get_by_text("Add product cards").click()
    seller.get_by_label("Linen trousers").check()
    expect(seller.locator("[data-card-count]")).to_have_text("(1 of 6 selected)")
    shot(seller, "seller-answers-with-quick-reply-and-card")
    seller.get_by_role("button", name="Send", exact=True).click()
    answer = seller.locator(".message.mine")
    expect(answer).to_have_count(1)
    expect(answer).to_have_attribute("data-message-id", re.compile(r"^\d+$"))
    expect(answer.locator(".message-card")).to_contain_text("Linen trousers")
    expect(draft).to_have_value("")

    # The buyer's list updates live: preview, unread mark, header badge.
    expect(buyer_row).to_contain_text("The matching trousers are here too:")
    expect(buyer_row.locator("[data-field=unread]")).to_have_text("1 unread")
    expect(unread_badge(buyer)).to_have_text("1 unread")
    shot(buyer, "buyer-list-live")

    # The buyer opens it: the text and the card are there, the badge clears, the owner sees "Seen".
    buyer_row.get_by_role("link").click()
    reply = buyer.locator(".message.theirs")
    expect(reply).to_have_count(1)
    expect(reply.locator(".message-text")).to_have_text(
        "Hi Naledi! Linen shirt is in stock in every size and ships in 2 days."
        " The matching trousers are here too:"
    )
    expect(reply.locator(".message-card")).to_contain_text("Linen trousers")
    expect(reply.locator(".message-card")).to_contain_text("R 199.00")
    expect(unread_badge(buyer)).to_be_hidden()
    expect(seller.locator(".message.mine [data-status]")).to_have_text("Seen")
    wait_until_live(buyer)

    # While both have the thread open, messages appear live on the other side, once each.
    buyer.get_by_label("Your message").fill("Perfect, thank you! I'll order both.")
    buyer.get_by_role("button", name="Send", exact=True).click()
    expect(seller.locator(".message.theirs")).to_have_count(2)
    expect(seller.locator(".message.theirs").last).to_contain_text("I'll order both.")
    expect(buyer.locator(".message.mine")).to_have_count(2)
    expect(buyer.locator(".message.mine").last).to_have_attribute(
        "data-message-id", re.compile(r"^\d+$")
    )
    shot(buyer, "buyer-thread")
    shot(seller, "seller-thread")

    sent = Message.objects.filter(conversation__store=shop.store).order_by("pk")
    assert [(m.side, m.quick_reply_id is not None) for m in sent] == [
        ("buyer", False),
        ("store", True),
        ("buyer", False),
    ]
    assert list(sent[1].cards.values_list("product__title", flat=True)) == ["Linen trousers"]
    assert QuickReply.objects.get(title="In stock").usage_count == 1


@pytest.fixture
def conversation(shop):
    """A question waiting for the store (made before the browser starts: its push needs a loop)."""
    started, _, _ = services.start_conversation(
        shop.buyer,
        store_id=shop.store.pk,
        product_id=shop.product.pk,
        text="Does the shirt shrink in the wash?",
    )
    return started


def test_a_dropped_socket_catches_up_and_a_failed_send_is_retried_once(
    shop, conversation, open_page, shot
):
    seller = open_page(shop.owner)
    seller.goto(f"/seller/cape-linen-co/inbox/{conversation.pk}/")
    buyer = open_page(shop.buyer)
    buyer.goto(f"/messages/{conversation.pk}/")
    wait_until_live(seller)
    wait_until_live(buyer)

    # The buyer's socket goes down and stays down; the page says so.
    buyer.evaluate("window.sayproMessaging.live.pause()")
    status = buyer.locator("[data-connection-status]")
    expect(status).to_be_visible()
    expect(status).to_contain_text("Reconnecting…")

    # Meanwhile the owner answers.
    seller.get_by_label("Your reply").fill("It doesn't: it is pre-washed.")
    seller.get_by_role("button", name="Send", exact=True).click()
    expect(seller.locator(".message.mine")).to_have_attribute(
        "data-message-id", re.compile(r"^\d+$")
    )
    expect(buyer.locator(".message.theirs")).to_have_count(0)
    shot(buyer, "buyer-disconnected")

    # Back online: the missed answer is replayed, shown once.
    buyer.evaluate("window.sayproMessaging.live.resume()")
    expect(status).to_be_hidden()
    expect(buyer.locator(".message.theirs")).to_have_count(1)
    expect(buyer.locator(".message.theirs")).to_contain_text("pre-washed")

    # A drop with the ordinary backoff: reconnects on its own, and again nothing twice.
    buyer.evaluate("window.sayproMessaging.live.drop()")
    wait_until_live(buyer)
    seller.get_by_label("Your reply").fill("Anything else I can help with?")
    seller.get_by_role("button", name="Send", exact=True).click()
    expect(buyer.locator(".message.theirs")).to_have_count(2)

    # The buyer's send reaches the server but the answer is lost on the way back: the page
    # retries with the same client_id and the server keeps one message. The socket is held
    # down meanwhile, so only the retry can confirm it.
    buyer.evaluate("window.sayproMessaging.live.pause()")
    posted = []

    def lose_the_first_answer(route):
        posted.append(json.loads(route.request.post_data))
        if len(posted) == 1:
            route.fetch()  # the server stores the message…
            route.abort("connectionreset")  # …and the browser never hears back
        else:
            route.continue_()

    buyer.route(f"**/api/v1/conversations/{conversation.pk}/messages", lose_the_first_answer)
    buyer.get_by_label("Your message").fill("No thanks, that's all!")
    buyer.get_by_role("button", name="Send", exact=True).click()
    mine = buyer.locator(".message.mine")
    expect(mine).to_have_count(2)
    expect(mine.last).to_have_attribute("data-message-id", re.compile(r"^\d+$"), timeout=10_000)
    expect(mine.last.locator("[data-status]")).to_have_text("")
    assert len(posted) == 2
    assert posted[0]["client_id"] == posted[1]["client_id"]
    assert Message.objects.filter(text="No thanks, that's all!").count() == 1

    # When the socket is back the replayed events change nothing.
    buyer.evaluate("window.sayproMessaging.live.resume()")
    wait_until_live(buyer)
    expect(seller.locator(".message.theirs")).to_have_count(2)
    expect(buyer.locator(".message")).to_have_count(4)
    shot(buyer, "buyer-after-reconnects")
    assert Message.objects.filter(conversation=conversation).count() == 4


def test_the_card_picker_stops_at_six_products(shop, conversation, open_page):
    for n in range(5):
        ProductFactory(store=shop.store, title=f"Linen scarf {n + 1}", stock=5)
    seller = open_page(shop.owner)
    seller.goto(f"/seller/cape-linen-co/inbox/{conversation.pk}/")
    seller.get_by_text("Add product cards").click()
    expect(seller.get_by_text("Recommend up to 6 products in one message.")).to_be_visible()
    boxes = seller.locator("input[name=product_ids]")
    expect(boxes).to_have_count(7)
    for n in range(6):
        boxes.nth(n).check()
    expect(seller.locator("[data-card-count]")).to_have_text("(6 of 6 selected)")
    expect(boxes.nth(6)).to_be_disabled()
    boxes.nth(0).uncheck()
    expect(boxes.nth(6)).to_be_enabled()


def test_messaging_pages_fit_a_phone_and_answer_by_keyboard(shop, conversation, open_page, shot):
    services.create_quick_reply(
        shop.owner,
        shop.store,
        title="Pre-washed",
        topic="other",
        body="The shirt is pre-washed, so it does not shrink.",
    )
    services.send_message(
        shop.buyer,
        conversation,
        text="Will it shrink? " + "Superlongwordwithoutanyspaces" * 6 + "\nA second line.",
    )

    problems = []
    buyer = open_page(shop.buyer, PHONE)
    for url, what in [
        ("/messages/", "Messages"),
        (f"/messages/{conversation.pk}/", "conversation"),
        (f"/messages/new/?store={shop.store.pk}", "Ask the seller"),
    ]:
        buyer.goto(url)
        shot(buyer, f"phone-buyer-{what.lower().replace(' ', '-')}")
        problems += problems_on(buyer, f"{what} ({url})")
    seller = open_page(shop.owner, PHONE)
    for url, what in [
        ("/seller/cape-linen-co/inbox/", "Inbox"),
        (f"/seller/cape-linen-co/inbox/{conversation.pk}/", "Seller conversation"),
        ("/seller/cape-linen-co/inbox/quick-replies/", "Quick replies"),
    ]:
        seller.goto(url)
        shot(seller, f"phone-seller-{what.lower().replace(' ', '-')}")
        problems += problems_on(seller, f"{what} ({url})")
    assert not problems, "At 390 × 844:\n" + "\n".join(problems)

    # Keyboard only: Tab to the suggested reply, insert it, send with Ctrl+Enter.
    desk = open_page(shop.owner)
    desk.goto(f"/seller/cape-linen-co/inbox/{conversation.pk}/")
    wait_until_live(desk)
    insert = tab_until(desk, lambda active: "Pre-washed" in (active["text"] or ""))
    assert insert["outlineStyle"] != "none" and insert["outlineWidth"] > 0, insert
    desk.keyboard.press("Enter")
    draft = desk.get_by_label("Your reply")
    expect(draft).to_be_focused()
    expect(draft).to_have_value("The shirt is pre-washed, so it does not shrink.")
    desk.keyboard.press("Control+Enter")
    expect(desk.locator(".message.mine")).to_have_attribute("data-message-id", re.compile(r"^\d+$"))
    assert desk.evaluate(ACTIVE)["id"] == "id_text"
    shot(desk, "keyboard-answer-sent")
