"""Fixtures for the browser journeys.

The journeys drive Debian's Chromium (``/usr/bin/chromium``) with Playwright's
sync API against pytest-django's ``live_server``. Playwright never downloads a
browser here. Without Chromium every journey is skipped with the reason below;
with ``REQUIRE_BROWSER=1`` (CI) a missing Chromium fails the run instead.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from saypro.engagement.services import install_builtin_prompts
from saypro.insights.services import install_default_themes
from saypro.rewards.builtins import install_built_ins

CHROMIUM = Path("/usr/bin/chromium")
MISSING_CHROMIUM = (
    f"Chromium not found at {CHROMIUM}: install Debian's chromium package (.ci/run does)"
)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
# Pages here answer in milliseconds, but CI shares two cores with the other suites: a
# wait ends as soon as its condition holds, so a longer limit only slows a failure.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items) -> None:
    """Native tracebacks for the journeys' failures. Playwright's greenlets upset Python
    3.11's AST recursion counter, and pytest's own traceback format (it parses the source)
    then ended the whole run with "AST constructor recursion depth mismatch" instead of
    reporting the failure (pytest-dev/pytest#10874, python/cpython#106905)."""
    folder = Path(__file__).parent
    for item in items:
        if folder in item.path.parents:
            item.repr_failure = _native_failure


def _native_failure(excinfo):
    return excinfo.getrepr(style="native")


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


@pytest.fixture(scope="session", autouse=True)
def chromium_path() -> Path:
    """Skip (or, with REQUIRE_BROWSER=1, fail) before starting anything when Chromium is missing."""
    if not CHROMIUM.exists():
        if browser_required():
            pytest.fail(f"REQUIRE_BROWSER=1 but {MISSING_CHROMIUM}", pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    return CHROMIUM


@pytest.fixture(autouse=True)
def allow_orm_under_playwright(monkeypatch):
    """Let the tests query the database while Playwright's event loop runs in this thread.

    Playwright's sync API runs an asyncio loop in the main thread, so Django's
    guard against ORM calls from async code would refuse the tests' own
    queries (factories, assertions). Set for the e2e tests only, so the rest
    of the suite keeps the guard.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(chromium_path):
    """Chromium for one test.

    Function-scoped on purpose: while Playwright's sync API is open its event
    loop counts as running in the main thread, which breaks ``async_to_sync``
    in every test that runs later (pytest-django runs the live-server tests
    before the tests that use no database). Launching takes ~0.3 s.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), headless=True)
        yield browser
        browser.close()


_reports_key = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_reports_key, {})[report.when] = report
    return report


@pytest.fixture
def artifacts(request) -> Path:
    """test-artifacts/e2e/<test>/, emptied at the start of the test."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def new_page(browser, live_server, viewport: dict):
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="en-ZA")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def migration_data(transactional_db):
    """The rows data migrations write (the default theme taxonomy, the built-in prompts,
    earning rules and badges), put back for this test.

    Every transactional test ends by flushing all tables, migration data included, so a
    journey that runs after another would otherwise start without them.
    """
    install_default_themes()
    install_builtin_prompts()
    install_built_ins()


@pytest.fixture
def page(request, browser, live_server, migration_data, artifacts):
    """A fresh desktop-sized page (own cookies) on the live server; a screenshot on failure."""
    context, page = new_page(browser, live_server, DESKTOP)
    yield page
    call = request.node.stash.get(_reports_key, {}).get("call")
    if call is not None and call.failed:
        page.screenshot(path=artifacts / "failure.png", full_page=True)
    context.close()


@pytest.fixture
def phone_page(request, browser, live_server, migration_data, artifacts):
    context, page = new_page(browser, live_server, PHONE)
    yield page
    call = request.node.stash.get(_reports_key, {}).get("call")
    if call is not None and call.failed:
        page.screenshot(path=artifacts / "failure.png", full_page=True)
    context.close()


class Shots:
    """Numbered full-page screenshots: test-artifacts/e2e/<test>/NN-step.png."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def __call__(self, page, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path


@pytest.fixture
def shot(artifacts) -> Shots:
    return Shots(artifacts)


def log_in(page, email: str, password: str) -> None:
    """Log in through allauth's login form."""
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def log_out(page) -> None:
    """Log out through the account menu in the header."""
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").wait_for()


def sign_in_as(page, live_server, user) -> None:
    """Put a logged-in session cookie for ``user`` into the page's browser context (no UI)."""
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
