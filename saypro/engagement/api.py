"""/api/v1 endpoints of engagement: the prompts a person sees at a placement (counted as
shown, as a page render is), their clicks and dismissals, tour progress, and the office's
figures (office staff only).

The page a placement is about is named by id and must be visible to the person (else 404).
"""

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from saypro.catalog import selectors as catalog
from saypro.core.api import AUTH, ERRORS, Id, Slug
from saypro.core.errors import NotFound, PermissionDenied
from saypro.engagement import selectors, services
from saypro.engagement.schemas import (
    EngagementStatsOut,
    PromptEventIn,
    PromptFilters,
    PromptOut,
    StatsFilters,
    TutorialIn,
    TutorialOut,
)
from saypro.engagement.selectors import PageSubject

router = Router(tags=["engagement"], auth=AUTH)


def _subject(request: HttpRequest, filters: PromptFilters) -> PageSubject:
    user = request.auth
    store = product = order = None
    if filters.product_id is not None:
        product = catalog.visible_product(user, filters.product_id)
        if product is None:
            raise NotFound("No such product.")
    if filters.order_id is not None:
        order = catalog.orders_of_buyer(user).filter(pk=filters.order_id).first()
        if order is None:
            raise NotFound("No such order among yours.")
    if filters.store_id is not None:
        store = catalog.active_stores().filter(pk=filters.store_id).first()
        if store is None:
            raise NotFound("No such store.")
    return PageSubject(store=store, product=product, order=order)


@router.get("/prompts", response={200: list[PromptOut], **ERRORS})
def list_prompts(request: HttpRequest, filters: Query[PromptFilters]):
    """The prompts to show now at a placement; each returned one is counted as shown."""
    shown = selectors.prompts_for(request.auth, filters.placement, _subject(request, filters))
    services.record_shown(user=request.auth, shown=shown)
    return [
        {
            "id": item.prompt.pk,
            "code": item.prompt.code,
            "title": item.title,
            "text": item.text,
            "cta_label": item.cta_label,
            "cta_link": item.cta_link,
        }
        for item in shown
    ]


def _prompt(request: HttpRequest, prompt_id: int):
    prompt = selectors.live_prompt(request.auth, prompt_id)
    if prompt is None:
        raise NotFound("No such prompt, or it is switched off.")
    return prompt


@router.post("/prompts/{prompt_id}/click", response={204: None, **ERRORS})
def click_prompt(request: HttpRequest, prompt_id: Id, payload: PromptEventIn):
    """The person followed the prompt's call to action."""
    services.record_click(user=request.auth, prompt=_prompt(request, prompt_id), **payload.dict())
    return Status(204, None)


@router.post("/prompts/{prompt_id}/dismiss", response={204: None, **ERRORS})
def dismiss_prompt(request: HttpRequest, prompt_id: Id, payload: PromptEventIn):
    """Never show this prompt to the person again."""
    services.dismiss_prompt(user=request.auth, prompt=_prompt(request, prompt_id), **payload.dict())
    return Status(204, None)


@router.post("/tutorials/{code}/progress", response={200: TutorialOut, **ERRORS})
def tutorial_progress(request: HttpRequest, code: Slug, payload: TutorialIn):
    """A move in a guided tour: start, replay, step (reached ``step``), complete, skip."""
    progress = services.record_tutorial(
        user=request.auth, code=code, action=payload.action, step=payload.step
    )
    return progress


@router.get("/office/engagement", response={200: EngagementStatsOut, **ERRORS})
def office_stats(request: HttpRequest, filters: Query[StatsFilters]):
    """Every prompt's and tour's figures over the last ``days`` (office staff only)."""
    if not request.auth.is_office_staff:
        raise PermissionDenied("Only the marketplace office reads these figures.")
    until = timezone.now()
    since = until - timedelta(days=filters.days)
    prompts = selectors.prompt_stats(request.auth, since=since, until=until)
    tutorials = selectors.tutorial_stats(request.auth, since=since, until=until)
    return {
        "days": filters.days,
        "prompts": [
            {
                "id": row["prompt"].pk,
                "name": row["prompt"].name,
                "code": row["prompt"].code,
                "placement": row["prompt"].placement,
                "is_active": row["prompt"].is_active,
                **{key: row[key] for key in ("shown", "clicked", "dismissed", "followed")},
                "click_rate": row["click_rate"],
                "follow_rate": row["follow_rate"],
            }
            for row in prompts
        ],
        "tutorials": [
            {"tutorial": row["tutorial"].code, **{k: v for k, v in row.items() if k != "tutorial"}}
            for row in tutorials
        ],
    }
