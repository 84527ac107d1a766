"""API shapes of engagement: prompts as a person sees them, their events, tour progress,
and the office's figures."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from saypro.core.api import MAX_ID, BodyId
from saypro.engagement.models import Placement
from saypro.engagement.services import TUTORIAL_ACTIONS

PlacementName = Literal[tuple(Placement.values)]  # type: ignore[valid-type]
OptionalId = int | None


class PromptFilters(Schema):
    placement: PlacementName
    store_id: OptionalId = Field(None, ge=1, le=MAX_ID, description="Seller Center placements.")
    product_id: OptionalId = Field(None, ge=1, le=MAX_ID, description="Product placements.")
    order_id: OptionalId = Field(None, ge=1, le=MAX_ID, description="The order page.")


class PromptOut(Schema):
    id: int
    code: str | None = Field(description="Set for built-in prompts.")
    title: str
    text: str
    cta_label: str
    cta_link: str = Field(description="A site path, placeholders filled in.")


class PromptEventIn(Schema):
    store_id: BodyId | None = None
    product_id: BodyId | None = None


class TutorialIn(Schema):
    action: Literal[TUTORIAL_ACTIONS]  # type: ignore[valid-type]
    step: int = Field(
        1, ge=1, le=100, strict=True, description="For ``step``: the step reached (1 = first)."
    )


class TutorialOut(Schema):
    tutorial: str
    started_at: datetime
    completed_at: datetime | None
    skipped_at: datetime | None
    last_step: int
    replays: int


class StatsFilters(Schema):
    days: int = Field(30, ge=1, le=365, description="The last this many days.")


class PromptStatsOut(Schema):
    id: int
    name: str
    code: str | None
    placement: str
    is_active: bool
    shown: int
    clicked: int
    dismissed: int
    followed: int = Field(description="Clicks followed by a message from the clicker within 24 h.")
    click_rate: float | None
    follow_rate: float | None


class TutorialStatsOut(Schema):
    tutorial: str
    started: int
    completed: int
    skipped: int
    replays: int
    completion_rate: float | None


class EngagementStatsOut(Schema):
    days: int
    prompts: list[PromptStatsOut]
    tutorials: list[TutorialStatsOut]
