"""Reads for feedback insights: theme tables, weekly sentiment, trends, suggestions, topics.

Two kinds of function live here:

- **Figures** of a scope (``theme_table``, ``sentiment_by_week``,
  ``theme_trends``, ``product_table`` in ``figures``; ``suggestion_table``,
  ``emerging_topics_for`` in ``feedback``) take a product and/or a store but
  no user: they serve callers that have already decided the person may see
  that scope (``overview``, and ``improvements``, which measures a plan's
  effect with ``theme_table``). Without a scope they cover the whole
  marketplace.
- **Access-checked reads** (``insights_overview``, ``rising_issues``,
  ``reviews_behind``, ``office_themes``, …) take the acting user and return
  ``None`` or an empty queryset to anyone who may not see the data.

Every figure counts published reviews only (``review__status``), so a review
that moderation hides drops out of every number at once; the analysis rows of
a hidden review stay in place for when it is restored. Periods are half-open
(``since`` ≤ published_at < ``until``) and calendar boundaries (days,
weeks) follow the site time zone (``settings.TIME_ZONE``).
"""

from saypro.insights.selectors.drill_down import Focus, matching_spans, reviews_behind
from saypro.insights.selectors.feedback import (
    EmergingTopic,
    Quote,
    SuggestionRow,
    emerging_topics_for,
    suggestion_table,
)
from saypro.insights.selectors.figures import (
    TREND_DAYS,
    TREND_MINIMUM,
    MentionShare,
    ProductRow,
    ThemeRow,
    ThemeTrend,
    TrendWindow,
    WeekSentiment,
    average_rating,
    product_table,
    sentiment_by_week,
    theme_table,
    theme_trends,
    trend_windows,
    week_start_of,
)
from saypro.insights.selectors.issues import (
    LIVE_STATUSES,
    issue_evidence,
    rising_issues,
    store_rising_issue,
    visible_rising_issue,
)
from saypro.insights.selectors.overview import (
    Overview,
    ThemeEntry,
    emerging_topic,
    insights_overview,
    store_product,
)
from saypro.insights.selectors.scope import local_day_start
from saypro.insights.selectors.taxonomy import active_themes, office_theme, office_themes

__all__ = [
    "LIVE_STATUSES",
    "TREND_DAYS",
    "TREND_MINIMUM",
    "EmergingTopic",
    "Focus",
    "MentionShare",
    "Overview",
    "ProductRow",
    "Quote",
    "SuggestionRow",
    "ThemeEntry",
    "ThemeRow",
    "ThemeTrend",
    "TrendWindow",
    "WeekSentiment",
    "active_themes",
    "average_rating",
    "emerging_topic",
    "emerging_topics_for",
    "insights_overview",
    "issue_evidence",
    "local_day_start",
    "matching_spans",
    "office_theme",
    "office_themes",
    "product_table",
    "reviews_behind",
    "rising_issues",
    "sentiment_by_week",
    "store_product",
    "store_rising_issue",
    "suggestion_table",
    "theme_table",
    "theme_trends",
    "trend_windows",
    "visible_rising_issue",
    "week_start_of",
]
