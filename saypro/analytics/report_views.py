"""Office › Reports: the monthly and quarterly "Messaging & Reviews" reports, on the page,
printable, and as CSV / XLSX downloads (all from one ``reports.build``)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from saypro.analytics import exports, reports
from saypro.core.auth import login_required, require_office
from saypro.core.downloads import csv_response


def _report(slug: str) -> reports.Report:
    try:
        period = reports.parse_period(slug)
    except ValueError as error:
        raise Http404(str(error)) from error
    months, quarters = reports.available()
    if period not in months and period not in quarters:
        raise Http404("There is no report for that period.")
    return reports.build(period)


@login_required
def report_list(request):
    require_office(request)
    months, quarters = reports.available()
    return render(
        request,
        "analytics/reports/list.html",
        {"months": months, "quarters": quarters, "title": reports.TITLE},
    )


@login_required
def report_page(request, period: str):
    require_office(request)
    return render(request, "analytics/reports/report.html", {"report": _report(period)})


@login_required
def report_csv(request, period: str):
    require_office(request)
    report = _report(period)
    response = csv_response(f"{report.filename}.csv")
    response.write(exports.to_csv(report))
    return response


@login_required
def report_xlsx(request, period: str):
    require_office(request)
    report = _report(period)
    response = HttpResponse(exports.to_xlsx(report), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.xlsx"'
    return response
