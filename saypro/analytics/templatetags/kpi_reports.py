"""Formatting of KPI figures for the reports and the seller scorecard (``figures``)."""

from django import template

from saypro.analytics import figures, forecast

register = template.Library()


@register.filter
def kpi_shown(value, kpi) -> str:
    """``{{ row.value|kpi_shown:row.kpi }}`` → "95.2 %", "3.5 h", "4.25 ★", "1,204", "—"."""
    return figures.shown(kpi, value)


@register.filter
def kpi_change(value, kpi) -> str:
    """A change in the KPI's unit with its sign: "+2.5 pp" for percents, "−0.4 h"."""
    return figures.signed(kpi, value)


@register.filter
def signed_percent(value) -> str:
    return figures.signed_percent(value)


@register.filter
def status_style(status) -> str:
    """The badge class of a status: a final "met" / "missed" wears on track's / off track's."""
    return forecast.STATUS_STYLES.get(status, status or "none")
