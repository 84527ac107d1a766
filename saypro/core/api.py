"""Shared API plumbing: authentication, the one error shape, pagination schemas."""

import logging
from typing import Annotated, Any, Generic, TypeVar

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import HttpBearer, django_auth
from ninja.throttling import AnonRateThrottle, UserRateThrottle

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


# The error responses every endpoint documents (the one shape, by status).
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
# Writes that are rate-limited per person also answer 429 (with Retry-After).
LIMITED_ERRORS = {**ERRORS, 429: ErrorOut}


class Page(Schema, Generic[ItemT]):
    items: list[ItemT]
    count: int


# Database integers are signed 64-bit; a larger id can name nothing, and SQLite
# would refuse to even compare it, so inputs are bounded before any query.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
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


def anonymous(request: HttpRequest):
    """Last resort of public endpoints: the visitor (``request.auth`` = AnonymousUser)."""
    return request.user


# Token first (no CSRF: it is not a browser credential), then the session (CSRF checked).
AUTH = [BearerToken(), django_auth]
# The same for async endpoints (the session check runs in a thread, as ninja does for it).
ASYNC_AUTH = [AsyncBearerToken(), django_auth]
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


def build_api() -> NinjaAPI:
    rate = settings.API_RATE_LIMITS
    api = NinjaAPI(
        title="SayPro Marketplace Engagement API",
        version="1",
        description=(
            "JSON API of the SayPro marketplace. Authenticate with a personal token "
            "(`Authorization: Bearer sp_…`, created on your account page) or, from the "
            "web app, with the session cookie plus the `X-CSRFToken` header. Every 4xx "
            'answer has the shape `{"error": {"code", "message", "details"}}`.'
        ),
        urls_namespace="api",
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
