"""The token lane (``core.lane``): the same answers as Django's handler, for less work.

Each request is made through the lane and, where it matters, through Django's
handler alone, and the two answers are compared: status, headers, body.
"""

import json
import logging

import pytest
from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator
from django.conf import settings
from django.urls import get_resolver

from saypro.accounts.services import create_api_token
from saypro.accounts.tests.factories import UserFactory
from saypro.api import api
from saypro.catalog.tests.factories import StoreFactory
from saypro.core.handlers import SyncMiddlewareASGIHandler
from saypro.core.lane import TokenLane
from saypro.messaging import services
from saypro.messaging.models import Message

# The lane runs the view outside the test thread: its queries use their own connection.
pytestmark = pytest.mark.django_db(transaction=True)


class CountingHandler(SyncMiddlewareASGIHandler):
    """Django's handler, counting the requests it was handed whole."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        await super().__call__(scope, receive, send)


@pytest.fixture(autouse=True)
def _database_threads(settings):
    """The endpoint's queries run on a database thread, as in production."""
    settings.DATABASE_THREADS = 1


@pytest.fixture
def django_handler():
    return CountingHandler()


@pytest.fixture
def lane(django_handler):
    return TokenLane(django_handler)


@pytest.fixture
def buyer():
    return UserFactory()


@pytest.fixture
def conversation(buyer):
    conversation, _, _ = services.start_conversation(
        buyer, store_id=StoreFactory().pk, text="Is this in stock?"
    )
    return conversation


@pytest.fixture
def token(buyer):
    return create_api_token(user=buyer, name="lane tests")[1]


def call(app, path, *, body=b"", method="POST", token=None, headers=()):
    """``(status, headers as a dict, body)`` of one request to ``app``."""
    sent = [(b"host", b"testserver"), (b"content-type", b"application/json"), *headers]
    if token is not None:
        sent.append((b"authorization", f"Bearer {token}".encode()))
    communicator = HttpCommunicator(app, method, path, body=body, headers=sent)
    response = async_to_sync(communicator.get_response)(timeout=15)
    return response["status"], dict(response["headers"]), response["body"]


def send_path(conversation) -> str:
    return f"/api/v1/conversations/{conversation.pk}/messages"


def payload(**fields) -> bytes:
    return json.dumps(fields).encode()


def test_a_token_send_takes_the_lane_and_answers_as_django_does(
    lane, django_handler, conversation, token
):
    status, headers, body = call(
        lane, send_path(conversation), body=payload(text="Lane", client_id="a"), token=token
    )
    assert django_handler.calls == 0
    via_django = call(
        django_handler,
        send_path(conversation),
        body=payload(text="Django", client_id="b"),
        token=token,
    )
    assert (status, via_django[0]) == (201, 201)
    assert headers == via_django[1] | {b"Content-Length": headers[b"Content-Length"]}
    lane_message, django_message = json.loads(body), json.loads(via_django[2])
    assert lane_message.keys() == django_message.keys()
    assert lane_message["text"] == "Lane"
    assert Message.objects.filter(conversation=conversation, text="Lane").count() == 1


@pytest.mark.parametrize(
    "body, token_value",
    [
        (payload(text=""), None),  # an empty message: the service's 400
        (b"{not json", None),  # not JSON: ninja's 400
        (payload(text=7), None),  # a wrong type: 422
        (payload(text="hello"), "sp_not-a-token"),  # a wrong token: 401
    ],
)
def test_bad_requests_get_the_same_error_either_way(
    lane, django_handler, conversation, token, body, token_value
):
    messages_before = Message.objects.count()
    through_lane = call(lane, send_path(conversation), body=body, token=token_value or token)
    through_django = call(
        django_handler, send_path(conversation), body=body, token=token_value or token
    )
    assert django_handler.calls == 1
    assert 400 <= through_lane[0] < 500
    assert through_lane[0] == through_django[0]
    assert json.loads(through_lane[2]) == json.loads(through_django[2])
    assert Message.objects.count() == messages_before


def test_someone_elses_conversation_is_a_404(lane, conversation):
    stranger_token = create_api_token(user=UserFactory(), name="stranger")[1]
    status, _, body = call(
        lane, send_path(conversation), body=payload(text="hi"), token=stranger_token
    )
    assert status == 404
    assert json.loads(body)["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "method, path_of, headers, with_token",
    [
        ("POST", send_path, [(b"cookie", b"sessionid=x")], True),  # a browser: CSRF, session
        ("POST", send_path, [], False),  # no token
        ("GET", send_path, [], True),  # another method of the route (a sync endpoint)
        ("GET", lambda conversation: "/api/v1/me", [], True),  # another route
        ("POST", lambda conversation: "/api/v1/nowhere", [], True),  # no route at all
    ],
)
def test_other_requests_go_to_django(
    lane, django_handler, conversation, token, method, path_of, headers, with_token
):
    call(
        lane,
        path_of(conversation),
        method=method,
        body=payload(text="hi") if method == "POST" else b"",
        token=token if with_token else None,
        headers=headers,
    )
    assert django_handler.calls == 1


def test_an_unknown_host_is_refused_as_django_refuses_it(lane, conversation, token):
    status, _, _ = call(
        lane,
        send_path(conversation),
        body=payload(text="hi"),
        token=token,
        headers=[(b"host", b"evil.example")],
    )
    assert status == 400
    assert not Message.objects.filter(text="hi").exists()


def test_a_middleware_that_answers_gives_djangos_answer(conversation, token, settings):
    """SecurityMiddleware's HTTPS redirect ends the request before the view, as in Django."""
    settings.SECURE_SSL_REDIRECT = True
    django_handler = CountingHandler()  # both built after the setting, as the server is
    lane = TokenLane(django_handler)
    through_lane = call(lane, send_path(conversation), body=payload(text="hi"), token=token)
    assert django_handler.calls == 0
    through_django = call(
        django_handler, send_path(conversation), body=payload(text="hi"), token=token
    )
    assert through_lane[0] == through_django[0] == 301
    assert through_lane[1] == through_django[1]
    assert not Message.objects.filter(text="hi").exists()


def test_an_unexpected_error_is_a_logged_500(lane, conversation, token, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "send_message", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        status, _, _ = call(lane, send_path(conversation), body=payload(text="hi"), token=token)
    assert status == 500
    assert [record.getMessage() for record in caplog.records] == [
        f"Internal Server Error: {send_path(conversation)}"
    ]


def test_every_lane_route_is_an_async_endpoint():
    """The lane runs its views on the event loop: a sync one would block every socket."""
    operations = {
        (method, "api/v1/" + path.lstrip("/").replace("{", "<").replace("}", ">")): operation
        for _, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        for method in operation.methods
    }
    assert settings.TOKEN_LANE_ROUTES
    for method, route in settings.TOKEN_LANE_ROUTES:
        assert get_resolver().resolve("/" + route.replace("<conversation_id>", "1")).route == route
        assert operations[(method, route)].is_async, (method, route)


@pytest.mark.parametrize("conversation_id", ["1", "42", "9" * 30, "abc", "%C3%A9"])
def test_the_lane_matches_a_route_as_djangos_resolver_does(lane, conversation_id):
    (method, route), *_ = sorted(settings.TOKEN_LANE_ROUTES)
    path = "/" + route.replace("<conversation_id>", conversation_id)
    scope = {"type": "http", "method": method, "path": path}
    scope["headers"] = [(b"authorization", b"Bearer x")]
    first, later = lane.takes(scope), lane.takes(scope)  # resolved, then built from the first
    expected = get_resolver().resolve(path)
    for match in (first, later):
        assert (match.func, match.args, match.kwargs, match.route) == (
            expected.func,
            expected.args,
            expected.kwargs,
            expected.route,
        )
        assert (match.url_name, match.app_names, match.namespaces) == (
            expected.url_name,
            expected.app_names,
            expected.namespaces,
        )
        assert (match.captured_kwargs, match.extra_kwargs) == (
            expected.captured_kwargs,
            expected.extra_kwargs,
        )
    assert lane.takes({**scope, "path": path + "/extra"}) is None
    assert lane.takes({**scope, "method": "GET"}) is None
