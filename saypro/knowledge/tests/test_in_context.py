"""Links into the knowledge base from coach findings (pages and API) and empty states."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from saypro.accounts.tests.factories import token_client
from saypro.coaching.results import Coaching, Finding
from saypro.knowledge import selectors, services
from saypro.knowledge.models import Article
from saypro.reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def _coaching(*verdicts: tuple[str, str]) -> Coaching:
    findings = tuple(
        Finding(
            guideline=key,
            label=key.title(),
            verdict=verdict,
            spans=(),
            reason="Because.",
            suggestion="Try this.",
        )
        for key, verdict in verdicts
    )
    return Coaching(findings=findings, score=50, suggested_answer="")


def test_every_coach_guideline_has_a_published_article(articles):
    urls = selectors.guideline_article_urls()
    assert set(urls) == {
        "empathy", "professionalism", "personalisation", "thanks", "no_defensiveness",
        "next_step", "timeliness", "clarity",
    }  # fmt: skip
    assert urls["empathy"] == reverse("knowledge:article", args=["coach-empathy"])


def test_a_coach_warning_links_to_its_article_in_one_query(articles, django_assert_num_queries):
    coaching = _coaching(("empathy", "warn"), ("no_defensiveness", "fail"), ("thanks", "pass"))
    with django_assert_num_queries(1):  # then none: the links are cached
        render_to_string("reviews/partials/findings.html", {"coaching": coaching, "draft": "Hello"})
    with django_assert_num_queries(0):
        html = render_to_string(
            "reviews/partials/findings.html", {"coaching": coaching, "draft": "Hello"}
        )
    assert html.count("Learn more") == 2
    assert reverse("knowledge:article", args=["coach-empathy"]) in html
    assert reverse("knowledge:article", args=["coach-no-defensiveness"]) in html
    assert reverse("knowledge:article", args=["coach-thanks"]) not in html  # it passed


def test_no_link_for_an_unpublished_article(staff, articles, django_capture_on_commit_callbacks):
    render_to_string(
        "reviews/partials/findings.html",
        {"coaching": _coaching(("empathy", "warn")), "draft": "Hello"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.set_published(
            staff=staff, article=Article.objects.get(coach_guideline="empathy"), published=False
        )
    html = render_to_string(
        "reviews/partials/findings.html",
        {"coaching": _coaching(("empathy", "warn")), "draft": "Hello"},
    )
    assert "Learn more" not in html


def test_the_coach_api_gives_each_finding_its_article(seller, product, articles):
    review = ReviewFactory(
        order_item__order__store=product.store, order_item__product=product, rating=2,
        body="The seams split after one wash.",
    )  # fmt: skip
    response = token_client(seller).post(
        "/api/v1/coach/review-response",
        {"review_id": review.pk, "draft": "You should have read the care label."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    findings = {row["guideline"]: row for row in response.json()["findings"]}
    assert findings["no_defensiveness"]["article_url"] == reverse(
        "knowledge:article", args=["coach-no-defensiveness"]
    )


def test_an_empty_state_links_to_its_guide_while_published(
    staff, articles, django_capture_on_commit_callbacks
):
    context = {"title": "Nothing here", "guide": "quick-replies-guide"}
    html = render_to_string("components/empty.html", context)
    assert "Read: Quick replies: set-up and variables" in html
    assert reverse("knowledge:article", args=["quick-replies-guide"]) in html
    with django_capture_on_commit_callbacks(execute=True):
        services.set_published(
            staff=staff, article=Article.objects.get(slug="quick-replies-guide"), published=False
        )
    assert "Read:" not in render_to_string("components/empty.html", context)
    assert "Read:" not in render_to_string("components/empty.html", {"guide": "no-such-article"})


def test_the_sellers_empty_pages_link_to_guides(client, seller, store, articles):
    client.force_login(seller)
    pages = {
        reverse("seller_inbox:quick_replies", args=[store.slug]): ["quick-replies-guide"],
        reverse("seller_inbox:inbox", args=[store.slug]): ["messaging-response-goal"],
        reverse("notifications:centre"): ["notification-types-and-channels"],
        reverse("seller:home", args=[store.slug]): ["answering-common-questions-faq"],
        reverse("webinars:mine"): ["about-seller-academy"],
        reverse("consultations:mine"): ["about-seller-academy"],
        reverse("support:mine"): ["reviews-faq"],
        reverse("insights:overview", args=[store.slug]): [
            "rising-issues-explained",
            "themes-explained",
            "seller-insights-page",
        ],
        reverse("insights:reviews", args=[store.slug]): ["understanding-sentiment"],
    }
    for url, slugs in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for slug in slugs:
            assert reverse("knowledge:article", args=[slug]) in html, (url, slug)
