"""The demo knowledge-base history on the tiny demo marketplace, and ``demo --if-empty``."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from saypro.catalog import demo as catalog_demo
from saypro.catalog.tests.factories import StoreFactory
from saypro.knowledge import selectors
from saypro.knowledge.demo import load_demo_knowledge
from saypro.knowledge.models import Article, ArticleView, Feedback

NOW = timezone.now().replace(microsecond=0)
pytestmark = pytest.mark.django_db


def test_readers_votes_and_comments_through_the_services():
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)
    report = load_demo_knowledge(seed=1, now=NOW)
    assert report.articles == 48 and report.views > 100 and report.readers > 5
    assert report.votes > 0 and Feedback.objects.filter(helpful=True).exists()
    assert not ArticleView.objects.filter(day__gt=timezone.localdate(NOW)).exists()
    today = timezone.localdate(NOW)
    figures = selectors.engagement(today - timedelta(days=200), today + timedelta(days=1))
    assert figures.views == report.views and figures.seller_readers > 0

    again = load_demo_knowledge(seed=1, now=NOW)
    assert (again.views, again.votes) == (report.views, report.votes)


def test_if_empty_still_loads_the_shipped_articles():
    StoreFactory(name="Cape Linen Co", slug="cape-linen-co")
    stdout = StringIO()
    call_command("demo", "--scale", "tiny", "--if-empty", stdout=stdout, stderr=StringIO())
    assert "Knowledge base: 48 new article(s)" in stdout.getvalue()
    assert Article.objects.count() == 48
    assert selectors.engagement(date(2020, 1, 1), date(2030, 1, 1)).views == 0
