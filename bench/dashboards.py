"""Benchmark the KPI dashboards at scale; prints one JSON object.

    .venv/bin/python -m bench.dashboards --messages 10000000 --reviews 1000000 --stores 50000
    .venv/bin/python -m bench.dashboards --messages 1000000 --reviews 100000 --stores 5000 \\
        --db postgres [--quick]

1. A fresh database: a SQLite file under ``var/bench/`` (deleted at the end
   unless ``--keep``), or with ``--db postgres`` a database
   ``saypro_bench_<pid>`` on the server of ``DATABASE_URL`` (default
   ``postgres://postgres@127.0.0.1:5432/``), dropped at the end. ``migrate``,
   then a bulk load of stores, categories, sellers, buyers, products,
   conversations, messages, waits, product cards, orders, reviews, answers and
   improvement plans spread over the current quarter and the two before it:
   ``executemany`` in big batches with ``synchronous=OFF`` / ``journal_mode=OFF``
   on SQLite, ``COPY`` (psycopg) with foreign-key triggers off on PostgreSQL.
   The message-search index (FTS5 triggers / the GIN index) is dropped for the
   load and not rebuilt: no KPI reads it. Then ``rollups.rebuild`` (the code of
   ``saypro analytics rebuild``) builds the rollups, timed.
2. Each query set runs once untimed (a fresh process's first call imports modules
   and fills Django's per-process caches: reported apart as ``first_call_ms``), then
   ``--runs`` times (the cache cleared before each run), reporting p50 / p95 in ms:
   the office dashboard (everything ``/office/kpis/`` reads), a seller
   scorecard (``kpi_values`` for one store and ``marketplace_median`` of its
   KPIs) and a quarterly report (last quarter: ``kpi_values``, every rollup
   KPI's weekly series, distribution, funnel, top and bottom stores). The
   office dashboard's rollup figures are also computed naively from the raw
   tables (SQL aggregates over messages, waits, conversations and reviews of
   the quarter), ``--naive-runs`` times, for the ratio.

``--quick`` runs each query set 3 times and the naive version once (a smoke
run). ``run()`` is what ``tests/bench/test_dashboards.py`` calls at a tiny size. ``--keep``
keeps the database; ``--load-only`` loads and keeps it without rebuilding or measuring;
``--reuse FOLDER_OR_NAME`` measures a kept one again (migrating it first), without
loading, and with ``--rebuild`` rebuilds its rollups first, timed (needed when the code
added rollups since the load).
"""

import argparse
import json
import math
import os
import platform
import random
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent

# The targets, in milliseconds (p95 for the pages, the report's worst run).
TARGETS = {"office_dashboard": 150, "seller_scorecard": 50, "quarterly_report": 2000}

# The office dashboard's trend charts (rollup KPIs with a target, and the response KPI).
HEADLINE = (
    "messaging_interactions",
    "response_within_24h",
    "review_response_48h",
    "negative_review_response_48h",
    "improvements_from_feedback",
)
# Top and bottom stores shown on the office dashboard and in the report.
RANKED = ("response_within_24h", "review_response_48h")
# The scorecard compares the store with the marketplace median on these.
SCORECARD = (
    "response_within_24h",
    "first_response_median",
    "abandoned_conversations",
    "message_to_purchase",
    "review_response_48h",
    "negative_review_response_48h",
    "average_rating",
    "coach_score_average",
)
CATEGORIES = 12
# Their secondary indexes are dropped for the load and rebuilt after it (faster than row by row).
BIG_TABLES = (
    "messaging_message",
    "messaging_conversation",
    "messaging_wait",
    "messaging_productcard",
    "catalog_order",
    "catalog_orderitem",
    "reviews_review",
    "reviews_answer",
)
BATCH = 50_000
HOUR = 3600
DAY = 24 * HOUR


# --- Loading ---------------------------------------------------------------------------------


class Writer:
    """Batched inserts with explicit ids: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, connection, vendor: str):
        self.connection = connection
        self.vendor = vendor
        self.postgres = vendor == "postgresql"
        self.rows: dict[str, list] = {}
        self.columns: dict[str, tuple] = {}
        self.counts: dict[str, int] = {}

    # Values as each database takes them: SQLite gets Django's text formats, PostgreSQL objects.
    def time(self, epoch: float):
        moment = datetime.fromtimestamp(int(epoch), UTC)
        return moment if self.postgres else moment.strftime("%Y-%m-%d %H:%M:%S")

    def duration(self, seconds: float):
        return timedelta(seconds=int(seconds)) if self.postgres else int(seconds) * 1_000_000

    def prepare(self) -> None:
        cursor = self.connection.cursor()
        if self.postgres:
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("DROP INDEX IF EXISTS messaging_message_search")
        else:
            for statement in (
                "PRAGMA synchronous=OFF",
                "PRAGMA journal_mode=OFF",
                "PRAGMA foreign_keys=OFF",
                "DROP TRIGGER IF EXISTS messaging_message_fts_insert",
            ):
                cursor.execute(statement)
        self.connection.commit()

    def drop_indexes(self, tables: tuple[str, ...]) -> list[str]:
        """Drop the secondary indexes of the big tables (not those backing constraints on
        PostgreSQL); returns the statements that recreate them after the load."""
        cursor = self.connection.cursor()
        if self.postgres:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [list(tables)],
            )
        else:
            marks = ", ".join("?" * len(tables))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({marks})",
                tables,
            )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
        self.connection.commit()
        return [statement for _, statement in found]

    def create_indexes(self, statements: list[str]) -> None:
        cursor = self.connection.cursor()
        for statement in statements:
            cursor.execute(statement)
        self.connection.commit()

    def next_id(self, table: str) -> int:
        cursor = self.connection.cursor()
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]

    def add(self, table: str, columns: tuple, row: tuple) -> None:
        self.columns[table] = columns
        batch = self.rows.setdefault(table, [])
        batch.append(row)
        if len(batch) >= BATCH:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self.rows):
            batch = self.rows.get(name)
            if not batch:
                continue
            columns = self.columns[name]
            cursor = self.connection.cursor()
            if self.postgres:
                with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                if not self.connection.in_transaction:
                    cursor.execute("BEGIN")  # Django's connection autocommits otherwise
                marks = ", ".join("?" * len(columns))
                cursor.executemany(
                    f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})",
                    batch,
                )
            self.counts[name] = self.counts.get(name, 0) + len(batch)
            batch.clear()
        if table is None:
            # Foreign keys are deferred: commit only once every table's batch is in.
            self.connection.commit()

    def finish(self) -> None:
        self.flush()
        cursor = self.connection.cursor()
        if self.postgres:
            cursor.execute("SET session_replication_role = DEFAULT")
            for table in self.counts:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
                )
            cursor.execute("ANALYZE")
        else:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("ANALYZE")
        self.connection.commit()


USER = (
    "id",
    "password",
    "is_superuser",
    "email",
    "first_name",
    "last_name",
    "is_staff",
    "is_active",
    "date_joined",
)
MESSAGE = (
    "id",
    "side",
    "text",
    "fingerprint",
    "contact_details",
    "is_spam",
    "created_at",
    "conversation_id",
    "sender_id",
)
WAIT = (
    "id",
    "started_at",
    "due_at",
    "outcome",
    "ended_at",
    "response_seconds",
    "conversation_id",
    "ended_by_id",
    "message_id",
)
CONVERSATION = (
    "id",
    "topic",
    "started_by",
    "created_at",
    "last_message_at",
    "message_count",
    "first_response_seconds",
    "buyer_id",
    "product_id",
    "store_id",
)
ORDER = (
    "id",
    "number",
    "status",
    "total",
    "currency",
    "placed_at",
    "buyer_id",
    "store_id",
    "is_imported",
)
ITEM = ("id", "title", "unit_price", "quantity", "order_id", "product_id")
REVIEW = (
    "id",
    "rating",
    "title",
    "body",
    "is_verified",
    "status",
    "hold_reason",
    "moderation_note",
    "created_at",
    "published_at",
    "response_due_at",
    "deadline_flag",
    "is_answered",
    "helpful_count",
    "open_report_count",
    "author_id",
    "order_item_id",
    "product_id",
    "store_id",
)
ANSWER = (
    "id",
    "body",
    "published_at",
    "withdrawn_at",
    "response_time",
    "coach_score",
    "author_id",
    "store_id",
    "review_id",
)
PLAN = (
    "id",
    "suggestion_key",
    "template",
    "title",
    "problem",
    "goal_metric",
    "goal_target",
    "goal_due",
    "status",
    "shipped_at",
    "measured_at",
    "verdict",
    "created_at",
    "updated_at",
    "product_id",
    "store_id",
)


def generate(
    writer: Writer,
    *,
    messages: int,
    reviews: int,
    stores: int,
    start: float,
    end: float,
    seed: int = 8,
    progress: bool = True,
) -> dict:
    """Write the world into the database behind ``writer``; returns the row counts."""
    rng = random.Random(seed)
    w = writer
    span = end - start
    ids = {
        table: w.next_id(table)
        for table in (
            "accounts_user",
            "catalog_category",
            "catalog_store",
            "catalog_storemembership",
            "catalog_product",
            "catalog_order",
            "catalog_orderitem",
            "messaging_conversation",
            "messaging_message",
            "messaging_wait",
            "messaging_productcard",
            "reviews_review",
            "reviews_answer",
            "improvements_plan",
        )
    }

    def new(table: str) -> int:
        ids[table] += 1
        return ids[table] - 1

    joined = w.time(start - 30 * DAY)
    category_ids = []
    for position in range(CATEGORIES):
        pk = new("catalog_category")
        category_ids.append(pk)
        w.add(
            "catalog_category",
            ("id", "name", "slug", "position"),
            (pk, f"Department {pk}", f"bench-department-{pk}", position),
        )
    store_ids, seller_of, products_of = [], {}, {}
    for index in range(stores):
        store = new("catalog_store")
        seller = new("accounts_user")
        store_ids.append(store)
        seller_of[store] = seller
        w.add(
            "catalog_store",
            ("id", "name", "slug", "description", "logo", "is_active", "created_at"),
            (store, f"Bench store {store}", f"bench-store-{store}", "", "", True, joined),
        )
        w.add(
            "accounts_user",
            USER,
            (
                seller,
                "!",
                False,
                f"seller{seller}@bench.example",
                "Seller",
                str(seller),
                False,
                True,
                joined,
            ),
        )
        w.add(
            "catalog_storemembership",
            ("id", "role", "created_at", "store_id", "user_id"),
            (new("catalog_storemembership"), "owner", joined, store, seller),
        )
        products_of[store] = []
        for _ in range(2):
            product = new("catalog_product")
            products_of[store].append(product)
            w.add(
                "catalog_product",
                (
                    "id",
                    "title",
                    "description",
                    "price",
                    "currency",
                    "stock",
                    "is_active",
                    "created_at",
                    "updated_at",
                    "category_id",
                    "store_id",
                ),
                (
                    product,
                    f"Product {product}",
                    "",
                    "100.00",
                    "ZAR",
                    10,
                    True,
                    joined,
                    joined,
                    category_ids[index % CATEGORIES],
                    store,
                ),
            )
    conversation_total = max(1, messages // 5)
    buyer_ids = []
    for _ in range(max(20, conversation_total // 10)):
        buyer = new("accounts_user")
        buyer_ids.append(buyer)
        w.add(
            "accounts_user",
            USER,
            (
                buyer,
                "!",
                False,
                f"buyer{buyer}@bench.example",
                "Buyer",
                str(buyer),
                False,
                True,
                joined,
            ),
        )

    def some_store() -> int:
        # Skewed: a few big stores, a long tail of small ones.
        return store_ids[int(stores * rng.random() ** 2)]

    def order(buyer: int, store: int, placed: float) -> int:
        pk = new("catalog_order")
        w.add(
            "catalog_order",
            ORDER,
            (pk, f"B{pk}", "delivered", "100.00", "ZAR", w.time(placed), buyer, store, False),
        )
        item = new("catalog_orderitem")
        w.add("catalog_orderitem", ITEM, (item, "Product", "100.00", 1, pk, products_of[store][0]))
        return item

    bar = tqdm(total=messages, desc="Messages", unit=" msg", disable=not progress)
    sent = 0
    while sent < messages:
        conversation = new("messaging_conversation")
        store, buyer = some_store(), rng.choice(buyer_ids)
        seller = seller_of[store]
        created = start + rng.random() * span
        side = "buyer" if rng.random() < 0.85 else "store"
        started_by, moment, count, wait, first_response = side, created, 0, None, None
        card = rng.random() < 0.1
        for _ in range(min(rng.randint(2, 8), messages - sent)):
            if moment >= end:
                break
            message = new("messaging_message")
            sender = buyer if side == "buyer" else seller
            w.add(
                "messaging_message",
                MESSAGE,
                (
                    message,
                    side,
                    "Hello",
                    "",
                    False,
                    rng.random() < 0.01,
                    w.time(moment),
                    conversation,
                    sender,
                ),
            )
            count += 1
            if side == "buyer" and wait is None:
                wait = (new("messaging_wait"), moment, message)
            elif side == "store":
                if wait is not None:
                    pk, began, asked = wait
                    response = int(moment) - int(began)
                    first_response = first_response if first_response is not None else response
                    w.add(
                        "messaging_wait",
                        WAIT,
                        (
                            pk,
                            w.time(began),
                            w.time(began + DAY),
                            "answered",
                            w.time(moment),
                            response,
                            conversation,
                            seller,
                            asked,
                        ),
                    )
                    wait = None
                if card:
                    w.add(
                        "messaging_productcard",
                        ("id", "position", "clicks", "message_id", "product_id"),
                        (new("messaging_productcard"), 0, 0, message, products_of[store][0]),
                    )
                    card = False
            if rng.random() < 0.7:
                side = "store" if side == "buyer" else "buyer"
            gap = (
                rng.uniform(DAY, 3 * DAY)
                if rng.random() < 0.08
                else rng.expovariate(1 / (3 * HOUR))
            )
            moment += gap
        if wait is not None:
            pk, began, asked = wait
            settled = rng.random() < 0.1
            w.add(
                "messaging_wait",
                WAIT,
                (
                    pk,
                    w.time(began),
                    w.time(began + DAY),
                    "no_response" if settled else "open",
                    w.time(began + HOUR) if settled else None,
                    None,
                    conversation,
                    seller if settled else None,
                    asked,
                ),
            )
        last = w.time(min(moment, end))
        w.add(
            "messaging_conversation",
            CONVERSATION,
            (
                conversation,
                f"bench-{conversation}",
                started_by,
                w.time(created),
                last,
                count,
                first_response,
                buyer,
                products_of[store][0],
                store,
            ),
        )
        if rng.random() < 0.15 and (placed := created + rng.uniform(0, 10 * DAY)) < end:
            order(buyer, store, placed)
        sent += max(count, 1)
        bar.update(max(count, 1))
    bar.close()

    bar = tqdm(total=reviews, desc="Reviews", unit=" reviews", disable=not progress)
    for _ in range(reviews):
        store, buyer = some_store(), rng.choice(buyer_ids)
        created = start + rng.random() * span
        item = order(buyer, store, created - rng.uniform(2 * DAY, 20 * DAY))
        review = new("reviews_review")
        roll = rng.random()
        status = "published" if roll < 0.96 else "held" if roll < 0.98 else "hidden"
        published = created + 60 if status != "held" else None
        rating = rng.choices((1, 2, 3, 4, 5), (8, 7, 12, 28, 45))[0]
        answered = (
            status == "published"
            and rng.random() < 0.85
            and (published + (response := rng.expovariate(1 / (30 * HOUR))) < end)
        )
        w.add(
            "reviews_review",
            REVIEW,
            (
                review,
                rating,
                "Review",
                "Text",
                True,
                status,
                "",
                "",
                w.time(created),
                published and w.time(published),
                published and w.time(published + 2 * DAY),
                "",
                answered,
                0,
                0,
                buyer,
                item,
                products_of[store][0],
                store,
            ),
        )
        if answered:
            withdrawn = w.time(published + response + HOUR) if rng.random() < 0.01 else None
            score = rng.randint(40, 100) if rng.random() < 0.7 else None
            w.add(
                "reviews_answer",
                ANSWER,
                (
                    new("reviews_answer"),
                    "Thank you",
                    w.time(published + response),
                    withdrawn,
                    w.duration(response),
                    score,
                    seller_of[store],
                    store,
                    review,
                ),
            )
        bar.update(1)
    bar.close()

    for _ in range(max(10, stores // 5)):
        store = some_store()
        created = start + rng.random() * span
        roll = rng.random()
        status = (
            "proposed"
            if roll < 0.3
            else "in_progress"
            if roll < 0.5
            else "shipped"
            if roll < 0.8
            else "measured"
        )
        shipped = created + rng.uniform(3 * DAY, 30 * DAY) if roll >= 0.5 else None
        if shipped is not None and shipped >= end:
            status, shipped = "in_progress", None
        measured = shipped + 14 * DAY if status == "measured" else None
        if measured is not None and measured >= end:
            status, measured = "shipped", None
        verdict = rng.choice(("helped", "helped", "no_clear_change")) if measured else ""
        stamp = w.time(created)
        w.add(
            "improvements_plan",
            PLAN,
            (
                new("improvements_plan"),
                "bench-feedback" if rng.random() < 0.5 else "",
                "clarify_listing",
                "Plan",
                "",
                "average_rating",
                4.5,
                datetime.fromtimestamp(end, UTC).date(),
                status,
                shipped and w.time(shipped),
                measured and w.time(measured),
                verdict,
                stamp,
                stamp,
                products_of[store][0],
                store,
            ),
        )
    w.flush()
    return dict(sorted(w.counts.items()))


# --- Measuring -------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def timed(function, runs: int, *, clear: bool = True, warm_up: bool = True) -> dict:
    from django.core.cache import cache

    seconds = []
    # One untimed call first (unless ``warm_up`` is off), reported on its own: a fresh
    # process's first call imports modules and fills Django's per-process caches, which a
    # served page never pays again; with ``clear`` off it also fills the cache. Every timed
    # run then starts with the cache cleared (cold data) unless ``clear`` is off.
    first = None
    if warm_up:
        cache.clear()
        began = time.perf_counter()
        function()
        first = round((time.perf_counter() - began) * 1000, 1)
    for _ in range(runs):
        if clear:
            cache.clear()
        began = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - began)
    return {
        "runs": runs,
        "p50_ms": round(percentile(seconds, 0.5) * 1000, 1),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
        "first_call_ms": first,
    }


def office_dashboard(quarter, now) -> None:
    from saypro.analytics import selectors

    selectors.kpi_values(quarter, as_of=now)
    for key in HEADLINE:
        selectors.weekly_series(key, quarter, as_of=now)
    selectors.response_time_distribution(quarter, as_of=now)
    selectors.funnel(quarter, as_of=now)
    for key in RANKED:
        selectors.store_ranking(key, quarter)
        selectors.store_ranking(key, quarter, worst=True)


def seller_scorecard(quarter, now, store_id: int) -> None:
    from saypro.analytics import selectors

    selectors.kpi_values(quarter, as_of=now, store_id=store_id)
    for key in SCORECARD:
        selectors.marketplace_median(key, quarter)


def quarterly_report(quarter) -> None:
    from saypro.analytics import selectors
    from saypro.analytics.kpis import KPIS

    selectors.kpi_values(quarter)
    for kpi in KPIS:
        if kpi.source != "education":
            selectors.weekly_series(kpi.key, quarter)
    selectors.response_time_distribution(quarter)
    selectors.funnel(quarter)
    for key in RANKED:
        selectors.store_ranking(key, quarter)
        selectors.store_ranking(key, quarter, worst=True)


def naive_dashboard(quarter, now) -> dict:
    """The office dashboard's rollup figures straight from the raw tables, this quarter and
    the one before, with SQL aggregates (weekly groups, the response-time list for the
    percentiles, the top stores by 24-hour responses). Returns the rows each query gave."""
    from django.db import connection

    sqlite = connection.vendor == "sqlite"
    start, end = quarter.previous().start, min(quarter.end, now)
    if sqlite:
        start, end = (
            moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") for moment in (start, end)
        )
        week = "CAST((julianday({}) - julianday(%s)) / 7 AS INTEGER)"
        week_later = "datetime(c.created_at, '+7 days')"
        goal = 48 * HOUR * 1_000_000
    else:
        week = "FLOOR(EXTRACT(EPOCH FROM ({} - %s)) / 604800)"
        week_later = "c.created_at + INTERVAL '7 days'"
        goal = timedelta(hours=48)
    queries = (
        (
            f"SELECT {week.format('m.created_at')}, COUNT(*) FROM messaging_message m "
            "JOIN messaging_conversation c ON c.id = m.conversation_id "
            "WHERE m.created_at >= %s AND m.created_at < %s AND NOT m.is_spam GROUP BY 1",
            [start, start, end],
        ),
        (
            f"SELECT {week.format('started_at')}, outcome, COUNT(*), "
            "SUM(CASE WHEN response_seconds <= 86400 THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN response_seconds > 172800 THEN 1 ELSE 0 END) "
            "FROM messaging_wait WHERE started_at >= %s AND started_at < %s "
            "AND outcome <> 'no_response' GROUP BY 1, 2",
            [start, start, end],
        ),
        (
            "SELECT response_seconds FROM messaging_wait WHERE started_at >= %s "
            "AND started_at < %s AND outcome = 'answered' ORDER BY response_seconds",
            [start, end],
        ),
        (
            f"SELECT {week.format('c.created_at')}, c.started_by, COUNT(*), "
            "SUM(c.message_count), SUM(CASE WHEN EXISTS (SELECT 1 FROM catalog_order o "
            "WHERE o.buyer_id = c.buyer_id AND o.store_id = c.store_id AND NOT o.is_imported "
            f"AND o.placed_at >= c.created_at AND o.placed_at <= {week_later}) "
            "THEN 1 ELSE 0 END) FROM messaging_conversation c "
            "WHERE c.created_at >= %s AND c.created_at < %s GROUP BY 1, 2",
            [start, start, end],
        ),
        (
            f"SELECT {week.format('r.published_at')}, COUNT(*), SUM(r.rating), "
            "SUM(CASE WHEN r.rating <= 2 THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN a.id IS NOT NULL AND a.withdrawn_at IS NULL "
            "AND a.response_time <= %s THEN 1 ELSE 0 END) "
            "FROM reviews_review r LEFT JOIN reviews_answer a ON a.review_id = r.id "
            "WHERE r.status = 'published' AND r.published_at >= %s AND r.published_at < %s "
            "GROUP BY 1",
            [start, goal, start, end],
        ),
        (
            "SELECT c.store_id, SUM(CASE WHEN w.response_seconds <= 86400 THEN 1 ELSE 0 END) "
            "* 1.0 / COUNT(*) AS rate FROM messaging_wait w JOIN messaging_conversation c "
            "ON c.id = w.conversation_id WHERE w.started_at >= %s AND w.started_at < %s "
            "AND w.outcome <> 'no_response' GROUP BY c.store_id HAVING COUNT(*) >= 5 "
            "ORDER BY rate DESC LIMIT 10",
            [start, end],
        ),
    )
    rows = 0
    with connection.cursor() as cursor:
        for sql, values in queries:
            cursor.execute(sql, values)
            rows += len(cursor.fetchall())
    return rows


# --- Running ---------------------------------------------------------------------------------


def bars(description: str, total: int):
    return tqdm(total=total, desc=description, unit=" days")


def measure(*, now: datetime, runs: int, naive_runs: int) -> dict:
    from django.db.models import Count

    from saypro.analytics.models import StoreDay
    from saypro.analytics.periods import Quarter

    quarter = Quarter.of(now)
    before = quarter.previous()
    # A typical store: the median by StoreDay rows this quarter.
    busy = list(
        StoreDay.objects.filter(day__gte=quarter.first_day)
        .values("store_id")
        .annotate(days=Count("pk"))
        .order_by("days", "store_id")
        .values_list("store_id", flat=True)
    )
    store_id = busy[len(busy) // 2] if busy else None
    figures = {
        "office_dashboard": timed(lambda: office_dashboard(quarter, now), runs),
        "seller_scorecard": timed(lambda: seller_scorecard(quarter, now, store_id), runs),
        "quarterly_report": timed(lambda: quarterly_report(before), runs),
    }
    # As served: the cached reads (marketplace_median) warm from the run before.
    figures["office_dashboard_warm_cache"] = timed(
        lambda: office_dashboard(quarter, now), runs, clear=False
    )
    figures["seller_scorecard_warm_cache"] = timed(
        lambda: seller_scorecard(quarter, now, store_id), runs, clear=False
    )
    naive = timed(lambda: naive_dashboard(quarter, now), naive_runs, warm_up=False)
    figures["naive_office_dashboard"] = naive
    results = {
        "quarter": quarter.key,
        "report_quarter": before.key,
        "scorecard_store_id": store_id,
        "query_sets": figures,
        "ratio_naive_to_rollups_p50": (
            round(naive["p50_ms"] / figures["office_dashboard"]["p50_ms"], 1)
            if figures["office_dashboard"]["p50_ms"]
            else None
        ),
        "ratio_naive_to_warm_cache_p50": (
            round(naive["p50_ms"] / figures["office_dashboard_warm_cache"]["p50_ms"], 1)
            if figures["office_dashboard_warm_cache"]["p50_ms"]
            else None
        ),
        "targets": {},
    }
    for name, limit in TARGETS.items():
        value = figures[name]["max_ms" if name == "quarterly_report" else "p95_ms"]
        results["targets"][name] = {
            "measure": "max" if name == "quarterly_report" else "p95",
            "target_ms": limit,
            "measured_ms": value,
            "passed": value <= limit,
        }
    return results


def run(
    *,
    messages: int,
    reviews: int,
    stores: int,
    runs: int = 20,
    naive_runs: int = 3,
    now: datetime | None = None,
    progress: bool = True,
    fast_load: bool = True,
    load_only: bool = False,
) -> dict:
    """Load, rebuild and measure on the database Django is configured with (migrated);
    with ``load_only``, only load (``--reuse`` rebuilds and measures later)."""
    from django.db import connection
    from django.utils import timezone

    from saypro.analytics import rollups
    from saypro.analytics.models import CategoryDay, MarketplaceDay, StoreDay, StoreQuarter
    from saypro.analytics.periods import Quarter

    now = now or timezone.now()
    start = Quarter.of(now).previous().previous().start.timestamp()
    connection.ensure_connection()
    writer = Writer(connection.connection, connection.vendor)
    began = time.perf_counter()
    indexes = []
    if fast_load:
        writer.prepare()
        indexes = writer.drop_indexes(BIG_TABLES)
    sizes = generate(
        writer,
        messages=messages,
        reviews=reviews,
        stores=stores,
        start=start,
        end=now.timestamp() - HOUR,
        progress=progress,
    )
    writer.create_indexes(indexes)
    writer.finish()
    load_seconds = time.perf_counter() - began
    if load_only:
        return {
            "database": connection.vendor,
            "sizes": sizes,
            "load_seconds": round(load_seconds, 1),
        }

    began = time.perf_counter()
    rollups.rebuild(now=now, restart=True, progress=bars if progress else rollups.no_progress)
    rebuild_seconds = time.perf_counter() - began
    sizes.update(
        analytics_storeday=StoreDay.objects.count(),
        analytics_storequarter=StoreQuarter.objects.count(),
        analytics_categoryday=CategoryDay.objects.count(),
        analytics_marketplaceday=MarketplaceDay.objects.count(),
    )
    return {
        "database": connection.vendor,
        "sizes": sizes,
        "load_seconds": round(load_seconds, 1),
        "rebuild_seconds": round(rebuild_seconds, 1),
        **measure(now=now, runs=runs, naive_runs=naive_runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--stores", type=int, default=50_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--runs", type=int, default=20, help="runs per query set (default 20)")
    parser.add_argument("--naive-runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="3 runs each, the naive one once")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="with --reuse: rebuild the rollups first, timed (needed when the code added some)",
    )
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="load and keep the database, no rebuild or measuring (then --reuse it)",
    )
    parser.add_argument(
        "--reuse",
        metavar="FOLDER_OR_NAME",
        help="measure a database kept by --keep (its var/bench folder, or the PostgreSQL name)",
    )
    options = parser.parse_args()
    if options.quick:
        options.runs, options.naive_runs = 3, 1
    if options.load_only:
        options.keep = True

    folder = ROOT / "var" / "bench" / f"dashboards-{os.getpid()}"
    if options.reuse and options.db == "sqlite":
        folder = Path(options.reuse).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["SAYPRO_VAR_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "saypro.settings"
    os.environ.pop("REDIS_URL", None)  # the bench's cache is this process's memory
    admin_url = name = None
    if options.db == "postgres":
        import psycopg

        base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/"
        if not base.startswith("postgres"):
            base = "postgres://postgres@127.0.0.1:5432/"
        server = base.rsplit("/", 1)[0]
        name = options.reuse or f"saypro_bench_{os.getpid()}"
        admin_url = f"{server}/postgres"
        if not options.reuse:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{server}/{name}"
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        load_average = os.getloadavg()[0]
        if options.reuse:
            from django.utils import timezone

            began = time.perf_counter()
            call_command("migrate", verbosity=0)  # the code may have moved on since the load
            migrate_seconds = round(time.perf_counter() - began, 1)
            rebuild_seconds = None
            if options.rebuild:
                from saypro.analytics import rollups

                began = time.perf_counter()
                rollups.rebuild(restart=True, progress=bars)
                rebuild_seconds = round(time.perf_counter() - began, 1)
            with connection.cursor() as cursor:
                sizes = {}
                for table in (
                    "catalog_store",
                    "messaging_message",
                    "reviews_review",
                    "analytics_storeday",
                    "analytics_storequarter",
                ):
                    cursor.execute(f"SELECT COUNT(*) FROM {table}")
                    sizes[table] = cursor.fetchone()[0]
            results = {
                "database": connection.vendor,
                "reused": options.reuse,
                "sizes": sizes,
                "rebuild_seconds": rebuild_seconds,
                **measure(now=timezone.now(), runs=options.runs, naive_runs=options.naive_runs),
            }
        else:
            began = time.perf_counter()
            call_command("migrate", verbosity=0)
            migrate_seconds = round(time.perf_counter() - began, 1)
            results = run(
                messages=options.messages,
                reviews=options.reviews,
                stores=options.stores,
                runs=options.runs,
                naive_runs=options.naive_runs,
                load_only=options.load_only,
            )
        results = {
            "benchmark": "dashboards",
            "config": {
                **(
                    {}
                    if options.reuse
                    else {
                        "messages": options.messages,
                        "reviews": options.reviews,
                        "stores": options.stores,
                    }
                ),
                "runs": options.runs,
                "naive_runs": options.naive_runs,
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "load_average_start": round(load_average, 2),
                "load_average_end": round(os.getloadavg()[0], 2),
            },
            "migrate_seconds": migrate_seconds,
            **results,
        }
        if connection.vendor == "sqlite":
            results["database_megabytes"] = round((folder / "db.sqlite3").stat().st_size / 2**20)
        connection.close()
        print(json.dumps(results, indent=2))
    finally:
        if admin_url and not (options.keep or options.reuse):
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not (options.keep or options.reuse):
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
