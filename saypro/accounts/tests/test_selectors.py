"""Reads for accounts: resolving a raw API token, listing tokens, finding people."""

import pytest

from saypro.accounts.models import User
from saypro.accounts.selectors import active_token, token_of, tokens_of, user_by_email
from saypro.accounts.services import create_api_token, revoke_api_token

pytestmark = pytest.mark.django_db


def test_active_token_resolves_a_valid_token_with_its_user_in_one_query(
    buyer, django_assert_num_queries
):
    token, raw = create_api_token(user=buyer, name="Script")

    with django_assert_num_queries(1):
        found = active_token(raw)
        assert found.user.email == "buyer@example.test"

    assert found == token


def test_active_token_is_none_once_revoked(buyer):
    token, raw = create_api_token(user=buyer, name="Script")
    revoke_api_token(actor=buyer, token=token)

    assert active_token(raw) is None


def test_active_token_is_none_for_an_inactive_user(buyer):
    _token, raw = create_api_token(user=buyer, name="Script")
    User.objects.filter(pk=buyer.pk).update(is_active=False)

    assert active_token(raw) is None


@pytest.mark.parametrize(
    "garbage",
    ["", "sp_", "sp_deadbeef_nope", "Bearer sp_x", "not-a-token", "💥" * 40, "sp_" + "a" * 500],
)
def test_active_token_is_none_for_garbage(buyer, garbage, django_assert_max_num_queries):
    create_api_token(user=buyer, name="Script")

    with django_assert_max_num_queries(1):
        assert active_token(garbage) is None


def test_active_token_does_not_match_a_token_differing_in_one_character(buyer):
    _token, raw = create_api_token(user=buyer, name="Script")
    tampered = raw[:-1] + ("A" if raw[-1] != "A" else "B")

    assert active_token(tampered) is None


def test_active_token_without_sp_prefix_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert active_token("xx_deadbeef_secret") is None


def test_tokens_of_lists_only_the_users_tokens_newest_first(buyer, seller):
    first, _ = create_api_token(user=buyer, name="First")
    second, _ = create_api_token(user=buyer, name="Second")
    create_api_token(user=seller, name="Not mine")

    assert list(tokens_of(buyer)) == [second, first]


def test_token_of_returns_own_token_only(buyer, seller):
    mine, _ = create_api_token(user=buyer, name="Mine")
    theirs, _ = create_api_token(user=seller, name="Theirs")

    assert token_of(buyer, mine.pk) == mine
    assert token_of(buyer, theirs.pk) is None
    assert token_of(buyer, 987654) is None


def test_user_by_email_ignores_case_and_spaces(buyer):
    assert user_by_email("  BUYER@Example.test ") == buyer
    assert user_by_email("nobody@example.test") is None
