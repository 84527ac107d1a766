"""The read-only knowledge-base API: list, search with highlights, one article."""

from datetime import date

import pytest
from django.test import Client

from saypro.core.testing import assert_error
from saypro.knowledge.models import Article, Category

pytestmark = pytest.mark.django_db
API = "/api/v1/help/articles"


def test_anyone_lists_published_articles(articles):
    Article.objects.filter(slug="badges-faq").update(published=False)
    response = Client().get(API, {"limit": 100})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 47 == len(body["items"])  # 45 articles and 3 videos, one hidden
    assert "badges-faq" not in [item["slug"] for item in body["items"]]
    assert body["items"][0]["title_html"] is None


def test_search_returns_escaped_highlights(articles):
    body = Client().get(API, {"q": "quick replies set-up", "limit": 3}).json()
    first = body["items"][0]
    assert first["slug"] == "quick-replies-guide" and "<mark>" in first["title_html"]
    assert len(body["items"]) <= 3 <= body["count"]


def test_search_pages_through_more_than_a_hundred_matches(articles):
    reviews = Category.objects.get(slug="reviews")
    Article.objects.bulk_create(
        Article(
            slug=f"review-tip-{number}",
            title=f"Review tip {number}",
            summary="One more tip on reviews.",
            body="A review tip.",
            search_text="A review tip.",
            category=reviews,
            updated_on=date(2026, 1, 1),
        )
        for number in range(60)
    )
    first = Client().get(API, {"q": "review", "limit": 100}).json()
    rest = Client().get(API, {"q": "review", "limit": 100, "offset": 100}).json()
    assert first["count"] == rest["count"] > 100
    slugs = [item["slug"] for item in first["items"] + rest["items"]]
    assert len(slugs) == len(set(slugs)) == first["count"]


@pytest.mark.parametrize("query", ['"', "-", "AND", "*", "\u00e9"])
def test_odd_searches_answer(articles, query):
    assert Client().get(API, {"q": query}).status_code == 200


def test_one_article_with_its_body_and_related(articles):
    body = Client().get(f"{API}/quick-replies-guide").json()
    assert body["body"].startswith("#") or body["body"]
    assert "<h2>" in body["body_html"] and "<script" not in body["body_html"]
    article = Article.objects.get(slug="quick-replies-guide")
    assert {r["slug"] for r in body["related"]} == set(
        article.related.values_list("slug", flat=True)
    )

    assert (body["video_file_url"], body["captions_url"]) == ("", "")


def test_a_video_tutorial_gives_its_video_and_captions(articles):
    body = Client().get(f"{API}/quick-replies-and-product-cards-in-the-inbox").json()
    assert body["kind"] == "video" and body["video_url"] == ""
    folder = "/static/knowledge/tutorials/quick-replies-and-product-cards-in-the-inbox"
    assert (body["video_file_url"], body["captions_url"]) == (f"{folder}.webm", f"{folder}.vtt")


def test_an_unknown_or_unpublished_article_is_404(articles):
    assert_error(Client().get(f"{API}/no-such-thing"), 404, "not_found")
    Article.objects.filter(slug="badges-faq").update(published=False)
    assert_error(Client().get(f"{API}/badges-faq"), 404, "not_found")
