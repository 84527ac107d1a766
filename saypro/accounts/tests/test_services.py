"""Writes to accounts: registering people, creating, revoking and using API tokens."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from saypro.accounts.models import ApiToken, User
from saypro.accounts.services import (
    MAX_ACTIVE_TOKENS,
    create_api_token,
    record_token_use,
    register_user,
    revoke_api_token,
    token_digest,
)
from saypro.accounts.tests.factories import UserFactory
from saypro.core.errors import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "violet-kettle-harbour-42"
RAW_TOKEN_PATTERN = re.compile(r"^sp_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{32})$")


def _counts() -> tuple[int, int]:
    return User.objects.count(), EmailAddress.objects.count()


# --- register_user ------------------------------------------------------------------------


def test_register_user_normalises_email_and_verifies_it():
    user = register_user(
        email="  Nomsa.Dlamini@Example.TEST ",
        password=STRONG_PASSWORD,
        first_name="Nomsa",
        last_name="Dlamini",
    )

    user.refresh_from_db()
    assert user.email == "nomsa.dlamini@example.test"
    assert (user.first_name, user.last_name) == ("Nomsa", "Dlamini")
    assert user.is_active is True
    assert user.is_staff is False
    assert user.check_password(STRONG_PASSWORD) is True
    addresses = list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary"))
    assert addresses == [{"email": "nomsa.dlamini@example.test", "verified": True, "primary": True}]


def test_register_user_can_create_office_staff():
    user = register_user(email="office@example.test", password=STRONG_PASSWORD, is_staff=True)

    assert user.is_staff is True
    assert user.is_office_staff is True


def test_register_user_without_password_cannot_log_in_until_reset():
    user = register_user(email="nopass@example.test")

    assert user.has_usable_password() is False
    assert EmailAddress.objects.filter(user=user, verified=True).count() == 1


@pytest.mark.parametrize(
    "email", ["buyer@example.test", "BUYER@example.test", " Buyer@Example.Test "]
)
def test_register_user_refuses_a_taken_email_whatever_its_case(buyer, email):
    before = _counts()

    with pytest.raises(Conflict) as caught:
        register_user(email=email, password=STRONG_PASSWORD)

    assert caught.value.code == "email_taken"
    assert caught.value.status == 409
    assert _counts() == before


@pytest.mark.parametrize("email", ["", "   ", "not-an-email", "a@b", "two@@example.test"])
def test_register_user_refuses_an_invalid_email(db, email):
    with pytest.raises(ValidationFailed) as caught:
        register_user(email=email, password=STRONG_PASSWORD)

    assert caught.value.code == "validation_failed"
    assert _counts() == (0, 0)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"first_name": "N" * 81}, "First name must be at most 80 characters."),
        ({"last_name": "N" * 81}, "Last name must be at most 80 characters."),
        ({"email": "a" * 250 + "@x.test"}, "Email must be at most 254 characters."),
    ],
)
def test_register_user_refuses_a_field_too_long_for_its_column(db, fields, message):
    # SQLite would keep the whole name; PostgreSQL failed with a DataError (a traceback).
    with pytest.raises(ValidationFailed) as caught:
        register_user(**{"email": "kagiso@example.test", "password": STRONG_PASSWORD, **fields})

    assert (caught.value.code, caught.value.message) == ("too_long", message)
    assert _counts() == (0, 0)


@pytest.mark.parametrize(
    "password",
    [
        "short7",  # too short
        "password",  # common
        "48151623424",  # numeric
        "kagiso.mokoena@example.test",  # like the email
    ],
)
def test_register_user_refuses_a_weak_password_and_creates_nothing(db, password):
    with pytest.raises(ValidationFailed) as caught:
        register_user(email="kagiso.mokoena@example.test", password=password)

    assert caught.value.code == "weak_password"
    assert caught.value.message
    assert _counts() == (0, 0)


# --- create_api_token ----------------------------------------------------------------------


def test_create_api_token_returns_the_raw_token_once_and_stores_only_its_digest(buyer):
    token, raw = create_api_token(user=buyer, name="  Laptop script ")

    match = RAW_TOKEN_PATTERN.match(raw)
    assert match is not None, raw
    token.refresh_from_db()
    assert token.user == buyer
    assert token.name == "Laptop script"
    assert token.prefix == match["prefix"]
    assert token.digest == token_digest(raw)
    assert len(token.digest) == 64
    assert token.revoked_at is None
    assert token.last_used_at is None
    assert token.is_active is True
    # The raw token, and its secret part, are nowhere in the table.
    stored = list(ApiToken.objects.values_list("name", "prefix", "digest"))
    assert stored == [("Laptop script", match["prefix"], token_digest(raw))]
    assert not any(raw in value or match["secret"] in value for row in stored for value in row)


def test_create_api_token_gives_distinct_tokens(buyer):
    raws = {create_api_token(user=buyer, name=f"Token {n}")[1] for n in range(5)}

    assert len(raws) == 5
    assert ApiToken.objects.filter(user=buyer).count() == 5
    assert len(set(ApiToken.objects.values_list("prefix", flat=True))) == 5


@pytest.mark.parametrize("name", ["", "    ", "x" * 81])
def test_create_api_token_requires_a_name_of_1_to_80_characters(buyer, name):
    with pytest.raises(ValidationFailed) as caught:
        create_api_token(user=buyer, name=name)

    assert caught.value.code == "invalid_name"
    assert ApiToken.objects.count() == 0


def test_create_api_token_accepts_a_name_of_exactly_80_characters(buyer):
    token, _raw = create_api_token(user=buyer, name="x" * 80)

    assert token.name == "x" * 80


def test_create_api_token_refuses_an_inactive_user(db):
    user = UserFactory(is_active=False)

    with pytest.raises(PermissionDenied):
        create_api_token(user=user, name="Script")

    assert ApiToken.objects.count() == 0


def test_create_api_token_refuses_more_than_the_active_limit(buyer, seller):
    assert MAX_ACTIVE_TOKENS == 20
    tokens = [create_api_token(user=buyer, name=f"Token {n}")[0] for n in range(20)]
    create_api_token(user=seller, name="Someone else's")  # each person has their own 20

    with pytest.raises(Conflict) as caught:
        create_api_token(user=buyer, name="One too many")

    assert (caught.value.status, caught.value.code) == (409, "too_many_tokens")
    assert caught.value.message == (
        "This account already has 20 active API tokens, the most one person may hold. "
        "Revoke one that is no longer used (on the account page), then create another."
    )
    assert caught.value.details == {"field": "name", "limit": 20}
    assert ApiToken.objects.filter(user=buyer).count() == 20
    # A revoked token frees its place.
    revoke_api_token(actor=buyer, token=tokens[0])
    token, _raw = create_api_token(user=buyer, name="Replacement")
    assert ApiToken.objects.filter(user=buyer, revoked_at__isnull=True).count() == 20
    assert token.name == "Replacement"


# --- revoke_api_token ----------------------------------------------------------------------


def test_revoke_api_token_revokes_own_token(buyer):
    token, _raw = create_api_token(user=buyer, name="Script")

    revoked = revoke_api_token(actor=buyer, token=token)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_at == revoked.revoked_at
    assert token.is_active is False


def test_revoke_api_token_twice_keeps_the_first_revocation_time(buyer):
    token, _raw = create_api_token(user=buyer, name="Script")
    revoke_api_token(actor=buyer, token=token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at

    revoke_api_token(actor=buyer, token=ApiToken.objects.get(pk=token.pk))

    assert ApiToken.objects.get(pk=token.pk).revoked_at == first


@pytest.mark.parametrize("actor_name", ["seller", "staff"])
def test_revoke_api_token_refuses_other_peoples_tokens(request, buyer, actor_name):
    actor = request.getfixturevalue(actor_name)
    token, _raw = create_api_token(user=buyer, name="Script")

    with pytest.raises(PermissionDenied):
        revoke_api_token(actor=actor, token=token)

    token.refresh_from_db()
    assert token.revoked_at is None
    assert token.is_active is True


# --- record_token_use ----------------------------------------------------------------------


def test_record_token_use_stamps_a_token_never_used(buyer, django_assert_num_queries):
    token, _raw = create_api_token(user=buyer, name="Script")
    before = timezone.now()

    with django_assert_num_queries(1):
        record_token_use(token=token)

    stored = ApiToken.objects.get(pk=token.pk).last_used_at
    assert stored == token.last_used_at
    assert before <= stored <= timezone.now()


def test_record_token_use_writes_at_most_once_a_minute(buyer, django_assert_num_queries):
    token, _raw = create_api_token(user=buyer, name="Script")
    recent = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    token.refresh_from_db()

    with django_assert_num_queries(0):
        record_token_use(token=token)

    assert token.last_used_at == recent
    assert ApiToken.objects.get(pk=token.pk).last_used_at == recent


def test_record_token_use_writes_again_after_a_minute(buyer, django_assert_num_queries):
    token, _raw = create_api_token(user=buyer, name="Script")
    stale = timezone.now() - timedelta(seconds=61)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    token.refresh_from_db()

    with django_assert_num_queries(1):
        record_token_use(token=token)

    stored = ApiToken.objects.get(pk=token.pk).last_used_at
    assert stored > stale
    assert stored == token.last_used_at
