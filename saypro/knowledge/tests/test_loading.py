"""The loader: every shipped article, idempotent, office edits kept; and the command."""

from dataclasses import replace

import pytest
from django.core.management import call_command

from saypro.academy import content as shipped
from saypro.knowledge import services
from saypro.knowledge.loading import load_content
from saypro.knowledge.models import Article, Category
from saypro.knowledge.tutorials import load_tutorials

pytestmark = pytest.mark.django_db


def test_loads_every_category_and_article(articles):
    content = shipped.load_content()
    assert articles.categories == Category.objects.count() == 10
    assert len(content.articles) == 45 and len(load_tutorials(content)) == 3
    assert articles.created == Article.objects.count() == 48
    assert Article.objects.filter(published=True, edited_by_office=False).count() == 48
    article = Article.objects.get(slug="quick-replies-guide")
    item = content.article("quick-replies-guide")
    assert article.title == item.title and article.updated_on == item.updated
    assert sorted(article.related.values_list("slug", flat=True)) == sorted(item.related)
    assert "**" not in article.search_text and "quick repl" in article.search_text.lower()
    assert Article.objects.get(coach_guideline="empathy").slug == "coach-empathy"
    video = Article.objects.get(slug="from-insights-to-an-action-plan")
    assert (video.kind, video.video_url) == ("video", "")
    assert video.video_file == "knowledge/tutorials/from-insights-to-an-action-plan.webm"
    assert video.captions_file == "knowledge/tutorials/from-insights-to-an-action-plan.vtt"
    assert "seller-insights-page" in video.related.values_list("slug", flat=True)
    assert Article.objects.filter(kind="video").count() == 3


def test_loading_again_changes_nothing(articles, django_assert_max_num_queries):
    before = list(Article.objects.values_list("pk", "updated_at"))
    with django_assert_max_num_queries(25):
        report = load_content()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 48)
    assert list(Article.objects.values_list("pk", "updated_at")) == before


def test_a_changed_shipped_article_is_updated_unless_the_office_edited_it(staff, articles):
    edited = Article.objects.get(slug="badges-faq")
    services.update_article(
        staff=staff,
        article=edited,
        data=services.ArticleInput(
            title="Badges, our way",
            summary=edited.summary,
            body=edited.body,
            category=edited.category,
            kind=edited.kind,
        ),
    )
    content = shipped.load_content()
    changed = tuple(
        replace(item, title=item.title + " (2027)", body=item.body + "\n\nNew paragraph.")
        if item.slug in ("badges-faq", "reviews-faq")
        else item
        for item in content.articles
    )
    report = load_content(replace(content, articles=changed))
    assert (report.updated, report.kept, report.unchanged) == (1, 1, 46)
    assert Article.objects.get(slug="reviews-faq").title.endswith("(2027)")
    assert Article.objects.get(slug="badges-faq").title == "Badges, our way"


def test_an_unpublished_article_stays_unpublished(staff, articles):
    article = Article.objects.get(slug="reviews-faq")
    services.set_published(staff=staff, article=article, published=False)
    load_content()
    article.refresh_from_db()
    assert not article.published


def test_the_command_loads(db, capsys):
    call_command("knowledge", "load")
    assert "48 created" in capsys.readouterr().out
    assert Article.objects.count() == 48


def test_a_re_recorded_video_updates_the_tutorial_unless_the_office_edited_it(staff, articles):
    content = shipped.load_content()
    tutorials = load_tutorials(content)
    moved = tuple(
        replace(tutorial, video_file=tutorial.video_file.replace("tutorials/", "tutorials/v2/"))
        for tutorial in tutorials
    )
    edited = Article.objects.get(slug=tutorials[0].article.slug)
    services.update_article(
        staff=staff,
        article=edited,
        data=services.ArticleInput(
            title=edited.title,
            summary="Our own summary.",
            body=edited.body,
            category=edited.category,
            kind=edited.kind,
        ),
    )
    report = load_content(content, moved)
    assert (report.updated, report.kept, report.unchanged) == (2, 1, 45)
    edited.refresh_from_db()
    assert edited.summary == "Our own summary." and "/v2/" not in edited.video_file
    other = Article.objects.get(slug=tutorials[1].article.slug)
    assert other.video_file.startswith("knowledge/tutorials/v2/")
