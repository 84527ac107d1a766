"""The reviews behind a number, for the store's team, and the sentences to mark in each."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from saypro.accounts.models import User
from saypro.catalog.models import Product, Store
from saypro.catalog.selectors import is_store_member
from saypro.insights.models import ReviewAnalysis, RisingIssue, Sentiment, Suggestion, Theme
from saypro.insights.selectors.feedback import EmergingTopic
from saypro.insights.selectors.scope import PUBLISHED, in_period, with_analysis
from saypro.reviews.models import Review


def reviews_behind(
    user: User,
    store: Store,
    *,
    product: Product | None = None,
    theme: Theme | None = None,
    sentiment: str | None = None,
    suggestion_key: str | None = None,
    topic: EmergingTopic | None = None,
    issue: RisingIssue | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Review]:
    """The store's published reviews behind one number, newest first, for its team.

    With ``theme``, ``sentiment`` is how the review speaks of that theme;
    without, the review's overall sentiment. ``topic`` comes from
    ``emerging_topics_for`` and ``issue`` from ``rising_issues`` (its evidence).
    The analysis, suggestions and complaints come prefetched, for
    ``matching_spans``.
    """
    if not is_store_member(user, store):
        return Review.objects.none()
    reviews = in_period(
        Review.objects.filter(store=store, status=PUBLISHED), since, until, prefix=""
    )
    if product is not None:
        reviews = reviews.filter(product=product)
    if theme is not None:
        mention = Q(theme_mentions__theme=theme)
        if sentiment:
            mention &= Q(theme_mentions__sentiment=sentiment)
        reviews = reviews.filter(mention)
    elif sentiment:
        reviews = reviews.filter(analysis__sentiment=sentiment)
    if suggestion_key:
        reviews = reviews.filter(
            pk__in=Suggestion.objects.filter(key=suggestion_key).values("review")
        )
    if topic is not None:
        reviews = reviews.filter(pk__in=topic.review_ids)
    if issue is not None:
        reviews = reviews.filter(pk__in=[int(pk) for pk in issue.evidence])
    return with_analysis(reviews).order_by("-published_at", "-pk")


@dataclass(frozen=True)
class Focus:
    """What a drill-down is about, to find the sentences of each review that match it."""

    theme: Theme | None = None
    sentiment: str | None = None
    suggestion_key: str | None = None
    topic: EmergingTopic | None = None
    issue: RisingIssue | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.theme or self.sentiment or self.suggestion_key or self.topic or self.issue)


def _analysis(review: Review) -> ReviewAnalysis | None:
    try:
        return review.analysis
    except ReviewAnalysis.DoesNotExist:
        return None


def matching_spans(review: Review, focus: Focus) -> list[tuple[int, int]]:
    """Character spans of ``review.body`` whose sentences match ``focus``, in order.

    Uses only prefetched data (``reviews_behind``, ``issue_evidence``). Spans
    are clamped to the body, in case it was edited after the analysis ran.
    """
    analysis = _analysis(review)
    if analysis is None or focus.is_empty:
        return []
    sentences = analysis.sentences
    indexes: set[int] = set()
    theme, sentiment = focus.theme, focus.sentiment
    if focus.issue is not None:
        if focus.issue.theme_id:
            theme, sentiment = focus.issue.theme, Sentiment.NEGATIVE
        else:
            indexes |= {complaint.sentence_index for complaint in review.complaints.all()}
    if focus.suggestion_key:
        indexes |= {
            suggestion.sentence_index
            for suggestion in review.suggestions.all()
            if suggestion.key == focus.suggestion_key
        }
    if focus.topic is not None:
        indexes |= {index for pk, index in focus.topic.sentences if pk == review.pk}
    if theme is not None:
        indexes |= {
            n
            for n, sentence in enumerate(sentences)
            if theme.slug in sentence.get("themes", {})
            and (not sentiment or sentence["themes"][theme.slug] == sentiment)
        }
    elif sentiment and not (focus.suggestion_key or focus.topic or focus.issue):
        indexes |= {n for n, s in enumerate(sentences) if s.get("sentiment") == sentiment}
    length = len(review.body)
    spans = []
    for n in sorted(indexes):
        if 0 <= n < len(sentences):
            start = max(0, min(int(sentences[n]["start"]), length))
            end = max(start, min(int(sentences[n]["end"]), length))
            if end > start:
                spans.append((start, end))
    return spans
