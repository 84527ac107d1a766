"""The per-store-per-quarter rollups (``StoreQuarter``, ``MarketplaceMedian``), the store
activity counters and the packed histograms give exactly what the per-day rows and the raw
tables gave. (That the
incremental rows equal a rebuild is ``test_invariants``: its snapshot holds them.)"""

import statistics
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from saypro.accounts.tests.factories import UserFactory
from saypro.analytics import education, histogram, rollups, selectors, tasks
from saypro.analytics.kpis import KPIS, PERCENT, get
from saypro.analytics.models import (
    COUNTER_FIELDS,
    STORE_FIELDS,
    ActiveSeller,
    CategoryDay,
    MarketplaceDay,
    MarketplaceMedian,
    StoreDay,
    StoreQuarter,
)
from saypro.analytics.periods import Quarter, local_date, local_midnight
from saypro.analytics.tests.world import NOW
from saypro.catalog import services as catalog
from saypro.catalog.importers import import_catalog, parse_catalog_csv
from saypro.catalog.models import Order, StoreMembership
from saypro.catalog.tests.factories import (
    CategoryFactory,
    MembershipFactory,
    ProductFactory,
    StoreFactory,
)
from saypro.surveys.models import Audience
from saypro.surveys.selectors import active_people

Q2, Q3 = Quarter(2026, 2), Quarter(2026, 3)
ROLLUP_KEYS = [kpi.key for kpi in KPIS if kpi.source != "education"]


def day_sums(quarter: Quarter) -> dict[int, dict]:
    """Each store's StoreDay rows of the quarter added up here, histograms included."""
    sums: dict[int, dict] = defaultdict(lambda: {"histogram": Counter(), "days": 0})
    for row in StoreDay.objects.filter(day__gte=quarter.first_day, day__lte=quarter.last_day):
        found = sums[row.store_id]
        for name in STORE_FIELDS:
            found[name] = found.get(name, 0) + getattr(row, name)
        histogram.add(found["histogram"], row.response_histogram)
        found["days"] += 1
    return sums


def expected_values(key: str, quarter: Quarter, minimum: int) -> list[tuple[int, float]]:
    """(store, value) of every qualifying store, as the old per-day computation had it."""
    kpi = get(key)
    found = []
    for store_id, sums in day_sums(quarter).items():
        if not any(sums[name] for name in COUNTER_FIELDS):
            continue  # orders and buyer messages only: no KPI figures
        if kpi.kind == "percentile":
            answered = sum(sums["histogram"].values())
            if answered >= max(1, minimum):
                minutes = histogram.percentile_minutes(sums["histogram"], kpi.share)
                found.append((store_id, minutes / 60))
        elif kpi.denominator:
            if sums[kpi.denominator] >= max(1, minimum):
                scale = 100.0 if kpi.unit == PERCENT else 1.0
                found.append((store_id, sums[kpi.numerator] / sums[kpi.denominator] * scale))
        else:
            found.append((store_id, float(sums[kpi.numerator])))
    return found


def test_store_quarter_rows_are_the_sums_of_their_day_rows(world):
    checked = 0
    for quarter in (Q2, Q3):
        sums = day_sums(quarter)
        rows = StoreQuarter.objects.filter(quarter=quarter.first_day)
        assert {row.store_id for row in rows} == set(sums)
        for row in rows:
            found = sums[row.store_id]
            assert row.counters() == {name: found[name] for name in STORE_FIELDS}
            assert row.response_histogram == histogram.as_dict(found["histogram"])
            assert row.response_p50_minutes == histogram.percentile_minutes(found["histogram"], 0.5)
            assert row.response_p90_minutes == histogram.percentile_minutes(found["histogram"], 0.9)
            checked += 1
    assert checked >= 2


@pytest.mark.parametrize("minimum", [1, selectors.MIN_DENOMINATOR])
def test_rankings_and_medians_equal_the_per_day_computation(world, minimum):
    ranked = 0
    for quarter in (Q2, Q3):
        for key in ROLLUP_KEYS:
            kpi = get(key)
            expected = expected_values(key, quarter, minimum)
            for worst in (False, True):
                descending = (kpi.better == "up") != worst
                ordered = sorted(
                    expected, key=lambda pair: (-pair[1] if descending else pair[1], pair[0])
                )
                found = selectors.store_ranking(key, quarter, worst=worst, minimum=minimum, limit=3)
                assert [(rank.store_id, rank.value) for rank in found] == ordered[:3], key
                ranked += len(found)
            best, worst_first = selectors.best_and_worst(key, quarter, limit=3, minimum=minimum)
            assert best == selectors.store_ranking(key, quarter, limit=3, minimum=minimum)
            assert worst_first == selectors.store_ranking(
                key, quarter, limit=3, minimum=minimum, worst=True
            )
            values = [value for _, value in expected]
            median = statistics.median(values) if values else None
            assert selectors.marketplace_median(key, quarter, minimum=minimum) == median, key
    assert ranked > 0


def test_the_medians_are_kept_rows_read_without_touching_the_stores(
    world, django_assert_num_queries
):
    assert MarketplaceMedian.objects.filter(quarter=Q3.first_day).count() == len(ROLLUP_KEYS)
    expected = dict(
        (key, statistics.median(v) if (v := [x for _, x in expected_values(key, Q3, 5)]) else None)
        for key in ROLLUP_KEYS
    )
    with django_assert_num_queries(1):
        assert (
            selectors.marketplace_median("response_within_24h", Q3)
            == (expected["response_within_24h"])
        )
    assert {key: selectors.marketplace_median(key, Q3) for key in ROLLUP_KEYS} == expected


def test_kept_rankings_equal_the_sql_sorted_ones(world, django_assert_max_num_queries):
    kept = 0
    for key in ROLLUP_KEYS:
        kpi = get(key)
        for worst in (False, True):
            # The MarketplaceMedian row, the stores' names (none to read for an empty list).
            with django_assert_max_num_queries(2):
                found = selectors.store_ranking(key, Q3, worst=worst)
            assert found == selectors._ordered(
                kpi, Q3, worst=worst, limit=10, minimum=selectors.MIN_DENOMINATOR
            )
            kept += len(found)
    assert kept > 0


def end_of(day):
    return local_midnight(day + timedelta(days=1))


def test_active_sellers_from_the_rollups_equal_the_raw_definition(world):
    periods = [
        (Q3.start, Q3.end),
        (Q2.start, Q2.end),
        (Q3.start, end_of(local_date(NOW))),  # the quarter to date
        (Q3.start, end_of(Q3.first_day + timedelta(days=20))),  # an earlier cut: day rows
        (local_midnight(Q3.first_day + timedelta(days=7)), end_of(Q3.first_day + timedelta(13))),
        # Most of a quarter from its start: its row less the days after the period.
        *[
            (quarter.start, end_of(quarter.last_day - timedelta(days=days)))
            for quarter in (Q2, Q3)
            for days in (1, 6, 20, 45)
        ],
    ]
    stores = list(StoreDay.objects.values_list("store_id", flat=True).distinct())
    nonempty = 0
    for start, end in periods:
        assert education.active_stores(start, end) is not None
        raw = set(active_people(start=start, end=end, audience=Audience.SELLERS))
        assert education.sellers(start, end, None) == raw
        nonempty += bool(raw)
        for store_id in stores:
            raw_store = set(
                education._raw_seller_ids(start, end, [store_id]).values_list("user_id", flat=True)
            )
            assert education.sellers(start, end, [store_id]) == raw_store
    assert nonempty
    # Not whole days: the raw tables are read.
    assert education.active_stores(Q3.start + timedelta(hours=1), Q3.end) is None


@pytest.mark.django_db
def test_an_order_alone_makes_an_active_seller_and_no_kpi_figures(settings):
    settings.TIME_ZONE = "Africa/Johannesburg"
    store = StoreFactory()
    product = ProductFactory(store=store, stock=10)
    seller = MembershipFactory(store=store).user
    catalog.place_order(buyer=UserFactory(), lines=[catalog.OrderLine(product, 1)])
    while rollups.refresh_dirty():
        pass
    today = local_date(timezone.now())
    quarter = Quarter.of(today)
    row = StoreDay.objects.get(store=store, day=today)
    assert (row.orders, row.buyer_messages, row.messages) == (1, 0, 0)
    assert StoreQuarter.objects.get(store=store, quarter=quarter.first_day).orders == 1
    assert not MarketplaceDay.objects.filter(day=today).exists()
    assert selectors.store_ranking("messaging_interactions", quarter) == []
    assert education.sellers(quarter.start, quarter.end, None) == {seller.pk}

    def rows():
        return (
            list(StoreDay.objects.values("store_id", "day", *STORE_FIELDS)),
            list(StoreQuarter.objects.values("store_id", "quarter", *STORE_FIELDS)),
        )

    incremental = rows()
    rollups.rebuild(restart=True)
    assert rows() == incremental


@pytest.mark.django_db
def test_kept_active_sellers_follow_activity_memberships_people_and_imports():
    """``ActiveSeller`` equals the raw definition after each kind of change that moves it."""
    store = StoreFactory(external_id="karoo", name="Karoo Leather Works")
    product = ProductFactory(store=store, stock=10)
    seller = MembershipFactory(store=store).user
    quarter = Quarter.of(local_date(timezone.now()))

    def check(expected: set) -> None:
        kept = ActiveSeller.objects.filter(quarter=quarter.first_day)
        raw = active_people(start=quarter.start, end=quarter.end, audience=Audience.SELLERS)
        assert set(kept.values_list("user_id", flat=True)) == set(raw) == expected
        assert education.sellers(quarter.start, quarter.end, None) == expected

    check(set())
    catalog.place_order(buyer=UserFactory(), lines=[catalog.OrderLine(product, 1)])
    while rollups.refresh_dirty():
        pass
    check({seller.pk})  # the store's quarter turned active
    agent = MembershipFactory(store=store).user
    check({seller.pk, agent.pk})  # joined the team
    agent.is_staff = True
    agent.save()
    check({seller.pk})  # office staff are left out
    agent.is_staff = False
    agent.save(update_fields=["is_staff"])
    seller.is_active = False
    seller.save(update_fields=["is_active"])
    check({agent.pk})
    StoreMembership.objects.filter(user=agent).delete()
    check(set())  # left the team
    owner = UserFactory(email="naledi@example.test")
    category = CategoryFactory(slug="belts")
    found = parse_catalog_csv(
        "store_external_id,store_name,store_owner_email,product_external_id,title,category,"
        f"price,stock\nkaroo,Karoo Leather Works,{owner.email},belt,Belt,{category.slug},450,3\n"
    )
    assert import_catalog(catalog=found).written
    check({owner.pk})  # made owner by a catalog import (memberships written in bulk)
    Order.objects.filter(store=store).delete()
    while rollups.refresh_dirty():
        pass
    check(set())  # the store's quarter turned idle
    incremental = list(ActiveSeller.objects.values_list("quarter", "user_id"))
    rollups.rebuild(restart=True)
    assert list(ActiveSeller.objects.values_list("quarter", "user_id")) == incremental


@pytest.mark.django_db
def test_the_hourly_reconcile_repairs_the_current_quarter_and_leaves_right_rows_alone():
    store = StoreFactory()
    product = ProductFactory(store=store, stock=10)
    sellers = [MembershipFactory(store=store).user for _ in range(3)]
    catalog.place_order(buyer=UserFactory(), lines=[catalog.OrderLine(product, 1)])
    while rollups.refresh_dirty():
        pass
    quarter = Quarter.of(local_date(timezone.now())).first_day
    kept = ActiveSeller.objects.filter(quarter=quarter)
    right = dict(kept.exclude(user=sellers[0]).values_list("user_id", "pk"))
    # What a race could leave: a seller missing, a person who is no seller counted.
    kept.filter(user=sellers[0]).delete()
    outsider = UserFactory()
    ActiveSeller.objects.create(quarter=quarter, user=outsider)

    tasks.reconcile_active_sellers.call_local()

    assert set(kept.values_list("user_id", flat=True)) == {seller.pk for seller in sellers}
    assert dict(kept.exclude(user=sellers[0]).values_list("user_id", "pk")) == right


def test_category_and_marketplace_rows_keep_their_histogram_packed(world):
    def check():
        rows = [*CategoryDay.objects.all(), *MarketplaceDay.objects.all()]
        assert any(row.response_histogram for row in rows)
        for row in rows:
            unpacked = histogram.unpack(row.response_blob)
            assert (unpacked == histogram.array_of(row.response_histogram)).all()

    check()  # kept by the refreshes
    rollups.rebuild(restart=True, now=NOW)
    check()


def test_rows_not_packed_yet_are_read_from_their_json(world):
    packed = selectors.kpi_values(Q3, as_of=NOW)
    MarketplaceDay.objects.update(response_blob=b"")
    assert selectors.kpi_values(Q3, as_of=NOW) == packed
    assert selectors.response_time_distribution(Q3, as_of=NOW) == histogram.bands(
        selectors._total(
            selectors._rows(Q3.first_day, Q3.last_day), Q3.first_day, Q3.last_day
        ).histogram
    )


histograms = st.dictionaries(
    st.integers(0, histogram.OVERFLOW).map(str), st.integers(1, 50), max_size=40
)


@given(histograms, st.sampled_from([0.5, 0.9, 0.25, 1.0]), st.integers(-3, 200))
def test_dense_array_percentiles_and_bands_equal_the_sparse_ones(counts, share, rank):
    sparse = histogram.add(Counter(), counts)
    dense = histogram.unpack(histogram.pack(counts))
    assert (dense == histogram.array_of(counts)).all()
    assert histogram.array_percentile_minutes(dense, share) == histogram.percentile_minutes(
        sparse, share
    )
    assert histogram.array_rank_minutes(dense, rank) == histogram.rank_minutes(sparse, rank)
    assert histogram.array_bands(dense) == histogram.bands(sparse)
