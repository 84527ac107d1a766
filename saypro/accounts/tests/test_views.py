"""Sign-up with email verification, log in, and the account page's API tokens."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from saypro.accounts.models import ApiToken, User
from saypro.accounts.services import MAX_ACTIVE_TOKENS, create_api_token, token_digest
from saypro.accounts.tests.factories import PASSWORD, UserFactory
from saypro.core.testing import described_errors

pytestmark = pytest.mark.django_db


def test_signup_verifies_email_by_code_then_logs_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "Ayanda",
            "last_name": "Dlamini",
            "email": "Ayanda@Example.test",
            "password1": "a-long-pass-phrase-7",
            "password2": "a-long-pass-phrase-7",
        },
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert (user.email, user.first_name, user.last_name) == (
        "ayanda@example.test",
        "Ayanda",
        "Dlamini",
    )
    assert len(mail.outbox) == 1
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[0].body, re.MULTILINE).group(1)

    # Not verified yet: pages that need a login send the person back to the code form.
    response = client.post(response.url, {"code": code})
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified is True
    assert client.get(reverse("accounts:account")).status_code == 200


def test_signup_errors_are_next_to_fields(client):
    """A taken email is not revealed (allauth's enumeration protection): the form
    complains only about what the visitor can fix."""
    UserFactory(email="taken@example.test")
    response = client.post(
        reverse("account_signup"),
        {"first_name": "", "email": "taken@example.test", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"first_name", "password1"}
    assert User.objects.count() == 1
    # Each invalid field is marked so, and a screen reader reads its errors with it.
    errors = described_errors(response.content.decode())
    assert errors.keys() == {"first_name", "password1"}
    assert errors["first_name"] == "This field is required."
    assert "This password is too short." in errors["password1"]


def page_html(response) -> str:
    """The page's HTML with allauth's indentation gone: white space around tags dropped, other
    runs of it as one space (as a browser shows the text)."""
    html = " ".join(response.content.decode().split())
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html)


def test_the_verification_code_says_how_long_it_works_and_where_to_look(client):
    client.post(
        reverse("account_signup"),
        {
            "first_name": "Ayanda",
            "email": "ayanda@example.test",
            "password1": "a-long-pass-phrase-7",
            "password2": "a-long-pass-phrase-7",
        },
    )
    [email] = mail.outbox
    assert email.subject == "[SayPro] Your email verification code"
    body = " ".join(email.body.split())
    assert "Your code to verify ayanda@example.test on SayPro Marketplace:" in body
    assert "within 15 minutes. After 3 wrong tries it stops working" in body

    page = page_html(client.get(reverse("account_email_verification_sent")))
    assert (
        '<p>We have sent a code to<strong class="user-text">ayanda@example.test</strong>. Type it '
        "below within 15 minutes; after 3 wrong tries it stops working, and you log in again to "
        "get a new one.</p>" in page
    )
    assert 'Still nothing? The<a href="/help/">knowledge base</a>says how' in page
    assert "shortly" not in page


def test_a_password_reset_ends_with_the_way_to_log_in(client):
    UserFactory(email="lerato@example.test")
    client.post(reverse("account_reset_password"), {"email": "lerato@example.test"})
    [email] = mail.outbox
    assert email.subject == "[SayPro] Reset your password"
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", email.body).group(0)
    form_url = client.get(link).url
    new_password = {"password1": "a-new-pass-phrase-8", "password2": "a-new-pass-phrase-8"}
    done = client.post(form_url, new_password, follow=True)
    assert done.redirect_chain[-1][0] == reverse("account_reset_password_from_key_done")
    assert (
        "<h1>Your new password is set</h1><p>Log in with your email address and your new "
        f'password.</p><div class="row"><a class="button" href="{reverse("account_login")}">'
        "Log in</a></div>"
    ) in page_html(done)


def test_mails_about_an_unknown_or_a_taken_address_say_what_happened(client):
    UserFactory(email="taken@example.test")
    client.post(reverse("account_reset_password"), {"email": "nobody@example.test"})
    client.post(
        reverse("account_signup"),
        {
            "first_name": "Sipho",
            "email": "taken@example.test",
            "password1": "a-long-pass-phrase-7",
            "password2": "a-long-pass-phrase-7",
        },
    )
    assert [(email.to, email.subject) for email in mail.outbox] == [
        (["nobody@example.test"], "[SayPro] No account with this email address"),
        (["taken@example.test"], "[SayPro] You already have an account"),
    ]
    assert "an account with this address already exists. Log in with it instead" in " ".join(
        mail.outbox[1].body.split()
    )


def test_a_refused_email_change_is_read_out_with_the_field(client):
    client.force_login(UserFactory())
    response = client.post(reverse("account_email"), {"action_add": "", "email": "not-an-email"})
    assert response.status_code == 200
    assert described_errors(response.content.decode()) == {"email": "Enter a valid email address."}


def test_login_with_email(client):
    user = UserFactory(email="lerato@example.test")
    response = client.post(
        reverse("account_login"), {"login": "LERATO@example.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_account_page_needs_login(client):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_create_token_shows_it_once_and_stores_only_digest(client, buyer):
    client.force_login(buyer)
    response = client.post(reverse("accounts:account"), {"name": "inventory sync"}, follow=True)
    assert response.redirect_chain == [(reverse("accounts:account"), 302)]
    raw = response.context["new_token"]
    token = ApiToken.objects.get()
    assert token.digest == token_digest(raw)
    assert raw in response.content.decode()
    # Reloading shows it no more and makes no second token.
    again = client.get(reverse("accounts:account")).content.decode()
    assert raw not in again
    assert f"sp_{token.prefix}_…" in again
    assert ApiToken.objects.count() == 1


def test_a_long_email_and_token_name_wrap_on_a_phone(client, buyer):
    # Unbroken text overflowed the profile card at 375 px; ``user-text`` wraps it anywhere.
    client.force_login(buyer)
    client.post(reverse("accounts:account"), {"name": "x" * 80})
    html = client.get(reverse("accounts:account")).content.decode()
    assert f'<dd class="user-text">{buyer.email}</dd>' in html
    assert f'<td class="user-text">{"x" * 80}</td>' in html


def test_create_token_without_name_is_refused(client, buyer):
    client.force_login(buyer)
    response = client.post(reverse("accounts:account"), {"name": ""})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert ApiToken.objects.count() == 0


def test_a_token_over_the_limit_is_refused_next_to_the_name(client, buyer):
    for n in range(MAX_ACTIVE_TOKENS):
        create_api_token(user=buyer, name=f"Token {n}")
    client.force_login(buyer)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "You can hold up to 20 active tokens" in page

    response = client.post(reverse("accounts:account"), {"name": "One too many"})

    assert response.status_code == 409
    assert described_errors(response.content.decode()) == {
        "name": "What will use it, e.g. “inventory sync”. This account already has 20 active "
        "API tokens, the most one person may hold. Revoke one that is no longer used (on the "
        "account page), then create another."
    }
    assert ApiToken.objects.count() == MAX_ACTIVE_TOKENS
    assert "accounts.new_token" not in client.session


def test_revoke_own_token(client, buyer):
    token, _ = create_api_token(user=buyer, name="old")
    client.force_login(buyer)
    response = client.post(reverse("accounts:revoke_token", kwargs={"token_id": token.pk}))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_cannot_revoke_someone_elses_token(client, buyer, seller):
    token, _ = create_api_token(user=seller, name="theirs")
    client.force_login(buyer)
    response = client.post(reverse("accounts:revoke_token", kwargs={"token_id": token.pk}))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_admin_is_for_staff_only(client, buyer, staff):
    client.force_login(buyer)
    assert client.get("/admin/").status_code == 302
    client.force_login(staff)
    staff.is_superuser = True
    staff.save()
    for url in [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/catalog/product/",
        "/admin/catalog/order/",
        "/admin/catalog/store/",
        "/admin/accounts/apitoken/",
    ]:
        assert client.get(url).status_code == 200, url


def test_three_wrong_codes_then_logging_in_again_sends_a_new_code(client):
    """The code stops working after three wrong tries and the person is sent to log in: that
    login must send a fresh code, not refuse them as 'too many attempts' for minutes."""
    signup = {
        "first_name": "Ayanda",
        "email": "ayanda@example.test",
        "password1": "a-long-pass-phrase-7",
        "password2": "a-long-pass-phrase-7",
    }
    code_page = client.post(reverse("account_signup"), signup).url
    for _ in range(3):
        client.post(code_page, {"code": "WRONG-CODE"})

    response = client.post(
        reverse("account_login"),
        {"login": "ayanda@example.test", "password": "a-long-pass-phrase-7"},
    )

    assert response.status_code == 302 and response.url == code_page
    assert len(mail.outbox) == 2  # the first code and a new one
    new_code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[1].body, re.MULTILINE)
    assert client.post(code_page, {"code": new_code.group(1)}).status_code == 302
    assert User.objects.get().emailaddress_set.get().verified is True
