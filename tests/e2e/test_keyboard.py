"""Keyboard use: the skip link comes first, search works without a mouse, focus is visible."""

import pytest
from playwright.sync_api import expect

from saypro.catalog.tests.factories import ProductFactory, StoreFactory

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
