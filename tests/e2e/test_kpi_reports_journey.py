"""The office reads a monthly report and downloads it as XLSX; a seller reads their scorecard.

The world is the hand-built one of the analytics tests (``saypro/analytics/tests/world.py``),
whose every figure was worked out by hand: August 2026 has 5 messages (2 in July), 1 of 2
reviews answered within 48 hours, and so on. The seller's scorecard is computed "now"; the
test sets that now to the end of Q3 2026 (the live server runs in this process).
"""

import io
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from saypro.accounts.tests.factories import StaffFactory
from saypro.analytics import reports, rollups
from saypro.analytics import scorecard as scorecards
from saypro.analytics.tests.world import NOW, at, build
from tests.e2e.conftest import PHONE, sign_in_as
from tests.e2e.test_phone import problems_on

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(transactional_db, settings):
    settings.TIME_ZONE = "Africa/Johannesburg"
    built = build()
    while rollups.refresh_dirty(now=NOW):
        pass
    return built


def test_the_office_downloads_the_monthly_report(
    page, phone_page, live_server, world, shot, artifacts
):
    office = StaffFactory(first_name="Olwethu")
    sign_in_as(page, live_server, office)
    page.goto("/office/reports/")
    page.get_by_role("link", name="August 2026").click()
    expect(page.get_by_role("heading", name="Messaging & Reviews — August 2026")).to_be_visible()
    shown = {}
    for row in page.locator("table.report-kpis tbody tr").all():
        shown[row.get_attribute("data-kpi")] = row.locator("[data-value]").inner_text().strip()
    assert shown["messaging_interactions"] == "5"
    assert shown["review_response_48h"] == "50.0 %"
    shot(page, "monthly-report")
    page.emulate_media(media="print")
    expect(page.locator(".subnav").first).to_be_hidden()
    shot(page, "monthly-report-print")
    page.emulate_media(media="screen")

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download XLSX").click()
    download = waiting.value
    assert download.suggested_filename == "saypro-report-2026-08.xlsx"
    path = artifacts / download.suggested_filename
    download.save_as(path)
    sheet = load_workbook(io.BytesIO(path.read_bytes()))["KPIs"]
    assert sheet["A1"].value == "Messaging & Reviews — August 2026"
    kpis = {row.kpi.label: row.kpi for row in reports.build(reports.parse_period("2026-08")).rows}
    in_file = {
        kpis[sheet.cell(index, 1).value].key: reports.shown(
            kpis[sheet.cell(index, 1).value], sheet.cell(index, 3).value
        )
        for index in range(5, sheet.max_row + 1)
    }
    assert in_file == shown

    sign_in_as(phone_page, live_server, office)
    phone_page.goto("/office/reports/2026-Q3/")
    expect(phone_page.get_by_role("heading", name="Messaging & Reviews — 2026 Q3")).to_be_visible()
    assert problems_on(phone_page, "The quarterly report") == []
    shot(phone_page, "quarterly-report-phone")


def test_a_seller_reads_their_scorecard(page, phone_page, live_server, world, shot, monkeypatch):
    monkeypatch.setattr(scorecards, "timezone", SimpleNamespace(now=lambda: at(9, 30, 12)))
    sign_in_as(page, live_server, world.sam)
    page.goto(f"/seller/{world.store_a.slug}/")
    card = page.locator(".scorecard")
    expect(card.get_by_role("heading", name="Your scorecard · 2026 Q3")).to_be_visible()
    review = card.locator('[data-kpi="review_response_48h"]')
    expect(review).to_contain_text("50.0 %")
    expect(review).to_contain_text("Target 95.0 %")
    shot(page, "scorecard")
    card.get_by_role("link", name="Answer the reviews that are due").click()
    expect(page).to_have_url(f"{live_server.url}/seller/{world.store_a.slug}/reviews/")

    sign_in_as(phone_page, live_server, world.sam)
    phone_page.goto(f"/seller/{world.store_a.slug}/")
    expect(phone_page.locator(".scorecard")).to_be_visible()
    assert phone_page.viewport_size == PHONE
    assert problems_on(phone_page, "Seller Center home with the scorecard") == []
    shot(phone_page, "scorecard-phone")
