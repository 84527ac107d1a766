"""Every write to accounts: users and API tokens."""

import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from saypro.accounts import selectors
from saypro.accounts.models import ApiToken, User, token_digest
from saypro.core.errors import Conflict, PermissionDenied, ValidationFailed

TOKEN_PREFIX_BYTES = 4
TOKEN_SECRET_BYTES = 24
# Unrevoked tokens one person may hold: one per script or device with room to spare, and a
# list short enough to check. A stolen session cannot mint tokens without end.
MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def register_user(
    *,
    email: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
) -> User:
    """Create an active user whose email address is already verified.

    Used by the ``saypro user create`` command and the demo data; people who
    sign up on the web go through allauth, which verifies the address itself.
    Without a password the account can only log in after a password reset.
    """
    email = email.strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as error:
        raise ValidationFailed(f"'{email}' is not a valid email address.") from error
    for field, value in (("email", email), ("first_name", first_name), ("last_name", last_name)):
        limit = User._meta.get_field(field).max_length
        if len(value) > limit:
            label = field.replace("_", " ").capitalize()
            raise ValidationFailed(f"{label} must be at most {limit} characters.", code="too_long")
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(f"A user with the email {email} already exists.", code="email_taken")
    user = User(email=email, first_name=first_name, last_name=last_name, is_staff=is_staff)
    if password:
        try:
            validate_password(password, user)
        except DjangoValidationError as error:
            raise ValidationFailed(" ".join(error.messages), code="weak_password") from error
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return it with the raw token, which is never stored.

    Refused (``Conflict``, code ``too_many_tokens``) when ``user`` already holds
    ``MAX_ACTIVE_TOKENS`` unrevoked tokens. The person's row is locked while counting
    (PostgreSQL; SQLite's write transactions run one at a time), so two requests at once
    cannot both take the last place.
    """
    name = name.strip()
    if not name or len(name) > 80:
        raise ValidationFailed("Give the token a name of 1 to 80 characters.", code="invalid_name")
    if not user.is_active:
        raise PermissionDenied("Inactive users cannot create API tokens.")
    User.objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise Conflict(
            f"This account already has {MAX_ACTIVE_TOKENS} active API tokens, the most one "
            "person may hold. Revoke one that is no longer used (on the account page), then "
            "create another.",
            code="too_many_tokens",
            details={"field": "name", "limit": MAX_ACTIVE_TOKENS},
        )
    prefix = secrets.token_hex(TOKEN_PREFIX_BYTES)
    raw = f"sp_{prefix}_{secrets.token_urlsafe(TOKEN_SECRET_BYTES)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, digest=token_digest(raw))
    return token, raw


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDenied("You can only revoke your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    # This process's API stops accepting it now; the others within API_TOKEN_CACHE_SECONDS.
    selectors.forget_token(token.digest)
    # Again after commit, in case a request read it from the database meanwhile.
    transaction.on_commit(lambda: selectors.forget_token(token.digest))
    return token


def token_use_due(token: ApiToken) -> bool:
    """Whether ``record_token_use`` would write (at most once a minute per token)."""
    last = token.last_used_at
    return last is None or (timezone.now() - last).total_seconds() > 60


def record_token_use(*, token: ApiToken) -> None:
    """Stamp ``last_used_at``, at most once a minute per token to keep reads cheap."""
    now = timezone.now()
    if token_use_due(token):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
