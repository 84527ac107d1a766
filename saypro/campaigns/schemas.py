"""API shapes of campaigns (office only)."""

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from saypro.campaigns.models import HOLDOUT_PERCENT_DEFAULT, HOLDOUT_PERCENT_MAX, Campaign
from saypro.core.api import BodyId

ChannelName = Literal[tuple(Campaign.Channel.values)]  # type: ignore[valid-type]
StatusName = Literal[tuple(Campaign.Status.values)]  # type: ignore[valid-type]


class RulesIn(Schema):
    rules: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description='Criteria by key, e.g. {"role": {"role": "seller"}, "activity": '
        '{"action": "messages_at_least", "count": 3, "days": 30}}.',
    )


class SegmentIn(RulesIn):
    name: str = Field(max_length=120)


class CountOut(Schema):
    count: int = Field(description="Active people matching every rule now.")
    rules: list[str] = Field(description="The rules in words.")


class SegmentOut(Schema):
    id: int
    name: str
    rules: dict[str, dict[str, Any]]
    description: list[str]
    count: int
    created_at: datetime
    updated_at: datetime


class VariantBody(Schema):
    title: str = Field(max_length=120)
    body: str = Field(max_length=5000, description="Markdown, rendered safely.")
    cta_label: str = Field(max_length=40)
    cta_path: str = Field(max_length=300, description="A site path, e.g. /seller/.")
    weight: int = Field(
        100, ge=1, le=100, strict=True, description="Percent of the treated members."
    )


class CampaignIn(Schema):
    name: str = Field(max_length=120)
    segment_id: BodyId
    channel: ChannelName
    holdout_percent: int = Field(HOLDOUT_PERCENT_DEFAULT, ge=0, le=HOLDOUT_PERCENT_MAX, strict=True)
    variants: list[VariantBody] = Field(min_length=1, max_length=2)


class ScheduleIn(Schema):
    send_at: datetime


class CampaignOut(Schema):
    id: int
    name: str
    segment_id: int
    channel: ChannelName
    holdout_percent: int
    status: StatusName
    send_at: datetime | None
    sent_at: datetime | None
    created_at: datetime
    variants: list[VariantBody]


class GroupOut(Schema):
    group: str
    members: int
    delivered: int
    opened: int
    clicked: int


class LiftOut(Schema):
    treated_n: int
    holdout_n: int
    treated_mean: float | None = Field(description="Messages sent per treated member.")
    holdout_mean: float | None
    difference: float | None = Field(description="Treated − holdout, messages per member.")
    ci_low: float | None = Field(description="95 % Welch interval of the difference.")
    ci_high: float | None
    relative: float | None = Field(description="Difference / holdout mean (0.25 = +25 %).")
    p_value: float
    is_significant: bool


class ResultsOut(Schema):
    campaign: CampaignOut
    groups: list[GroupOut]
    lift: LiftOut | None
    is_final: bool = Field(description="False until 14 days after sending.")
    final_on: datetime | None
