"""The seller scorecard on the Seller Center home: its figures, its queries, who sees it, and
the next steps it picks from the numbers."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse

from saypro.academy.models import Course
from saypro.academy.selectors import Recommendation
from saypro.accounts.tests.factories import StaffFactory, UserFactory
from saypro.analytics import scorecard as scorecards
from saypro.analytics import selectors
from saypro.analytics.figures import rounded
from saypro.analytics.kpis import get
from saypro.analytics.periods import Quarter
from saypro.analytics.tests.world import at
from saypro.catalog.tests.factories import MembershipFactory

END_OF_Q3 = at(9, 30, 12)
Q3 = Quarter(2026, 3)


@pytest.fixture
def in_q3(monkeypatch):
    """The Seller Center home computes the scorecard "now": make now the end of Q3."""
    monkeypatch.setattr(scorecards, "timezone", SimpleNamespace(now=lambda: END_OF_Q3))


def test_the_scorecard_is_the_stores_own_kpis(world):
    card = scorecards.scorecard(world.store_a, as_of=END_OF_Q3)
    assert card.quarter == Q3
    assert [line.key for line in card.lines] == list(scorecards.KEYS)
    for line in card.lines:
        found = selectors.kpi_value(line.key, Q3, as_of=END_OF_Q3, store_id=world.store_a.pk)
        assert line.value == rounded(line.kpi, found.value)
        assert line.target == rounded(line.kpi, found.target)
        assert line.status == found.status
        assert line.median == rounded(line.kpi, selectors.marketplace_median(line.key, Q3))
    # Store A's Q3 reviews due: r1 (23 h), r2 (72 h, late), r3 (10 h), r5 (never): 2 of 4.
    assert card.line("review_response_48h").value == 50.0
    assert card.line("review_response_48h").target == 95.0
    assert card.line("review_response_48h").status in ("at_risk", "off_track")
    # Waits of store A in Q3: C1 (150 min; 25 h) and C2 (9 h); C3 needed no response: 2 of 3.
    assert card.line("response_within_24h").value == 66.7
    assert card.needs_reviews and card.needs_course


def test_the_scorecard_reads_rollups_only(world, django_assert_num_queries):
    cache.clear()
    # The store's day rows of this quarter and the last, the targets, and one
    # MarketplaceMedian row per KPI: no cache, no store-by-store read.
    with django_assert_num_queries(2 + len(scorecards.KEYS)):
        scorecards.scorecard(world.store_a, as_of=END_OF_Q3)


def test_better_or_worse_than_the_median():
    rate, hours = get("response_within_24h"), get("first_response_median")
    assert scorecards._above(rate, 90.0, 80.0) is True
    assert scorecards._above(rate, 70.0, 80.0) is False
    assert scorecards._above(hours, 2.0, 3.0) is True  # faster is better
    assert scorecards._above(hours, 4.0, 3.0) is False
    assert scorecards._above(rate, 80.0, 80.0) is None
    assert scorecards._above(rate, None, 80.0) is None
    assert scorecards._above(rate, 80.0, None) is None


def test_a_store_member_sees_the_scorecard_and_what_to_do_next(world, client, in_q3):
    course = Course.objects.create(
        slug="negative-reviews",
        title="Answering negative reviews",
        summary="Turn a bad review around.",
        topics=["Reviews"],
        signals=["unanswered_negative_reviews"],
        status=Course.Status.PUBLISHED,
    )
    client.force_login(world.sam)
    page = client.get(reverse("seller:home", args=[world.store_a.slug]))
    assert page.status_code == 200
    html = page.text
    assert "Your scorecard · 2026 Q3" in html
    assert 'data-kpi="review_response_48h"' in html and "50.0 %" in html
    # Reviews are behind the target: the review queue and the Academy's course for it.
    assert reverse("seller_reviews:queue", args=[world.store_a.slug]) in html
    assert course.get_absolute_url() in html
    # No store has 5 reviews due in this small world: no median to quote.
    assert "50.0 % of reviews answered within 48 h (target 95.0 %)." in html
    # No target and no median for the reply rate in this small world: the inbox is not pushed.
    assert "Answer waiting buyers" not in html


def test_the_inbox_is_suggested_when_replies_lag(world, client, in_q3, monkeypatch):
    monkeypatch.setattr(scorecards.selectors, "marketplace_median", lambda key, quarter: 90.0)
    client.force_login(world.sam)
    html = client.get(reverse("seller:home", args=[world.store_a.slug])).text
    # 66.7 % answered within 24 h against a median store's 90 %.
    assert reverse("seller_inbox:inbox", args=[world.store_a.slug]) + '">Answer waiting' in html
    assert "Below the median" in html
    assert "66.7 % of buyers got an answer within 24 h (median store 90.0 %)." in html


def test_a_store_without_figures_is_told_what_will_count(world, client, in_q3, monkeypatch):
    """Not "your figures meet the targets" under "No figures yet"."""
    empty = MembershipFactory().store
    client.force_login(empty.memberships.get().user)
    html = client.get(reverse("seller:home", args=[empty.slug])).text
    assert "No figures yet this quarter" in html
    assert "Nothing pressing" not in html
    assert "answer each buyer within 24 hours and each review within 48 hours" in html


def test_an_agent_of_the_store_sees_it_too(world, client, in_q3):
    agent = MembershipFactory(store=world.store_a, role="agent").user
    client.force_login(agent)
    html = client.get(reverse("seller:home", args=[world.store_a.slug])).text
    assert "Your scorecard · 2026 Q3" in html


def test_only_the_stores_members_see_it(world, client, in_q3):
    url = reverse("seller:home", args=[world.store_a.slug])
    assert client.get(url).status_code == 302  # anonymous: to the login
    for person in (world.bea, world.ann, UserFactory(), StaffFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_the_course_answers_what_lags(world):
    card = scorecards.scorecard(world.store_a, as_of=END_OF_Q3)
    assert card.needs_reviews and not card.needs_inbox

    def recommendation(slug, signals):
        return Recommendation(Course(slug=slug, title=slug, signals=signals), "because")

    rising = recommendation("feedback", ["rising_issue_without_plan"])
    replies = recommendation("replies", ["slow_message_replies"])
    reviews = recommendation("reviews", ["late_review_answers"])
    # The reviews lag: the review course, even when the Academy lists another first.
    assert card.next_course([rising, replies, reviews]) is reviews
    # None of them is about reviews: the Academy's first pick, with its own reason.
    assert card.next_course([rising, replies]) is rising
    assert card.next_course([]) is None


def test_no_course_when_nothing_lags(world):
    quiet = MembershipFactory().store
    card = scorecards.scorecard(quiet, as_of=END_OF_Q3)
    assert not card.needs_course
    course = Recommendation(Course(slug="x", title="x", signals=["late_review_answers"]), "")
    assert card.next_course([course]) is None
