"""Insight rows written directly, for tests: a theme, and a review with its whole analysis.

``analysed_review`` writes what ``services.analyze_reviews`` would (the
analysis, its theme mentions, suggestions and unthemed complaints) from a
hand-written list of sentences, so tests know every number exactly without
depending on the model.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

import factory
from django.utils import timezone

from saypro.catalog.models import Product
from saypro.insights.models import (
    Complaint,
    ReviewAnalysis,
    RisingIssue,
    Sentiment,
    Suggestion,
    Theme,
    ThemeMention,
)
from saypro.reviews.models import RESPONSE_GOAL, Review
from saypro.reviews.tests.factories import DeliveredItemFactory, ReviewFactory

WORST_FIRST = [Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE]


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"theme_{n}")
    name = factory.LazyAttribute(lambda theme: theme.slug.replace("_", " ").capitalize())
    description = "What buyers say about it."
    phrases = factory.LazyFunction(lambda: ["example phrase"])


def sentence(
    text: str,
    sentiment: str = Sentiment.NEUTRAL,
    *,
    themes: dict[str, str] | None = None,
    suggestion: str | None = None,
    complaint: bool = False,
) -> dict:
    """One sentence of a review as the analysis sees it (``suggestion`` is a suggestion key)."""
    return {
        "text": text,
        "sentiment": str(sentiment),
        "themes": {slug: str(value) for slug, value in (themes or {}).items()},
        "suggestion": suggestion,
        "complaint": complaint,
    }


def overall(sentences: Sequence[dict]) -> str:
    found = {s["sentiment"] for s in sentences}
    for value in (Sentiment.NEGATIVE, Sentiment.POSITIVE):
        if value in found:
            return value
    return Sentiment.NEUTRAL


def analyse(review: Review, sentences: Sequence[dict], *, sentiment: str | None = None):
    """Write ``review``'s analysis rows for ``sentences`` (their texts joined by spaces = body)."""
    spans, cursor = [], 0
    for spec in sentences:
        start = review.body.index(spec["text"], cursor)
        cursor = start + len(spec["text"])
        spans.append(
            {
                "start": start,
                "end": cursor,
                "sentiment": spec["sentiment"],
                "themes": spec["themes"],
                "suggestion": spec["suggestion"] is not None,
            }
        )
    sentiment = sentiment or overall(sentences)
    scope = {"review": review, "product": review.product, "store": review.store}
    ReviewAnalysis.objects.create(
        **scope,
        sentiment=sentiment,
        negative=0.8 if sentiment == Sentiment.NEGATIVE else 0.1,
        neutral=0.8 if sentiment == Sentiment.NEUTRAL else 0.1,
        positive=0.8 if sentiment == Sentiment.POSITIVE else 0.1,
        sentences=spans,
        key_phrases=[],
        model_version="test",
        taxonomy_version="test",
    )
    mentions: dict[str, list[tuple[int, str]]] = {}
    for index, spec in enumerate(sentences):
        for slug, value in spec["themes"].items():
            mentions.setdefault(slug, []).append((index, value))
        if spec["suggestion"] is not None:
            Suggestion.objects.create(
                **scope, key=spec["suggestion"], text=spec["text"], sentence_index=index
            )
        if spec["complaint"]:
            Complaint.objects.create(**scope, text=spec["text"], sentence_index=index)
    for slug, found in mentions.items():
        worst = min((value for _, value in found), key=WORST_FIRST.index)
        ThemeMention.objects.create(
            **scope,
            theme=ThemeFactory(slug=slug),
            sentiment=worst,
            sentence_indexes=[index for index, _ in found],
        )


def analysed_review(
    product: Product,
    sentences: Sequence[dict],
    *,
    rating: int = 4,
    published_at: datetime | None = None,
    status: str = Review.Status.PUBLISHED,
    sentiment: str | None = None,
    **fields,
) -> Review:
    """A review of ``product`` by a new buyer whose body is ``sentences``, analysed."""
    published_at = published_at or timezone.now()
    item = DeliveredItemFactory(order__store=product.store, product=product)
    review = ReviewFactory(
        order_item=item,
        rating=rating,
        body=" ".join(spec["text"] for spec in sentences),
        status=status,
        published_at=published_at,
        response_due_at=published_at + RESPONSE_GOAL,
        **fields,
    )
    analyse(review, sentences, sentiment=sentiment)
    return review


class RisingIssueFactory(factory.django.DjangoModelFactory):
    """An open rising issue of a theme on ``product`` (pass ``evidence`` review ids)."""

    class Meta:
        model = RisingIssue

    product = factory.SubFactory("saypro.catalog.tests.factories.ProductFactory")
    store = factory.SelfAttribute("product.store")
    theme = factory.SubFactory(ThemeFactory)
    window_end = factory.LazyFunction(timezone.now)
    window_start = factory.LazyAttribute(lambda issue: issue.window_end - timedelta(days=14))
    baseline_start = factory.LazyAttribute(lambda issue: issue.window_start - timedelta(days=60))
    recent_count = 6
    recent_total = 10
    baseline_count = 2
    baseline_total = 20
    p_value = 0.001
    evidence = factory.LazyFunction(list)
