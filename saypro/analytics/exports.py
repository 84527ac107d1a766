"""A report as CSV (the KPI table) and as XLSX (sheets: KPIs, Stores, Weekly).

Both carry the report's own rounded figures (``reports.Row``), so a download
matches the page number for number. In the XLSX numbers are numbers, with a
number format per unit; an empty cell means "no value" (nothing to measure).
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from saypro.analytics.figures import digits
from saypro.analytics.kpis import Kpi
from saypro.analytics.reports import Report, unit_name

KPI_HEADER = (
    "KPI",
    "Unit",
    "Value",
    "Previous period",
    "Change",
    "Change (%)",
    "Target",
    "Status",
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kpi_lines(report: Report) -> list[list]:
    return [
        [
            row.kpi.label,
            unit_name(row.kpi),
            row.value,
            row.previous,
            row.change,
            row.change_percent,
            row.target,
            row.status_label,
        ]
        for row in report.rows
    ]


def to_csv(report: Report) -> str:
    """The KPI table; empty fields where there is no value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([report.title])
    writer.writerow(["Previous period", report.previous_label])
    writer.writerow([])
    writer.writerow(KPI_HEADER)
    for line in _kpi_lines(report):
        writer.writerow(["" if cell is None else cell for cell in line])
    return out.getvalue()


def _number_format(kpi: Kpi, value: float | None = None) -> str:
    """The cell format showing ``value`` as the page does (``figures.digits``)."""
    places = digits(kpi, value)
    return "#,##0" if places == 0 else "#,##0." + "0" * places


def _append(sheet, line: list) -> None:
    """Append a row whose text stays text. openpyxl writes a string starting with "=" as a
    formula, so a store called “=HYPERLINK(…)” would run in the office's spreadsheet."""
    sheet.append(line)
    for column, value in enumerate(line, start=1):
        if isinstance(value, str):
            sheet.cell(row=sheet.max_row, column=column).data_type = "s"


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    bold = Font(bold=True)

    kpis = book.active
    kpis.title = "KPIs"
    _append(kpis, [report.title])
    kpis["A1"].font = Font(bold=True, size=14)
    _append(kpis, ["Previous period", report.previous_label])
    _append(kpis, [])
    _append(kpis, list(KPI_HEADER))
    for cell in kpis[4]:
        cell.font = bold
    for row, line in zip(report.rows, _kpi_lines(report), strict=True):
        _append(kpis, line)
        for column in (3, 4, 5, 7):
            cell = kpis.cell(row=kpis.max_row, column=column)
            cell.number_format = _number_format(row.kpi, cell.value)
        kpis.cell(row=kpis.max_row, column=6).number_format = "0.0"
    kpis.freeze_panes = "B5"
    _widths(kpis, [34, 16, 12, 16, 12, 12, 12, 12])

    stores = book.create_sheet("Stores")
    _append(stores, ["KPI", "Rank", "Store", "Value", "Out of"])
    for cell in stores[1]:
        cell.font = bold
    for notable in report.notable:
        for label, ranked in (("Best", notable.best), ("Worst", notable.worst)):
            for position, store in enumerate(ranked, start=1):
                _append(
                    stores,
                    [
                        notable.kpi.label,
                        f"{label} {position}",
                        store.name,
                        store.value,
                        store.denominator,
                    ],
                )
                stores.cell(row=stores.max_row, column=4).number_format = _number_format(
                    notable.kpi
                )
                stores.cell(row=stores.max_row, column=5).number_format = "#,##0"
    _widths(stores, [34, 10, 30, 12, 10])

    weekly = book.create_sheet("Weekly")
    _append(weekly, ["Week from"] + [series.kpi.label for series in report.series])
    for cell in weekly[1]:
        cell.font = bold
    weeks = [day for day, _ in report.series[0].weeks] if report.series else []
    for index, day in enumerate(weeks):
        _append(weekly, [day] + [series.weeks[index][1] for series in report.series])
        weekly.cell(row=weekly.max_row, column=1).number_format = "yyyy-mm-dd"
        for column, series in enumerate(report.series, start=2):
            weekly.cell(row=weekly.max_row, column=column).number_format = _number_format(
                series.kpi
            )
    weekly.freeze_panes = "B2"
    _widths(weekly, [12] + [18] * len(report.series))

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
