"""Shared API plumbing: authentication, the one error shape, pagination schemas."""

import json
import logging
from typing import Annotated, Any, Generic, TypeVar

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import AnonRateThrottle, UserRateThrottle
from pydantic import Strict

from saypro.accounts.selectors import recent_active_token, remember_active_token
from saypro.accounts.services import record_token_use, token_use_due
from saypro.core import database_threads, ratelimit
from saypro.core.errors import ApplicationError
from saypro.core.idempotency import CLIENT_ID_PATTERN

logger = logging.getLogger(__name__)

ItemT = TypeVar("ItemT")


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorOut(Schema):
    error: ErrorBody


# The error responses every endpoint documents (the one shape, by status). Any request may
# be a 401 (a wrong token, even where none is needed), a 422 (a parameter or body that does
# not match the schema) or a 429 (the API throttle; per-person write limits too).
ERRORS = {status: ErrorOut for status in (400, 401, 403, 404, 409, 422, 429)}


class Page(Schema, Generic[ItemT]):
    items: list[ItemT]
    count: int


# Database integers are signed 64-bit; a larger id can name nothing, and SQLite
# would refuse to even compare it, so inputs are bounded before any query.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# An id in a JSON body is a JSON integer: ``true``, ``"5"`` or ``5.0`` name nothing (422),
# where lax parsing would take ``true`` for 1. (Path and query ids are text, so ``Id``.)
BodyId = Annotated[Id, Strict()]
# Text inputs: no NUL or other control characters (PostgreSQL refuses NUL in text).
SearchText = Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]
Slug = Annotated[str, Field(min_length=1, max_length=140, pattern=r"^[-a-zA-Z0-9_]+$")]
ClientId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=CLIENT_ID_PATTERN,
        description="Your idempotency key (a UUID is ideal): a retry with it creates nothing.",
    ),
]


class Paging(Schema):
    limit: int = Field(24, ge=1, le=100, description="How many items to return (1–100).")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many items to skip.")

    def page(self, queryset) -> dict:
        """``{"items", "count"}`` for this window of ``queryset``."""
        return {
            "items": list(queryset[self.offset : self.offset + self.limit]),
            "count": queryset.count(),
        }


class BearerToken(HttpBearer):
    """``Authorization: Bearer sp_…``: a personal API token (see accounts.ApiToken).

    A token read less than ``API_TOKEN_CACHE_SECONDS`` ago in this process is
    not read again (``accounts.selectors.recent_active_token``).
    """

    def authenticate(self, request: HttpRequest, token: str):
        api_token = recent_active_token(token) or remember_active_token(token)
        return self._accept(request, api_token, record_token_use)

    @staticmethod
    def _accept(request: HttpRequest, api_token, stamp):
        if api_token is None:
            # A token that was sent but is wrong is an error even where anonymous
            # access is allowed: the client believes it is someone.
            raise AuthenticationError
        stamp(token=api_token)
        request.user = api_token.user
        return api_token.user


class AsyncBearerToken(BearerToken):
    """``BearerToken`` for async endpoints: database reads on ``core.database_threads``.

    A recently read token authenticates on the event loop without a thread hop.
    """

    is_async = True

    async def __call__(self, request: HttpRequest):
        scheme, _, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme or not token:
            return None
        api_token = recent_active_token(token) or await database_threads.run(
            remember_active_token, token
        )
        if api_token is not None and token_use_due(api_token):
            await database_threads.run(record_token_use, token=api_token)
        return self._accept(request, api_token, lambda token: None)


class WindowThrottle:
    """ninja's rate throttle, counted as ``ratelimit`` counts: a fixed window per rate
    period, one cache call per request (ninja reads and writes back the list of the
    times of every request in the period). While Redis is unreachable nothing is
    counted and requests go through (``core.cache``)."""

    def allow_request(self, request: HttpRequest) -> bool:
        key = self.get_cache_key(request)
        if key is None:
            return True
        self.now = self.timer()
        count = ratelimit.window_count(key, self.duration, self.now, what="the API throttle")
        return count is None or count <= self.num_requests

    def wait(self) -> int:
        return ratelimit.retry_after_seconds(self.duration, self.now)


class AccountRateThrottle(WindowThrottle, UserRateThrottle):
    """Per person (token or session), across every web process in scale-out mode."""


class VisitorRateThrottle(WindowThrottle, AnonRateThrottle):
    """Per IP address, for visitors not logged in.

    ``request.auth`` is an AnonymousUser on public endpoints (see ``anonymous``),
    so ask ``request.user`` who is calling rather than ninja's ``request.auth``.
    """

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoggedInSession(SessionAuth):
    """The session cookie, CSRF checked, of someone logged in. A request from no one (no
    session, no token) is a 401 ``not_authenticated``, as documented, not a 403 for a CSRF
    header it had no reason to send."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


def anonymous(request: HttpRequest):
    """Last resort of public endpoints: the visitor (``request.auth`` = AnonymousUser)."""
    return request.user


# Token first (no CSRF: it is not a browser credential), then the session (CSRF checked).
AUTH = [BearerToken(), LoggedInSession()]
# The same for async endpoints (the session check runs in a thread, as ninja does for it).
ASYNC_AUTH = [AsyncBearerToken(), LoggedInSession()]
# Endpoints anyone may call; who is calling may still widen what they see.
PUBLIC = [*AUTH, anonymous]


def error_response(
    api: NinjaAPI, request: HttpRequest, *, status: int, code: str, message: str, details=None
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "details": details}}
    return api.create_response(request, body, status=status)


def _validation_details(errors: list[dict]) -> list[dict]:
    return [
        {
            "location": [str(part) for part in _json_location(tuple(error.get("loc", ())))],
            "message": error.get("msg", "Invalid value."),
        }
        for error in errors
    ]


def _json_location(location: tuple) -> tuple:
    """Where the problem is in what the client sent: ninja names a body's Python parameter
    (``("body", "payload", "text")``), which is not in the JSON, so it is left out
    (``("body", "text")``); every endpoint takes its body as one schema."""
    if location[:1] == ("body",):
        return ("body", *location[2:])
    return location


class UnreadableBody(ValueError):
    """A request body that is not JSON, or not sent as JSON."""


class JsonParser(Parser):
    """Bodies are JSON and say so (``Content-Type: application/json`` or ``…+json``): a form
    or text body is refused rather than guessed at. ninja turns any failure here into an
    ``HttpError(400)`` raised from it, which ``build_api`` answers with a 422."""

    def parse_body(self, request: HttpRequest):
        content_type = request.content_type or ""
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise UnreadableBody(
                f"Send the body as JSON with Content-Type: application/json"
                f" (not {content_type or 'none'})."
            )
        try:
            return json.loads(request.body)
        except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
            raise UnreadableBody(f"The body is not valid JSON: {error}.") from error


class JsonErrorsAPI(NinjaAPI):
    """A NinjaAPI that answers in the one error shape even outside its endpoints: an address
    under it that names no endpoint (its root too) is a 404 ``not_found``, and a method an
    endpoint does not take a 405 ``method_not_allowed`` with ``Allow`` (ninja and Django
    would answer both in HTML)."""

    def _get_urls(self) -> list:
        urls = super()._get_urls()
        root = next(url for url in urls if url.name == "api-root")
        endpoints = [
            URLPattern(url.pattern, self._json_not_allowed(url.callback), name=url.name)
            for url in urls
            if url is not root
        ]
        # After the endpoints, before ninja's root (kept for reverse() only). Exempt from
        # Django's CSRF check, as ninja's views are: a POST there is a 404, not a 403 page.
        return [*endpoints, re_path(r"", csrf_exempt(self._no_endpoint)), root]

    def _no_endpoint(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        docs = self.get_root_path({}) + self.docs_url.lstrip("/")
        return error_response(
            self,
            request,
            status=404,
            code="not_found",
            message=f"No endpoint at {request.path}; the endpoints are listed at {docs}.",
        )

    def _json_not_allowed(self, view):
        def shaped(request: HttpRequest, response: HttpResponse) -> HttpResponse:
            if not isinstance(response, HttpResponseNotAllowed):
                return response
            allowed = sorted(response["Allow"].split(", "))  # ninja's come from a set
            answer = error_response(
                self,
                request,
                status=405,
                code="method_not_allowed",
                message=f"{request.method} is not allowed here; use {', '.join(allowed)}.",
                details={"allowed": allowed},
            )
            answer["Allow"] = ", ".join(allowed)
            return answer

        if iscoroutinefunction(view):

            async def async_view(request, *args, **kwargs):
                return shaped(request, await view(request, *args, **kwargs))

            async_view.csrf_exempt = True
            return async_view

        def sync_view(request, *args, **kwargs):
            return shaped(request, view(request, *args, **kwargs))

        sync_view.csrf_exempt = True
        return sync_view


def build_api() -> NinjaAPI:
    rate = settings.API_RATE_LIMITS
    api = JsonErrorsAPI(
        title="SayPro Marketplace Engagement API",
        version="1",
        description=(
            "JSON API of the SayPro marketplace. Authenticate with a personal token "
            "(`Authorization: Bearer sp_…`, created on your account page) or, from the "
            "web app, with the session cookie plus the `X-CSRFToken` header. Every 4xx "
            'answer has the shape `{"error": {"code", "message", "details"}}`.'
        ),
        urls_namespace="api",
        parser=JsonParser(),
        throttle=[
            VisitorRateThrottle(rate["anonymous"]),
            AccountRateThrottle(rate["authenticated"]),
        ],
    )

    @api.exception_handler(ApplicationError)
    def application_error(request, exc: ApplicationError):
        response = error_response(
            api, request, status=exc.status, code=exc.code, message=exc.message, details=exc.details
        )
        return ratelimit.with_retry_after(response, exc)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        return error_response(
            api,
            request,
            status=422,
            code="invalid_request",
            message="The request is not valid; see details.",
            details=_validation_details(exc.errors),
        )

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc: AuthenticationError):
        return error_response(
            api,
            request,
            status=401,
            code="not_authenticated",
            message="Log in or send a valid API token (Authorization: Bearer sp_…).",
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, UnreadableBody):  # see JsonParser
            return validation_error(
                request, ValidationError([{"loc": ("body",), "msg": str(exc.__cause__)}])
            )
        code = {403: "permission_denied", 404: "not_found", 429: "rate_limited"}.get(
            exc.status_code, "http_error"
        )
        message = str(exc)
        details = None
        if message == "CSRF check Failed":
            code, message = "csrf_failed", "Send the X-CSRFToken header with session requests."
        elif isinstance(exc, Throttled) and exc.wait:  # ninja adds the Retry-After header
            message = f"Too many requests. Try again in {exc.wait} s."
            details = {"retry_after": exc.wait}
        return error_response(
            api, request, status=exc.status_code, code=code, message=message, details=details
        )

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return error_response(api, request, status=404, code="not_found", message="Not found.")

    return api
