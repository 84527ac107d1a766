"""Every KPI of the hand-built world (tests/world.py) checked exactly, with the arithmetic."""

import math
from datetime import timedelta

import pytest

from saypro.analytics import forecast, rollups, selectors
from saypro.analytics.models import (
    ActiveSeller,
    CategoryDay,
    MarketplaceDay,
    MarketplaceMedian,
    StoreDay,
    StoreQuarter,
)
from saypro.analytics.periods import Quarter
from saypro.analytics.tests.world import NOW, Builder
from saypro.messaging.models import Side, Wait

Q3 = Quarter(2026, 3)
Q4 = Quarter(2026, 4)


def snapshot():
    def rows(model, *key):
        for row in (found := list(model.objects.all())):
            row.packed = bytes(getattr(row, "response_blob", b""))
        return sorted(
            (tuple(getattr(row, name) for name in key), row.counters(), row.response_histogram)
            for row in found
        )

    return (
        rows(StoreDay, "store_id", "day", "category_id"),
        rows(CategoryDay, "category_id", "day", "packed"),
        rows(MarketplaceDay, "day", "packed"),
        rows(StoreQuarter, "store_id", "quarter", "response_p50_minutes", "response_p90_minutes"),
        sorted(
            MarketplaceMedian.objects.values_list(
                "quarter", "kpi", "median", "stores", "best", "worst"
            )
        ),
        sorted(ActiveSeller.objects.values_list("quarter", "user_id")),
    )


def values(quarter=Q3, **filters):
    return {value.kpi.key: value for value in selectors.kpi_values(quarter, as_of=NOW, **filters)}


def test_incremental_rollups_equal_a_rebuild(world):
    incremental = snapshot()
    rollups.rebuild(restart=True, now=NOW)
    assert snapshot() == incremental
    assert incremental[2]  # not vacuous


def test_every_kpi_of_the_quarter(world):
    found = values()

    def value(key):
        return found[key].value

    # Messages in Q3 (local dates), spam left out: C1 4 (Ann 3 Aug, Sam, Ann 4 Aug, Sam 5 Aug),
    # C2 1 (Bea's 30 Sept 23:30; Sam's reply is 1 Oct, Q4), C3 1, C4 1, C5 1, C6 2 (1 July
    # 00:30 local although still 30 June in UTC) = 10. Bea is a seller but wrote as a buyer.
    assert value("messaging_interactions") == 10
    # Q2: C0 on 30 June 23:30 local = 2 messages. Change 10 − 2 = 8, i.e. +400 %.
    messaging = found["messaging_interactions"]
    assert messaging.previous == 2
    assert messaging.change == 8
    assert messaging.change_percent == 400
    # Target +25 % over Q2's 2 = 2.5, a whole 3 messages; the quarter is over, so the
    # forecast is the value and the status a verdict.
    assert messaging.target_setting == 25
    assert messaging.target == 3
    assert (messaging.forecast, messaging.forecast_low, messaging.forecast_high) == (10, 10, 10)
    assert messaging.status == "met"

    # Waits started in Q3: W1 150 min, W2 25 h, W3 9 h (30 Sept 23:30 → 1 Oct 08:30: counted in
    # Q3, the quarter it started), W4 "no response needed" (left out), W5 open since 15 Sept,
    # W6 60 min. Within 24 h: W1, W3, W6 = 3 of 5.
    assert value("response_within_24h") == 3 / 5 * 100
    # Answered: 60, 150, 540, 1500 min. Median = rank ceil(0.5·4) = 2nd = 150 min = 2.5 h;
    # p90 = rank ceil(0.9·4) = 4th = 1500 min = 25 h.
    assert value("first_response_median") == 2.5
    assert value("first_response_p90") == 25
    # Abandoned (no reply after 48 h): W5 only (W2 was answered after 25 h), of 5; W4 is not.
    assert value("abandoned_conversations") == 1 / 5 * 100

    # Conversations started in Q3: C1–C6 = 6; bought within 7 days: C1 (3 days later),
    # C2 (Bea, 5 Oct, within 7 days of 30 Sept 23:30) = 2.
    assert value("message_to_purchase") == 2 / 6 * 100
    # Their messages: 4 + 2 + 1 + 1 + 1 + 2 = 11 over 6 conversations.
    assert value("messages_per_conversation") == 11 / 6
    # Started by buyers: all but C5 = 5 of 6.
    assert value("buyer_started_share") == 5 / 6 * 100
    # C2 has a product card and was followed by an order: 1, and 1 of 1.
    assert value("card_conversations") == 1
    assert value("card_conversion") == 100

    # Reviews published in Q3 (the hidden one left out): R1 5★, R2 1★, R3 4★ edited to 2★
    # after its answer, R5 2★ = 4 reviews; R6 is Q4.
    assert value("review_volume") == 4
    assert value("average_rating") == (5 + 1 + 2 + 2) / 4
    assert value("negative_review_share") == 3 / 4 * 100
    # Answered within 48 h: R1 (23 h), R3 (10 h); R2 after 72 h; R5 never = 2 of 4.
    assert value("review_response_48h") == 2 / 4 * 100
    # Negative (as rated now): R2, R3, R5; within 48 h: R3 = 1 of 3.
    assert value("negative_review_response_48h") == pytest.approx(1 / 3 * 100)
    # Coach scores of the answers posted in Q3: 80, 60, 90.
    assert value("coach_score_average") == pytest.approx((80 + 60 + 90) / 3)

    # Plans: started 5 July, 1 Aug, 5 Sept = 3; shipped 10 Aug (from a suggestion) and 1 Sept
    # = 2, of which 1 from feedback; measured as helping on 15 Sept = 1.
    assert value("plans_started") == 3
    assert value("plans_shipped") == 2
    assert value("improvements_from_feedback") == 1
    assert value("plans_measured_positive") == 1

    # Active sellers: Sam (store A sold and got messages), Bea (store B got messages) = 2;
    # enrolled in the review course: Sam = 1 of 2; completed: 1 of 1.
    assert value("training_participation") == 50
    assert value("training_completion") == 100
    # Course survey answers in Q3: 5 and 3 of 5; satisfied (4–5): 1 of 2.
    assert value("satisfaction_education") == 50
    # Sellers who used a resource, each once: KB readers in a store (Sam; Ann is no seller),
    # webinar sellers attending (Sam, Bea), consultations held (Bea; Sam's no-show not):
    # {Sam} ∪ {Sam, Bea} ∪ {Bea} = 2.
    assert value("resource_engagement") == 2

    # 2 of 4 within 48 h against 95 %: the quarter is over, so the value is final (no
    # interval) and the target missed. Running, the Wilson 95 % interval would be ≈ [15.0 %,
    # 85.0 %], short of 95 %: off track.
    reviews = found["review_response_48h"]
    assert reviews.target == 95
    assert (reviews.forecast, reviews.forecast_low, reviews.forecast_high) == (50, 50, 50)
    assert reviews.status == "missed"
    running = forecast.rate(2, 4, 0)
    assert math.isclose(running.low, 15.0, abs_tol=0.05)
    assert math.isclose(running.high, 85.0, abs_tol=0.05)
    assert forecast.status("up", 95, running) == "off_track"


def test_a_store_and_a_category(world):
    # Store B: C4 1 message + C6 2 = 3; waits W5 (open), W6 (60 min): 1 of 2 within 24 h.
    store_b = values(store_id=world.store_b.pk)
    assert store_b["messaging_interactions"].value == 3
    assert store_b["response_within_24h"].value == 50
    assert store_b["review_volume"].value == 0
    # Training per store: Bea is store B's active seller, not enrolled: 0 of 1. Satisfaction
    # and resource engagement are not measured per store.
    assert store_b["training_participation"].value == 0
    assert store_b["satisfaction_education"].value is None
    assert store_b["resource_engagement"].value is None
    # Home is store A's department (its product is in a sub-category): 10 − 3 = 7 messages.
    home = values(category_id=world.home.pk)
    assert home["messaging_interactions"].value == 7
    assert home["review_volume"].value == 4


def test_quarter_to_date(world):
    # Q4 to 20 Oct: Sam's reply of 1 Oct is the only message; R6 (19 Oct 18:00) is a published
    # review but not 48 h old and unanswered, so not yet due.
    q4 = values(Q4)
    assert q4["messaging_interactions"].value == 1
    assert q4["review_volume"].value == 1
    assert q4["review_response_48h"].value is None
    assert q4["review_response_48h"].denominator == 0


def test_weekly_series_distribution_and_funnel(world):
    series = dict(selectors.weekly_series("messaging_interactions", Q3, as_of=NOW))
    assert len(series) == 14  # 92 days: 13 full weeks and one day
    assert sum(series.values()) == 10
    assert series[Q3.first_day] == 2  # C6 on 1 July
    assert selectors.response_time_distribution(Q3, as_of=NOW) == [
        ("under 1 h", 0),
        ("1–4 h", 2),  # 60 and 150 min
        ("4–12 h", 1),  # 540 min
        ("12–24 h", 0),
        ("24–48 h", 1),  # 1500 min
        ("48 h or more", 0),
    ]
    # Buyer-started C1, C2, C3, C4, C6; replied: C1, C2, C6; then bought: C1, C2.
    assert selectors.funnel(Q3, as_of=NOW) == selectors.Funnel(5, 3, 2)


def test_drill_down_lists_the_items_behind_the_number(world):
    late = selectors.drill_down("review_response_48h", Q3, as_of=NOW)
    assert [(review.rating, review.published_at.day) for review in late] == [(1, 1), (2, 20)]
    waits = selectors.drill_down("response_within_24h", Q3, as_of=NOW)
    assert [(wait.outcome, wait.response_seconds) for wait in waits] == [
        ("answered", 25 * 3600),
        ("open", None),
    ]
    not_enrolled = selectors.drill_down("training_participation", Q3, as_of=NOW)
    assert list(not_enrolled) == [world.bea]
    with pytest.raises(ValueError):
        selectors.drill_down("satisfaction_education", Q3, as_of=NOW)


def test_store_ranking_and_median(world):
    best = selectors.store_ranking("messaging_interactions", Q3)
    assert [(rank.store_id, rank.value) for rank in best] == [
        (world.store_a.pk, 7),
        (world.store_b.pk, 3),
    ]
    worst = selectors.store_ranking("messaging_interactions", Q3, worst=True, limit=1)
    assert [rank.store_id for rank in worst] == [world.store_b.pk]
    # Replies within 24 h: A 2 of 3 (W1, W3 of W1, W2, W3), B 1 of 2; with a minimum of 2.
    ranked = selectors.store_ranking("response_within_24h", Q3, minimum=2)
    assert [(rank.store_id, rank.value) for rank in ranked] == [
        (world.store_a.pk, pytest.approx(200 / 3)),
        (world.store_b.pk, 50),
    ]
    assert selectors.marketplace_median("response_within_24h", Q3, minimum=2) == pytest.approx(
        (200 / 3 + 50) / 2
    )
    assert selectors.marketplace_median("response_within_24h", Q3, minimum=3) == pytest.approx(
        200 / 3
    )


def test_a_wait_ageing_past_48_hours_is_picked_up(world):
    b = Builder()
    conversation = b.conversation(world.ann, world.store_b, NOW, topic="late")
    b.wait(b.message(conversation, world.ann, Side.BUYER, NOW), outcome=Wait.Outcome.OPEN)
    while rollups.refresh_dirty(now=NOW):
        pass
    rollups.age(now=NOW)
    later = NOW + timedelta(hours=49)
    # Q4's only wait is this one, just opened: not decided yet.
    assert values(Q4)["abandoned_conversations"].denominator == 0
    rollups.age(now=later)
    while rollups.refresh_dirty(now=later):
        pass
    found = selectors.kpi_values(Q4, as_of=later, keys=["abandoned_conversations"])[0]
    assert (found.numerator, found.denominator) == (1, 1)


def test_the_dashboard_reads_a_few_rows(world, django_assert_max_num_queries):
    from saypro.analytics.kpis import KPIS

    rollup_keys = [kpi.key for kpi in KPIS if kpi.source == "rollup"]
    # The day rows of both quarters, and the targets: whatever the number of stores.
    with django_assert_max_num_queries(2):
        found = selectors.kpi_values(Q3, as_of=NOW, keys=rollup_keys)
    assert len(found) == len(rollup_keys)
