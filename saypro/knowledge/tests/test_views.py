"""The help-centre pages for every role, feedback through the web, the office pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from saypro.knowledge import selectors, services, views
from saypro.knowledge.models import Article, ArticleView, Feedback
from saypro.notifications.models import NotificationSettings

pytestmark = pytest.mark.django_db

ROLES = ["buyer", "seller", "agent", "staff"]


def _login(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))


@pytest.mark.parametrize("who", ["anonymous", *ROLES])
@pytest.mark.parametrize("slug", ["quick-replies-guide", "returns-and-refunds"])  # seller, buyer
def test_anyone_reads_the_help_centre(client, request, who, slug, articles):
    _login(client, request, who)
    article = Article.objects.get(slug=slug)
    for url in (
        reverse("knowledge:hub"),
        reverse("knowledge:category", args=[article.category.slug]),
        reverse("knowledge:search") + "?q=quick+replies",
        reverse("knowledge:search"),
        article.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert ArticleView.objects.get(article=article).count == 1


@pytest.mark.parametrize("who", ["anonymous", "buyer"])
def test_the_help_centre_says_how_to_reach_the_office(client, request, who, settings):
    settings.SUPPORT_EMAIL = "help@market.example"
    _login(client, request, who)
    page = client.get(reverse("knowledge:hub")).content.decode()
    assert '<a href="mailto:help@market.example">help@market.example</a>' in page
    support = f', or see <a href="{reverse("support:mine")}">Support</a>.'
    assert (support in page) == (who != "anonymous")
    # The seller-education sections (courses, webinars…) are not offered to a buyer.
    assert 'aria-label="Seller education"' not in page


def test_sellers_and_staff_see_the_seller_education_sections(client, seller, staff):
    for person in (seller, staff):
        client.force_login(person)
        page = client.get(reverse("knowledge:hub")).content.decode()
        assert 'aria-label="Seller education"' in page
        assert f'href="{reverse("academy:catalog")}"' in page


def test_a_buyer_finds_the_buying_topic_first_with_its_guides(client, buyer, articles):
    client.force_login(buyer)
    page = client.get(reverse("knowledge:hub")).content.decode()
    guides = Article.objects.filter(category__slug="buying", published=True)
    assert guides.count() >= 4
    assert all(guide.get_absolute_url() in page for guide in guides)
    assert page.index("Buying on SayPro") < page.index("Review management")
    [first] = selectors.search("cancel order")[:1]
    assert first.article.slug == "following-and-cancelling-an-order"


@pytest.mark.parametrize(
    ("who", "sees_seller_articles"),
    [("anonymous", False), ("buyer", False), ("seller", True), ("agent", True), ("staff", True)],
)
def test_popular_articles_suit_the_reader(
    client, request, who, sees_seller_articles, buyer, seller, articles
):
    rising = Article.objects.get(slug="rising-issues-explained")  # for sellers
    returns = Article.objects.get(slug="returns-and-refunds")  # for buyers
    for _ in range(3):
        services.record_view(article=rising, user=seller)
    services.record_view(article=returns, user=buyer)
    _login(client, request, who)
    page = client.get(reverse("knowledge:hub")).content.decode()
    start = page.index('id="popular-heading"')
    popular = page[start : page.index("</section>", start)]
    assert returns.get_absolute_url() in popular
    assert (rising.get_absolute_url() in popular) is sees_seller_articles


def test_article_page_shows_date_kind_and_related(client, articles):
    article = Article.objects.get(slug="quick-replies-guide")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Last updated" in page and article.updated_on.strftime("%Y") in page
    assert article.get_kind_display() in page
    for related in article.related.all():
        assert related.get_absolute_url() in page
    assert "Log in to rate" in page


def test_search_page_highlights(client, articles):
    page = client.get(reverse("knowledge:search"), {"q": "quiet hours"}).content.decode()
    assert "<mark>" in page and "quiet-hours-and-digests" in page


def test_search_counts_every_match_and_pages_through_them_in_rank_order(client, articles):
    url = reverse("knowledge:search")
    matches = selectors.search("review")
    assert matches.count() > 2 * views.SEARCH_PAGE_SIZE  # nearly every article mentions it
    first = client.get(url, {"q": "review"})
    html = first.content.decode()
    assert f"{matches.count()} articles for “review”" in html
    assert 'href="?q=review&amp;page=2"' in html
    slugs = []
    for number in range(1, first.context["page"].paginator.num_pages + 1):
        page = client.get(url, {"q": "review", "page": number}).context["page"]
        assert len(page) <= views.SEARCH_PAGE_SIZE
        slugs += [result.article.slug for result in page]
    assert slugs == [result.article.slug for result in matches]  # each once, none skipped


def test_unpublished_article_is_404_for_readers_but_office_can_check_it(
    client, seller, staff, articles
):
    article = Article.objects.get(slug="badges-faq")
    Article.objects.filter(pk=article.pk).update(published=False)
    client.force_login(seller)
    assert client.get(article.get_absolute_url()).status_code == 404
    client.force_login(staff)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert not ArticleView.objects.exists()


def test_a_seller_votes_then_comments_then_changes_the_vote(client, seller, articles):
    article = Article.objects.get(slug="quick-replies-guide")
    url = reverse("knowledge:feedback", args=[article.slug])
    client.force_login(seller)
    response = client.post(url, {"helpful": "yes"})
    assert response.status_code == 302
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Thank you for your feedback" in page
    client.post(url, {"helpful": "yes", "comment": "Add an example for sizes."})
    client.post(url, {"helpful": "no"})
    feedback = Feedback.objects.get()
    assert (feedback.helpful, feedback.comment) == (False, "Add an example for sizes.")


def test_anonymous_votes_are_refused(client, articles):
    article = Article.objects.get(slug="quick-replies-guide")
    response = client.post(reverse("knowledge:feedback", args=[article.slug]), {"helpful": "yes"})
    assert response.status_code == 401
    assert not Feedback.objects.exists()


def test_a_long_comment_is_refused(client, seller, articles):
    article = Article.objects.get(slug="quick-replies-guide")
    client.force_login(seller)
    response = client.post(
        reverse("knowledge:feedback", args=[article.slug]), {"helpful": "no", "comment": "x" * 1001}
    )
    assert response.status_code == 400
    assert not Feedback.objects.exists()


# --- Office ----------------------------------------------------------------------------------


def office_urls(article):
    return [
        reverse("office_knowledge:list"),
        reverse("office_knowledge:new"),
        reverse("office_knowledge:edit", args=[article.pk]),
        reverse("office_knowledge:comments", args=[article.pk]),
    ]


def test_office_pages_open_for_office_staff(client, staff, articles):
    client.force_login(staff)
    for url in office_urls(Article.objects.first()):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["buyer", "seller", "agent"])
def test_office_pages_are_forbidden_to_others(client, request, who, articles):
    client.force_login(request.getfixturevalue(who))
    article = Article.objects.get(slug="badges-faq")
    for url in office_urls(article):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("office_knowledge:publish", args=[article.pk]))
    assert response.status_code == 403
    response = client.post(
        reverse("office_knowledge:edit", args=[article.pk]),
        {"title": "Hacked", "summary": "x", "body": "x", "category": article.category_id,
         "kind": "guide"},
    )  # fmt: skip
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.published and article.title != "Hacked"


def test_anonymous_people_are_sent_to_log_in(client, articles):
    for url in office_urls(Article.objects.first()):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_office_creates_previews_edits_and_unpublishes(client, staff, articles):
    client.force_login(staff)
    article = Article.objects.get(slug="badges-faq")
    data = {
        "title": "Photos that sell",
        "slug": "photos-that-sell",
        "summary": "Take product photos buyers trust.",
        "category": article.category_id,
        "kind": "video",
        "video_url": "https://videos.example.test/photos",
        "body": "## Light\n\nUse **daylight**.",
        "tags": "Photos, listing",
        "coach_guideline": "",
        "related": [article.pk],
    }
    preview = client.post(reverse("office_knowledge:new"), {**data, "action": "preview"})
    assert "<strong>daylight</strong>" in preview.content.decode()
    assert not Article.objects.filter(slug="photos-that-sell").exists()
    assert client.post(reverse("office_knowledge:new"), data).status_code == 302
    created = Article.objects.get(slug="photos-that-sell")
    assert created.edited_by_office and created.published and created.tags == "photos, listing"
    assert list(created.related.all()) == [article]
    del data["slug"]
    data["title"] = "Photos that sell, 2026"
    client.post(reverse("office_knowledge:edit", args=[created.pk]), data)
    created.refresh_from_db()
    assert created.title == "Photos that sell, 2026"
    client.post(reverse("office_knowledge:publish", args=[created.pk]), {"published": "0"})
    created.refresh_from_db()
    assert not created.published
    listing = client.get(reverse("office_knowledge:list")).content.decode()
    assert "Photos that sell, 2026" in listing and "Unpublished" in listing


def test_office_refusal_shows_next_to_the_field(client, staff, articles):
    client.force_login(staff)
    taken = Article.objects.get(coach_guideline="empathy")
    other = Article.objects.get(slug="badges-faq")
    data = {
        "title": other.title, "summary": other.summary, "body": other.body,
        "category": other.category_id, "kind": other.kind, "coach_guideline": "empathy",
    }  # fmt: skip
    response = client.post(reverse("office_knowledge:edit", args=[other.pk]), data)
    assert response.status_code == 400
    assert taken.title in response.content.decode()
    other.refresh_from_db()
    assert other.coach_guideline == "" and not other.edited_by_office


@pytest.mark.parametrize("value", [None, "", "banana", "true"])
def test_a_tampered_publish_value_is_refused_and_changes_nothing(client, staff, articles, value):
    client.force_login(staff)
    article = Article.objects.get(slug="badges-faq")
    before = article.updated_at

    data = {} if value is None else {"published": value}
    response = client.post(reverse("office_knowledge:publish", args=[article.pk]), data)

    assert response.status_code == 400
    assert "Choose Publish or Unpublish." in response.content.decode()
    article.refresh_from_db()
    assert article.published and article.updated_at == before


def test_office_reads_comments_in_its_own_time_zone(client, staff, seller, articles):
    article = Article.objects.get(slug="badges-faq")
    at = datetime(2026, 11, 2, 8, 30, tzinfo=ZoneInfo("UTC"))
    services.give_feedback(
        user=seller, article=article, helpful=False, comment="<b>Too</b> long", now=at
    )
    NotificationSettings.objects.create(user=staff, time_zone="America/New_York")
    client.force_login(staff)
    page = client.get(reverse("office_knowledge:comments", args=[article.pk])).content.decode()
    assert "&lt;b&gt;Too&lt;/b&gt; long" in page and "Not helpful" in page
    assert "2 Nov 2026, 03:30" in page and "America/New_York" in page


def test_a_shipped_video_tutorial_plays_on_its_page_with_captions(client, articles):
    article = Article.objects.get(slug="answer-a-review-with-the-coach")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<video controls" in html
    files = "/static/knowledge/tutorials/answer-a-review-with-the-coach"
    assert f'<source src="{files}.webm" type="video/webm">' in html
    assert f'<track kind="captions" src="{files}.vtt" srclang="en" label="English" default>' in html
    assert "Video tutorial" in html and "What you see in the video" in html
    assert "<iframe" not in html


@pytest.mark.parametrize(
    ("address", "player"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
    ],
)  # fmt: skip
def test_an_office_video_address_plays_in_a_privacy_friendly_player(
    client, staff, articles, address, player
):
    article = Article.objects.get(slug="answer-a-review-with-the-coach")
    services.update_article(
        staff=staff,
        article=article,
        data=services.ArticleInput(
            title=article.title,
            summary=article.summary,
            body=article.body,
            category=article.category,
            kind=article.kind,
            video_url=address,
        ),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<iframe src="{player}"' in html
    assert f'href="{address}"' in html
    assert "<video" not in html


def test_another_video_address_is_a_link(client, staff, articles):
    category = Article.objects.get(slug="badges-faq").category
    article = services.create_article(
        staff=staff,
        data=services.ArticleInput(
            title="Photos that sell",
            slug="photos-that-sell",
            summary="Take product photos buyers trust.",
            body="Use daylight.",
            category=category,
            kind="video",
            video_url="https://videos.example.test/photos",
        ),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="https://videos.example.test/photos"' in html and "Watch the video" in html
    assert "<iframe" not in html and "<video" not in html
