"""Seller Center › Insights and Office › Themes.

Seller pages live under ``/seller/<store slug>/insights/`` and answer 404 to
anyone outside the store's team (``store_for_member``): the overview of the
store or one product, and the drill-down listing the reviews behind any
number with the matching sentences marked. The office taxonomy editor lives
under ``/office/insights/themes/`` and answers 404 to anyone but office staff,
as review moderation does.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from saypro.catalog.selectors import store_products
from saypro.catalog.views.seller import seller_context, store_for_member
from saypro.core.auth import login_required, require_office
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error
from saypro.core.pagination import paginate
from saypro.improvements import selectors as improvements_selectors
from saypro.insights import selectors, services
from saypro.insights.forms import DrillDownForm, IssueStatusForm, PeriodForm, ThemeForm
from saypro.insights.models import RisingIssue

DAY = "j M Y"
STATUS_MESSAGES = {
    RisingIssue.Status.DISMISSED: "The issue is dismissed; it comes back if it keeps rising.",
    RisingIssue.Status.OPEN: "The issue is open again.",
    RisingIssue.Status.PLANNED: "The issue is marked as planned.",
    RisingIssue.Status.RESOLVED: "The issue is marked as resolved.",
}


# --- Seller Center ----------------------------------------------------------------------------


def _overview_page(request, store, product=None, *, query=None, status: int = 200):
    """The overview of the store or of ``product`` for the period in ``query`` (default: the
    request's query string). ``page_url`` and ``here`` name the page itself, so its forms
    work when it answers a POST (a refused status change)."""
    query = request.GET if query is None else query
    days = PeriodForm(query or None).days_or_default()
    overview = selectors.insights_overview(request.user, store, product=product, days=days)
    if overview is None:
        raise Http404("No such product in this store.")
    page_url = (
        reverse("insights:product", kwargs={"slug": store.slug, "pk": product.pk})
        if product
        else reverse("insights:overview", kwargs={"slug": store.slug})
    )
    context = seller_context(
        request,
        store,
        page_url=page_url,
        here=f"{page_url}?{query.urlencode()}" if query else page_url,
        form=PeriodForm.showing(days),
        overview=overview,
        product=product,
        issue_plans=improvements_selectors.issue_plans(
            request.user, store, [*overview.issues, *overview.resolved]
        ),
    )
    return render(request, "insights/pages/overview.html", context, status=status)


@login_required
def overview(request, slug: str):
    """What buyers say about the store: rising issues, sentiment, themes, suggestions, topics.

    Each rising issue links to the plan made from it (``improvements``), or
    offers to make one.
    """
    return _overview_page(request, store_for_member(request, slug))


@login_required
def product(request, slug: str, pk: int):
    """The same for one product of the store (active or not)."""
    store = store_for_member(request, slug)
    found = selectors.store_product(request.user, store, pk)
    if found is None:
        raise Http404("No such product in this store.")
    return _overview_page(request, store, found)


def _describe(data: dict, issue, topic) -> list[str]:
    """The drill-down's filters in words, for its heading."""
    parts = []
    if issue is not None:
        parts.append(f"Rising issue: {issue.subject} on {issue.product.title}")
    if data.get("product"):
        parts.append(data["product"].title)
    if data.get("theme"):
        parts.append(f"Theme: {data['theme'].name}")
    if data.get("sentiment"):
        parts.append(f"Sentiment: {data['sentiment']}")
    if data.get("suggestion"):
        parts.append(f"Suggestion: {data['suggestion'].replace('_', ' ')}")
    if topic is not None:
        parts.append(f"Topic: {topic.label}")
    since, until = data.get("since"), data.get("until")
    if since and until:
        parts.append(f"{date_format(since, DAY)} – {date_format(until, DAY)}")
    elif since:
        parts.append(f"From {date_format(since, DAY)}")
    elif until:
        parts.append(f"Until {date_format(until, DAY)}")
    return parts


@login_required
def reviews(request, slug: str):
    """The published reviews behind a number, newest first, matching sentences marked."""
    store = store_for_member(request, slug)
    form = DrillDownForm(request.GET, products=store_products(request.user, store))
    context = seller_context(request, store, form=form)
    if not form.is_valid():
        return render(request, "insights/pages/reviews.html", context, status=400)
    data = form.cleaned_data
    issue = None
    if data["issue"]:
        issue = selectors.store_rising_issue(request.user, store, data["issue"])
        if issue is None:
            raise Http404("No such issue in this store.")
    topic = None
    if data["topic"]:
        topic = selectors.emerging_topic(
            request.user, store, data["topic"], product=data["product"]
        )
    focus = selectors.Focus(
        theme=data["theme"],
        sentiment=data["sentiment"] or None,
        suggestion_key=data["suggestion"] or None,
        topic=topic,
        issue=issue,
    )
    found = selectors.reviews_behind(
        request.user,
        store,
        product=data["product"],
        theme=focus.theme,
        sentiment=focus.sentiment,
        suggestion_key=focus.suggestion_key,
        topic=topic,
        issue=issue,
        **form.period(),
    )
    page_context = paginate(request, found, per_page=20)
    queue_filters = not (data["suggestion"] or topic or issue or data["since"] or data["until"])
    context.update(
        page_context,
        issue=issue,
        topic=topic,
        description=_describe(data, issue, topic),
        rows=[
            (review, selectors.matching_spans(review, focus))
            for review in page_context["page"].object_list
        ],
        queue_filters=queue_filters,
        marking=not focus.is_empty,
    )
    return render(request, "insights/pages/reviews.html", context)


@login_required
@require_POST
def issue_status(request, slug: str, pk: int):
    """Dismiss, reopen (or plan, or resolve) a rising issue, then go back to the page.

    A refusal (no valid status: 400; a move the issue's status does not allow,
    e.g. reopening when a newer issue on the subject is open: 409) changes
    nothing and answers the overview the form was on, with the reason.
    """
    store = store_for_member(request, slug)
    issue = selectors.store_rising_issue(request.user, store, pk)
    if issue is None:
        raise Http404("No such issue in this store.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("insights:overview", kwargs={"slug": store.slug})
    form = IssueStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to do with the issue.")
        return _overview_page_at(request, store, back, status=400)
    status = form.cleaned_data["status"]
    try:
        services.set_issue_status(actor=request.user, issue=issue, status=status)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _overview_page_at(request, store, back, status=error.status)
    messages.success(request, STATUS_MESSAGES[status])
    return redirect(back)


def _overview_page_at(request, store, url: str, *, status: int):
    """The overview ``url`` names (the store's, or one of its products' with its period),
    answered with ``status``; the store's overview for any other address."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        match = None
    product = None
    if match and match.view_name == "insights:product" and match.kwargs["slug"] == store.slug:
        product = selectors.store_product(request.user, store, match.kwargs["pk"])
    on_overview = match and match.view_name in ("insights:overview", "insights:product")
    query = QueryDict(parts.query) if on_overview else QueryDict()
    return _overview_page(request, store, product, query=query, status=status)


# --- Office: the theme taxonomy ---------------------------------------------------------------


def _office_theme(request, pk: int):
    theme = selectors.office_theme(request.user, pk)
    if theme is None:
        raise Http404("No such theme.")
    return theme


@login_required
def themes(request):
    """Every theme with its phrases and how many published reviews mention it."""
    require_office(request)
    return _themes_page(request)


def _themes_page(request, *, status: int = 200):
    return render(
        request,
        "insights/pages/office_themes.html",
        {"themes": selectors.office_themes(request.user)},
        status=status,
    )


@login_required
def theme_create(request):
    require_office(request)
    form = ThemeForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.create_theme(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            messages.success(request, f"“{theme.name}” is added; new reviews are matched at once.")
            return redirect("office_insights:themes")
    return render(request, "insights/pages/office_theme_form.html", {"form": form}, status=status)


@login_required
def theme_edit(request, pk: int):
    """Rename, describe and change the phrases of a theme (one per line)."""
    require_office(request)
    theme = _office_theme(request, pk)
    form = ThemeForm(request.POST or None, initial=ThemeForm.initial_for(theme))
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_theme(
                actor=request.user, theme=theme, is_active=theme.is_active, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
            theme = _office_theme(request, pk)  # as stored, not the refused edit
        else:
            messages.success(request, f"“{form.cleaned_data['name']}” is saved.")
            return redirect("office_insights:themes")
    context = {"form": form, "theme": theme}
    return render(request, "insights/pages/office_theme_form.html", context, status=status)


@login_required
@require_POST
def theme_active(request, pk: int):
    """Deactivate a theme (it stops being matched and leaves the sellers' pages) or restore it."""
    require_office(request)
    theme = _office_theme(request, pk)
    is_active = request.POST.get("is_active") == "1"
    try:
        services.update_theme(
            actor=request.user,
            theme=theme,
            name=theme.name,
            description=theme.description,
            phrases=theme.phrases,
            is_active=is_active,
        )
    except ApplicationError as error:  # the theme list says why, with the 4xx status
        messages.error(request, error.message)
        return _themes_page(request, status=error.status)
    state = "active again" if is_active else "deactivated"
    messages.success(request, f"“{theme.name}” is {state}.")
    return redirect("office_insights:themes")
