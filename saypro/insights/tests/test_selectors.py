"""Insight reads on a small hand-made world, with every number worked out in the comments.

The world (site time zone Africa/Johannesburg, "now" = Wednesday 12 March 2025, 10:00):

=====  =======  =====  =================  ==========================================
review product  stars  published (SAST)   sentences: sentiment [themes] {suggestion}
=====  =======  =====  =================  ==========================================
r1     shirt    2      Mon 10 Mar 00:30   neg [fit_size neg]; pos [quality pos]
r2     shirt    1      Wed  5 Mar 12:00   neg [fit_size neg]; neg [quality neg]; neg complaint
r3     shirt    5      Thu 20 Feb 12:00   pos [fit_size pos]; neutral {pockets}
r4     shirt    4      Mon  3 Feb 09:00   pos [delivery pos]
r5     shirt    1      Tue 11 Mar 09:00   HIDDEN: neg [fit_size neg]; neg complaint
r6     trousers 3      Tue 25 Feb 12:00   neg complaint; neg [quality neg]; neutral {pockets};
                                           neutral {longer_zip}
r7     shirt    1      Sun  1 Dec 2024    neg [delivery neg]; neg complaint (older than 90 days)
=====  =======  =====  =================  ==========================================
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from saypro.catalog.tests.factories import MembershipFactory, ProductFactory
from saypro.insights import phrases, selectors
from saypro.insights.models import RisingIssue, Theme
from saypro.insights.tests.factories import (
    RisingIssueFactory,
    ThemeFactory,
    analysed_review,
    sentence,
)
from saypro.reviews.models import Review

SAST = ZoneInfo("Africa/Johannesburg")
NOW = datetime(2025, 3, 12, 10, 0, tzinfo=SAST)
SINCE = NOW - timedelta(days=90)
NEG, NEU, POS = "negative", "neutral", "positive"


@pytest.fixture(autouse=True)
def _site_time_zone(settings):
    settings.TIME_ZONE = "Africa/Johannesburg"


@dataclass
class World:
    shirt: object
    trousers: object
    fit: object
    quality: object
    delivery: object
    r1: Review
    r2: Review
    r3: Review
    r4: Review
    r5: Review
    r6: Review
    r7: Review


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SAST)


@pytest.fixture
def world(product, store) -> World:
    fit = ThemeFactory(slug="fit_size", name="Fit & size", position=1)
    quality = ThemeFactory(slug="quality", name="Quality", position=2)
    delivery = ThemeFactory(slug="delivery", name="Delivery", position=3)
    trousers = ProductFactory(store=store, title="Linen trousers")
    r1 = analysed_review(
        product,
        [
            sentence("It runs small.", NEG, themes={"fit_size": NEG}),
            sentence("The fabric is lovely.", POS, themes={"quality": POS}),
        ],
        rating=2,
        published_at=at(2025, 3, 10, 0, 30),
    )
    r2 = analysed_review(
        product,
        [
            sentence("Far too tight across the chest.", NEG, themes={"fit_size": NEG}),
            sentence("Seams split after a wash.", NEG, themes={"quality": NEG}),
            sentence("The zip broke on day one.", NEG, complaint=True),
        ],
        rating=1,
        published_at=at(2025, 3, 5, 12, 0),
    )
    r3 = analysed_review(
        product,
        [
            sentence("Fits perfectly.", POS, themes={"fit_size": POS}),
            sentence("Add pockets please.", NEU, suggestion="pockets"),
        ],
        rating=5,
        published_at=at(2025, 2, 20, 12, 0),
    )
    r4 = analysed_review(
        product,
        [sentence("Arrived in two days.", POS, themes={"delivery": POS})],
        rating=4,
        published_at=at(2025, 2, 3, 9, 0),
    )
    r5 = analysed_review(
        product,
        [
            sentence("Tiny sizes.", NEG, themes={"fit_size": NEG}),
            sentence("Zip jammed.", NEG, complaint=True),
        ],
        rating=1,
        published_at=at(2025, 3, 11, 9, 0),
        status=Review.Status.HIDDEN,
    )
    r6 = analysed_review(
        trousers,
        [
            sentence("The zip sticks.", NEG, complaint=True),
            sentence("The stitching frayed.", NEG, themes={"quality": NEG}),
            sentence("Please add pockets.", NEU, suggestion="pockets"),
            sentence("A longer zip would help.", NEU, suggestion="longer_zip"),
        ],
        rating=3,
        published_at=at(2025, 2, 25, 12, 0),
    )
    r7 = analysed_review(
        product,
        [
            sentence("Took a month to arrive.", NEG, themes={"delivery": NEG}),
            sentence("Zip is flimsy.", NEG, complaint=True),
        ],
        rating=1,
        published_at=at(2024, 12, 1, 12, 0),
    )
    return World(product, trousers, fit, quality, delivery, r1, r2, r3, r4, r5, r6, r7)


def table(rows) -> list[tuple]:
    return [
        (
            row.theme.slug,
            row.mentions,
            row.negative,
            pytest.approx(row.negative_share),
            pytest.approx(row.average_rating),
            pytest.approx(row.rating_drag),
        )
        for row in rows
    ]


# --- theme_table ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_theme_table_of_a_product_over_90_days(world, django_assert_num_queries):
    # Published shirt reviews in the 90 days: r1 (2★), r2 (1★), r3 (5★), r4 (4★);
    # r5 is hidden, r7 too old. Their mean: (2 + 1 + 5 + 4) / 4 = 3.0.
    with django_assert_num_queries(3):
        rows = selectors.theme_table(product=world.shirt, since=SINCE, until=NOW)

    assert [
        (r.theme.slug, r.mentions, r.negative, r.negative_share, r.average_rating, r.rating_drag)
        for r in rows
    ] == [
        # fit_size: r1 neg, r2 neg, r3 pos → 3 mentions, 2 negative, share 2/3;
        # mean stars (2 + 1 + 5) / 3 = 8/3; drag 8/3 − 3 = −1/3.
        ("fit_size", 3, 2, pytest.approx(2 / 3), pytest.approx(8 / 3), pytest.approx(-1 / 3)),
        # quality: r1 pos, r2 neg → 2, 1, 0.5; mean (2 + 1) / 2 = 1.5; drag −1.5.
        ("quality", 2, 1, 0.5, 1.5, -1.5),
        # delivery: r4 pos → 1, 0, 0.0; mean 4.0; drag +1.0.
        ("delivery", 1, 0, 0.0, 4.0, 1.0),
    ]


@pytest.mark.django_db
def test_theme_table_of_a_store_compares_with_the_store(world, store):
    # Store reviews in the 90 days: r1 2★, r2 1★, r3 5★, r4 4★, r6 3★ → mean 15 / 5 = 3.0.
    rows = selectors.theme_table(store=store, since=SINCE, until=NOW)

    assert table(rows) == [
        # fit_size as for the shirt: 3, 2, 2/3, 8/3, −1/3.
        ("fit_size", 3, 2, 2 / 3, 8 / 3, -1 / 3),
        # quality: r1 pos, r2 neg, r6 neg → 3, 2, 2/3; mean (2 + 1 + 3) / 3 = 2.0; drag −1.0.
        # Ties fit_size on negatives and mentions: the taxonomy's order puts it second.
        ("quality", 3, 2, 2 / 3, 2.0, -1.0),
        ("delivery", 1, 0, 0.0, 4.0, 1.0),
    ]


@pytest.mark.django_db
def test_theme_table_without_a_period_counts_every_published_review(world):
    # Adds r7 (1★, delivery neg): mean of r1–r4 and r7 = (2 + 1 + 5 + 4 + 1) / 5 = 2.6.
    rows = selectors.theme_table(product=world.shirt)

    assert table(rows) == [
        ("fit_size", 3, 2, 2 / 3, 8 / 3, 8 / 3 - 2.6),
        # delivery: r4 pos, r7 neg → 2, 1, 0.5; mean (4 + 1) / 2 = 2.5; drag 2.5 − 2.6 = −0.1.
        # Ties quality on negatives (1) and has as many mentions: position decides.
        ("quality", 2, 1, 0.5, 1.5, 1.5 - 2.6),
        ("delivery", 2, 1, 0.5, 2.5, 2.5 - 2.6),
    ]


@pytest.mark.django_db
def test_theme_table_leaves_out_inactive_themes_and_empty_scopes(world, store):
    world.quality.is_active = False
    world.quality.save()

    assert [r.theme.slug for r in selectors.theme_table(store=store)] == ["fit_size", "delivery"]
    assert selectors.theme_table(product=ProductFactory(store=store)) == []


@pytest.mark.django_db
def test_hiding_a_review_takes_it_out_of_every_figure(world, store):
    before = table(selectors.theme_table(store=store, since=SINCE, until=NOW))
    world.r2.status = Review.Status.HIDDEN
    world.r2.save()

    rows = selectors.theme_table(store=store, since=SINCE, until=NOW)

    assert before[0][:3] == ("fit_size", 3, 2)
    # Without r2 (1★): store mean (2 + 5 + 4 + 3) / 4 = 3.5; fit_size r1 neg, r3 pos →
    # 2, 1, 0.5; mean (2 + 5) / 2 = 3.5; drag 0.
    assert table(rows)[0] == ("fit_size", 2, 1, 0.5, 3.5, 0.0)
    weeks = selectors.sentiment_by_week(store=store, weeks=2, now=NOW)
    assert [(w.week_start, w.negative) for w in weeks] == [
        (date(2025, 3, 3), 0),
        (date(2025, 3, 10), 1),
    ]


# --- sentiment_by_week ------------------------------------------------------------------------


@pytest.mark.django_db
def test_sentiment_by_week_in_the_site_time_zone(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        weeks = selectors.sentiment_by_week(product=world.shirt, weeks=26, now=NOW)

    # 26 ISO weeks, from the Monday 25 weeks before the current week (10 March).
    assert len(weeks) == 26
    assert (weeks[0].week_start, weeks[-1].week_start) == (date(2024, 9, 16), date(2025, 3, 10))
    assert weeks[-1].iso_week == "2025-W11"
    busy = {w.week_start: (w.negative, w.neutral, w.positive) for w in weeks if w.total}
    assert busy == {
        # r1 was published at 00:30 SAST on Monday 10 March (22:30 UTC on Sunday): this week.
        date(2025, 3, 10): (1, 0, 0),
        date(2025, 3, 3): (1, 0, 0),  # r2
        date(2025, 2, 17): (0, 0, 1),  # r3 (positive and neutral sentences → positive)
        date(2025, 2, 3): (0, 0, 1),  # r4
        date(2024, 11, 25): (1, 0, 0),  # r7 (Sunday 1 December belongs to that week)
    }
    # r5 (hidden) would have counted on 10 March.
    assert sum(w.total for w in weeks) == 5


@pytest.mark.django_db
def test_sentiment_by_week_of_a_store_without_reviews_is_all_zeros(store):
    weeks = selectors.sentiment_by_week(store=store, weeks=3, now=NOW)
    assert [(w.week_start, w.total) for w in weeks] == [
        (date(2025, 2, 24), 0),
        (date(2025, 3, 3), 0),
        (date(2025, 3, 10), 0),
    ]


@pytest.mark.django_db
def test_sentiment_by_week_from_a_first_day_counts_only_the_period(world, store):
    # Half an hour before the first day (Thursday 20 February), in the same ISO week.
    analysed_review(
        world.shirt, [sentence("Too short.", NEG)], published_at=at(2025, 2, 19, 23, 30)
    )

    weeks = selectors.sentiment_by_week(store=store, first_day=date(2025, 2, 20), now=NOW)

    assert [
        (w.week_start, w.first_day, w.last_day, w.starts_midweek, w.negative, w.positive)
        for w in weeks
    ] == [
        # The week of 17 February from the 20th: r3 (positive) only.
        (date(2025, 2, 17), date(2025, 2, 20), date(2025, 2, 23), True, 0, 1),
        (date(2025, 2, 24), date(2025, 2, 24), date(2025, 3, 2), False, 1, 0),  # r6
        (date(2025, 3, 3), date(2025, 3, 3), date(2025, 3, 9), False, 1, 0),  # r2
        # The current week ends today.
        (date(2025, 3, 10), date(2025, 3, 10), date(2025, 3, 12), False, 1, 0),  # r1
    ]


@pytest.mark.django_db
def test_the_overviews_weeks_add_up_to_its_reviews(world, store, seller, monkeypatch):
    monkeypatch.setattr(phrases, "emerging_topics", lambda texts, **kw: [])
    # The 90 days start on Friday 13 December 2024; this review is of the Thursday before.
    analysed_review(world.shirt, [sentence("Too short.", NEG)], published_at=at(2024, 12, 12, 9))

    overview = selectors.insights_overview(seller, store, now=NOW)

    first = overview.weeks[0]
    assert (first.week_start, first.first_day, first.total) == (
        date(2024, 12, 9),
        overview.first_day,
        0,
    )
    assert overview.first_day == date(2024, 12, 13)
    assert sum(week.total for week in overview.weeks) == overview.reviews == 5
    # The API's ``weeks`` still asks for whole ISO weeks.
    assert selectors.insights_overview(seller, store, weeks=14, now=NOW).weeks[0].total == 1


# --- theme_trends -----------------------------------------------------------------------------


def test_trend_windows_are_the_last_30_days_and_the_30_before():
    assert selectors.trend_windows(NOW) == (
        selectors.TrendWindow(date(2025, 1, 12), date(2025, 2, 10)),
        selectors.TrendWindow(date(2025, 2, 11), date(2025, 3, 12)),
    )
    assert [window.days for window in selectors.trend_windows(NOW)] == [30, 30]


@pytest.mark.django_db
def test_theme_trends_compare_the_last_30_days_with_the_30_before(
    world, store, django_assert_num_queries
):
    # Around the windows' edges (see test_trend_windows_…): r8 in the last minutes of the
    # earlier window, r9 on its first day, r10 the evening before it (in neither).
    analysed_review(
        world.shirt,
        [sentence("Tight.", NEG, themes={"fit_size": NEG})],
        published_at=at(2025, 2, 10, 23, 30),
    )
    analysed_review(
        world.shirt,
        [sentence("Sturdy.", POS, themes={"quality": POS})],
        published_at=at(2025, 1, 12, 0, 30),
    )
    analysed_review(
        world.shirt,
        [sentence("Baggy.", NEG, themes={"fit_size": NEG})],
        published_at=at(2025, 1, 11, 23, 30),
    )

    with django_assert_num_queries(2):
        trends = selectors.theme_trends(store=store, now=NOW, minimum=1)

    assert [
        (
            t.theme.slug,
            (t.recent.mentions, t.recent.negative),
            (t.previous.mentions, t.previous.negative),
            t.change,
        )
        for t in trends
    ] == [
        # quality: 11 Feb–12 Mar r1 pos, r2 neg, r6 neg → 2/3; 12 Jan–10 Feb r9 pos → 0.
        ("quality", (3, 2), (1, 0), pytest.approx(2 / 3)),
        # fit_size: r1 neg, r2 neg, r3 pos → 2/3; r8 neg → 1; 2/3 − 1 = −1/3. (This month
        # against last would have read March r1, r2 against February r3, r8.)
        ("fit_size", (3, 2), (1, 1), pytest.approx(-1 / 3)),
        # delivery: only r4 (3 February); nothing recent, so no change to compare.
        ("delivery", (0, 0), (1, 0), None),
    ]


@pytest.mark.django_db
def test_a_trend_needs_enough_mentions_in_both_windows(product):
    fit = ThemeFactory(slug="fit_size", position=1)
    quality = ThemeFactory(slug="quality", position=2)

    def mentioned(days_ago: int, themes: dict[str, str]) -> None:
        analysed_review(
            product,
            [sentence("It fits.", NEU, themes=themes)],
            published_at=NOW - timedelta(days=days_ago),
        )

    for n in range(5):  # the last 30 days: fit_size 3 of 5 negative, quality 5 of 5
        mentioned(n, {"fit_size": NEG if n < 3 else POS, "quality": NEG})
    for n in range(5):  # the 30 before: fit_size 1 of 5 negative, quality 0 of 4
        mentioned(30 + n, {"fit_size": NEG if n < 1 else POS} | ({"quality": POS} if n < 4 else {}))

    trends = selectors.theme_trends(product=product, now=NOW)

    assert [(t.theme, t.change) for t in trends] == [
        (fit, pytest.approx(3 / 5 - 1 / 5)),
        (quality, None),  # 4 mentions before: under TREND_MINIMUM
    ]
    assert selectors.theme_trends(product=product, now=NOW, minimum=4)[0].change == 1.0


# --- suggestion_table -------------------------------------------------------------------------


@pytest.mark.django_db
def test_suggestions_with_counts_and_newest_quotes(world, store, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = selectors.suggestion_table(store=store)

    assert [(r.key, r.label, r.count, r.examples) for r in rows] == [
        (
            "pockets",
            "Pockets",
            2,
            # r6 (25 Feb) is newer than r3 (20 Feb).
            [
                selectors.Quote(world.r6.pk, "Please add pockets."),
                selectors.Quote(world.r3.pk, "Add pockets please."),
            ],
        ),
        ("longer_zip", "Longer zip", 1, [selectors.Quote(world.r6.pk, "A longer zip would help.")]),
    ]
    assert [r.key for r in selectors.suggestion_table(store=store, limit=1)] == ["pockets"]
    assert [r.count for r in selectors.suggestion_table(product=world.shirt)] == [1]


@pytest.mark.django_db
def test_suggestions_keep_three_quotes(product):
    for n in range(4):
        analysed_review(
            product,
            [sentence(f"Add pockets {n}.", NEU, suggestion="pockets")],
            published_at=NOW - timedelta(days=n),
        )

    (row,) = selectors.suggestion_table(product=product)

    assert row.count == 4
    assert [quote.text for quote in row.examples] == [
        "Add pockets 0.",
        "Add pockets 1.",
        "Add pockets 2.",
    ]


@pytest.mark.django_db
def test_a_suggestions_quotes_are_distinct(product):
    texts = [
        "Add pockets!",
        "add  pockets!",  # the same words, other case and spacing
        "ADD POCKETS!",
        "Pockets, please.",
        "Add pockets!",
        "Deep pockets would help.",
        "Pockets for a phone.",
    ]
    reviews = [
        analysed_review(
            product,
            [sentence(text, NEU, suggestion="pockets")],
            published_at=NOW - timedelta(days=n),
        )
        for n, text in enumerate(texts)
    ]
    for n in range(2):
        analysed_review(
            product,
            [sentence("Make it in navy.", NEU, suggestion="navy")],
            published_at=NOW - timedelta(days=n, hours=1),
        )

    pockets, navy = selectors.suggestion_table(product=product)

    assert pockets.count == 7
    assert pockets.examples == [
        selectors.Quote(reviews[0].pk, "Add pockets!"),
        selectors.Quote(reviews[3].pk, "Pockets, please."),
        selectors.Quote(reviews[5].pk, "Deep pockets would help."),
    ]
    assert (navy.count, [quote.text for quote in navy.examples]) == (2, ["Make it in navy."])


# --- emerging_topics_for ----------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    label: str
    members: tuple[int, ...]


@pytest.mark.django_db
def test_emerging_topics_cluster_recent_published_complaints(world, store, monkeypatch):
    seen = []

    def emerging_topics(sentences, *, min_size=3, limit=10, ignore=(), background=()):
        seen.append((list(sentences), sorted(ignore), list(background)))
        return [Topic("zip", (1, 0))]

    monkeypatch.setattr(phrases, "emerging_topics", emerging_topics)

    topics = selectors.emerging_topics_for(store=store, now=NOW)

    # Newest first; r5 (hidden) and r7 (older than 90 days) are left out.
    # The store's name and the products' titles are passed on as words that name no topic.
    [(sentences, ignored, background)] = seen
    assert sentences == ["The zip broke on day one.", "The zip sticks."]
    assert set(ignored) >= {store.name}
    # The background is the same scope's published reviews of the window: not r5 (hidden)
    # nor r7 (older), but the reviews the complaints come from.
    assert world.r2.body in background and world.r6.body in background
    assert world.r5.body not in background and world.r7.body not in background
    assert topics == [
        selectors.EmergingTopic(
            label="zip",
            count=2,
            review_ids=(world.r2.pk, world.r6.pk),
            sentences=((world.r2.pk, 2), (world.r6.pk, 0)),
        )
    ]
    assert topics[0].example_review_ids == (world.r2.pk, world.r6.pk)


@pytest.mark.django_db
def test_no_complaints_no_topics(store, monkeypatch):
    monkeypatch.setattr(phrases, "emerging_topics", pytest.fail)
    assert selectors.emerging_topics_for(store=store, now=NOW) == []


# --- reviews_behind and highlighting ----------------------------------------------------------


@pytest.mark.django_db
def test_reviews_behind_a_number_for_the_team_only(world, store, seller, buyer, staff):
    def behind(user=seller, **filters) -> list[Review]:
        return list(selectors.reviews_behind(user, store, **filters))

    negative_fit = behind(theme=world.fit, sentiment=NEG)
    assert negative_fit == [world.r1, world.r2]  # newest first; r5 is hidden
    assert behind(theme=world.fit) == [world.r1, world.r2, world.r3]
    assert behind(sentiment=POS) == [world.r3, world.r4]  # overall sentiment
    assert behind(suggestion_key="pockets") == [world.r6, world.r3]
    assert behind(product=world.trousers) == [world.r6]
    assert behind(since=at(2025, 3, 1), until=at(2025, 4, 1)) == [world.r1, world.r2]
    for outsider in (buyer, staff, MembershipFactory().user):
        assert behind(outsider) == []

    focus = selectors.Focus(theme=world.fit, sentiment=NEG)
    assert [selectors.matching_spans(review, focus) for review in negative_fit] == [
        [(0, len("It runs small."))],
        [(0, len("Far too tight across the chest."))],
    ]


@pytest.mark.django_db
def test_matching_spans_per_focus(world, store, seller):
    (r6,) = selectors.reviews_behind(seller, store, product=world.trousers)
    body = r6.body

    def marked(focus) -> list[str]:
        return [body[start:end] for start, end in selectors.matching_spans(r6, focus)]

    assert marked(selectors.Focus()) == []
    assert marked(selectors.Focus(suggestion_key="pockets")) == ["Please add pockets."]
    assert marked(selectors.Focus(sentiment=NEG)) == ["The zip sticks.", "The stitching frayed."]
    topic = selectors.EmergingTopic("zip", 1, (r6.pk,), ((r6.pk, 0),))
    assert marked(selectors.Focus(topic=topic)) == ["The zip sticks."]
    issue = RisingIssueFactory(product=world.trousers, theme=None, topic="zip", evidence=[r6.pk])
    assert marked(selectors.Focus(issue=issue)) == ["The zip sticks."]
    issue.theme, issue.topic = world.quality, ""
    assert marked(selectors.Focus(issue=issue)) == ["The stitching frayed."]


@pytest.mark.django_db
def test_spans_are_clamped_when_the_body_changed(world):
    world.r1.body = "Short."
    assert selectors.matching_spans(world.r1, selectors.Focus(theme=world.quality)) == []
    assert selectors.matching_spans(world.r1, selectors.Focus(theme=world.fit)) == [(0, 6)]


# --- rising issues ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_rising_issues_for_the_team_live_first_with_evidence(world, store, seller, buyer):
    old = RisingIssueFactory(
        product=world.shirt,
        theme=world.delivery,
        status=RisingIssue.Status.DISMISSED,
        detected_at=NOW - timedelta(days=30),
    )
    fit = RisingIssueFactory(
        product=world.shirt,
        theme=world.fit,
        evidence=[world.r2.pk, world.r5.pk, world.r1.pk],
        detected_at=NOW - timedelta(days=1),
    )
    planned = RisingIssueFactory(
        product=world.trousers, theme=world.quality, status=RisingIssue.Status.PLANNED
    )
    RisingIssueFactory(theme=world.fit)  # another store's

    assert list(selectors.rising_issues(seller, store)) == [fit, planned, old]
    assert list(selectors.rising_issues(seller, store, "dismissed")) == [old]
    assert list(selectors.rising_issues(seller, store, ["open", "planned"])) == [fit, planned]
    assert list(selectors.rising_issues(seller, store, product=world.trousers)) == [planned]
    assert list(selectors.rising_issues(buyer, store)) == []
    assert selectors.store_rising_issue(buyer, store, fit.pk) is None
    assert selectors.visible_rising_issue(buyer, fit.pk) is None
    assert selectors.visible_rising_issue(seller, fit.pk) == fit

    # The hidden r5 is not evidence any more; newest first.
    assert selectors.issue_evidence([fit, planned]) == {
        fit.pk: [world.r1, world.r2],
        planned.pk: [],
    }


# --- overview and the taxonomy ----------------------------------------------------------------


@pytest.mark.django_db
def test_overview_for_the_team_only(world, store, seller, buyer, monkeypatch):
    monkeypatch.setattr(phrases, "emerging_topics", lambda texts, **kw: [])
    overview = selectors.insights_overview(seller, store, now=NOW)

    assert (overview.reviews, overview.average_rating) == (5, 3.0)
    assert [entry.row.theme.slug for entry in overview.themes] == [
        "fit_size",
        "quality",
        "delivery",
    ]
    # Each theme has its trend, none with enough mentions to show a change (see below).
    assert [entry.trend.theme.slug for entry in overview.themes] == [
        "fit_size",
        "quality",
        "delivery",
    ]
    assert [entry.trend.change for entry in overview.themes] == [None, None, None]
    # Shirt: r1–r4, 2 negative; trousers: r6, 1 negative.
    assert [(p.product, p.reviews, p.negative) for p in overview.products] == [
        (world.shirt, 4, 2),
        (world.trousers, 1, 1),
    ]
    assert selectors.insights_overview(buyer, store, now=NOW) is None
    other = ProductFactory()
    assert selectors.insights_overview(seller, store, product=other, now=NOW) is None
    shirt = selectors.insights_overview(seller, store, product=world.shirt, now=NOW)
    assert (shirt.reviews, shirt.products) == (4, [])


@pytest.mark.django_db
def test_overview_lists_live_issues_and_those_resolved_in_the_period(
    world, store, seller, monkeypatch
):
    monkeypatch.setattr(phrases, "emerging_topics", lambda texts, **kw: [])
    resolved = RisingIssue.Status.RESOLVED
    live = RisingIssueFactory(
        product=world.shirt, theme=world.fit, status=RisingIssue.Status.PLANNED
    )
    three_days_ago = RisingIssueFactory(
        product=world.shirt, theme=world.quality, status=resolved, checked_at=NOW - timedelta(3)
    )
    ten_days_ago = RisingIssueFactory(
        product=world.trousers, theme=world.quality, status=resolved, checked_at=NOW - timedelta(10)
    )
    RisingIssueFactory(  # resolved before the 90 days
        product=world.shirt, theme=world.delivery, status=resolved, checked_at=NOW - timedelta(95)
    )
    RisingIssueFactory(theme=world.fit, status=resolved, checked_at=NOW)  # another store's

    overview = selectors.insights_overview(seller, store, now=NOW)
    assert (overview.issues, overview.resolved) == ([live], [three_days_ago, ten_days_ago])
    shirt = selectors.insights_overview(seller, store, product=world.shirt, now=NOW)
    assert shirt.resolved == [three_days_ago]
    week = selectors.insights_overview(seller, store, days=7, now=NOW)
    assert week.resolved == [three_days_ago]


@pytest.mark.django_db
def test_office_themes_count_published_mentions_for_staff_only(world, staff, seller):
    themes = list(selectors.office_themes(staff))
    counts = {theme.slug: theme.mention_count for theme in themes if theme.mention_count}
    # fit_size: r1, r2, r3 (r5 is hidden); quality: r1, r2, r6; delivery: r4, r7. Every
    # other theme (the built-in taxonomy is installed by a migration) has none.
    assert counts == {"fit_size": 3, "quality": 3, "delivery": 2}
    assert len(themes) == Theme.objects.count()
    assert list(selectors.office_themes(seller)) == []
    assert selectors.office_theme(staff, world.fit.pk) == world.fit
