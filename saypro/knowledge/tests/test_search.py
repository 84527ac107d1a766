"""Full-text search: ranking, highlighting, escaping and odd queries (SQLite and PostgreSQL)."""

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saypro.knowledge import selectors, services
from saypro.knowledge.models import Article, Category

pytestmark = pytest.mark.django_db


def test_search_finds_and_highlights_matches(articles):
    results = selectors.search("quick replies")[:2]
    assert {result.article.slug for result in results} == {
        "quick-replies-guide",
        "quick-replies-and-product-cards-in-the-inbox",  # the video tutorial
    }
    assert "<mark>" in results[0].title_html
    assert "<mark>" in results[0].snippet_html


def test_search_stems_words(articles):
    slugs = [result.article.slug for result in selectors.search("reply")]
    assert "quick-replies-guide" in slugs


def test_a_script_in_an_article_cannot_get_through(staff, articles):
    category = Category.objects.first()
    services.create_article(
        staff=staff,
        data=services.ArticleInput(
            slug="sneaky",
            title="<script>alert(1)</script> Zebracorn refunds",
            summary="About <b>zebracorn</b> refunds",
            body="Zebracorn <script>alert('x')</script> text &amp; <img src=x onerror=alert(2)>",
            category=category,
        ),
    )
    [result] = selectors.search("zebracorn")
    for html in (result.title_html, result.snippet_html):
        assert "<script" not in html and "<img" not in html and "<b>" not in html
        assert "<mark>" in html
    assert "&lt;script&gt;" in result.title_html


@pytest.mark.parametrize(
    "query",
    ["", "   ", "-", '"', '""', '"quick replies', "AND", "OR NOT", "*", "a*b", "NEAR(", "()", "^",
     "quick AND replies", "coach -empathy", "'", ";--", "é", "🙂", "x" * 500],
)  # fmt: skip
def test_odd_queries_do_not_fail(articles, query):
    results = selectors.search(query)
    assert len(results[:20]) == min(results.count(), 20)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_any_query_is_answered_safely(articles, query):
    for result in selectors.search(query)[:5]:
        stripped = str(result.title_html).replace("<mark>", "").replace("</mark>", "")
        assert "<" not in stripped


def test_a_phrase_must_appear_together(articles):
    [first] = selectors.search('"quiet hours"')[:1]
    assert first.article.slug == "quiet-hours-and-digests"


def test_any_word_is_enough_when_no_article_has_them_all(articles):
    assert selectors.search("zzzunknownword badges")


def test_unpublished_articles_are_not_found(staff, articles):
    article = Article.objects.get(slug="quick-replies-guide")
    services.set_published(staff=staff, article=article, published=False)
    assert "quick-replies-guide" not in [r.article.slug for r in selectors.search("quick replies")]


def test_an_office_edit_is_searchable_at_once(staff, articles):
    article = Article.objects.get(slug="badges-faq")
    data = services.ArticleInput(
        title=article.title,
        summary=article.summary,
        body=article.body + "\n\nPlatypus collectors get a special badge.",
        category=article.category,
        kind=article.kind,
    )
    services.update_article(staff=staff, article=article, data=data)
    [result] = selectors.search("platypus")
    assert result.article == article
    assert "<mark>Platypus</mark>" in result.snippet_html


def test_engine_in_use():
    assert connection.vendor in ("sqlite", "postgresql")


def test_a_minus_word_excludes_articles(articles):
    with_positive = [r.article.slug for r in selectors.search("answering reviews")]
    assert "answering-positive-reviews" in with_positive
    without = [r.article.slug for r in selectors.search("answering reviews -positive")]
    assert without and "answering-positive-reviews" not in without
    assert not selectors.search("-positive")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite engine (FTS5)")
def test_sqlite_keeps_the_fts5_index_in_step(staff, articles):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM knowledge_article_fts")
        assert cursor.fetchone()[0] == Article.objects.count()
    Article.objects.filter(slug="badges-faq").delete()
    assert "badges-faq" not in [r.article.slug for r in selectors.search("badges")]
    assert [r.article.slug for r in selectors.search("repl")][:1] == ["quick-replies-guide"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL engine")
def test_postgresql_stems_and_highlights_with_ts_headline(articles):
    [first, *_] = selectors.search("answered negatively")
    assert "<mark>" in first.title_html or "<mark>" in first.snippet_html
    assert not selectors.search("the")  # only a stop word: an empty query, not an error
