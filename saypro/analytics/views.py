"""Office › KPIs: the dashboard, the drill-down behind each number, and the targets.

Staff only (403 for everyone else, the sign-in page for anonymous people).
Every number comes from ``selectors`` (rollups); ``dashboard`` formats it.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from saypro.analytics import dashboard, selectors, services
from saypro.analytics.forms import DashboardFilters, TargetForm
from saypro.analytics.kpis import KPIS, get
from saypro.core.auth import login_required, require_office
from saypro.core.errors import ApplicationError
from saypro.core.pagination import paginate

DRILL_PAGE = 25


def _filters(request, *, with_rank: bool = True) -> tuple[DashboardFilters, dict, bool]:
    form = DashboardFilters(request.GET, with_rank=with_rank)
    valid = form.is_valid()
    filters = form.filters()
    # Show the filters used: the store's name, whatever was typed (an id from a link), and
    # the ranking KPI when none (or an unknown one) was asked for.
    data = form.data.copy()
    if filters["store"] is not None:
        data["store"] = filters["store"].name
    if with_rank:
        data["rank"] = filters["rank"]
    form.data = data
    return form, filters, valid


@login_required
@require_GET
def dashboard_page(request):
    """Every KPI as a card, the weekly trends, the distributions and the store ranking."""
    require_office(request)
    form, filters, valid = _filters(request)
    quarter = filters["quarter"]
    scope = {"category_id": filters["category_id"], "store_id": filters["store_id"]}
    now = timezone.now()
    values = {item.kpi.key: item for item in selectors.kpi_values(quarter, as_of=now, **scope)}
    context = {
        "form": form,
        "filters": filters,
        "quarter": quarter,
        "over": selectors.is_over(quarter, now),
        "query": form.query(),
        "cards": [dashboard.card(item) for item in values.values()],
        "trends": dashboard.trends(values, quarter, as_of=now, **scope),
        "distribution": dashboard.distribution_chart(
            selectors.response_time_distribution(quarter, as_of=now, **scope)
        ),
        "funnel": dashboard.funnel_chart(selectors.funnel(quarter, as_of=now, **scope)),
        "education": dashboard.education_chart(values),
        "education_cards": [dashboard.card(values[key]) for key in dashboard.EDUCATION_KEYS],
        "ranking": dashboard.ranking(filters["rank"], quarter, category_id=filters["category_id"]),
        # A store's name in the ranking filters the page to it and keeps the other filters.
        "ranking_query": form.query(store="", rank=filters["rank"]),
    }
    return render(request, "analytics/pages/dashboard.html", context, status=200 if valid else 400)


@login_required
@require_GET
def drill_page(request, key: str):
    """The rows behind one KPI's number, the ones needing attention first."""
    require_office(request)
    try:
        kpi = get(key)
    except KeyError:
        raise Http404("No such KPI.") from None
    form, filters, valid = _filters(request, with_rank=False)
    quarter = filters["quarter"]
    scope = {"category_id": filters["category_id"], "store_id": filters["store_id"]}
    item = selectors.kpi_value(key, quarter, as_of=timezone.now(), **scope)
    try:
        rows = selectors.drill_down(key, quarter, **scope)
    except ValueError:
        rows = None
    context = {
        "form": form,
        "filters": filters,
        "quarter": quarter,
        "kpi": kpi,
        "card": dashboard.card(item),
        "kind": dashboard.ROW_KINDS.get(key),
        "back": reverse("office_kpis:dashboard") + "?" + form.query(),
    }
    if rows is not None:
        context.update(paginate(request, rows, per_page=DRILL_PAGE))
    return render(request, "analytics/pages/drill.html", context, status=200 if valid else 400)


@login_required
@require_http_methods(["GET", "POST"])
def targets_page(request):
    """Each KPI's target for a quarter: in force, default, a form to change it, the history."""
    require_office(request)
    form, filters, valid = _filters(request, with_rank=False)
    quarter = filters["quarter"]
    failed: dict[str, TargetForm] = {}
    status = 200 if valid else 400
    if request.method == "POST" and not valid:
        # Never set a target for a quarter other than the one asked for.
        messages.error(request, "Choose one of the listed quarters to set its targets.")
    elif request.method == "POST":
        target_form = TargetForm(request.POST)
        if target_form.is_valid():
            key = target_form.cleaned_data["kpi"]
            try:
                services.set_target(request.user, quarter, key, target_form.cleaned_data["value"])
            except ApplicationError as error:
                target_form.add_error("value", error.message)
                failed[key] = target_form
                status = error.status
            else:
                kpi = get(key)
                messages.success(request, f"The {quarter.label} target for {kpi.label} is saved.")
                url = reverse("office_kpis:targets") + f"?quarter={quarter.key}#target-{key}"
                return redirect(url)
        else:
            key = request.POST.get("kpi", "")
            if key in {kpi.key for kpi in KPIS}:
                failed[key] = target_form
            else:
                messages.error(request, "Choose a KPI to set its target.")
            status = 400
    settings_now = selectors.target_settings(quarter)
    changes = selectors.target_changes(quarter)
    rows = []
    for kpi in KPIS:
        rows.append(
            {
                "kpi": kpi,
                "setting": dashboard.fmt_setting(kpi, settings_now[kpi.key]),
                "default": dashboard.fmt_setting(kpi, kpi.default_target),
                "form": failed.get(kpi.key)
                or TargetForm(initial={"kpi": kpi.key, "value": _plain(settings_now[kpi.key])}),
                "changes": [
                    {
                        "change": change,
                        "old": dashboard.fmt_setting(kpi, change.old),
                        "new": dashboard.fmt_setting(kpi, change.target.value),
                    }
                    for change in changes[kpi.key]
                ],
            }
        )
    context = {
        "form": form,
        "filters": filters,
        "quarter": quarter,
        "rows": rows,
        "over": selectors.is_over(quarter, timezone.now()),
    }
    return render(request, "analytics/pages/targets.html", context, status=status)


def _plain(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
