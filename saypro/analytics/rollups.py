"""Computing the rollups from raw rows, and keeping them current.

``compute_day(day, store_ids=None, now=...)`` reads the raw rows of one
marketplace-local day (every store, or only the given ones) and returns each
store's counters. The incremental path (``refresh_dirty``) and the full
rebuild (``rebuild``) both use it, so they cannot disagree.

Which day a raw row counts on is the day of the time stamp that decides its
period: a message's ``created_at``; a conversation's ``created_at`` (its
message count, reply and purchase are counted on that day whenever they
happen); a wait's ``started_at`` (even when answered the next day or the next
quarter); a review's ``published_at``; a coached answer's ``published_at``; a
plan's ``created_at`` / ``shipped_at`` / ``measured_at``.

A few counters depend on the clock: a wait is "decided" for the 24-hour KPI
once answered or 24 hours old, a review is "due" once answered or 48 hours
old. ``age`` marks the store-days whose waits and reviews crossed those lines
since its last run, so the periodic refresh recomputes them.
"""

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from time import monotonic

from django.db import connections, router, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from saypro.analytics import histogram
from saypro.analytics.models import (
    COUNTER_FIELDS,
    STORE_FIELDS,
    ActiveSeller,
    CategoryDay,
    DirtyStoreDay,
    MarketplaceDay,
    RebuildState,
    StoreDay,
    StoreQuarter,
)
from saypro.analytics.periods import Quarter, local_date, local_midnight
from saypro.catalog.models import Order, Product, StoreMembership
from saypro.core.effects import enqueue_committed
from saypro.core.progress import ProgressFactory, no_progress
from saypro.core.sql import placeholders
from saypro.improvements.models import Plan
from saypro.messaging.models import Conversation, Message, ProductCard, Side, Wait
from saypro.reviews.models import RESPONSE_GOAL, Answer, Review

RESPONSE_WINDOW = timedelta(hours=24)
ABANDONED_AFTER = timedelta(hours=48)
PURCHASE_WINDOW = timedelta(days=7)
NEGATIVE_MAX_RATING = 2
POSITIVE_VERDICT = Plan.Verdict.HELPED
CHUNK = 500


def empty() -> dict:
    row = dict.fromkeys(STORE_FIELDS, 0)
    row["response_histogram"] = {}
    return row


def _store_filter(queryset, field: str, store_ids: Iterable[int] | None):
    return queryset if store_ids is None else queryset.filter(**{f"{field}__in": list(store_ids)})


def compute_day(
    day: date, store_ids: Iterable[int] | None = None, *, now: datetime | None = None
) -> dict[int, dict]:
    """Each store's counters for one local day, from raw rows (stores with nothing left out)."""
    now = now or timezone.now()
    store_ids = None if store_ids is None else sorted(set(store_ids))
    start, end = local_midnight(day), local_midnight(day + timedelta(days=1))
    rows: dict[int, dict] = defaultdict(empty)
    seconds: dict[int, list[int]] = defaultdict(list)

    messages = Message.objects.filter(created_at__gte=start, created_at__lt=end)
    if store_ids is None:
        messages = messages.annotate(message_store=_store_of("conversation_id"))
    else:
        messages = messages.filter(conversation__store_id__in=store_ids).annotate(
            message_store=F("conversation__store_id")
        )
    for store_id, total, from_buyers in (
        messages.values("message_store")
        .annotate(
            total=Count("pk", filter=Q(is_spam=False)),
            from_buyers=Count("pk", filter=Q(side=Side.BUYER)),
        )
        .values_list("message_store", "total", "from_buyers")
    ):
        rows[store_id]["messages"] += total
        rows[store_id]["buyer_messages"] += from_buyers
    orders = _store_filter(
        Order.objects.filter(placed_at__gte=start, placed_at__lt=end), "store_id", store_ids
    )
    for store_id, total in (
        orders.values("store_id").annotate(total=Count("pk")).values_list("store_id", "total")
    ):
        rows[store_id]["orders"] += total

    _conversations(rows, start, end, store_ids)

    waits = Wait.objects.filter(started_at__gte=start, started_at__lt=end).exclude(
        outcome=Wait.Outcome.NO_RESPONSE_NEEDED
    )
    if store_ids is None:
        waits = waits.annotate(wait_store=_store_of("conversation_id"))
    else:
        waits = waits.filter(conversation__store_id__in=store_ids).annotate(
            wait_store=F("conversation__store_id")
        )
    for store_id, outcome, started_at, response in waits.values_list(
        "wait_store", "outcome", "started_at", "response_seconds"
    ):
        row = rows[store_id]
        answered = outcome == Wait.Outcome.ANSWERED
        if answered:
            row["waits_answered"] += 1
            seconds[store_id].append(response)
        if answered or started_at + RESPONSE_WINDOW <= now:
            row["waits_decided_24h"] += 1
            if answered and response <= RESPONSE_WINDOW.total_seconds():
                row["waits_within_24h"] += 1
        if answered or started_at + ABANDONED_AFTER <= now:
            row["waits_decided_48h"] += 1
            if not answered or response > ABANDONED_AFTER.total_seconds():
                row["waits_abandoned"] += 1
    for store_id, values in seconds.items():
        rows[store_id]["response_histogram"] = histogram.build(values)

    reviews = _store_filter(
        Review.objects.filter(
            status=Review.Status.PUBLISHED, published_at__gte=start, published_at__lt=end
        ),
        "store_id",
        store_ids,
    )
    # Their live answers, read from the reviews (an EXISTS per review became a scan of every
    # answer on PostgreSQL): answered, and answered within the goal.
    answered_reviews, on_time_reviews = set(), set()
    for review_id, response_time in Answer.objects.filter(
        review__in=reviews.values("pk"), withdrawn_at__isnull=True
    ).values_list("review_id", "response_time"):
        answered_reviews.add(review_id)
        if response_time is not None and response_time <= RESPONSE_GOAL:
            on_time_reviews.add(review_id)
    for pk, store_id, rating, published_at in reviews.values_list(
        "pk", "store_id", "rating", "published_at"
    ):
        answered, on_time = pk in answered_reviews, pk in on_time_reviews
        row = rows[store_id]
        negative = rating <= NEGATIVE_MAX_RATING
        row["reviews"] += 1
        row["rating_sum"] += rating
        row["rating_square_sum"] += rating * rating
        row["reviews_negative"] += negative
        if answered or published_at + RESPONSE_GOAL <= now:
            row["reviews_due"] += 1
            row["reviews_answered_48h"] += on_time
            row["negative_reviews_due"] += negative
            row["negative_reviews_answered_48h"] += negative and on_time

    answers = _store_filter(
        Answer.objects.filter(
            published_at__gte=start,
            published_at__lt=end,
            withdrawn_at__isnull=True,
            coach_score__isnull=False,
        ),
        "store_id",
        store_ids,
    )
    for store_id, score in answers.values_list("store_id", "coach_score"):
        row = rows[store_id]
        row["coach_answers"] += 1
        row["coach_score_sum"] += score
        row["coach_score_square_sum"] += score * score

    plans = _store_filter(Plan.objects.all(), "store_id", store_ids)
    for store_id in plans.filter(created_at__gte=start, created_at__lt=end).values_list(
        "store_id", flat=True
    ):
        rows[store_id]["plans_started"] += 1
    shipped = plans.filter(shipped_at__gte=start, shipped_at__lt=end).annotate(
        has_evidence=Exists(Plan.evidence.through.objects.filter(plan_id=OuterRef("pk")))
    )
    for store_id, theme, issue, key, has_evidence in shipped.values_list(
        "store_id", "theme_id", "rising_issue_id", "suggestion_key", "has_evidence"
    ):
        rows[store_id]["plans_shipped"] += 1
        rows[store_id]["plans_from_feedback_shipped"] += bool(theme or issue or key or has_evidence)
    for store_id in plans.filter(
        measured_at__gte=start, measured_at__lt=end, verdict=POSITIVE_VERDICT
    ).values_list("store_id", flat=True):
        rows[store_id]["plans_measured_positive"] += 1

    return {store_id: row for store_id, row in rows.items() if not is_empty(row)}


def _store_of(conversation_field: str) -> Subquery:
    """A row's store looked up by its conversation's primary key: an index-driven plan on
    PostgreSQL too, which otherwise hash-joined every conversation for each day."""
    return Subquery(
        Conversation.objects.filter(pk=OuterRef(conversation_field)).values("store_id")[:1]
    )


def _conversations(rows: dict, start: datetime, end: datetime, store_ids) -> None:
    """Conversations started on the day: their messages, replies, cards and purchases."""
    of_the_day = _store_filter(
        Conversation.objects.filter(created_at__gte=start, created_at__lt=end),
        "store_id",
        store_ids,
    )
    conversations = of_the_day.annotate(
        message_total=Count("messages", filter=Q(messages__is_spam=False)),
        replied=Exists(Message.objects.filter(conversation=OuterRef("pk"), side=Side.STORE)),
    )
    # The day's conversations with a card, read from them (an EXISTS per conversation became
    # a scan of every message with a card on PostgreSQL).
    with_card = set(
        ProductCard.objects.filter(message__conversation__in=of_the_day.values("pk")).values_list(
            "message__conversation_id", flat=True
        )
    )
    found = [
        (*rest, pk in with_card)
        for pk, *rest in conversations.values_list(
            "pk",
            "store_id",
            "buyer_id",
            "created_at",
            "started_by",
            "message_total",
            "replied",
        )
    ]
    if not found:
        return
    # The orders that could follow these conversations, matched by buyer and store below.
    orders: dict[tuple[int, int], list[datetime]] = defaultdict(list)
    buyers = {buyer_id for _, buyer_id, *_ in found}
    stores = {store_id for store_id, *_ in found}
    for buyer_id, store_id, placed_at in Order.objects.filter(
        buyer_id__in=buyers,
        store_id__in=stores,
        is_imported=False,
        placed_at__gte=start,
        placed_at__lt=end + PURCHASE_WINDOW,
    ).values_list("buyer_id", "store_id", "placed_at"):
        orders[(buyer_id, store_id)].append(placed_at)
    for store_id, buyer_id, created_at, started_by, total, replied, has_card in found:
        row = rows[store_id]
        purchased = any(
            created_at <= placed_at <= created_at + PURCHASE_WINDOW
            for placed_at in orders[(buyer_id, store_id)]
        )
        row["conversations"] += 1
        row["conversations_by_buyer"] += started_by == Side.BUYER
        row["conversation_messages"] += total
        if started_by == Side.BUYER and replied:
            row["inquiries_replied"] += 1
            row["inquiries_replied_purchased"] += purchased
        row["conversations_purchased"] += purchased
        row["card_conversations"] += bool(has_card)
        row["card_conversations_purchased"] += bool(has_card) and purchased


def is_empty(row: dict) -> bool:
    return not row["response_histogram"] and not any(row.get(name) for name in STORE_FIELDS)


def store_categories(store_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Each store's main department: the top-level category holding most of its products.

    Ties go to the lower category id. A store without products has none.
    """
    products = Product.objects.all()
    if store_ids is not None:
        products = products.filter(store_id__in=list(store_ids))
    counts = (
        products.annotate(department=Coalesce("category__parent_id", "category_id"))
        .values("store_id", "department")
        .annotate(total=Count("pk"))
        .values_list("store_id", "department", "total")
    )
    best: dict[int, tuple[int, int]] = {}
    for store_id, department, total in counts:
        current = best.get(store_id)
        if current is None or (-total, department) < (-current[1], current[0]):
            best[store_id] = (department, total)
    return {store_id: department for store_id, (department, _) in best.items()}


# --- Applying a store-day's new counters ---------------------------------------------------


def _row_values(row) -> dict:
    if row is None:
        return empty()
    values = row.counters()
    values["response_histogram"] = row.response_histogram or {}
    return values


def _shift(model, lookup: dict, delta: dict) -> None:
    """Add ``delta`` (counters and histogram, possibly negative) to one summary row."""
    fields = STORE_FIELDS if model is StoreQuarter else COUNTER_FIELDS
    if not delta["response_histogram"] and not any(delta.get(name) for name in fields):
        return
    summary, _ = model.objects.select_for_update().get_or_create(**lookup)
    was_active = model is StoreQuarter and summary.counts_activity()
    for name in fields:
        setattr(summary, name, getattr(summary, name) + delta.get(name, 0))
    counts = histogram.add(Counter(), summary.response_histogram or {})
    histogram.add(counts, delta["response_histogram"])
    summary.response_histogram = histogram.as_dict(counts)
    if model is StoreQuarter:
        set_percentiles(summary, counts)
    else:
        summary.response_blob = histogram.pack(counts)
    if is_empty(_row_values(summary)):
        summary.delete()
    else:
        summary.save()
    if model is StoreQuarter and was_active != (
        summary.pk is not None and summary.counts_activity()
    ):
        members = StoreMembership.objects.filter(store_id=summary.store_id).values_list("user_id")
        refresh_active_sellers(quarters=[summary.quarter], user_ids=[m for (m,) in members])


def set_percentiles(row: StoreQuarter, counts: Counter) -> None:
    """The quarter row's median and p90 first response, from its summed histogram."""
    row.response_p50_minutes = histogram.percentile_minutes(counts, 0.5)
    row.response_p90_minutes = histogram.percentile_minutes(counts, 0.9)


def _difference(new: dict, old: dict, sign: int = 1) -> dict:
    delta = {name: sign * (new[name] - old[name]) for name in STORE_FIELDS}
    counts = histogram.add(Counter(), new["response_histogram"])
    histogram.add(counts, old["response_histogram"], -1)
    delta["response_histogram"] = {
        str(bucket): sign * count for bucket, count in counts.items() if count
    }
    return delta


def apply_store_day(store_id: int, day: date, new: dict, category_id: int | None) -> bool:
    """Store one store-day's counters and move the category and marketplace rows by the
    difference. Returns whether anything changed. Runs inside the caller's transaction."""
    existing = StoreDay.objects.select_for_update().filter(store_id=store_id, day=day).first()
    old = _row_values(existing)
    old_category = existing.category_id if existing else None
    if old == new and old_category == category_id:
        return False
    if is_empty(new):
        if existing:
            existing.delete()
    else:
        row = existing or StoreDay(store_id=store_id, day=day)
        for name in STORE_FIELDS:
            setattr(row, name, new[name])
        row.response_histogram = new["response_histogram"]
        row.category_id = category_id
        row.save()
    if old_category == category_id:
        if category_id is not None:
            _shift(CategoryDay, {"category_id": category_id, "day": day}, _difference(new, old))
    else:
        if old_category is not None:
            _shift(
                CategoryDay,
                {"category_id": old_category, "day": day},
                _difference(old, empty(), -1),
            )
        if category_id is not None:
            _shift(CategoryDay, {"category_id": category_id, "day": day}, _difference(new, empty()))
    _shift(MarketplaceDay, {"day": day}, _difference(new, old))
    quarter = Quarter.of(day).first_day
    _shift(StoreQuarter, {"store_id": store_id, "quarter": quarter}, _difference(new, old))
    return True


# --- Incremental maintenance -------------------------------------------------------------------


# Every message, conversation, review and answer saved marks its store-days: written out,
# as ``bulk_create(update_conflicts=True)`` cost several times the statement.
MARK_DIRTY_SQL = """
INSERT INTO analytics_dirtystoreday (store_id, day, marked_at) VALUES {rows}
ON CONFLICT (store_id, day) DO UPDATE SET marked_at = excluded.marked_at
"""


def mark_dirty(keys: Iterable[tuple[int, date]]) -> None:
    """Queue store-days for recomputation, in the caller's transaction.

    Marking again moves ``marked_at`` forward, so a refresh that read the raw
    rows before this change will not drop the mark (see ``refresh_dirty``).
    """
    keys = {(store_id, day) for store_id, day in keys if store_id is not None and day is not None}
    if not keys:
        return
    connection = transaction.get_connection()
    marked_at = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = sorted(keys)  # one order for every writer: no lock-order deadlock on PostgreSQL
    with connection.cursor() as cursor:
        cursor.execute(
            MARK_DIRTY_SQL.format(rows=", ".join(["(%s, %s, %s)"] * len(rows))),
            [
                value
                for store_id, day in rows
                for value in (store_id, connection.ops.adapt_datefield_value(day), marked_at)
            ],
        )
    # One refresh per transaction, however many rows it changed (a demo load changes thousands).
    if not any(callback[1] is _enqueue_refresh for callback in connection.run_on_commit):
        transaction.on_commit(_enqueue_refresh)


# Under load (a message a few milliseconds) every commit marks store-days. One refresh this
# long after the first mark of a burst recomputes them all, instead of a queued task per
# commit (on SQLite a second write per message). A queue that runs tasks inline (tests,
# ``HUEY_IMMEDIATE``) refreshes after every commit.
REFRESH_COALESCE_SECONDS = 2.0
_refresh_lock = threading.Lock()
_refresh_due = 0.0


def _enqueue_refresh() -> None:
    """Queue a refresh of the store-days just marked: at most one per process per
    ``REFRESH_COALESCE_SECONDS``, run that long after it is queued, so it reads every mark
    of the burst (a mark made after it read waits for the next burst or the every-minute
    run). If the queue is unreachable the every-minute run catches up."""
    global _refresh_due
    from saypro.analytics import tasks

    if HUEY.immediate:
        enqueue_committed(tasks.refresh_rollups)
        return
    now = monotonic()
    with _refresh_lock:
        if now < _refresh_due:
            return
        _refresh_due = now + REFRESH_COALESCE_SECONDS
    enqueue_committed(tasks.refresh_rollups.schedule, delay=REFRESH_COALESCE_SECONDS)


def refresh_dirty(*, limit: int = CHUNK, now: datetime | None = None) -> int:
    """Recompute up to ``limit`` queued store-days from raw rows; returns how many were done.

    Each store-day reads only that store's rows of that day (bounded work), in
    its own transaction; the mark is removed only if nobody marked it again
    meanwhile.
    """
    done, changed = 0, set()
    for mark in list(DirtyStoreDay.objects.order_by("marked_at", "pk")[:limit]):
        with transaction.atomic():
            category = store_categories([mark.store_id]).get(mark.store_id)
            counters = compute_day(mark.day, [mark.store_id], now=now).get(mark.store_id, empty())
            if apply_store_day(mark.store_id, mark.day, counters, category):
                changed.add(Quarter.of(mark.day))
            DirtyStoreDay.objects.filter(pk=mark.pk, marked_at=mark.marked_at).delete()
        done += 1
    for quarter in sorted(changed):
        update_medians(quarter)
    return done


def update_medians(quarter: Quarter) -> None:
    """Recompute the quarter's ``MarketplaceMedian`` rows from its ``StoreQuarter`` rows."""
    from saypro.analytics import selectors

    selectors.store_medians(quarter)


def refresh_active_sellers(
    *, quarters: Iterable[date] | None = None, user_ids: Iterable[int] | None = None
) -> None:
    """Bring the ``ActiveSeller`` rows of ``quarters`` (first days) and of ``user_ids`` (all
    of either when None) in line with what ``StoreQuarter``, the memberships and the people's
    flags say now, in the caller's transaction: the rows no longer true are deleted and the
    missing ones inserted, so a refresh that changes nothing writes nothing, and two
    concurrent refreshes of the same person do not collide on the unique key."""
    quarters = None if quarters is None else sorted(set(quarters))
    if user_ids is None:
        _sync_active_sellers(quarters, None)
        return
    user_ids = sorted(set(user_ids))
    for first in range(0, len(user_ids), CHUNK):
        _sync_active_sellers(quarters, user_ids[first : first + CHUNK])


def _sync_active_sellers(quarters: list[date] | None, user_ids: list[int] | None) -> None:
    scope, kept = {}, ActiveSeller.objects.all()
    if quarters is not None:
        scope["quarter__in"] = quarters
        kept = kept.filter(quarter__in=quarters)
    if user_ids is not None:
        scope["store__memberships__user_id__in"] = user_ids
        kept = kept.filter(user_id__in=user_ids)
    # One filter() call: every condition on the same membership of the store.
    active = StoreQuarter.objects.filter(
        Q(orders__gt=0) | Q(buyer_messages__gt=0),
        store__memberships__user__is_active=True,
        store__memberships__user__is_staff=False,
        **scope,
    )
    wanted = set(active.order_by().values_list("quarter", "store__memberships__user_id").distinct())
    found = {(quarter, user): pk for pk, quarter, user in kept.values_list("pk", "quarter", "user")}
    stale = [pk for key, pk in found.items() if key not in wanted]
    for first in range(0, len(stale), CHUNK):
        ActiveSeller.objects.filter(pk__in=stale[first : first + CHUNK]).delete()
    ActiveSeller.objects.bulk_create(
        [ActiveSeller(quarter=quarter, user_id=user) for quarter, user in wanted - found.keys()],
        batch_size=CHUNK,
        ignore_conflicts=True,  # a concurrent refresh of the same person inserted it first
    )


def age(now: datetime | None = None, since: datetime | None = None) -> int:
    """Mark the store-days whose open waits or unanswered reviews crossed 24 h / 48 h in
    ``(since, now]`` (``since`` defaults to the last run). Returns how many were marked."""
    from saypro.analytics.models import Cursor

    now = now or timezone.now()
    cursor, _ = Cursor.objects.get_or_create(name="aging", defaults={"at": now})
    since = since or cursor.at
    keys: set[tuple[int, date]] = set()
    for window in (RESPONSE_WINDOW, ABANDONED_AFTER):
        for store_id, started_at in Wait.objects.filter(
            outcome=Wait.Outcome.OPEN, started_at__gt=since - window, started_at__lte=now - window
        ).values_list("conversation__store_id", "started_at"):
            keys.add((store_id, local_date(started_at)))
    for store_id, published_at in Review.objects.filter(
        status=Review.Status.PUBLISHED,
        published_at__gt=since - RESPONSE_GOAL,
        published_at__lte=now - RESPONSE_GOAL,
    ).values_list("store_id", "published_at"):
        keys.add((store_id, local_date(published_at)))
    with transaction.atomic():
        mark_dirty(keys)
        Cursor.objects.filter(pk=cursor.pk).update(at=now)
    return len(keys)


# --- Full rebuild -------------------------------------------------------------------------------


def first_day() -> date | None:
    """The earliest local day any raw row counts on."""
    candidates = [
        Message.objects.order_by("created_at").values_list("created_at", flat=True).first(),
        Conversation.objects.order_by("created_at").values_list("created_at", flat=True).first(),
        Review.objects.exclude(published_at=None)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first(),
        Answer.objects.order_by("published_at").values_list("published_at", flat=True).first(),
        Plan.objects.order_by("created_at").values_list("created_at", flat=True).first(),
        Order.objects.order_by("placed_at").values_list("placed_at", flat=True).first(),
    ]
    found = [local_date(moment) for moment in candidates if moment is not None]
    return min(found) if found else None


def missing_store_quarters() -> bool:
    """Store-days exist without their quarter rows: rollups kept before ``StoreQuarter``
    (analytics migration 0004) existed, which only a rebuild completes."""
    return StoreDay.objects.exists() and not StoreQuarter.objects.exists()


def rebuild(
    *,
    from_day: date | None = None,
    restart: bool = False,
    now: datetime | None = None,
    progress: ProgressFactory = no_progress,
) -> RebuildState | None:
    """Recompute every rollup from raw rows, one local day at a time, resumably.

    A rebuild that stopped part-way continues after its last finished day
    unless ``restart`` (or a different ``from_day``) is given. Each day is one
    transaction: its old store, category and marketplace rows are replaced by
    bulk inserts. ``progress(description, total_days)`` gives the bar.
    Returns the finished state (None when there are no raw rows at all).
    """
    now = now or timezone.now()
    to_day = local_date(now)
    state = RebuildState.objects.order_by("-pk").first()
    resume = (
        state is not None
        and state.finished_at is None
        and not restart
        and (from_day is None or from_day == state.from_day)
    )
    if not resume:
        start = from_day or first_day()
        if start is None:
            return None
        RebuildState.objects.all().delete()
        state = RebuildState.objects.create(from_day=start, to_day=to_day)
    state.to_day = max(state.to_day, to_day)
    day = state.last_finished_day + timedelta(days=1) if state.last_finished_day else state.from_day
    total = (state.to_day - day).days + 1
    bar = progress("KPI rollups", max(total, 0))
    categories = store_categories()
    while day <= state.to_day:
        rebuild_day(day, categories, now=now)
        state.last_finished_day = day
        state.save(update_fields=["last_finished_day", "to_day"])
        bar.update(1)
        day += timedelta(days=1)
    bar.close()
    quarter = Quarter.of(state.from_day)
    while quarter.first_day <= state.to_day:
        rebuild_quarter(quarter)
        quarter = quarter.next()
    state.finished_at = timezone.now()
    state.save(update_fields=["finished_at"])
    # Changes committed before the rebuild began are in its rows; later marks stay queued.
    DirtyStoreDay.objects.filter(marked_at__lte=state.started_at, day__gte=state.from_day).delete()
    from saypro.analytics.models import Cursor

    Cursor.objects.update_or_create(name="aging", defaults={"at": now})
    return state


@transaction.atomic
def rebuild_day(day: date, categories: dict[int, int], *, now: datetime) -> None:
    computed = compute_day(day, now=now)
    StoreDay.objects.filter(day=day).delete()
    CategoryDay.objects.filter(day=day).delete()
    MarketplaceDay.objects.filter(day=day).delete()
    by_category, total = defaultdict(_Sum), _Sum()
    for store_id, counters in computed.items():
        category = categories.get(store_id)
        total.add(counters)
        if category is not None:
            by_category[category].add(counters)
    rows = [
        (store_id, day, categories.get(store_id), counters)
        for store_id, counters in computed.items()
    ]
    _insert(StoreDay, ("store_id", "day", "category_id"), rows)
    # A day of orders and buyer messages only (store activity) has no category or marketplace row.
    CategoryDay.objects.bulk_create(
        [
            CategoryDay(category_id=category, day=day, **row.as_row(), response_blob=row.packed())
            for category, row in by_category.items()
            if not is_empty(row.as_row())
        ],
        batch_size=CHUNK,
    )
    if not is_empty(total.as_row()):
        MarketplaceDay.objects.create(day=day, **total.as_row(), response_blob=total.packed())


@transaction.atomic
def rebuild_quarter(quarter: Quarter) -> None:
    """Replace the quarter's ``StoreQuarter`` rows by the sums of its ``StoreDay`` rows (SQL
    sums; the histograms, only of store-days with answered waits, added up here), then its
    medians."""
    days = StoreDay.objects.filter(day__gte=quarter.first_day, day__lte=quarter.last_day)
    sums = days.values("store_id").annotate(**{f"sum_{name}": Sum(name) for name in STORE_FIELDS})
    histograms: dict[int, Counter] = defaultdict(Counter)
    for store_id, found in days.filter(waits_answered__gt=0).values_list(
        "store_id", "response_histogram"
    ):
        histogram.add(histograms[store_id], found or {})
    rows = []
    for found in sums:
        store_id = found["store_id"]
        counts = histograms.get(store_id, Counter())
        counters = {name: found[f"sum_{name}"] for name in STORE_FIELDS}
        counters["response_histogram"] = histogram.as_dict(counts)
        percentiles = (
            histogram.percentile_minutes(counts, 0.5),
            histogram.percentile_minutes(counts, 0.9),
        )
        rows.append((store_id, quarter.first_day, *percentiles, counters))
    StoreQuarter.objects.filter(quarter=quarter.first_day).delete()
    _insert(
        StoreQuarter,
        ("store_id", "quarter", "response_p50_minutes", "response_p90_minutes"),
        rows,
    )
    refresh_active_sellers(quarters=[quarter.first_day])
    update_medians(quarter)


def _insert(model, keys: tuple[str, ...], rows: list[tuple]) -> None:
    """Store rows (``keys``' values, then a counters dict) in plain ``executemany`` batches:
    building a model instance per row (``bulk_create``) cost ~0.5 ms a row, most of a
    rebuild at 50,000 stores."""
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in (*keys, *STORE_FIELDS)]
    as_json = model._meta.get_field("response_histogram")
    table = connection.ops.quote_name(model._meta.db_table)
    names = (*(field.column for field in fields), as_json.column)
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    marks = placeholders(names)
    prepared = [
        (
            *(
                field.get_db_prep_save(value, connection)
                for field, value in zip(fields[: len(keys)], values[:-1], strict=True)
            ),
            *(values[-1][name] for name in STORE_FIELDS),
            as_json.get_db_prep_save(values[-1]["response_histogram"], connection),
        )
        for values in rows
    ]
    with connection.cursor() as cursor:
        for first in range(0, len(prepared), CHUNK):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                prepared[first : first + CHUNK],
            )


class _Sum:
    """Store-day counters summed for a category or the marketplace. The histogram stays a
    Counter until the end: rebuilding it from a dict per store made a day quadratic."""

    def __init__(self) -> None:
        self.counters = dict.fromkeys(COUNTER_FIELDS, 0)
        self.histogram: Counter = Counter()

    def add(self, counters: dict) -> None:
        for name in COUNTER_FIELDS:
            self.counters[name] += counters[name]
        histogram.add(self.histogram, counters["response_histogram"])

    def as_row(self) -> dict:
        return {**self.counters, "response_histogram": histogram.as_dict(self.histogram)}

    def packed(self) -> bytes:
        return histogram.pack(self.histogram)
