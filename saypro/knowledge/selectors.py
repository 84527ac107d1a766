"""Reads for the knowledge base: the hub, articles, full-text search, the office's list,
in-context links and the engagement figures the KPI work measures.

Search uses the database's own full-text engine behind one function,
``search(query)``, whose matches are counted and read a page at a time:
SQLite's FTS5 table (migration 0002, ranked with ``bm25``, cut with
``highlight()``/``snippet()``) or PostgreSQL's ``websearch_to_tsquery`` with
``ts_rank`` and ``ts_headline``. Either way
the engine wraps matches in private-use markers; the text is HTML-escaped
first and only then are the markers turned into ``<mark>``, so nothing an
article contains can become markup in a result.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from saypro.accounts.models import User
from saypro.catalog.models import StoreMembership
from saypro.catalog.selectors import is_seller_or_office
from saypro.knowledge.models import Article, ArticleView, Category, Feedback
from saypro.knowledge.text import MARK_END, MARK_START

QUERY_MAX_LENGTH = 200
MAX_TERMS = 8
WORD = re.compile(r"\w+")
PHRASE = re.compile(r'"([^"]*)"')
EXCLUDED = re.compile(r"(?:^|(?<=\s))-\w+")
POPULAR_DAYS = 90
BUYER_TOPIC = "buying"  # the category slug of the buyers' articles
PG_CONFIG = "english"


def published() -> QuerySet[Article]:
    return Article.objects.filter(published=True).select_related("category")


def hub() -> list[Category]:
    """Categories in order, each with ``published_articles``; empty categories left out."""
    categories = Category.objects.prefetch_related(
        Prefetch("articles", queryset=published().order_by("title"), to_attr="published_articles")
    )
    return [category for category in categories if category.published_articles]


def category_for(slug: str) -> Category | None:
    return (
        Category.objects.filter(slug=slug)
        .prefetch_related(
            Prefetch(
                "articles", queryset=published().order_by("title"), to_attr="published_articles"
            )
        )
        .first()
    )


def article_for(user: User, slug: str) -> Article | None:
    """A published article; office staff also see unpublished ones (to check them)."""
    articles = Article.objects.select_related("category")
    if not (user.is_authenticated and user.is_office_staff):
        articles = articles.filter(published=True)
    return articles.filter(slug=slug).first()


def related_to(article: Article, *, limit: int = 5) -> list[Article]:
    """The article's published related articles, or else others from its category."""
    related = list(article.related.filter(published=True).select_related("category")[:limit])
    if related:
        return related
    return list(
        published().filter(category=article.category_id).exclude(pk=article.pk)[: min(limit, 3)]
    )


def popular(user: User, *, limit: int = 5, now: datetime | None = None) -> list[Article]:
    """The most-read published articles of the last 90 days (``recent_views`` set).

    Sellers and office staff get the most read of all; everyone else (buyers,
    anonymous readers) the most read of the buyers' topic.
    """
    since = timezone.localdate(now or timezone.now()) - timedelta(days=POPULAR_DAYS)
    articles = published()
    if not is_seller_or_office(user):
        articles = articles.filter(category__slug=BUYER_TOPIC)
    return list(
        articles.annotate(recent_views=Sum("views__count", filter=Q(views__day__gte=since)))
        .filter(recent_views__gt=0)
        .order_by("-recent_views", "title")[:limit]
    )


def feedback_of(user: User, article: Article) -> Feedback | None:
    if not user.is_authenticated:
        return None
    return Feedback.objects.filter(user=user, article=article).first()


# --- Search ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    article: Article
    title_html: SafeString  # the title, escaped, with matches in <mark>
    snippet_html: SafeString  # a passage of the text (or the summary), the same way


def marked(text: str) -> SafeString:
    """Engine output as safe HTML: everything escaped, then the match markers → <mark>."""
    html = str(escape(text or ""))
    return mark_safe(html.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


@dataclass(frozen=True)
class _Terms:
    phrases: list[list[str]]  # "quoted words", each a list of words
    words: list[str]
    excluded: list[str]  # -word

    @property
    def required(self) -> int:
        return len(self.phrases) + len(self.words)


def _terms(query: str) -> _Terms:
    """The query's phrases, words and excluded words, lower-case, at most MAX_TERMS in all."""
    phrases = [words for part in PHRASE.findall(query) if (words := WORD.findall(part.lower()))]
    rest = PHRASE.sub(" ", query).lower()
    excluded = [word for token in EXCLUDED.findall(rest) for word in WORD.findall(token)]
    words = WORD.findall(EXCLUDED.sub(" ", rest))
    phrases = phrases[:MAX_TERMS]
    words = words[: MAX_TERMS - len(phrases)]
    return _Terms(phrases, words, excluded[: max(0, MAX_TERMS - len(phrases) - len(words))])


def search(query: str) -> "SearchResults":
    """Published articles matching ``query``, best first (see ``SearchResults``).

    Every word must appear (each a word prefix on SQLite, a stemmed word on
    PostgreSQL); "quoted words" must appear together; a -word must not
    appear. When no article has every word, articles with any of them are
    returned. Other operators and punctuation are ignored, so no query is an
    error; a query without a word to look for finds nothing.
    """
    return SearchResults(_terms((query or "")[:QUERY_MAX_LENGTH]))


class SearchResults:
    """Every match of a search, read a window at a time: ``count()`` and slices of
    ``SearchResult`` (all a ``Paginator`` needs); iterating reads every match.

    Ties in rank are broken by title and id, so pages neither overlap nor skip.
    """

    def __init__(self, terms: _Terms):
        self._engine = _PostgreSQL if connection.vendor == "postgresql" else _SQLite
        self._attempts = self._engine.attempts(terms) if terms.required else []

    @cached_property
    def _found(self) -> tuple[object, int]:
        """The first attempt (every word, then any word) that finds articles, and how many."""
        for attempt in self._attempts:
            if found := self._engine.count(attempt):
                return attempt, found
        return None, 0

    def count(self) -> int:
        return self._found[1]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[SearchResult]:
        attempt, found = self._found
        start, stop, _ = window.indices(found)
        if start >= stop:
            return []
        return _results(self._engine.rows(attempt, offset=start, limit=stop - start))

    def __iter__(self) -> Iterator[SearchResult]:
        return iter(self[:])


class _SQLite:
    """FTS5: ``MATCH`` expressions, ranked with ``bm25``, cut with highlight()/snippet()."""

    MATCHING = (
        "FROM knowledge_article_fts "
        "JOIN knowledge_article ON knowledge_article.id = knowledge_article_fts.rowid "
        "WHERE knowledge_article_fts MATCH %s AND knowledge_article.published"
    )
    COUNT = f"SELECT count(*) {MATCHING}"
    ROWS = (
        "SELECT knowledge_article.id, "
        "highlight(knowledge_article_fts, 0, %s, %s), "
        "snippet(knowledge_article_fts, 2, %s, %s, '…', 28), "
        "highlight(knowledge_article_fts, 1, %s, %s) "
        f"{MATCHING} "
        "ORDER BY bm25(knowledge_article_fts, 10.0, 4.0, 1.0, 6.0), "
        "knowledge_article.title, knowledge_article.id LIMIT %s OFFSET %s"
    )

    @staticmethod
    def attempts(terms: _Terms) -> list[str]:
        wanted = [f'"{" ".join(phrase)}"' for phrase in terms.phrases]
        wanted += [f'"{word}"*' for word in terms.words]
        attempts = [" ".join(wanted)] + ([" OR ".join(wanted)] if len(wanted) > 1 else [])
        if terms.excluded:
            unwanted = " OR ".join(f'"{word}"' for word in terms.excluded)
            attempts = [f"({match}) NOT ({unwanted})" for match in attempts]
        return attempts

    @classmethod
    def count(cls, match: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(cls.COUNT, [match])
            return cursor.fetchone()[0]

    @classmethod
    def rows(cls, match: str, *, offset: int, limit: int) -> list[tuple[int, str, str, str]]:
        """(id, title, passage, summary) of each match in the window, best first."""
        with connection.cursor() as cursor:
            cursor.execute(cls.ROWS, [*[MARK_START, MARK_END] * 3, match, limit, offset])
            return cursor.fetchall()


class _PostgreSQL:
    """``websearch_to_tsquery`` on a weighted vector, ranked with ``ts_rank``, cut with
    ``ts_headline``."""

    VECTOR = (
        SearchVector("title", weight="A", config=PG_CONFIG)
        + SearchVector("summary", "tags", weight="B", config=PG_CONFIG)
        + SearchVector("search_text", weight="C", config=PG_CONFIG)
    )
    MARKS = {"config": PG_CONFIG, "start_sel": MARK_START, "stop_sel": MARK_END}

    @staticmethod
    def attempts(terms: _Terms) -> list[SearchQuery]:
        wanted = [f'"{" ".join(phrase)}"' for phrase in terms.phrases] + terms.words
        unwanted = "".join(f" -{word}" for word in terms.excluded)
        texts = [" ".join(wanted)] + ([" or ".join(wanted)] if len(wanted) > 1 else [])
        return [
            SearchQuery(text + unwanted, search_type="websearch", config=PG_CONFIG)
            for text in texts
        ]

    @classmethod
    def _matching(cls, query: SearchQuery) -> QuerySet[Article]:
        return (
            Article.objects.filter(published=True)
            .annotate(document=cls.VECTOR)
            .filter(document=query)
        )

    @classmethod
    def count(cls, query: SearchQuery) -> int:
        return cls._matching(query).count()

    @classmethod
    def rows(
        cls, query: SearchQuery, *, offset: int, limit: int
    ) -> list[tuple[int, str, str, str]]:
        """(id, title, passage, summary) of each match in the window, best first."""
        marks = cls.MARKS
        return list(
            cls._matching(query)
            .annotate(
                rank=SearchRank(cls.VECTOR, query),
                title_marked=SearchHeadline("title", query, highlight_all=True, **marks),
                summary_marked=SearchHeadline("summary", query, highlight_all=True, **marks),
                snippet_marked=SearchHeadline(
                    "search_text",
                    query,
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **marks,
                ),
            )
            .order_by("-rank", "title", "pk")
            .values_list("pk", "title_marked", "snippet_marked", "summary_marked")[
                offset : offset + limit
            ]
        )


def _results(rows: list[tuple[int, str, str, str]]) -> list[SearchResult]:
    """Results in ``rows``' order; the passage is the summary when the body has no match."""
    articles = published().in_bulk([row[0] for row in rows])
    results = []
    for pk, title, snippet, summary in rows:
        passage = snippet if MARK_START in snippet else summary
        results.append(SearchResult(articles[pk], marked(title), marked(passage)))
    return results


# --- In-context links ------------------------------------------------------------------------


# Coach panels and empty states are on many pages: the few facts they need about
# published articles are cached, and every write to an article drops the cache
# (``services.forget_links``). Without Redis each process caches for itself, so a
# change reaches other processes within LINKS_TIMEOUT seconds.
LINKS_CACHE_KEY = "knowledge:links:v1"
LINKS_TIMEOUT = 300


@dataclass(frozen=True)
class Link:
    title: str
    url: str


def _links() -> dict:
    links = cache.get(LINKS_CACHE_KEY)
    if links is None:
        rows = Article.objects.filter(published=True).values_list(
            "slug", "title", "coach_guideline"
        )
        by_slug, by_guideline = {}, {}
        for slug, title, guideline in rows:
            by_slug[slug] = Link(title, Article(slug=slug).get_absolute_url())
            if guideline:
                by_guideline[guideline] = by_slug[slug].url
        links = {"slugs": by_slug, "guidelines": by_guideline}
        cache.set(LINKS_CACHE_KEY, links, LINKS_TIMEOUT)
    return links


def guideline_article_urls() -> dict[str, str]:
    """``{coach guideline key: article URL}`` for every published article explaining one."""
    return _links()["guidelines"]


def link_for(slug: str) -> Link | None:
    """The article an empty state points at, if it is published (else no link is shown)."""
    return _links()["slugs"].get(slug)


# --- The office ------------------------------------------------------------------------------


def office_articles(*, query: str = "") -> list[Article]:
    """Every article with ``view_count``, ``vote_count``, ``helpful_count``, ``comment_count``
    and ``helpful_percent`` (None without votes), by category and title."""
    articles = Article.objects.select_related("category").order_by("category__order", "title")
    if query:
        articles = articles.filter(Q(title__icontains=query) | Q(slug__icontains=query))
    views = dict(
        ArticleView.objects.values("article")
        .annotate(total=Sum("count"))
        .values_list("article", "total")
    )
    votes = {
        row["article"]: row
        for row in Feedback.objects.values("article").annotate(
            votes=Count("pk"),
            helpful=Count("pk", filter=Q(helpful=True)),
            comments=Count("pk", filter=~Q(comment="")),
        )
    }
    rows = list(articles)
    for article in rows:
        counts = votes.get(article.pk, {})
        article.view_count = views.get(article.pk, 0)
        article.vote_count = counts.get("votes", 0)
        article.helpful_count = counts.get("helpful", 0)
        article.comment_count = counts.get("comments", 0)
        article.helpful_percent = (
            round(100 * article.helpful_count / article.vote_count) if article.vote_count else None
        )
    return rows


def comments_on(article: Article) -> QuerySet[Feedback]:
    """Votes that came with a comment, newest first."""
    return article.feedback.exclude(comment="").select_related("user").order_by("-updated_at")


# --- Engagement (the KPI work) ---------------------------------------------------------------


@dataclass(frozen=True)
class ArticleEngagement:
    article_id: int
    slug: str
    title: str
    views: int
    readers: int
    votes: int
    helpful: int


@dataclass(frozen=True)
class Engagement:
    """Knowledge-base use from ``start`` (inclusive) to ``end`` (exclusive), marketplace days.

    ``views`` counts every opening (anonymous ones too); ``readers`` the
    distinct logged-in people, ``seller_readers`` those of them in a store;
    ``votes`` the "was this helpful?" answers given or changed in the period.
    """

    start: date
    end: date
    views: int
    readers: int
    seller_readers: int
    votes: int
    helpful: int
    articles: list[ArticleEngagement] = field(default_factory=list)

    @property
    def helpful_share(self) -> float | None:
        return self.helpful / self.votes if self.votes else None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def seller_readers(start: date, end: date) -> QuerySet:
    """The ids of store members who read an article on a day in ``[start, end)``."""
    readers = ArticleView.objects.filter(day__gte=start, day__lt=end).exclude(user=None)
    return (
        StoreMembership.objects.filter(user__in=readers.values("user"))
        .order_by()  # not the memberships' ordering: DISTINCT would join the stores for it
        .values_list("user", flat=True)
        .distinct()
    )


def engagement(start: date, end: date, *, per_article: bool = False) -> Engagement:
    views = ArticleView.objects.filter(day__gte=start, day__lt=end)
    votes = Feedback.objects.filter(
        updated_at__gte=_day_start(start), updated_at__lt=_day_start(end)
    )
    readers = views.exclude(user=None).values("user").distinct()
    sellers = seller_readers(start, end)
    vote_totals = votes.aggregate(all=Count("pk"), helpful=Count("pk", filter=Q(helpful=True)))
    articles = []
    if per_article:
        view_rows = {
            row["article"]: row
            for row in views.values("article").annotate(
                total=Sum("count"), people=Count("user", distinct=True)
            )
        }
        vote_rows = {
            row["article"]: row
            for row in votes.values("article").annotate(
                total=Count("pk"), yes=Count("pk", filter=Q(helpful=True))
            )
        }
        ids = set(view_rows) | set(vote_rows)
        for article in Article.objects.filter(pk__in=ids).order_by("title"):
            seen, voted = view_rows.get(article.pk, {}), vote_rows.get(article.pk, {})
            articles.append(
                ArticleEngagement(
                    article_id=article.pk,
                    slug=article.slug,
                    title=article.title,
                    views=seen.get("total", 0),
                    readers=seen.get("people", 0),
                    votes=voted.get("total", 0),
                    helpful=voted.get("yes", 0),
                )
            )
        articles.sort(key=lambda row: (-row.views, row.title))
    return Engagement(
        start=start,
        end=end,
        views=views.aggregate(total=Sum("count"))["total"] or 0,
        readers=readers.count(),
        seller_readers=sellers.count(),
        votes=vote_totals["all"],
        helpful=vote_totals["helpful"],
        articles=articles,
    )
