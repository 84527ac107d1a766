"""/api/v1 endpoints for feedback insights, rising issues and the theme taxonomy.

Insights of a store or product are for its team; the taxonomy for office
staff. Reads go through ``selectors``, writes through ``services``; this module
only translates between JSON and those calls. An issue someone may not see is
a 404; a store or product they may see but whose insights are not theirs is a 403.
"""

from ninja import Query, Router, Status

from saypro.catalog import selectors as catalog_selectors
from saypro.catalog.models import Store
from saypro.core.api import AUTH, ERRORS, Id, Page, Paging, Slug
from saypro.core.errors import NotFound, PermissionDenied
from saypro.insights import selectors, services
from saypro.insights.models import RisingIssue, Theme
from saypro.insights.schemas import (
    InsightsFilters,
    InsightsOut,
    IssueStatusIn,
    RisingIssueFilters,
    RisingIssueOut,
    ThemeIn,
    ThemeOut,
    ThemePatchIn,
)

router = Router(tags=["insights"])


def _team_store(request, slug: str) -> Store:
    store = catalog_selectors.existing_store(slug)
    if not catalog_selectors.is_store_member(request.auth, store):
        raise PermissionDenied("Only the store's team can see its insights.")
    return store


def _issue(request, issue_id: int) -> RisingIssue:
    issue = selectors.visible_rising_issue(request.auth, issue_id)
    if issue is None:
        raise NotFound(f"No rising issue {issue_id}.")
    return issue


def _require_office_staff(request) -> None:
    if not request.auth.is_office_staff:
        raise PermissionDenied("Only marketplace office staff edit the themes.")


def _theme(request, theme_id: int) -> Theme:
    theme = selectors.office_theme(request.auth, theme_id)
    if theme is None:
        raise NotFound(f"No theme {theme_id}.")
    return theme


# --- Insights of a store or a product ---------------------------------------------------------


@router.get("/stores/{slug}/insights", response={200: InsightsOut, **ERRORS}, auth=AUTH)
def get_store_insights(request, slug: Slug, filters: Query[InsightsFilters]):
    """Themes, weekly sentiment, suggestions and live rising issues of a store (its team).

    Themes and suggestions cover the last ``days`` days (whole days, marketplace
    time zone); sentiment the last ``weeks`` ISO weeks. Hidden reviews never count.
    """
    store = _team_store(request, slug)
    overview = selectors.insights_overview(
        request.auth, store, days=filters.days, weeks=filters.weeks
    )
    return InsightsOut.from_overview(overview)


@router.get("/products/{product_id}/insights", response={200: InsightsOut, **ERRORS}, auth=AUTH)
def get_product_insights(request, product_id: Id, filters: Query[InsightsFilters]):
    """The same for one product, compared with the product's own average (its store's team)."""
    product = catalog_selectors.visible_product(request.auth, product_id)
    if product is None:
        raise NotFound(f"No product {product_id}.")
    overview = selectors.insights_overview(
        request.auth, product.store, product=product, days=filters.days, weeks=filters.weeks
    )
    if overview is None:
        raise PermissionDenied("Only the store's team can see a product's insights.")
    return InsightsOut.from_overview(overview)


# --- Rising issues ----------------------------------------------------------------------------


@router.get(
    "/stores/{slug}/rising-issues", response={200: Page[RisingIssueOut], **ERRORS}, auth=AUTH
)
def list_rising_issues(request, slug: Slug, filters: Query[RisingIssueFilters]):
    """The store's rising issues, open before planned before dismissed before resolved."""
    store = _team_store(request, slug)
    return filters.page(selectors.rising_issues(request.auth, store, filters.status))


@router.post(
    "/rising-issues/{issue_id}/status", response={200: RisingIssueOut, **ERRORS}, auth=AUTH
)
def set_rising_issue_status(request, issue_id: Id, data: IssueStatusIn):
    """Dismiss or reopen a rising issue of your store (the store's team)."""
    issue = services.set_issue_status(
        actor=request.auth, issue=_issue(request, issue_id), status=data.status
    )
    return _issue(request, issue.pk)


# --- The theme taxonomy (office staff) --------------------------------------------------------


@router.get("/insights/themes", response={200: Page[ThemeOut], **ERRORS}, auth=AUTH)
def list_themes(request, paging: Query[Paging]):
    """Every theme, active first, with how many published reviews mention it."""
    _require_office_staff(request)
    return paging.page(selectors.office_themes(request.auth))


@router.post("/insights/themes", response={201: ThemeOut, **ERRORS}, auth=AUTH)
def create_theme(request, data: ThemeIn):
    """Add a theme; new and reanalysed reviews are matched against its phrases."""
    _require_office_staff(request)
    theme = services.create_theme(
        actor=request.auth, name=data.name, description=data.description, phrases=data.phrases
    )
    return Status(201, _theme(request, theme.pk))


@router.patch("/insights/themes/{theme_id}", response={200: ThemeOut, **ERRORS}, auth=AUTH)
def update_theme(request, theme_id: Id, data: ThemePatchIn):
    """Rename, describe, change the phrases of, deactivate or restore a theme."""
    _require_office_staff(request)
    theme = _theme(request, theme_id)
    current = {
        "name": theme.name,
        "description": theme.description,
        "phrases": theme.phrases,
        "is_active": theme.is_active,
    }
    sent = {
        key: value
        for key, value in data.model_dump(exclude_unset=True).items()
        if value is not None
    }
    services.update_theme(actor=request.auth, theme=theme, **{**current, **sent})
    return _theme(request, theme.pk)
