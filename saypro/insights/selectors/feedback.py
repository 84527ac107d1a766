"""What buyers ask for and complain about beyond the themes: suggestions, emerging topics.

Like ``figures``, these take a scope but no user.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from saypro.catalog.models import Product, Store
from saypro.insights import phrases
from saypro.insights.models import Complaint, Suggestion
from saypro.insights.selectors.scope import PUBLISHED, in_period, scoped
from saypro.reviews.models import Review

TOPIC_WINDOW = timedelta(days=90)
# Emerging topics cluster at most this many of the newest complaint sentences, so a
# store with years of reviews still gets its page in a fraction of a second.
TOPIC_MAX_COMPLAINTS = 2000
EXAMPLES_PER_SUGGESTION = 3


@dataclass(frozen=True)
class Quote:
    review_id: int
    text: str


@dataclass(frozen=True)
class SuggestionRow:
    """A suggestion ``key`` ("pockets"), how many reviews ask for it, and the newest quotes."""

    key: str
    count: int
    examples: list[Quote]

    @property
    def label(self) -> str:
        return self.key.replace("_", " ").capitalize()


def suggestion_table(
    *,
    product: Product | None = None,
    store: Store | None = None,
    limit: int = 10,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[SuggestionRow]:
    """The ``limit`` most requested suggestions, each with up to three quotes (newest first).

    ``count`` is the number of distinct published reviews making the suggestion. The
    quotes of a suggestion are distinct (compared ignoring case and white space): buyers
    who ask in the same words are quoted once. Two queries; the second reads the
    suggestions newest first and stops once every one has its quotes.
    """
    suggestions = in_period(
        scoped(Suggestion.objects.filter(review__status=PUBLISHED), product=product, store=store),
        since,
        until,
    )
    top = list(
        suggestions.values("key")
        .annotate(count=Count("review", distinct=True))
        .order_by("-count", "key")[:limit]
    )
    if not top:
        return []
    examples: dict[str, dict[str, Quote]] = {row["key"]: {} for row in top}
    waiting = len(examples)
    newest = (
        suggestions.filter(key__in=list(examples))
        .order_by("-review__published_at", "-pk")
        .values_list("key", "review_id", "text")
    )
    for key, review_id, text in newest.iterator():
        quotes = examples[key]
        if len(quotes) == EXAMPLES_PER_SUGGESTION:
            continue
        quotes.setdefault(" ".join(text.casefold().split()), Quote(review_id, text))
        if len(quotes) == EXAMPLES_PER_SUGGESTION:
            waiting -= 1
            if not waiting:
                break
    return [
        SuggestionRow(row["key"], row["count"], list(examples[row["key"]].values())) for row in top
    ]


@dataclass(frozen=True)
class EmergingTopic:
    """A cluster of negative sentences that match no theme (yet).

    ``count`` is the number of distinct reviews behind it; ``review_ids`` lists
    them newest first and ``sentences`` names each sentence as
    ``(review_id, sentence_index)`` so a drill-down can highlight it.
    """

    label: str
    count: int
    review_ids: tuple[int, ...]
    sentences: tuple[tuple[int, int], ...]

    @property
    def example_review_ids(self) -> tuple[int, ...]:
        return self.review_ids[:3]


def emerging_topics_for(
    *,
    product: Product | None = None,
    store: Store | None = None,
    now: datetime | None = None,
    limit: int = 10,
) -> list[EmergingTopic]:
    """Topics among the unthemed complaints of published reviews of the last 90 days.

    Clusters the newest ``TOPIC_MAX_COMPLAINTS`` complaint sentences with
    ``phrases.emerging_topics`` (at least three sentences per topic) against the same
    scope's reviews as background, so only words said mostly in complaints name a topic;
    the store's name and the products' titles never do. Three queries.
    """
    now = now or timezone.now()
    complaints = list(
        scoped(
            Complaint.objects.filter(
                review__status=PUBLISHED, review__published_at__gte=now - TOPIC_WINDOW
            ),
            product=product,
            store=store,
        )
        .order_by("-review__published_at", "-pk")
        .values_list("review_id", "sentence_index", "text", "product_id")[:TOPIC_MAX_COMPLAINTS]
    )
    if not complaints:
        return []
    names = Product.objects.filter(pk__in={row[3] for row in complaints}).values_list(
        "title", "store__name"
    )
    reviews = scoped(
        Review.objects.filter(status=PUBLISHED, published_at__gte=now - TOPIC_WINDOW),
        product=product,
        store=store,
    ).order_by("-published_at", "-pk")
    topics = phrases.emerging_topics(
        [row[2] for row in complaints],
        limit=limit,
        ignore=[name for pair in names for name in pair],
        background=reviews.values_list("body", flat=True)[:TOPIC_MAX_COMPLAINTS],
    )
    found = []
    for topic in topics:
        members = sorted(set(topic.members))
        review_ids = tuple(dict.fromkeys(complaints[index][0] for index in members))
        found.append(
            EmergingTopic(
                label=topic.label,
                count=len(review_ids),
                review_ids=review_ids,
                sentences=tuple(complaints[index][:2] for index in members),
            )
        )
    return found
