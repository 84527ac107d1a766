"""Reads for accounts."""

from django.db.models import QuerySet

from saypro.accounts.models import ApiToken, User
from saypro.accounts.services import token_digest


def active_token(raw_token: str) -> ApiToken | None:
    """The unrevoked token matching ``raw_token`` whose user is active, or None."""
    if not raw_token.startswith("sp_"):
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw_token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_of(user: User, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(user=user, pk=token_id).first()


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()
