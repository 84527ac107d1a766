"""Our wording of allauth's pages (locale/en): sentence case, and help that links somewhere."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

PO = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"


def po_entries() -> dict[str, str]:
    """msgid → msgstr of django.po (each a run of quoted strings), the header left out."""
    entries = re.findall(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', PO.read_text(), re.M)

    def text(quoted: str) -> str:
        return "".join(ast.literal_eval(line) for line in quoted.split("\n") if line)

    return {text(msgid): text(msgstr) for msgid, msgstr in entries if text(msgid)}


def test_the_compiled_catalogue_matches_the_po_file():
    entries = po_entries()
    assert len(entries) > 30
    for msgid, msgstr in entries.items():
        assert gettext(msgid) == msgstr, f"django.mo is stale for {msgid!r}: run msgfmt"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "texts"),
    [
        (
            "account_login",
            ["<title>Log in · SayPro</title>", "<h1>Log in</h1>", ">Log in</button>"],
        ),
        (
            "account_signup",
            ["<title>Sign up · SayPro</title>", "<h1>Sign up</h1>", ">Sign up</button>"],
        ),
        (
            "account_reset_password",
            ["<h1>Reset your password</h1>", '<a href="/help/">knowledge base</a>'],
        ),
    ],
)
def test_sign_in_pages_speak_like_the_rest_of_the_site(client, url, texts):
    # allauth's templates indent text inside tags; a browser shows it without the spaces.
    html = " ".join(client.get(reverse(url)).content.decode().split())
    html = re.sub(r"\s*(<[^>]+>)\s*", r"\1", html)
    for text in texts:
        assert text in html
    assert "contact us" not in html.lower()


@pytest.mark.django_db
def test_a_wrong_current_password_is_called_wrong(client, buyer):
    client.force_login(buyer)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "not-it-at-all",
            "password1": "n3w-Passw0rd!x",
            "password2": "n3w-Passw0rd!x",
        },
    )
    html = response.content.decode()
    assert "That is not your current password." in html
    assert "Current password" in html and "Current Password" not in html
    logout = " ".join(client.get(reverse("account_logout")).content.decode().split())
    assert "Log out of SayPro?" in logout and "sign out" not in logout.lower()
