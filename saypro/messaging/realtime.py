"""The WebSocket at ``/ws/``: each person's events, in order, none lost, none twice.

Authentication: the session cookie (the web app), or an API token as
``?token=sp_…`` or an ``Authorization: Bearer sp_…`` header (API clients).

A client connects with ``?after=<last event id it has>`` and first receives
every later event from the event table, then live ones; without ``after`` it
starts from now. Frames are ``{"id", "type", "data"}``, exactly as
``GET /api/v1/events`` returns them.

Live pushes carry the recipient's previous event id. The consumer sends an
event only when that link is the last id it sent; otherwise it read the gap
from the table first. Every ``MESSAGING_SOCKET_RESYNC_SECONDS`` it re-joins
its group (Redis keeps no state across a restart) and reads the table for
anything a lost push did not bring. A client may also send
``{"type": "ping"}`` and gets ``{"type": "pong", "last_event_id": …}``, and
``{"type": "viewing", "conversation_id": N | null}`` to say which conversation
it shows (``presence``: that person gets no notification for its new messages).
"""

import asyncio
import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from saypro.accounts.selectors import active_token
from saypro.core import events
from saypro.messaging import presence

logger = logging.getLogger(__name__)

CATCH_UP_BATCH = 500
UNAUTHENTICATED = 4401


class ApiClientOriginValidator(OriginValidator):
    """Browsers must come from an allowed host; clients that send no Origin (API) may connect.

    The Origin check protects session cookies from other sites; a client that
    sends no Origin header is not a browser page, and authenticates itself.
    """

    def __init__(self, application):
        super().__init__(application, settings.ALLOWED_HOSTS)

    def valid_origin(self, parsed_origin) -> bool:
        return parsed_origin is None or self.validate_origin(parsed_origin)


class TokenAuthMiddleware:
    """Use an API token (query ``token`` or ``Authorization`` header) when one is sent."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        token = _token(scope)
        if token is not None:
            scope = dict(scope, user=await _token_user(token))
        return await self.inner(scope, receive, send)


def _token(scope) -> str | None:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("token"):
        return query["token"][0]
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and credentials:
                return credentials.strip()
    return None


@database_sync_to_async
def _token_user(raw_token: str):
    token = active_token(raw_token)
    return token.user if token is not None else AnonymousUser()


def _after(scope) -> int | None:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    value = (query.get("after") or [""])[0]
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


class EventConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        self.user_id = user.pk
        self.group = events.user_group(user.pk)
        self.sending = asyncio.Lock()
        await self.accept()
        # "Now" is read before joining and the table after it, so an event committed
        # while joining (its push went to no one) is sent from the table, not skipped.
        after = _after(self.scope)
        if after is None:
            after = await database_sync_to_async(events.last_event_id)(self.user_id)
        self.last = after
        await self._join()
        async with self.sending:
            await self._catch_up()
        self.resync = asyncio.create_task(self._resync_forever())

    async def disconnect(self, code):
        resync = getattr(self, "resync", None)
        if resync is not None:
            resync.cancel()
        if hasattr(self, "group"):
            try:
                await self.channel_layer.group_discard(self.group, self.channel_name)
            except Exception:  # the layer is down; its group expires on its own
                logger.info("Could not leave %s", self.group, exc_info=True)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return
        if content.get("type") == "ping":
            await self.send_json({"type": "pong", "last_event_id": self.last})
        elif content.get("type") == "viewing":
            conversation_id = content.get("conversation_id")
            if conversation_id is None or (
                type(conversation_id) is int and 0 < conversation_id < 2**63
            ):
                await presence.set_viewing(self.user_id, conversation_id)

    async def dispatch(self, message):
        """Pushes go straight to ``event_push``; everything else as channels dispatches it.

        Channels closes stale database connections in a thread before every
        handler (one hop out of the event loop and back per message). A push
        uses no connection on that thread (a catch-up reads through
        ``database_sync_to_async``, which closes them itself), and every event a
        person gets is one push per socket, so the hop is skipped for it.
        """
        if message["type"] == events.PUSH_TYPE:
            await self.event_push(message)
        else:
            await super().dispatch(message)

    async def event_push(self, message):
        """A live event for this person (``saypro.core.events.push``)."""
        event = message["event"]
        async with self.sending:
            if event["id"] <= self.last:
                return
            if message["previous_id"] > self.last:
                await self._catch_up()  # a push went missing: the table has it
                return
            await self.send_json(event)
            self.last = event["id"]

    async def _catch_up(self) -> None:
        """Send every stored event after the last one sent (caller holds ``sending``)."""
        while True:
            batch = await database_sync_to_async(events.events_after)(
                self.user_id, self.last, limit=CATCH_UP_BATCH
            )
            for event in batch:
                await self.send_json(event.frame())
                self.last = event.pk
            if len(batch) < CATCH_UP_BATCH:
                return

    async def _join(self) -> None:
        try:
            await self.channel_layer.group_add(self.group, self.channel_name)
        except Exception:  # the layer is down: the resync loop keeps trying and reads the table
            logger.warning("Could not join %s", self.group, exc_info=True)

    async def _resync_forever(self) -> None:
        while True:
            await asyncio.sleep(settings.MESSAGING_SOCKET_RESYNC_SECONDS)
            await self._join()
            try:
                async with self.sending:
                    await self._catch_up()
            except Exception:  # the database is briefly unreachable: try again next round
                logger.warning("Catch-up for %s failed", self.group, exc_info=True)
