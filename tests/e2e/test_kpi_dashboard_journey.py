"""The office KPI dashboard in the browser: an office person opens it, changes the quarter,
drills from the review-response KPI into the overdue reviews, sets a target and sees it on
the card; the dashboard fits a 390 px phone.
"""

import re

import pytest
from playwright.sync_api import expect

from saypro.accounts.tests.factories import StaffFactory
from saypro.analytics import rollups
from saypro.analytics.tests.world import NOW, build
from tests.e2e.conftest import sign_in_as

pytestmark = pytest.mark.e2e

# The dashboard's first view computes the education KPIs week by week (then caches them):
# about a second alone, several on a loaded 2-core machine; the shared 5 s would be flaky.
SLOW_PAGE_MS = 30_000


@pytest.fixture
def world(transactional_db, settings):
    settings.TIME_ZONE = "Africa/Johannesburg"
    built = build()
    while rollups.refresh_dirty(now=NOW):
        pass
    return built


def test_the_office_reads_drills_and_sets_a_target(page, phone_page, live_server, world, shot):
    office = StaffFactory(first_name="Olwethu", last_name="Office")
    for browser_page in (page, phone_page):
        browser_page.context.set_default_timeout(SLOW_PAGE_MS)
        browser_page.context.set_default_navigation_timeout(SLOW_PAGE_MS)
    sign_in_as(page, live_server, office)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Office").click()
    expect(page.get_by_role("heading", name="KPIs", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Office").get_by_role("link").first).to_have_text(
        "KPIs"
    )
    running = page.locator("#kpi-review_response_48h")
    running.get_by_text("How is this forecast?").click()
    expect(running).to_contain_text("Wilson interval")
    shot(page, "this-quarter")

    page.get_by_label("Quarter", exact=True).select_option("2026-Q3")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"quarter=2026-Q3"))
    card = page.locator("#kpi-review_response_48h")
    expect(card).to_contain_text("50.0 %")
    expect(card).to_contain_text("Missed")  # Q3 is over: a verdict, not a forecast
    shot(page, "q3")

    card.get_by_role("link", name=re.compile("show the list behind")).click()
    expect(
        page.get_by_role("heading", name=re.compile("Reviews answered within 48 h"))
    ).to_be_visible()
    expect(page.get_by_text("Exactly what is counted")).to_be_visible()
    rows = page.locator("table.kpi-rows tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("1 ★")
    expect(rows.nth(1)).to_contain_text("2 ★")
    shot(page, "overdue-reviews")
    rows.nth(0).get_by_role("link", name=re.compile("Review #")).click()
    expect(page).to_have_url(re.compile(r"/office/reviews/\d+/"))
    page.go_back()

    page.get_by_role("link", name=re.compile("KPIs 2026 Q3")).click()
    page.get_by_role("link", name="Set targets").click()
    item = page.locator("#target-review_response_48h")
    expect(item).to_contain_text("In force: 95.0 %")
    field = item.get_by_label(re.compile("New target for Reviews answered within 48 h"))
    field.fill("lots")
    field.press("Enter")
    expect(page.locator("#target-review_response_48h")).to_contain_text(
        "Enter a number such as 95, 95.5 or 95 %."
    )
    shot(page, "invalid-target")
    field = page.locator("#target-review_response_48h").get_by_label(re.compile("New target"))
    field.fill("40")
    field.press("Enter")
    expect(
        page.get_by_text("The 2026 Q3 target for Reviews answered within 48 h is saved.")
    ).to_be_visible()
    item = page.locator("#target-review_response_48h")
    expect(item).to_contain_text("In force: 40.0 %")
    item.get_by_text(re.compile("History")).click()
    expect(item).to_contain_text("Olwethu Office: 95.0 % → 40.0 %")
    shot(page, "target-set")

    page.get_by_role("link", name="KPIs 2026 Q3").click()
    card = page.locator("#kpi-review_response_48h")
    expect(card).to_contain_text("40.0 %")
    expect(card).to_contain_text("Met")
    expect(card).to_contain_text("Whole quarter")
    expect(card).not_to_contain_text("How is this forecast?")
    page.locator("details.chart-table").first.locator("summary").click()
    shot(page, "met")

    sign_in_as(phone_page, live_server, office)
    phone_page.goto("/office/kpis/?quarter=2026-Q3")
    expect(phone_page.locator("#kpi-review_response_48h")).to_contain_text("Met")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    shot(phone_page, "phone")
