"""/api/v1 endpoints for campaigns and segments: office staff only (others get 403)."""

from dataclasses import asdict

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from saypro.campaigns import segments, selectors, services
from saypro.campaigns.models import Campaign, Segment
from saypro.campaigns.schemas import (
    CampaignIn,
    CampaignOut,
    CountOut,
    ResultsOut,
    RulesIn,
    ScheduleIn,
    SegmentIn,
    SegmentOut,
)
from saypro.core.api import AUTH, ERRORS, Id, Page, Paging
from saypro.core.errors import NotFound, PermissionDenied, ValidationFailed

router = Router(tags=["campaigns"], auth=AUTH)


def _office(request: HttpRequest):
    if not request.auth.is_office_staff:
        raise PermissionDenied("Campaigns are for the marketplace office.")
    return request.auth


def _segment_out(segment: Segment) -> dict:
    return {
        "id": segment.pk,
        "name": segment.name,
        "rules": segment.rules,
        "description": segments.describe(segment.rules),
        "count": selectors.audience_count(segment.rules, now=timezone.now()),
        "created_at": segment.created_at,
        "updated_at": segment.updated_at,
    }


def _campaign_out(campaign: Campaign) -> dict:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "segment_id": campaign.segment_id,
        "channel": campaign.channel,
        "holdout_percent": campaign.holdout_percent,
        "status": campaign.status,
        "send_at": campaign.send_at,
        "sent_at": campaign.sent_at,
        "created_at": campaign.created_at,
        "variants": list(
            campaign.variants.values("title", "body", "cta_label", "cta_path", "weight")
        ),
    }


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    campaign = selectors.campaign_for(_office(request), campaign_id)
    if campaign is None:
        raise NotFound(f"No campaign {campaign_id}.")
    return campaign


@router.get("/campaigns/segments", response={200: Page[SegmentOut], **ERRORS})
def list_segments(request: HttpRequest, paging: Query[Paging]):
    """Segments by name, each with how many people match it now."""
    page = paging.page(selectors.segments_for(_office(request)))
    return {"items": [_segment_out(row) for row in page["items"]], "count": page["count"]}


@router.post("/campaigns/segments/count", response={200: CountOut, **ERRORS})
def count_segment(request: HttpRequest, body: RulesIn):
    """How many people the rules match now (the builder's live count)."""
    _office(request)
    rules = segments.clean_rules(body.rules)
    return {
        "count": selectors.audience_count(rules, now=timezone.now()),
        "rules": segments.describe(rules),
    }


@router.post("/campaigns/segments", response={201: SegmentOut, **ERRORS})
def create_segment(request: HttpRequest, body: SegmentIn):
    segment = services.create_segment(staff=_office(request), name=body.name, rules=body.rules)
    return Status(201, _segment_out(segment))


@router.get("/campaigns", response={200: Page[CampaignOut], **ERRORS})
def list_campaigns(request: HttpRequest, paging: Query[Paging]):
    page = paging.page(selectors.campaigns_for(_office(request)))
    return {"items": [_campaign_out(row) for row in page["items"]], "count": page["count"]}


@router.post("/campaigns", response={201: CampaignOut, **ERRORS})
def create_campaign(request: HttpRequest, body: CampaignIn):
    """A draft campaign; send it with ``/send`` or ``/schedule``."""
    staff = _office(request)
    segment = selectors.segment_for(staff, body.segment_id)
    if segment is None:
        raise ValidationFailed(f"No segment {body.segment_id}.", details={"field": "segment_id"})
    data = services.CampaignInput(
        name=body.name,
        segment=segment,
        channel=body.channel,
        holdout_percent=body.holdout_percent,
        variants=[services.VariantInput(**variant.dict()) for variant in body.variants],
    )
    return Status(201, _campaign_out(services.create_campaign(staff=staff, data=data)))


@router.get("/campaigns/{campaign_id}", response={200: ResultsOut, **ERRORS})
def campaign_results(request: HttpRequest, campaign_id: Id):
    """The campaign with delivered/opened/clicked per group and the lift in messaging."""
    campaign = _campaign(request, campaign_id)
    results = selectors.results(campaign, now=timezone.now())
    return {
        "campaign": _campaign_out(campaign),
        "groups": [
            {
                "group": group.group,
                "members": group.members,
                "delivered": group.delivered,
                "opened": group.opened,
                "clicked": group.clicked,
            }
            for group in results.groups
        ],
        "lift": asdict(results.lift) if results.lift else None,
        "is_final": results.is_final,
        "final_on": results.final_on,
    }


@router.post("/campaigns/{campaign_id}/send", response={200: CampaignOut, **ERRORS})
def send_campaign(request: HttpRequest, campaign_id: Id):
    campaign = _campaign(request, campaign_id)
    return _campaign_out(services.send_campaign_now(staff=request.auth, campaign=campaign))


@router.post("/campaigns/{campaign_id}/schedule", response={200: CampaignOut, **ERRORS})
def schedule_campaign(request: HttpRequest, campaign_id: Id, body: ScheduleIn):
    campaign = _campaign(request, campaign_id)
    return _campaign_out(
        services.schedule_campaign(staff=request.auth, campaign=campaign, send_at=body.send_at)
    )


@router.post("/campaigns/{campaign_id}/cancel", response={200: CampaignOut, **ERRORS})
def cancel_campaign(request: HttpRequest, campaign_id: Id):
    campaign = _campaign(request, campaign_id)
    return _campaign_out(services.cancel_campaign(staff=request.auth, campaign=campaign))
