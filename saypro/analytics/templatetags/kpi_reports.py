"""Formatting of KPI figures for the reports and the seller scorecard (``reports.shown``)."""

from django import template

from saypro.analytics import reports

register = template.Library()


@register.filter
def kpi_shown(value, kpi) -> str:
    """``{{ row.value|kpi_shown:row.kpi }}`` → "95.2 %", "3.5 h", "4.25 ★", "1,204", "—"."""
    return reports.shown(kpi, value)


@register.filter
def kpi_change(value, kpi) -> str:
    """A change in the KPI's unit with its sign: "+2.5 pp" for percents, "−0.4 h"."""
    if value is None:
        return "—"
    places = reports.digits(kpi)
    suffix = " pp" if kpi.unit == "percent" else reports.UNIT_SUFFIX[kpi.unit]
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{abs(value):,.{places}f}{suffix}"


@register.filter
def signed_percent(value) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{abs(value):.1f} %"
