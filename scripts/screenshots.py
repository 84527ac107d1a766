#!/usr/bin/env python3
"""Take the README screenshot from a running SayPro server (this script starts nothing).

    .venv/bin/saypro demo && .venv/bin/saypro serve --port 8123 &
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8123

Logs in as the demo buyer and saves the shop home at 1280 × 800 to
docs/screenshot.png. ``--more DIR`` also saves a product page, the buyer's
orders and the demo owner's Seller Center to DIR. Uses Debian's Chromium
(/usr/bin/chromium); Playwright never downloads a browser here.
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "saypro-demo-2026"
DEMO_BUYER = "buyer@demo.saypro.test"
DEMO_OWNER = "owner@demo.saypro.test"
VIEWPORT = {"width": 1280, "height": 800}


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        raise SystemExit(
            f"Could not log in as {email} at {base_url}: is the demo data loaded (saypro demo)?"
        )


def settle(page) -> None:
    """Wait until the page and its fonts are ready, and leave no focus ring or hover."""
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    page.mouse.move(0, VIEWPORT["height"] - 1)


def take(base_url: str, out: Path, more: Path | None) -> list[Path]:
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        context = browser.new_context(viewport=VIEWPORT, locale="en-ZA", device_scale_factor=1)
        page = context.new_page()
        log_in(page, base_url, DEMO_BUYER)

        page.goto(f"{base_url}/")
        settle(page)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=out)
        saved.append(out)

        if more is not None:
            more.mkdir(parents=True, exist_ok=True)
            page.locator(".product-card").first.click()
            settle(page)
            saved.append(more / "product.png")
            page.screenshot(path=saved[-1])

            page.goto(f"{base_url}/orders/")
            settle(page)
            saved.append(more / "my-orders.png")
            page.screenshot(path=saved[-1])

            context.clear_cookies()
            log_in(page, base_url, DEMO_OWNER)
            page.goto(f"{base_url}/seller/")
            settle(page)
            saved.append(more / "seller-center.png")
            page.screenshot(path=saved[-1])
        browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "base_url", nargs="?", default="http://127.0.0.1:8000", help="the running server"
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "screenshot.png", help="the README image"
    )
    parser.add_argument("--more", type=Path, metavar="DIR", help="also save more pages here")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
        return 2
    try:
        saved = take(args.base_url.rstrip("/"), args.out, args.more)
    except PlaywrightError as error:
        print(f"Screenshot failed against {args.base_url}: {error.message}", file=sys.stderr)
        return 1
    for path in saved:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
