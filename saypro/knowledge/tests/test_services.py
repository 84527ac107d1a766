"""Services: office permissions, article rules, views and helpful votes."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saypro.core.errors import NotAuthenticated, PermissionDenied, ValidationFailed
from saypro.knowledge import selectors, services
from saypro.knowledge.models import Article, ArticleView, Feedback

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Africa/Johannesburg")


@pytest.fixture
def article(articles):
    return Article.objects.get(slug="quick-replies-guide")


def _input(article, **changes):
    data = {
        "title": article.title, "summary": article.summary, "body": article.body,
        "category": article.category, "kind": article.kind,
    }  # fmt: skip
    return services.ArticleInput(**{**data, **changes})


@pytest.mark.parametrize("who", ["buyer", "seller", "agent"])
def test_only_office_staff_write_articles(request, who, article):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.update_article(staff=user, article=article, data=_input(article, title="X"))
    with pytest.raises(PermissionDenied):
        services.set_published(staff=user, article=article, published=False)
    with pytest.raises(PermissionDenied):
        services.create_article(staff=user, data=_input(article, slug="new-one"))
    article.refresh_from_db()
    assert article.published and article.title != "X" and not article.edited_by_office
    assert not Article.objects.filter(slug="new-one").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"summary": ""}, "summary"),
        ({"body": ""}, "body"),
        ({"kind": "poem"}, "kind"),
        ({"kind": "video"}, "video_url"),
        ({"video_url": "http://insecure.example"}, "video_url"),
        ({"coach_guideline": "empathy"}, "coach_guideline"),
        ({"coach_guideline": "charm"}, "coach_guideline"),
    ],
)
def test_bad_articles_are_refused_and_nothing_changes(staff, article, changes, field):
    with pytest.raises(ValidationFailed) as raised:
        services.update_article(staff=staff, article=article, data=_input(article, **changes))
    assert raised.value.details["field"] == field
    article.refresh_from_db()
    assert not article.edited_by_office


def test_a_shipped_tutorial_keeps_its_screencast_without_a_video_address(staff, articles):
    tutorial = Article.objects.get(slug="answer-a-review-with-the-coach")
    services.update_article(
        staff=staff, article=tutorial, data=_input(tutorial, title="Answering with the coach")
    )
    tutorial.refresh_from_db()
    assert tutorial.title == "Answering with the coach" and tutorial.edited_by_office
    assert tutorial.video_file.endswith("answer-a-review-with-the-coach.webm")


def test_an_article_cannot_be_related_to_itself(staff, article):
    with pytest.raises(ValidationFailed):
        services.update_article(
            staff=staff, article=article, data=_input(article, related=(article,))
        )


def test_a_new_article_needs_a_free_slug(staff, article):
    with pytest.raises(ValidationFailed):
        services.create_article(staff=staff, data=_input(article, slug=article.slug))
    with pytest.raises(ValidationFailed):
        services.create_article(staff=staff, data=_input(article, slug="Not A Slug"))


def test_an_office_edit_sets_the_last_updated_date(staff, article):
    now = datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC"))  # already 1 Dec locally
    services.update_article(staff=staff, article=article, data=_input(article), now=now)
    article.refresh_from_db()
    assert article.updated_on == date(2026, 12, 1) and article.edited_by_office


def test_views_are_counted_per_reader_and_day(seller, buyer, article):
    now = datetime(2026, 11, 2, 9, tzinfo=ZONE)
    for user in (seller, seller, buyer, None, None):
        services.record_view(article=article, user=user, now=now)
    services.record_view(article=article, user=seller, now=now + timedelta(days=1))
    rows = {(row.user_id, row.day.day): row.count for row in ArticleView.objects.all()}
    assert rows == {(seller.pk, 2): 2, (buyer.pk, 2): 1, (None, 2): 2, (seller.pk, 3): 1}


def test_one_vote_per_person_changeable_and_comment_kept(seller, article):
    services.give_feedback(user=seller, article=article, helpful=True, comment="Clear.")
    services.give_feedback(user=seller, article=article, helpful=False)
    feedback = Feedback.objects.get()
    assert (feedback.helpful, feedback.comment) == (False, "Clear.")
    services.give_feedback(user=seller, article=article, helpful=False, comment="Too long.")
    assert Feedback.objects.get().comment == "Too long."


def test_anonymous_votes_and_long_comments_are_refused(seller, article):
    with pytest.raises(NotAuthenticated):
        services.give_feedback(user=AnonymousUser(), article=article, helpful=True)
    with pytest.raises(ValidationFailed):
        services.give_feedback(user=seller, article=article, helpful=True, comment="x" * 1001)
    assert not Feedback.objects.exists()
    services.give_feedback(user=seller, article=article, helpful=True, comment="x" * 1000)


def test_unpublished_articles_take_no_votes(staff, seller, article):
    services.set_published(staff=staff, article=article, published=False)
    with pytest.raises(PermissionDenied):
        services.give_feedback(user=seller, article=article, helpful=True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(votes=st.lists(st.tuples(st.sampled_from(["buyer", "seller", "agent"]), st.booleans())))
def test_the_last_vote_of_each_person_counts(request, article, votes):
    Feedback.objects.all().delete()
    last = {}
    for who, helpful in votes:
        services.give_feedback(user=request.getfixturevalue(who), article=article, helpful=helpful)
        last[who] = helpful
    assert Feedback.objects.count() == len(last)
    [row] = [row for row in selectors.office_articles() if row.pk == article.pk]
    assert row.vote_count == len(last) and row.helpful_count == sum(last.values())


def test_engagement_per_period_and_article(seller, agent, buyer, articles):
    first, second = Article.objects.order_by("slug")[:2]
    inside = datetime(2026, 10, 5, 10, tzinfo=ZONE)
    outside = datetime(2026, 9, 30, 23, tzinfo=ZONE)  # the quarter before
    for user, article in ((seller, first), (seller, first), (agent, second), (buyer, first)):
        services.record_view(article=article, user=user, now=inside)
    services.record_view(article=first, user=None, now=inside)
    services.record_view(article=second, user=seller, now=outside)
    services.give_feedback(user=seller, article=first, helpful=True, now=inside)
    services.give_feedback(user=agent, article=second, helpful=False, now=inside)
    services.give_feedback(user=buyer, article=second, helpful=True, now=outside)

    result = selectors.engagement(date(2026, 10, 1), date(2027, 1, 1), per_article=True)

    assert (result.views, result.readers, result.seller_readers) == (5, 3, 2)
    assert (result.votes, result.helpful, result.helpful_share) == (2, 1, 0.5)
    by_slug = {row.slug: row for row in result.articles}
    assert (by_slug[first.slug].views, by_slug[first.slug].readers) == (4, 2)
    assert (by_slug[second.slug].votes, by_slug[second.slug].helpful) == (1, 0)
    empty = selectors.engagement(date(2025, 1, 1), date(2025, 4, 1))
    assert (empty.views, empty.votes, empty.helpful_share) == (0, 0, None)


def test_popular_articles_are_the_most_read(seller, articles):
    first, second = Article.objects.order_by("slug")[:2]
    for _ in range(3):
        services.record_view(article=second, user=seller)
    services.record_view(article=first, user=seller)
    assert [a.pk for a in selectors.popular(seller)] == [second.pk, first.pk]
