"""Reads for accounts."""

import time

from django.conf import settings
from django.db.models import QuerySet

from saypro.accounts.models import ApiToken, User, token_digest


def active_token(raw_token: str) -> ApiToken | None:
    """The unrevoked token matching ``raw_token`` whose user is active, or None."""
    if not raw_token.startswith("sp_"):
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw_token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


# digest -> (monotonic time it was read, the token): this process's recent token reads.
_recent_tokens: dict[str, tuple[float, ApiToken]] = {}


def recent_active_token(raw_token: str) -> ApiToken | None:
    """``active_token`` as this process read it less than ``API_TOKEN_CACHE_SECONDS`` ago.

    None when it was not read recently (ask ``remember_active_token``). A token
    revoked, or a user deactivated, in another process still authenticates here
    for at most that long; ``revoke_api_token`` forgets it in its own process
    at once. Only valid tokens are kept.
    """
    found = _recent_tokens.get(token_digest(raw_token))
    if found is None or time.monotonic() - found[0] >= settings.API_TOKEN_CACHE_SECONDS:
        return None
    return found[1]


def remember_active_token(raw_token: str) -> ApiToken | None:
    """``active_token``, read from the database and kept for ``recent_active_token``."""
    token = active_token(raw_token)
    if token is not None and settings.API_TOKEN_CACHE_SECONDS > 0:
        if len(_recent_tokens) > 10_000:  # bounded: drop everything rather than track age
            _recent_tokens.clear()
        _recent_tokens[token.digest] = (time.monotonic(), token)
    return token


def forget_token(digest: str) -> None:
    _recent_tokens.pop(digest, None)


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_of(user: User, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(user=user, pk=token_id).first()


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()
