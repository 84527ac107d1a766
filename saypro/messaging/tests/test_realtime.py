"""The socket at /ws/ (``saypro.messaging.realtime``) and ``GET /api/v1/events``.

The consumer tests drive ``saypro.asgi.application`` (origin check, session and
token authentication, routing) with Channels' ``WebsocketCommunicator``.
pytest-asyncio is not installed, so each async scenario runs under
``async_to_sync`` (``run_async``): ORM calls inside it go through
``database_sync_to_async``, which runs them in the test's own thread and
connection. Events are pushed when their transaction commits, so these tests
use real transactions (``transaction=True``).
"""

import functools

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from saypro.accounts.services import create_api_token
from saypro.accounts.tests.factories import UserFactory, token_client
from saypro.asgi import application
from saypro.catalog.tests.factories import MembershipFactory, StoreFactory
from saypro.core import events
from saypro.core.models import Event
from saypro.core.testing import assert_error
from saypro.messaging import services
from saypro.messaging.realtime import UNAUTHENTICATED
from saypro.notifications.models import Channel, DefaultPreference, NotificationType

realtime = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _message_events_only(db):
    """These tests follow the message event stream alone, frame by frame: new-message
    notifications (events of their own, tested in saypro/notifications) are off."""
    DefaultPreference.objects.create(type=NotificationType.MESSAGE_NEW, channel=Channel.OFF)


TIMEOUT = 2  # seconds to wait for a frame that must come
QUIET = 0.2  # seconds of silence that show nothing more is coming


def run_async(test):
    """Run an ``async def`` test in a fresh event loop (there is no pytest-asyncio)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return async_to_sync(test)(*args, **kwargs)

    return wrapper


@database_sync_to_async
def secret_of(user) -> str:
    return create_api_token(user=user, name="socket tests")[1]


@database_sync_to_async
def start(buyer, store, text="Is this in stock?"):
    conversation, message, _ = services.start_conversation(buyer, store_id=store.pk, text=text)
    return conversation, message


@database_sync_to_async
def send(user, conversation, text):
    return services.send_message(user, conversation, text=text)[0]


@database_sync_to_async
def event_ids(user) -> list[int]:
    return list(Event.objects.filter(user=user).order_by("pk").values_list("pk", flat=True))


async def connect(path="/ws/", headers=()) -> WebsocketCommunicator:
    """An accepted socket that has finished connecting (it has caught up and joined).

    The socket is accepted before it joins its group; a ping is answered only after
    that, so waiting for the pong keeps a test's next send from racing the join.
    Connect with ``after`` and read the caught-up frames before anything else.
    """
    communicator = WebsocketCommunicator(application, path, headers=list(headers))
    connected, code = await communicator.connect(timeout=TIMEOUT)
    assert connected, code
    if "after=" not in path:
        await communicator.send_json_to({"type": "ping"})
        assert (await communicator.receive_json_from(timeout=TIMEOUT))["type"] == "pong"
    return communicator


async def frames(communicator, count: int) -> list[dict]:
    """The next ``count`` frames, then nothing more within ``QUIET``."""
    received = [await communicator.receive_json_from(timeout=TIMEOUT) for _ in range(count)]
    assert await communicator.receive_nothing(timeout=QUIET)
    return received


def texts(received: list[dict]) -> list[str]:
    assert {frame["type"] for frame in received} == {"message.created"}
    return [frame["data"]["text"] for frame in received]


# --- Authentication and origin ---------------------------------------------------------------


@realtime
@run_async
async def test_an_anonymous_socket_is_refused():
    for path in ["/ws/", "/ws/?token=sp_not_a_token", "/ws/?token="]:
        communicator = WebsocketCommunicator(application, path)
        assert await communicator.connect(timeout=TIMEOUT) == (False, UNAUTHENTICATED)


@realtime
@run_async
async def test_a_token_in_the_query_gets_the_persons_live_events(buyer, store, seller):
    conversation, _ = await start(buyer, store)
    socket = await connect(f"/ws/?token={await secret_of(seller)}")
    message = await send(buyer, conversation, "And in blue?")
    [frame] = await frames(socket, 1)
    assert frame["type"] == "message.created"
    assert frame["id"] == (await event_ids(seller))[-1]
    assert frame["data"]["id"] == message.pk
    assert frame["data"]["conversation_id"] == conversation.pk
    assert frame["data"]["text"] == "And in blue?"
    assert frame["data"]["sender"]["id"] == buyer.pk
    assert frame["data"]["conversation"]["unread_count"] == 2
    await socket.disconnect()


@realtime
@run_async
async def test_a_token_in_the_authorization_header_works_too(buyer, store, seller):
    conversation, _ = await start(buyer, store)
    secret = await secret_of(buyer)
    socket = await connect(headers=[(b"authorization", f"Bearer {secret}".encode())])
    await send(seller, conversation, "Yes, it is.")
    assert texts(await frames(socket, 1)) == ["Yes, it is."]
    await socket.disconnect()


@realtime
@run_async
async def test_the_session_cookie_of_the_web_app_authenticates(buyer, store, seller):
    conversation, _ = await start(buyer, store)

    @database_sync_to_async
    def session_cookie() -> str:
        client = Client()
        client.force_login(seller, backend=settings.AUTHENTICATION_BACKENDS[0])
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    cookie = f"{settings.SESSION_COOKIE_NAME}={await session_cookie()}"
    socket = await connect(headers=[(b"cookie", cookie.encode()), (b"origin", b"http://localhost")])
    await send(buyer, conversation, "Hello from the shop")
    assert texts(await frames(socket, 1)) == ["Hello from the shop"]
    await socket.disconnect()


@realtime
@run_async
async def test_a_browser_origin_that_is_not_an_allowed_host_is_refused(buyer):
    secret = await secret_of(buyer)
    for origin in [b"https://evil.example", b"null"]:
        communicator = WebsocketCommunicator(
            application, f"/ws/?token={secret}", headers=[(b"origin", origin)]
        )
        connected, _ = await communicator.connect(timeout=TIMEOUT)
        assert not connected, origin
    # An allowed host, and an API client that sends no Origin at all, may connect.
    for headers in [[(b"origin", b"http://127.0.0.1:8000")], []]:
        socket = await connect(f"/ws/?token={secret}", headers)
        await socket.disconnect()


# --- Order, resume, gaps -----------------------------------------------------------------------


@realtime
@run_async
async def test_resuming_with_after_sends_every_later_event_in_order_then_live_ones(
    buyer, store, seller
):
    conversation, _ = await start(buyer, store, "one")
    for text in ["two", "three", "four"]:
        await send(buyer, conversation, text)
    first, *later = await event_ids(seller)
    socket = await connect(f"/ws/?token={await secret_of(seller)}&after={first}")
    caught_up = await frames(socket, 3)
    assert [frame["id"] for frame in caught_up] == later
    assert texts(caught_up) == ["two", "three", "four"]
    await send(buyer, conversation, "five")
    live = await frames(socket, 1)
    assert texts(live) == ["five"]
    assert live[0]["id"] == (await event_ids(seller))[-1]
    await socket.disconnect()


@realtime
@run_async
async def test_without_after_a_socket_starts_from_now(buyer, store, seller):
    conversation, _ = await start(buyer, store, "before")
    socket = await connect(f"/ws/?token={await secret_of(seller)}")
    assert await socket.receive_nothing(timeout=QUIET)
    await send(buyer, conversation, "after")
    assert texts(await frames(socket, 1)) == ["after"]
    await socket.disconnect()


@realtime
@run_async
async def test_an_after_that_is_not_an_id_starts_from_now(buyer, store, seller):
    """ "²" is a digit to ``str.isdigit`` but no id: the socket starts from now, not failing."""
    conversation, _ = await start(buyer, store, "before")
    socket = await connect(f"/ws/?token={await secret_of(seller)}&after=%C2%B2")
    await socket.send_json_to({"type": "ping"})
    assert (await socket.receive_json_from(timeout=TIMEOUT))["type"] == "pong"
    await send(buyer, conversation, "after")
    assert texts(await frames(socket, 1)) == ["after"]
    await socket.disconnect()


@realtime
@run_async
async def test_a_live_event_after_a_lost_push_reads_the_gap_from_the_table_once(
    buyer, store, seller, monkeypatch
):
    conversation, _ = await start(buyer, store)
    socket = await connect(f"/ws/?token={await secret_of(seller)}")
    real_push = events._push
    monkeypatch.setattr(events, "_push", lambda batch, handed: None)  # e.g. Redis was down
    await send(buyer, conversation, "lost push")
    assert await socket.receive_nothing(timeout=QUIET)
    monkeypatch.setattr(events, "_push", real_push)
    await send(buyer, conversation, "next one")
    received = await frames(socket, 2)
    assert texts(received) == ["lost push", "next one"]
    assert [frame["id"] for frame in received] == (await event_ids(seller))[-2:]
    await socket.disconnect()


@realtime
@run_async
async def test_a_push_already_sent_from_the_table_is_not_sent_again(buyer, store, seller):
    conversation, _ = await start(buyer, store, "one")
    await send(buyer, conversation, "two")
    ids = await event_ids(seller)
    socket = await connect(f"/ws/?token={await secret_of(seller)}&after={ids[0]}")
    assert texts(await frames(socket, 1)) == ["two"]
    # A late push of an event the catch-up already sent (as after a reconnect).
    stored = await database_sync_to_async(Event.objects.get)(pk=ids[1])
    await database_sync_to_async(events.push)([stored])
    assert await socket.receive_nothing(timeout=QUIET)
    await socket.disconnect()


@realtime
@run_async
async def test_events_of_other_people_never_arrive(buyer, store, seller):
    @database_sync_to_async
    def other_store_and_owner():
        membership = MembershipFactory(store=StoreFactory())
        return membership.store, membership.user

    other_store, other_seller = await other_store_and_owner()
    other_buyer = await database_sync_to_async(UserFactory)()
    mine = await connect(f"/ws/?token={await secret_of(seller)}")
    theirs = await connect(f"/ws/?token={await secret_of(other_seller)}")
    await start(other_buyer, other_store, "for the other store")
    await start(buyer, store, "for my store")
    assert texts(await frames(mine, 1)) == ["for my store"]
    assert texts(await frames(theirs, 1)) == ["for the other store"]
    await mine.disconnect()
    await theirs.disconnect()


@realtime
@run_async
async def test_ping_answers_pong_with_the_last_event_id_sent(buyer, store, seller):
    conversation, _ = await start(buyer, store)
    socket = await connect(f"/ws/?token={await secret_of(seller)}")
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=TIMEOUT) == {
        "type": "pong",
        "last_event_id": (await event_ids(seller))[-1],
    }
    await send(buyer, conversation, "hi")
    await frames(socket, 1)
    await socket.send_json_to({"type": "ping"})
    pong = await socket.receive_json_from(timeout=TIMEOUT)
    assert pong == {"type": "pong", "last_event_id": (await event_ids(seller))[-1]}
    await socket.send_json_to({"type": "something else"})
    assert await socket.receive_nothing(timeout=QUIET)
    await socket.disconnect()


# --- GET /api/v1/events -------------------------------------------------------------------------


def test_events_api_lists_the_persons_events_after_an_id_oldest_first(buyer, store, seller):
    conversation, _, _ = services.start_conversation(buyer, store_id=store.pk, text="one")
    services.send_message(seller, conversation, text="two")
    services.send_message(buyer, conversation, text="three")
    StoreFactory()  # noise: other people's events must not show
    other = MembershipFactory()
    services.start_conversation(UserFactory(), store_id=other.store.pk, text="elsewhere")
    mine = list(Event.objects.filter(user=seller).order_by("pk"))
    client = token_client(seller)

    everything = client.get("/api/v1/events").json()
    assert [frame["id"] for frame in everything["events"]] == [event.pk for event in mine]
    assert [frame["data"]["text"] for frame in everything["events"]] == ["one", "two", "three"]
    assert everything["events"][0] == mine[0].frame()
    assert everything["last_event_id"] == mine[-1].pk

    later = client.get(f"/api/v1/events?after={mine[0].pk}&limit=1").json()
    assert later == {"events": [mine[1].frame()], "last_event_id": mine[1].pk}
    done = client.get(f"/api/v1/events?after={mine[-1].pk}").json()
    assert done == {"events": [], "last_event_id": mine[-1].pk}


@pytest.mark.parametrize(
    "query", ["after=-1", "after=abc", "after=99999999999999999999", "limit=0"]
)
def test_events_api_refuses_a_bad_after_or_limit(buyer, query):
    response = token_client(buyer).get(f"/api/v1/events?{query}")
    assert_error(response, 422, "invalid_request")


def test_events_api_needs_authentication(db):
    assert_error(Client().get("/api/v1/events"), 401, "not_authenticated")
