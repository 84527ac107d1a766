"""The monthly / quarterly report: month-based KPI values, the report's figures against the
selectors, the CSV and XLSX downloads, the pages per role, and the monthly email."""

import csv
import io
import math
import re
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from saypro.accounts.models import User
from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.analytics import exports, report_email, reports, selectors
from saypro.analytics.figures import rounded, shown
from saypro.analytics.kpis import get
from saypro.analytics.models import ReportEmail
from saypro.analytics.periods import Month, Quarter
from saypro.analytics.tests.world import NOW, at
from saypro.catalog.models import Store

AUGUST = Month(2026, 8)
Q3 = Quarter(2026, 3)


def by_key(values):
    return {value.kpi.key: value for value in values}


# --- Month-based KPI values ----------------------------------------------------------------------


def test_kpi_values_for_a_month(world):
    found = by_key(selectors.kpi_values(AUGUST, as_of=NOW))
    # August messages, spam left out: C1 Ann 3 Aug, Sam 3 Aug, Ann 4 Aug, Sam 5 Aug; C5 Sam 20 Aug.
    assert found["messaging_interactions"].value == 5
    # July: C6 Ann 1 July 00:30 local, Bea 01:30.
    assert found["messaging_interactions"].previous == 2
    assert found["messaging_interactions"].change == 3
    # A growth target is quarter over quarter: none for a month.
    assert found["messaging_interactions"].target is None
    assert found["messaging_interactions"].status is None
    # August reviews: r2 (1★, answered after 72 h) and r3 (answered in 10 h) are due: 1 of 2.
    assert found["review_response_48h"].value == 50.0
    assert found["review_response_48h"].target == 95.0  # the quarter's level target
    assert found["review_volume"].value == 2
    assert found["review_volume"].previous == 1  # r1 in July
    # Waits started in August: C1's two, answered after 150 min and after 25 h: 1 of 2 in 24 h.
    assert found["response_within_24h"].value == 50.0


def test_the_quarter_is_unchanged_by_the_month_generalisation(world):
    quarter = by_key(selectors.kpi_values(Q3, as_of=NOW))
    assert quarter["messaging_interactions"].target == math.ceil(
        quarter["messaging_interactions"].previous * 1.25
    )
    assert selectors.period_target_settings(Q3) == selectors.target_settings(Q3)


def test_month_targets_are_the_quarters_level_targets(world):
    month = selectors.period_target_settings(AUGUST)
    quarter = selectors.target_settings(Q3)
    assert month["review_response_48h"] == quarter["review_response_48h"] == 95.0
    assert month["messaging_interactions"] is None
    assert month["improvements_from_feedback"] is None


# --- The report's figures ------------------------------------------------------------------------


@pytest.mark.parametrize("period", [AUGUST, Q3])
def test_report_figures_equal_the_selectors(world, period):
    report = reports.build(period, as_of=NOW)
    values = selectors.kpi_values(period, as_of=NOW)
    assert [row.key for row in report.rows] == [value.kpi.key for value in values]
    for row, value in zip(report.rows, values, strict=True):
        assert row.value == rounded(value.kpi, value.value)
        assert row.previous == rounded(value.kpi, value.previous)
        assert row.target == rounded(value.kpi, value.target)
        assert row.status == value.status
    assert report.complete
    ranking = selectors.store_ranking("review_response_48h", period, limit=5, minimum=5)
    assert [s.name for s in report.notable[0].best] == [r.store_name for r in ranking]


def test_report_title_top_changes_and_weekly_series(world):
    report = reports.build(AUGUST, as_of=NOW)
    assert report.title == "Messaging & Reviews — August 2026"
    assert report.previous_label == "July 2026"
    # Ranked by the size of the relative change.
    sizes = [abs(row.change_percent) for row in report.changes]
    assert sizes == sorted(sizes, reverse=True)
    interactions = next(row for row in report.rows if row.key == "messaging_interactions")
    assert interactions.change_percent == 150.0  # 2 → 5
    assert interactions in report.changes and interactions.improved
    weekly = next(s for s in report.series if s.kpi.key == "messaging_interactions")
    assert weekly.weeks[0][0] == date(2026, 8, 1)
    assert sum(value for _, value in weekly.weeks) == 5
    assert [s.kpi.key for s in report.charts] == list(reports.CHART_KPIS)


def test_a_running_period_is_to_date(world):
    report = reports.build(Month(2026, 10), as_of=NOW)
    assert not report.complete


def test_parse_period():
    assert reports.parse_period("2027-01") == Month(2027, 1)
    assert reports.parse_period("2026-Q4") == Quarter(2026, 4)
    with pytest.raises(ValueError):
        reports.parse_period("2026-13")


def test_available_periods(world):
    months, quarters = reports.available(as_of=NOW)
    assert months[0] == Month(2026, 10) and months[-1] == Month(2026, 6)
    assert quarters == [Quarter(2026, 4), Quarter(2026, 3), Quarter(2026, 2)]


# --- Downloads -----------------------------------------------------------------------------------


def test_csv_has_the_kpi_table(world):
    report = reports.build(AUGUST, as_of=NOW)
    lines = list(csv.reader(io.StringIO(exports.to_csv(report))))
    assert lines[0] == [report.title]
    header = lines.index(list(exports.KPI_HEADER))
    body = lines[header + 1 :]
    assert len(body) == len(report.rows)
    for line, row in zip(body, report.rows, strict=True):
        assert line[0] == row.kpi.label
        assert line[2] == ("" if row.value is None else str(row.value))
        assert line[7] == row.status_label


def test_xlsx_has_numbers_as_numbers(world):
    report = reports.build(AUGUST, as_of=NOW)
    book = load_workbook(io.BytesIO(exports.to_xlsx(report)))
    assert book.sheetnames == ["KPIs", "Stores", "Weekly"]
    sheet = book["KPIs"]
    assert sheet["A1"].value == report.title
    assert [c.value for c in sheet[4]] == list(exports.KPI_HEADER)
    for index, row in enumerate(report.rows, start=5):
        assert sheet.cell(index, 1).value == row.kpi.label
        assert sheet.cell(index, 3).value == row.value
        assert sheet.cell(index, 4).value == row.previous
        assert sheet.cell(index, 7).value == row.target
    response = next(
        i for i, row in enumerate(report.rows, start=5) if row.key == "review_response_48h"
    )
    assert sheet.cell(response, 3).data_type == "n"  # a number, not text
    assert sheet.cell(response, 3).value == 50.0
    assert sheet.cell(response, 3).number_format == "#,##0.0"
    interactions = next(
        i for i, row in enumerate(report.rows, start=5) if row.key == "messaging_interactions"
    )
    assert sheet.cell(interactions, 3).value == 5
    assert sheet.cell(interactions, 3).number_format == "#,##0"
    weekly = book["Weekly"]
    assert weekly["A1"].value == "Week from"
    assert weekly["A2"].value.date() == date(2026, 8, 1)
    column = [c.value for c in weekly[1]].index("Messaging interactions") + 1
    assert sum(weekly.cell(r, column).value for r in range(2, weekly.max_row + 1)) == 5


# --- Pages per role ------------------------------------------------------------------------------


def page_values(html: str) -> dict[str, str]:
    """The value cell of each KPI row of the report page, as shown."""
    found = re.findall(
        r'data-kpi="([a-z0-9_]+)">\s*<th[^>]*>.*?</th>\s*<td[^>]*data-value>([^<]*)<', html
    )
    return dict(found)


def test_office_staff_see_the_list_and_the_report(world, client):
    client.force_login(StaffFactory())
    listing = client.get(reverse("office_reports:list"))
    assert listing.status_code == 200
    assert reverse("office_reports:report", args=["2026-08"]) in listing.text
    assert reverse("office_reports:report", args=["2026-Q3"]) in listing.text
    page = client.get(reverse("office_reports:report", args=["2026-08"]))
    assert page.status_code == 200
    assert "Messaging &amp; Reviews — August 2026" in page.text
    on_page = page_values(page.text)
    report = reports.build(AUGUST)
    assert on_page == {row.key: shown(row.kpi, row.value) for row in report.rows}
    assert on_page["messaging_interactions"] == "5"
    assert on_page["review_response_48h"] == "50.0 %"
    # Each KPI opens its definition and items, for the quarter holding the month.
    drill = reverse("office_kpis:drill", args=["review_response_48h"]) + "?quarter=2026-Q3"
    assert f'<a href="{drill}">Reviews answered within 48 h</a>' in page.text
    assert "docs/kpis.md" not in page.text


def test_the_xlsx_download_has_the_numbers_on_the_page(world, client):
    client.force_login(StaffFactory())
    page = page_values(client.get(reverse("office_reports:report", args=["2026-Q3"])).text)
    response = client.get(reverse("office_reports:xlsx", args=["2026-Q3"]))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_TYPE
    assert 'filename="saypro-report-2026-Q3.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["KPIs"]
    labels = {kpi.label: kpi for kpi in (row.kpi for row in reports.build(Q3).rows)}
    for index in range(5, sheet.max_row + 1):
        kpi = labels[sheet.cell(index, 1).value]
        assert shown(kpi, sheet.cell(index, 3).value) == page[kpi.key]


def test_the_csv_download(world, client):
    client.force_login(StaffFactory())
    response = client.get(reverse("office_reports:csv", args=["2026-08"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    # A byte order mark first, so that Excel reads "—" and "1–5" as UTF-8.
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffMessaging & Reviews — August 2026")


@pytest.mark.parametrize("name", ["list", "report", "csv", "xlsx"])
def test_only_office_staff(world, client, name, buyer, seller):
    url = reverse(f"office_reports:{name}", args=[] if name == "list" else ["2026-08"])
    assert client.get(url).status_code == 302  # anonymous: to the login
    for person in (buyer, seller, world.sam):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 403
        assert "This page is for the marketplace office." in response.content.decode()


@pytest.mark.parametrize("period", ["2031-01", "2026-13", "nonsense", "2019-Q1"])
def test_no_report_for_other_periods(world, client, period):
    client.force_login(StaffFactory())
    assert client.get(reverse("office_reports:report", args=[period])).status_code == 404


# --- The monthly email ---------------------------------------------------------------------------


def test_the_monthly_email_goes_once_to_office_staff(world):
    # The world's education data has office staff of its own (hosts, experts).
    office = [*User.objects.filter(is_staff=True), StaffFactory(), StaffFactory()]
    StaffFactory(email="")  # no address
    StaffFactory(is_active=False)
    UserFactory()  # not staff
    first_of_september = at(9, 1, 0, 30)  # 31 August 22:30 UTC
    assert report_email.send_last_month(now=first_of_september) == len(office)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in office)
    message = mail.outbox[0]
    assert message.subject == "Messaging & Reviews — August 2026"
    html = message.alternatives[0][0]
    assert "Messaging interactions" in html and "50.0 %" in html
    name, content, mimetype = message.attachments[0]
    assert name == "saypro-report-2026-08.xlsx" and mimetype == exports.XLSX_TYPE
    sheet = load_workbook(io.BytesIO(content))["KPIs"]
    assert sheet["A1"].value == "Messaging & Reviews — August 2026"
    assert ReportEmail.objects.get().recipients == len(office)
    # Later runs on the same day (hourly) and a rerun send nothing more.
    assert report_email.send_last_month(now=at(9, 1, 5)) == 0
    assert report_email.send_month(AUGUST) == 0
    assert len(mail.outbox) == len(office)
    assert ReportEmail.objects.count() == 1


def test_no_email_on_other_days(world):
    StaffFactory()
    assert report_email.send_last_month(now=at(8, 31, 23, 30)) == 0  # 31 Aug local
    assert report_email.send_last_month(now=at(9, 2, 9)) == 0
    assert mail.outbox == []
    assert not ReportEmail.objects.exists()


def test_a_failed_send_leaves_no_mark(world, settings):
    StaffFactory()
    settings.EMAIL_BACKEND = "saypro.analytics.tests.test_reports.FailingBackend"
    with pytest.raises(OSError):
        report_email.send_month(AUGUST, now=at(9, 1, 1))
    assert not ReportEmail.objects.exists()


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        raise OSError("the mail server is down")


def test_the_weekly_chart_has_titles_units_a_target_and_a_table(world):
    report = reports.build(AUGUST, as_of=NOW)
    series = next(s for s in report.charts if s.kpi.key == "review_response_48h")
    chart = series.chart()
    assert chart["title"] == "Reviews answered within 48 h per week (%)"
    assert chart["y_axis"] == "Per cent"
    assert chart["table_head"] == "Reviews answered within 48 h"
    assert chart["target_y"] is not None and chart["target_text"] == "95.0 %"
    assert chart["rows"][0] == ("1 Aug 2026", "0.0 %")
    assert chart["rows"][2] == ("15 Aug 2026", "100.0 %")
    assert len(chart["rows"]) == len(series.weeks) == 5


@pytest.mark.parametrize("key", ["review_response_48h", "first_response_median", "review_volume"])
def test_best_and_worst_equal_the_store_ranking(world, key):
    for minimum in (0, 1, 5):
        best, worst = selectors.best_and_worst(key, Q3, limit=3, minimum=minimum)
        assert best == selectors.store_ranking(key, Q3, limit=3, minimum=minimum)
        assert worst == selectors.store_ranking(key, Q3, limit=3, minimum=minimum, worst=True)


def test_a_count_target_is_drawn_as_the_weekly_pace(world):
    report = reports.build(Q3, as_of=NOW)
    series = next(s for s in report.charts if s.kpi.key == "messaging_interactions")
    # Q2 had 2 messages: the +25 % target is 2.5, a whole 3 (rounded up, never down to a
    # 2 that would fall short) for the quarter's 92 days, as on the dashboard.
    assert series.target == 3 and series.days == 92
    chart = series.chart()
    assert chart["target_text"] == "0.2 a week, 3 in the period"


def test_notable_stores_on_the_page_and_in_the_stores_sheet(world, client, monkeypatch):
    # The hand-built world's stores have fewer than 5 reviews due: rank from 1 here.
    ranked = selectors.best_and_worst
    monkeypatch.setattr(
        reports.selectors,
        "best_and_worst",
        lambda key, period, limit: ranked(key, period, limit=limit, minimum=1),
    )
    report = reports.build(Q3, as_of=NOW)
    reviews = report.notable[0]
    # Q3 reviews due: store A 2 of 4 answered within 48 h; store B has none.
    assert [(s.name, s.value, s.denominator) for s in reviews.best] == [("Store A", 50.0, 4.0)]
    replies = report.notable[1]
    # Store A: 2 of 3 waits answered within 24 h; store B: C6 yes, C4 never: 1 of 2.
    assert [(s.name, s.value) for s in replies.best] == [("Store A", 66.7), ("Store B", 50.0)]
    assert [s.name for s in replies.worst] == ["Store B", "Store A"]
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(report)))["Stores"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        ["Reviews answered within 48 h", "Best 1", "Store A", 50, 4],
        ["Reviews answered within 48 h", "Worst 1", "Store A", 50, 4],
        ["Replies within 24 h", "Best 1", "Store A", 66.7, 3],
        ["Replies within 24 h", "Best 2", "Store B", 50, 2],
        ["Replies within 24 h", "Worst 1", "Store B", 50, 2],
        ["Replies within 24 h", "Worst 2", "Store A", 66.7, 3],
    ]
    client.force_login(StaffFactory())
    html = client.get(reverse("office_reports:report", args=["2026-Q3"])).text
    assert "<td>Best 1</td><td>Store A</td>" in html
    # "50.0 %" kept on one line: on a phone the per cent sign wrapped under the number.
    assert '<td class="number nowrap">50.0 %</td>' in html


def test_a_store_name_like_a_formula_is_text_in_the_stores_sheet(world, monkeypatch):
    ranked = selectors.best_and_worst
    monkeypatch.setattr(
        reports.selectors,
        "best_and_worst",
        lambda key, period, limit: ranked(key, period, limit=limit, minimum=1),
    )
    name = '=HYPERLINK("https://evil.test","Store A")'
    Store.objects.filter(name="Store A").update(name=name)
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(reports.build(Q3, as_of=NOW))))["Stores"]
    cell = sheet["C2"]
    assert (cell.value, cell.data_type) == (name, "s")


def test_a_running_period_sets_no_count_so_far_against_a_whole_period(world):
    running = reports.build(Quarter(2026, 4), as_of=NOW)
    assert not running.complete
    counts = [row for row in running.rows if row.kpi.kind == "count"]
    assert counts and all(row.change is None and row.change_percent is None for row in counts)
    assert not any(row.kpi.kind == "count" for row in running.changes)
    finished = reports.build(Q3, as_of=NOW)
    assert finished.complete
    assert any(row.change is not None for row in finished.rows if row.kpi.kind == "count")


def test_top_changes_give_percentages_in_points_as_the_table_does():
    def row(key, change, change_percent):
        return reports.Row(get(key), 1.0, 1.0, change, change_percent, None, None, "")

    assert row("review_response_48h", 11.0, 21.0).change_words == "+11.0 pp"
    assert row("messaging_interactions", -1404, -19.9).change_words == "−19.9 %"


def test_a_finished_period_is_final_in_the_report_and_its_downloads(world, client):
    finished = reports.build(Q3, as_of=NOW)
    assert {row.status for row in finished.rows} <= {"met", "missed", None}
    assert {row.status_label for row in finished.rows} >= {"Met", "Missed"}
    for value in selectors.kpi_values(Q3, as_of=NOW):
        assert value.over
        assert value.forecast_low == value.forecast_high == value.forecast == value.value
    lines = list(csv.reader(io.StringIO(exports.to_csv(finished))))
    statuses = {line[-1] for line in lines[4:]}
    assert statuses <= {"Met", "Missed", "No target"} and {"Met", "Missed"} <= statuses
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(finished)))["KPIs"]
    assert {"Met", "Missed"} <= {cell.value for cell in sheet["H"]}
    client.force_login(StaffFactory())
    html = client.get(reverse("office_reports:report", args=["2026-Q3"])).text
    assert (
        '<span class="badge kpi-badge off_track"><span aria-hidden="true">✕</span> Missed' in html
    )
    assert '<span class="badge kpi-badge on_track"><span aria-hidden="true">✓</span> Met' in html
    assert "Status is the verdict on the whole period" in html
    running = reports.build(Quarter(2026, 4), as_of=NOW)
    assert not {row.status for row in running.rows} & {"met", "missed"}
