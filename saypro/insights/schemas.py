"""API shapes of feedback insights: a store's or product's insights, rising issues, themes.

Shares are fractions from 0 to 1; ``rating_drag`` is in stars (negative when
the theme pulls the rating down); weeks start on Monday in the marketplace
time zone.
"""

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from saypro.core.api import Paging
from saypro.insights.models import RisingIssue
from saypro.insights.selectors import Overview
from saypro.reviews.schemas import ProductRef

PlainText = r"^[^\x00-\x1f\x7f]*$"
# Bounds the input only; which phrases are acceptable is the service's rule.
PHRASE_MAX_LENGTH = 200
Phrase = Annotated[str, Field(min_length=1, max_length=PHRASE_MAX_LENGTH, pattern=PlainText)]
IssueStatus = Literal[tuple(RisingIssue.Status.values)]  # type: ignore[valid-type]


# --- Out --------------------------------------------------------------------------------------


class ThemeRef(Schema):
    id: int
    slug: str
    name: str


class ThemeRowOut(Schema):
    theme: ThemeRef
    mentions: int = Field(description="Published reviews in the period that mention the theme.")
    negative: int = Field(description="Of those, how many speak negatively of it.")
    negative_share: float = Field(description="negative / mentions.")
    average_rating: float = Field(description="Mean stars of the reviews mentioning it.")
    rating_drag: float | None = Field(
        description="average_rating minus the mean stars of all the period's reviews."
    )


class WeekOut(Schema):
    week_start: date = Field(description="The Monday (marketplace time zone).")
    iso_week: str = Field(description="e.g. 2025-W09.")
    negative: int
    neutral: int
    positive: int
    total: int


class QuoteOut(Schema):
    review_id: int
    text: str


class SuggestionOut(Schema):
    key: str
    count: int = Field(description="Published reviews making the suggestion.")
    examples: list[QuoteOut] = Field(description="Up to three distinct quotes, newest first.")


class RisingIssueOut(Schema):
    """A theme or emerging topic whose negative mentions rose on one product."""

    id: int
    product: ProductRef
    theme: ThemeRef | None = Field(description="Null for an emerging topic.")
    topic: str = Field(description="The emerging topic's label; empty for a theme.")
    subject: str = Field(description="The theme's name or the topic's label.")
    status: IssueStatus
    window_start: datetime
    window_end: datetime
    baseline_start: datetime
    recent_count: int
    recent_total: int
    baseline_count: int
    baseline_total: int
    recent_rate: float
    baseline_rate: float
    p_value: float
    evidence: list[int] = Field(description="Ids of the recent reviews behind it.")
    detected_at: datetime
    checked_at: datetime


class InsightsOut(Schema):
    period_start: datetime = Field(description="Start of the first day of the period.")
    period_end: datetime = Field(description="When the figures were computed.")
    reviews: int = Field(description="Published reviews in the period.")
    average_rating: float | None = Field(description="Their mean stars; null without reviews.")
    themes: list[ThemeRowOut] = Field(description="Most negative mentions first.")
    weeks: list[WeekOut] = Field(description="Oldest first; weeks without reviews are zeros.")
    suggestions: list[SuggestionOut] = Field(description="Most requested first.")
    rising_issues: list[RisingIssueOut] = Field(description="Open and planned, open first.")

    @staticmethod
    def from_overview(overview: Overview) -> dict:
        return {
            "period_start": overview.since.astimezone(UTC),
            "period_end": overview.until.astimezone(UTC),
            "reviews": overview.reviews,
            "average_rating": overview.average_rating,
            "themes": [entry.row for entry in overview.themes],
            "weeks": overview.weeks,
            "suggestions": overview.suggestions,
            "rising_issues": overview.issues,
        }


class ThemeOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    phrases: list[str]
    is_active: bool
    position: int
    updated_at: datetime
    mention_count: int = Field(description="Published reviews that mention it.")


# --- In and filters ---------------------------------------------------------------------------


class InsightsFilters(Schema):
    days: int = Field(90, ge=1, le=3660, description="Period of themes and suggestions, in days.")
    weeks: int = Field(26, ge=1, le=104, description="How many weeks of sentiment.")


class RisingIssueFilters(Paging):
    status: IssueStatus | None = Field(None, description="Only issues in this status.")


class IssueStatusIn(Schema):
    status: IssueStatus


class ThemeIn(Schema):
    name: str = Field(min_length=1, max_length=60, pattern=PlainText)
    description: str = Field("", max_length=300, pattern=PlainText)
    phrases: list[Phrase] = Field(min_length=1, max_length=500, description="Matched as written.")


class ThemePatchIn(Schema):
    """Only the fields sent change."""

    name: str | None = Field(None, min_length=1, max_length=60, pattern=PlainText)
    description: str | None = Field(None, max_length=300, pattern=PlainText)
    phrases: list[Phrase] | None = Field(None, min_length=1, max_length=500)
    is_active: bool | None = None
