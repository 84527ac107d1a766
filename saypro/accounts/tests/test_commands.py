"""``saypro user create`` and ``saypro token create``."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from saypro.accounts.models import ApiToken, User
from saypro.accounts.selectors import active_token
from saypro.accounts.services import MAX_ACTIVE_TOKENS, create_api_token

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_create_seller_with_store_prints_id():
    output = run(
        "user",
        "create",
        "Kea@Example.test",
        "--role",
        "seller",
        "--store",
        "Kea Crafts",
        "--password",
        "a-long-pass-phrase-7",
    )
    user = User.objects.get()
    assert output == str(user.pk)
    assert user.email == "kea@example.test"
    assert user.check_password("a-long-pass-phrase-7")
    assert user.emailaddress_set.get().verified
    membership = user.memberships.get()
    assert (membership.store.name, membership.role) == ("Kea Crafts", "owner")


def test_create_staff_and_buyer():
    run("user", "create", "office@example.test", "--role", "staff")
    run("user", "create", "shopper@example.test")
    assert list(User.objects.values_list("email", "is_staff")) == [
        ("office@example.test", True),
        ("shopper@example.test", False),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-an-email"], "not a valid email"),
        (["a@example.test", "--store", "X"], "--store only goes with --role seller"),
        (["a@example.test", "--password", "123"], "too short"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        run("user", "create", *args)
    assert User.objects.count() == 0


def test_duplicate_seller_store_rolls_back_the_user():
    run("user", "create", "first@example.test", "--role", "seller", "--store", "Same")
    with pytest.raises(CommandError, match="already exists"):
        run("user", "create", "second@example.test", "--role", "seller", "--store", "Same")
    assert not User.objects.filter(email="second@example.test").exists()


def test_token_create_prints_token_on_last_line(buyer):
    output = run("token", "create", buyer.email, "--name", "ci")
    raw = output.splitlines()[-1]
    assert active_token(raw).user == buyer
    assert ApiToken.objects.get().name == "ci"


def test_token_create_over_the_limit_fails_and_says_why(buyer):
    for n in range(MAX_ACTIVE_TOKENS):
        create_api_token(user=buyer, name=f"Token {n}")

    with pytest.raises(CommandError, match="already has 20 active API tokens") as refused:
        run("token", "create", buyer.email, "--name", "ci")

    assert refused.value.returncode == 1  # `saypro token create` exits with status 1
    assert ApiToken.objects.count() == MAX_ACTIVE_TOKENS


def test_token_for_unknown_user():
    with pytest.raises(CommandError, match="No user has the email"):
        run("token", "create", "ghost@example.test")
