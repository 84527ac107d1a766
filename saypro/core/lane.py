"""The token lane: async API endpoints called with a bearer token, without the web stack.

A message send from an API client went through everything a browser page
needs: sessions, CSRF, authentication from the session, flash messages,
htmx, allauth's login flows, static files, each middleware hook run in a
request thread (one hop out of the event loop and one back), and Django's
``request_started`` signal. None of that applies to a request that
carries ``Authorization: Bearer …`` and no cookie: its credential is the
token, which the endpoint's own authentication (``core.api``) checks, and a
request without cookies has no session, CSRF token or flash messages to
read.

Such a request to one of ``settings.TOKEN_LANE_ROUTES`` (async endpoints
whose database work runs on ``core.database_threads``) is served here, on the
event loop: the request is built as
Django builds it, the middleware that does apply to it
(``settings.TOKEN_LANE_MIDDLEWARE``: host check, security headers) runs its
hooks inline, and the endpoint is the same django-ninja view (its
authentication, throttles, validation, errors and response shape). Anything
else (a cookie, no token, another route or method) goes to Django's handler
unchanged.

A path is matched against the lane's own routes only (one ``RoutePattern``
each), not Django's whole URL tree, which is tried pattern by pattern and cost
the event loop thread as much as the lane saved elsewhere. The first path of a
route is resolved by Django to learn the view and its names; later ones get
the match Django's resolver would build (same view, arguments, names and
route). So a lane route must be the only pattern of the site for its paths
(the lane's tests check that Django resolves them to it).

Django's ``request_started`` signal is not sent: its receivers reset and
close this thread's database connections, and this thread uses none (the
endpoint's queries run on the database threads). ``request_finished`` is
sent, as Django sends it, when the response is closed.
"""

import asyncio

from django.conf import settings
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.exception import response_for_exception
from django.urls import Resolver404, ResolverMatch, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils.log import log_response
from django.utils.module_loading import import_string


class TokenLane:
    """ASGI app: the lane for requests it takes (``takes``), else ``django``."""

    def __init__(self, django: ASGIHandler) -> None:
        self.django = django
        self.middleware = [import_string(path)(_no_view) for path in settings.TOKEN_LANE_MIDDLEWARE]
        self.routes = [
            (method, route, RoutePattern(route, is_endpoint=True))
            for method, route in sorted(settings.TOKEN_LANE_ROUTES)
        ]
        self.resolved: dict[str, ResolverMatch] = {}  # route → Django's match of a first path

    async def __call__(self, scope, receive, send) -> None:
        match = self.takes(scope)
        if match is None:
            await self.django(scope, receive, send)
            return
        try:
            body = await self.django.read_body(receive)
        except RequestAborted:
            return
        request, response = self.django.create_request(scope, body)
        if request is not None:
            request.resolver_match = match
            response = await self._respond(request, match)
        try:
            await self.django.send_response(response, send)
        except (asyncio.CancelledError, OSError):  # the client left; the write stands
            pass
        finally:
            response.close()
            body.close()

    def takes(self, scope):
        """The URL match of a request for the lane, or None (Django's handler serves it)."""
        if scope["type"] != "http":
            return None
        bearer = False
        for name, value in scope["headers"]:
            if name == b"cookie":
                return None
            if name == b"authorization":
                bearer = value[:7].lower() == b"bearer "
        if not bearer:
            return None
        path = scope["path"]
        for method, route, pattern in self.routes:
            found = pattern.match(path[1:]) if method == scope["method"] else None
            if found is None:
                continue
            first = self.resolved.get(route)
            if first is None:
                return self._resolve_first(path, route)
            _, args, kwargs = found
            return ResolverMatch(
                first.func,
                args,
                {**kwargs, **first.extra_kwargs},
                first.url_name,
                first.app_names,
                first.namespaces,
                route,
                captured_kwargs=kwargs,
                extra_kwargs=first.extra_kwargs,
            )
        return None

    def _resolve_first(self, path: str, route: str) -> ResolverMatch | None:
        try:
            match = get_resolver().resolve(path)
        except Resolver404:
            return None
        if match.route != route:  # an earlier pattern of the site takes this path
            return None
        self.resolved[route] = match
        return match

    async def _respond(self, request, match):
        response = None
        try:
            # As in Django's chain: a middleware that answers (a redirect) ends the way in;
            # the way out passes through it and the ones before it only.
            entered = 0
            for middleware in self.middleware:
                entered += 1
                if hasattr(middleware, "process_request"):
                    response = middleware.process_request(request)
                    if response is not None:
                        break
            if response is None:
                response = await match.func(request, *match.args, **match.kwargs)
            for middleware in reversed(self.middleware[:entered]):
                if hasattr(middleware, "process_response"):
                    response = middleware.process_response(request, response)
        except Exception as exc:  # what Django's handler does with it: a logged error page
            response = response_for_exception(request, exc)
        if response.status_code >= 400:
            log_response(
                "%s: %s", response.reason_phrase, request.path, response=response, request=request
            )
        return response


def _no_view(request):
    raise AssertionError("The token lane calls the view itself.")
