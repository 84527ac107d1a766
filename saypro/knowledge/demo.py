"""Demo use of the knowledge base: who read which article, and whether it helped.

The shipped articles are loaded first (``loading.load_content``). Then, over
the last ``HISTORY_DAYS`` days, the stores' people and some buyers read
articles through ``services.record_view`` at the moment they did (sellers
mostly the review, coach and messaging guides, more in recent weeks; buyers the
buying topic), plus some anonymous readers; about one reader in five answers "Was this helpful?"
through ``services.give_feedback``, some with a comment. Two quarters of
history, so the engagement figures (``selectors.engagement``) can be compared.

Idempotent: the history is written once (nothing if any view exists).
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from saypro.accounts.models import User
from saypro.catalog.models import StoreMembership
from saypro.knowledge import loading, services
from saypro.knowledge.models import Article, ArticleView, Feedback
from saypro.knowledge.selectors import BUYER_TOPIC

HISTORY_DAYS = 180
SELLER_READ_SHARE = 0.6  # of the stores' people, who used the knowledge base
BUYER_READERS = 15
VOTE_SHARE = 0.2
HELPFUL_SHARE = 0.85
COMMENT_SHARE = 0.35
ANONYMOUS_VIEWS = 120
SELLER_FAVOURITES = (
    "review-answer-examples",
    "answering-negative-reviews",
    "using-the-response-coach",
    "coach-empathy",
    "coach-no-defensiveness",
    "quick-replies-guide",
    "messaging-response-goal",
    "review-queue-and-deadlines",
    "rising-issues-explained",
    "points-and-badges",
)
HELPFUL_COMMENTS = (
    "The side-by-side examples made it click.",
    "Clear and short, thank you.",
    "Exactly what I needed before answering a one-star review.",
    "Good checklist, I printed it for the team.",
)
BUYER_HELPFUL_COMMENTS = (
    "Clear and short, thank you.",
    "Answered my question in a minute.",
    "Easy to follow on my phone.",
)
UNHELPFUL_COMMENTS = (
    "I would like an example for a food product.",
    "Please add how this works on the phone.",
    "Too long; a summary at the top would help.",
)


@dataclass(frozen=True)
class KnowledgeReport:
    articles: int
    categories: int
    views: int
    readers: int
    votes: int
    comments: int


def load_demo_knowledge(*, seed: int, now: datetime) -> KnowledgeReport:
    loaded = loading.load_content()
    if not ArticleView.objects.exists():
        _history(random.Random(seed), now)
    return KnowledgeReport(
        articles=Article.objects.filter(published=True).count(),
        categories=loaded.categories,
        views=sum(ArticleView.objects.values_list("count", flat=True)),
        readers=ArticleView.objects.exclude(user=None).values("user").distinct().count(),
        votes=Feedback.objects.count(),
        comments=Feedback.objects.exclude(comment="").count(),
    )


def _moment(rng: random.Random, now: datetime) -> datetime:
    """A past moment, recent days more likely (the knowledge base is growing)."""
    return now - timedelta(days=HISTORY_DAYS * rng.random() ** 1.5, minutes=rng.randrange(600))


def _read(rng, person, articles, favourites, now, praise=HELPFUL_COMMENTS) -> None:
    for _ in range(rng.randint(1, 8)):
        pool = favourites if favourites and rng.random() < 0.7 else articles
        article = rng.choice(pool)
        at = _moment(rng, now)
        for _ in range(rng.choice((1, 1, 1, 2))):
            services.record_view(article=article, user=person, now=at)
        if person is not None and rng.random() < VOTE_SHARE:
            helpful = rng.random() < HELPFUL_SHARE
            comments = praise if helpful else UNHELPFUL_COMMENTS
            comment = rng.choice(comments) if rng.random() < COMMENT_SHARE else ""
            services.give_feedback(
                user=person, article=article, helpful=helpful, comment=comment, now=at
            )


def _history(rng: random.Random, now: datetime) -> None:
    articles = list(
        Article.objects.filter(published=True).select_related("category").order_by("slug")
    )
    if not articles:
        return
    by_slug = {article.slug: article for article in articles}
    favourites = [by_slug[slug] for slug in SELLER_FAVOURITES if slug in by_slug]
    for_buyers = [article for article in articles if article.category.slug == BUYER_TOPIC]
    sellers = list(
        User.objects.filter(
            pk__in=StoreMembership.objects.values("user_id"), is_active=True
        ).order_by("pk")
    )
    for person in sellers:
        if rng.random() < SELLER_READ_SHARE:
            _read(rng, person, articles, favourites, now)
    buyers = User.objects.filter(memberships__isnull=True, is_staff=False, is_active=True)
    for person in buyers.order_by("pk")[:BUYER_READERS]:
        _read(rng, person, for_buyers or articles, [], now, BUYER_HELPFUL_COMMENTS)
    for _ in range(ANONYMOUS_VIEWS):
        services.record_view(article=rng.choice(articles), user=None, now=_moment(rng, now))
