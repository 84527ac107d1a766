"""Keyboard use: the skip link comes first, search works without a mouse, focus is visible,
Escape closes the header's menus."""

import pytest
from playwright.sync_api import expect

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import ProductFactory, StoreFactory
from tests.e2e.conftest import sign_in_as

pytestmark = pytest.mark.e2e

ACTIVE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, text: el.innerText,
    href: el.getAttribute("href"), outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth), top: el.getBoundingClientRect().top,
  };
}"""


def tab_until(page, matches, *, limit: int = 40) -> dict:
    """Press Tab until the focused element satisfies ``matches``; return its description."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if matches(active):
            return active
        seen.append(active["id"] or active["text"] or active["tag"])
    raise AssertionError(f"Tab never reached the element; focus went through {seen}")


def test_keyboard_only(page, shot):
    store = StoreFactory(name="Karoo Pottery", slug="karoo-pottery")
    ProductFactory(store=store, title="Speckled clay mug", stock=7)
    ProductFactory(store=store, title="Enamel plate", stock=7)

    # The first Tab from the top lands on the skip link, visibly.
    page.goto("/")
    page.keyboard.press("Tab")
    first = page.evaluate(ACTIVE)
    assert (first["tag"], first["text"]) == ("a", "Skip to content"), first
    assert first["top"] >= 0, "the skip link stays off-screen when focused"
    assert first["outlineStyle"] != "none" and first["outlineWidth"] > 0, first
    shot(page, "skip-link-focused")

    # Following it moves focus to <main>.
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()

    # Focus on an ordinary link is visible too.
    page.goto("/")
    brand = tab_until(page, lambda el: el["cls"] == "brand")
    assert brand["outlineStyle"] != "none" and brand["outlineWidth"] > 0, brand

    # The header search, keyboard only: reach it, type, press Enter.
    tab_until(page, lambda el: el["id"] == "header-q")
    shot(page, "search-focused")
    page.keyboard.type("clay mug")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “clay mug”")
    expect(page.locator(".product-card")).to_have_count(1)
    shot(page, "search-results")

    # ... and the result opens from the keyboard as well.
    card = tab_until(page, lambda el: "product-card" in el["cls"], limit=60)
    assert card["outlineStyle"] != "none" and card["outlineWidth"] > 0, card
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Speckled clay mug")
    shot(page, "product")


def test_escape_closes_each_header_menu_and_returns_focus_to_its_toggle(page, live_server):
    sign_in_as(page, live_server, UserFactory())
    page.goto("/")
    # The bell's list loads when it first opens: load it now, so no Tab below races it.
    bell = page.locator("details.notification-menu summary")
    bell.click()
    expect(page.get_by_text("No notifications yet")).to_be_visible()
    bell.click()
    for name in ("notification-menu", "help-menu", "account-menu"):
        menu = page.locator(f"details.{name}")
        toggle = menu.locator("summary")
        # Opened from the keyboard, Tab into it, Escape: closed, focus back on its toggle.
        toggle.focus()
        page.keyboard.press("Enter")
        expect(menu).to_have_js_property("open", True)
        page.keyboard.press("Tab")
        assert menu.evaluate("(m) => m.querySelector('.menu').contains(document.activeElement)")
        page.keyboard.press("Escape")
        expect(menu, f"Escape leaves the {name} open").to_have_js_property("open", False)
        expect(toggle).to_be_focused()
        # Escape right after opening it, focus still on the toggle.
        page.keyboard.press("Enter")
        expect(menu).to_have_js_property("open", True)
        page.keyboard.press("Escape")
        expect(menu).to_have_js_property("open", False)
        expect(toggle).to_be_focused()


def test_a_refused_form_puts_the_keyboard_on_the_first_field_to_fix(page, live_server):
    owner = UserFactory(first_name="Nandi")
    store = StoreFactory(name="Karoo Pottery", slug="karoo-pottery")
    store.memberships.create(user=owner, role="owner")
    sign_in_as(page, live_server, owner)

    page.goto("/seller/karoo-pottery/team/")
    page.get_by_label("Email of the person to add").fill("nobody@example.test")
    page.get_by_role("button", name="Add to team").click()

    email = page.get_by_label("Email of the person to add")
    expect(email).to_be_focused()
    expect(email).to_have_accessible_description(
        "They need a SayPro account; ask them to sign up first. "
        "No SayPro account has this email. Ask them to sign up first."
    )
