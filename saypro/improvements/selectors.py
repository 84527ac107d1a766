"""Reads for improvement plans: the board, one plan, candidates with priority, drafts, the KPI.

Who may see what: a store's plans are for its team and for office staff
(read-only); everyone else gets ``None`` or an empty queryset, so the API and
pages answer 404 without revealing that a plan exists. The aggregates of
feedback (theme tables, averages) come from ``insights.selectors``; this
module only combines them.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog.models import Product, Store, StoreMembership
from saypro.catalog.selectors import is_store_member
from saypro.improvements import impact, plan_templates
from saypro.improvements.models import Plan, Step
from saypro.insights import selectors as insights
from saypro.insights.models import RisingIssue, Sentiment, Suggestion, Theme
from saypro.reviews.models import Review

WINDOW = timedelta(days=90)
CANDIDATE_PRODUCTS = 10
CANDIDATE_SUGGESTIONS = 10
CANDIDATE_LIMIT = 20
MAX_EVIDENCE = 100
PUBLISHED = Review.Status.PUBLISHED
PRIORITY_EXPLANATION = (
    "Priority = reviews mentioning it × the share of them that are negative × "
    "(1 + the stars those reviews sit below the product's average), so frequent, "
    "negative problems that pull the rating down come first. Counted over the last 90 days "
    "(a rising issue's card counts its own, shorter window)."
)


# --- Access -------------------------------------------------------------------------------


def can_read_plans(user: User, store: Store) -> bool:
    """The store's team, and office staff (read-only)."""
    return user.is_authenticated and (user.is_office_staff or is_store_member(user, store))


def _plans() -> QuerySet[Plan]:
    return Plan.objects.select_related(
        "store", "product", "theme", "rising_issue", "created_by"
    ).prefetch_related(Prefetch("steps", queryset=Step.objects.select_related("owner")))


def store_plans(user: User, store: Store, *, status: str | None = None) -> QuerySet[Plan]:
    """The store's plans, newest first, for its team and office staff."""
    if not can_read_plans(user, store):
        return Plan.objects.none()
    plans = _plans().filter(store=store)
    if status:
        plans = plans.filter(status=status)
    return plans.order_by("-created_at", "-pk")


def plan_board(user: User, store: Store) -> list[tuple[str, str, list[Plan]]]:
    """``(status, label, plans)`` for the four columns, in the order of the workflow."""
    columns: dict[str, list[Plan]] = {status: [] for status in Plan.Status.values}
    for plan in store_plans(user, store):
        columns[plan.status].append(plan)
    return [(status, label, columns[status]) for status, label in Plan.Status.choices]


def visible_plan(user: User, pk: int) -> Plan | None:
    """A plan of a store ``user`` is on the team of; any plan for office staff."""
    if not user.is_authenticated:
        return None
    plans = _plans().filter(pk=pk)
    if not user.is_office_staff:
        plans = plans.filter(store__memberships__user=user)
    return plans.prefetch_related(
        Prefetch("evidence", queryset=Review.objects.select_related("author").order_by("-pk"))
    ).first()


def store_plan(user: User, store: Store, pk: int) -> Plan | None:
    """A plan of ``store``, for its team (the Seller Center pages)."""
    if not is_store_member(user, store):
        return None
    plan = visible_plan(user, pk)
    return plan if plan is not None and plan.store_id == store.pk else None


def issue_plans(user: User, store: Store, issues: Iterable[RisingIssue]) -> dict[int, Plan]:
    """The newest plan made from each of these rising issues of ``store``, by issue id.

    For the store's team and office staff, as ``can_read_plans`` (the insights
    page's issue cards link to it); issues without a plan are left out. One
    query, the access check included, whatever the number of issues.
    """
    ids = [issue.pk for issue in issues]
    if not ids or not user.is_authenticated:
        return {}
    plans = Plan.objects.filter(store=store, rising_issue_id__in=ids)
    if not user.is_office_staff:
        plans = plans.filter(store__memberships__user=user)
    return {plan.rising_issue_id: plan for plan in plans.order_by("pk")}  # newest last: kept


def plan_evidence(plan: Plan) -> list[Review]:
    """The reviews behind the plan that are still published, newest first.

    The plan was read through ``visible_plan``, which checked access.
    """
    return sorted(
        (review for review in plan.evidence.all() if review.status == PUBLISHED),
        key=lambda review: (review.published_at, review.pk),
        reverse=True,
    )


def assignable_members(user: User, store: Store) -> QuerySet[StoreMembership]:
    """Who can own a step: the store's team, for its members."""
    if not is_store_member(user, store):
        return StoreMembership.objects.none()
    return store.memberships.select_related("user").order_by("user__first_name", "user__email")


def team_users(user: User, store: Store) -> QuerySet[User]:
    """The store's team as people (step owners to choose from), for its members."""
    if not is_store_member(user, store):
        return User.objects.none()
    return User.objects.filter(memberships__store=store).order_by("first_name", "email")


def team_ids(user: User, store: Store) -> set[int]:
    """Who is on the store's team now (a step's owner may have left it)."""
    return set(team_users(user, store).values_list("pk", flat=True))


def plan_impact(user: User, plan: Plan, *, now: datetime | None = None) -> dict | None:
    """The before/after comparison recomputed now (the stored snapshot never changes)."""
    if not can_read_plans(user, plan.store) or plan.shipped_at is None:
        return None
    return impact.assess(plan, now=now or timezone.now())


# --- Sources: the rising issue, theme or suggestion a plan is made from ----------------------


def store_issue(user: User, store: Store, pk: int) -> RisingIssue | None:
    """An open or planned rising issue of ``store``, for its team."""
    return (
        insights.rising_issues(user, store, insights.LIVE_STATUSES).filter(pk=pk).first()
        if pk
        else None
    )


def theme_by_slug(slug: str) -> Theme | None:
    return insights.active_themes().filter(slug=slug).first() if slug else None


def product_of_store(user: User, store: Store, pk: int | None) -> Product | None:
    """One product of ``store`` (active or not), for its team."""
    return insights.store_product(user, store, pk) if pk else None


def has_suggestion(product: Product, key: str) -> bool:
    """Whether any published review of ``product`` makes the suggestion ``key``."""
    return Suggestion.objects.filter(product=product, key=key, review__status=PUBLISHED).exists()


def evidence_ids(
    user: User,
    store: Store,
    *,
    product: Product,
    theme: Theme | None = None,
    issue: RisingIssue | None = None,
    suggestion_key: str = "",
    now: datetime | None = None,
) -> list[int]:
    """Ids of the published reviews behind a source, newest first, at most ``MAX_EVIDENCE``.

    The issue's own evidence; the product's reviews of the 90 days before ``now``
    that speak negatively of the theme; those making the suggestion.
    """
    now = now or timezone.now()
    found: list[int] = []
    queries = []
    if issue is not None:
        queries.append({"issue": issue})
    window = {"since": now - WINDOW, "until": now}
    if theme is not None:
        queries.append({"theme": theme, "sentiment": Sentiment.NEGATIVE, **window})
    if suggestion_key:
        queries.append({"suggestion_key": suggestion_key, **window})
    for query in queries:
        reviews = insights.reviews_behind(user, store, product=product, **query)
        found.extend(reviews.prefetch_related(None).values_list("pk", flat=True)[:MAX_EVIDENCE])
    return list(dict.fromkeys(found))[:MAX_EVIDENCE]


def evidence_preview(user: User, store: Store, ids: list[int], *, limit: int = 5) -> list[Review]:
    """The first ``limit`` of ``ids`` as published reviews of ``store``, for its team."""
    if not is_store_member(user, store) or not ids:
        return []
    wanted = ids[:limit]
    reviews = Review.objects.filter(store=store, status=PUBLISHED, pk__in=wanted).select_related(
        "author", "product"
    )
    by_id = {review.pk: review for review in reviews}
    return [by_id[pk] for pk in wanted if pk in by_id]


# --- Candidates and their priority ---------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """Something worth a plan, with the three factors of its priority score.

    ``frequency``: published reviews of the last 90 days that mention it;
    ``negativity``: the share of those that are negative (0–1);
    ``rating_drag``: their average stars minus the product's average over the
    same days (negative = it pulls the rating down; ``None`` if unknown).
    """

    kind: str  # "issue", "theme" or "suggestion"
    product: Product
    subject: str
    frequency: int
    negativity: float
    rating_drag: float | None
    issue: RisingIssue | None = None
    theme: Theme | None = None
    suggestion_key: str = ""
    plan: Plan | None = None

    @property
    def drag_weight(self) -> float:
        """1 + the stars below average (a theme that does not pull the rating down weighs 1)."""
        return 1 + max(0.0, -(self.rating_drag or 0.0))

    @property
    def score(self) -> float:
        return round(self.frequency * self.negativity * self.drag_weight, 2)

    @property
    def kind_label(self) -> str:
        return {"issue": "Rising issue", "theme": "Theme", "suggestion": "Suggestion"}[self.kind]

    @property
    def new_query(self) -> str:
        """The query string of the "Create plan" link: ``issue=…``, ``theme=…&product=…``…"""
        if self.kind == "issue":
            return urlencode({"issue": self.issue.pk})
        if self.kind == "theme":
            return urlencode({"theme": self.theme.slug, "product": self.product.pk})
        return urlencode({"suggestion": self.suggestion_key, "product": self.product.pk})


def _product_averages(store: Store, since: datetime, until: datetime) -> dict[int, float]:
    rows = (
        Review.objects.filter(
            store=store, status=PUBLISHED, published_at__gte=since, published_at__lt=until
        )
        .values("product")
        .annotate(average=Avg("rating"))
        .order_by()
    )
    return {row["product"]: row["average"] for row in rows}


def _live_plans(store: Store) -> list[Plan]:
    return list(
        Plan.objects.filter(store=store).exclude(status=Plan.Status.MEASURED).order_by("-pk")
    )


def _plan_for(plans: list[Plan], **match) -> Plan | None:
    return next(
        (plan for plan in plans if all(getattr(plan, k) == v for k, v in match.items())), None
    )


def plan_candidates(
    user: User, store: Store, *, now: datetime | None = None, limit: int = CANDIDATE_LIMIT
) -> list[Candidate]:
    """What the store could improve, highest priority first, for its team.

    The store's open rising issues, the themes its products' reviews speak
    negatively of, and its most requested suggestions, over the last 90 days.
    A theme that already has an open rising issue on the product appears once,
    as the issue. ``plan`` is set when an unmeasured plan already exists for it (for an
    issue about a theme, also a plan about the theme on the product), since
    ``services.create_plan`` would refuse a second one.
    Ties: more reviews first, then by subject.
    """
    if not is_store_member(user, store):
        return []
    now = now or timezone.now()
    since = now - WINDOW
    averages = _product_averages(store, since, now)
    plans = _live_plans(store)
    issues = list(insights.rising_issues(user, store, RisingIssue.Status.OPEN))

    products = {
        row.product.pk: row.product
        for row in insights.product_table(store=store, since=since, until=now)[:CANDIDATE_PRODUCTS]
    }
    products.update({issue.product_id: issue.product for issue in issues if issue.theme_id})
    theme_rows = {
        pk: {
            row.theme.pk: row
            for row in insights.theme_table(product=product, since=since, until=now)
        }
        for pk, product in products.items()
    }
    topic_ratings = _ratings_of(
        [int(pk) for issue in issues if not issue.theme_id for pk in issue.evidence]
    )

    candidates: list[Candidate] = []
    issue_themes = set()
    for issue in issues:
        row = theme_rows.get(issue.product_id, {}).get(issue.theme_id) if issue.theme_id else None
        if row is not None:
            issue_themes.add((issue.product_id, issue.theme_id))
            frequency, negativity, drag = row.mentions, row.negative / row.mentions, row.rating_drag
        else:
            ratings = [topic_ratings[int(pk)] for pk in issue.evidence if int(pk) in topic_ratings]
            frequency, negativity = issue.recent_count, 1.0
            drag = _drag(ratings, averages.get(issue.product_id))
        plan = _plan_for(plans, rising_issue_id=issue.pk)
        if plan is None and issue.theme_id:  # a plan about its theme on the product covers it
            plan = _plan_for(plans, product_id=issue.product_id, theme_id=issue.theme_id)
        candidates.append(
            Candidate(
                kind="issue",
                product=issue.product,
                subject=issue.subject,
                frequency=frequency,
                negativity=negativity,
                rating_drag=drag,
                issue=issue,
                theme=issue.theme,
                plan=plan,
            )
        )
    for product_id, rows in theme_rows.items():
        for row in rows.values():
            if not row.negative or (product_id, row.theme.pk) in issue_themes:
                continue
            candidates.append(
                Candidate(
                    kind="theme",
                    product=products[product_id],
                    subject=row.theme.name,
                    frequency=row.mentions,
                    negativity=row.negative / row.mentions,
                    rating_drag=row.rating_drag,
                    theme=row.theme,
                    plan=_plan_for(plans, product_id=product_id, theme_id=row.theme.pk),
                )
            )
    candidates.extend(_suggestion_candidates(store, since, now, averages, plans))
    candidates.sort(key=lambda c: (-c.score, -c.frequency, c.subject, c.product.pk))
    return candidates[:limit]


def _ratings_of(review_ids: list[int]) -> dict[int, int]:
    if not review_ids:
        return {}
    return dict(
        Review.objects.filter(pk__in=review_ids, status=PUBLISHED).values_list("pk", "rating")
    )


def _drag(ratings: list[int], average: float | None) -> float | None:
    if not ratings or average is None:
        return None
    return sum(ratings) / len(ratings) - average


def _suggestion_candidates(
    store: Store, since: datetime, until: datetime, averages: dict[int, float], plans: list[Plan]
) -> list[Candidate]:
    """The most requested suggestions per product: how many reviews, how negative, their drag."""
    rows = (
        Suggestion.objects.filter(
            store=store,
            review__status=PUBLISHED,
            review__published_at__gte=since,
            review__published_at__lt=until,
        )
        .values_list("product", "key", "review", "review__rating", "review__analysis__sentiment")
        .distinct()
        .order_by()
    )
    grouped: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for product_id, key, _review, rating, sentiment in rows:
        grouped[(product_id, key)].append((rating, sentiment))
    top = sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0][1], item[0][0]))
    top = top[:CANDIDATE_SUGGESTIONS]
    products = Product.objects.in_bulk({product_id for (product_id, _), _ in top})
    candidates = []
    for (product_id, key), reviews in top:
        ratings = [rating for rating, _ in reviews]
        negative = sum(1 for _, sentiment in reviews if sentiment == Sentiment.NEGATIVE)
        candidates.append(
            Candidate(
                kind="suggestion",
                product=products[product_id],
                subject=key.replace("_", " ").capitalize(),
                frequency=len(reviews),
                negativity=negative / len(reviews),
                rating_drag=_drag(ratings, averages.get(product_id)),
                suggestion_key=key,
                plan=_plan_for(plans, product_id=product_id, suggestion_key=key),
            )
        )
    return candidates


# --- Drafts: a template filled in for a source ---------------------------------------------


@dataclass(frozen=True)
class Source:
    """What a new plan is made from; ``product`` is always set."""

    product: Product
    issue: RisingIssue | None = None
    theme: Theme | None = None
    suggestion_key: str = ""

    @property
    def subject(self) -> str:
        if self.issue is not None:
            return self.issue.subject
        if self.theme is not None:
            return self.theme.name
        if self.suggestion_key:
            return self.suggestion_key.replace("_", " ")
        return "quality"

    @property
    def is_from_feedback(self) -> bool:
        return bool(self.issue or self.theme or self.suggestion_key)


def source_evidence(source: Source, *, now: datetime) -> plan_templates.Evidence:
    """The figures a template quotes: the last 90 days of the product's reviews, and a
    rising issue's own figures when the plan answers one."""
    since = now - WINDOW
    total, average = insights.average_rating(product=source.product, since=since, until=now)
    negative = requests = 0
    if source.theme is not None:
        row = next(
            (
                row
                for row in insights.theme_table(product=source.product, since=since, until=now)
                if row.theme.pk == source.theme.pk
            ),
            None,
        )
        negative = row.negative if row else 0
    elif source.issue is not None:
        negative = len(source.issue.evidence)
    if source.suggestion_key:
        requests = (
            Suggestion.objects.filter(
                product=source.product,
                key=source.suggestion_key,
                review__status=PUBLISHED,
                review__published_at__gte=since,
                review__published_at__lt=now,
            )
            .aggregate(count=Count("review", distinct=True))
            .get("count")
        )
    issue = source.issue
    return plan_templates.Evidence(
        window_days=WINDOW.days,
        total=total,
        negative=negative,
        requests=requests,
        average_rating=round(average, 2) if average is not None else None,
        issue=plan_templates.IssueFigures(
            recent=issue.recent_count,
            recent_total=issue.recent_total,
            baseline=issue.baseline_count,
            baseline_total=issue.baseline_total,
            first_day=timezone.localdate(issue.window_start),
            last_day=timezone.localdate(issue.window_end),
        )
        if issue is not None
        else None,
    )


def plan_draft(
    source: Source, *, template: str | None = None, now: datetime | None = None
) -> plan_templates.Draft:
    """The template's draft for ``source`` (the fitting template unless one is named).

    ``source`` was built from rows the caller read with access checks.
    """
    now = now or timezone.now()
    theme = source.theme or (source.issue.theme if source.issue else None)
    template = template or plan_templates.template_for(
        theme_slug=theme.slug if theme else None,
        is_suggestion=bool(source.suggestion_key),
    )
    if source.issue is not None and theme is not None and source.theme is None:
        source = Source(
            product=source.product,
            issue=source.issue,
            theme=theme,
            suggestion_key=source.suggestion_key,
        )
    evidence = source_evidence(source, now=now)
    return plan_templates.draft(
        template=template,
        product=source.product.title,
        subject=source.subject,
        evidence=evidence,
        has_theme=theme is not None,
        is_suggestion=bool(source.suggestion_key) and theme is None,
        today=timezone.localdate(now),
        is_feedback=source.is_from_feedback,
    )


# --- KPI -------------------------------------------------------------------------------------


def _completed_from_feedback(start: datetime, end: datetime) -> QuerySet[Plan]:
    return Plan.objects.filter(shipped_at__gte=start, shipped_at__lt=end).filter(
        Q(theme__isnull=False) | Q(rising_issue__isnull=False) | ~Q(suggestion_key="")
    )


def completed_from_feedback(start: datetime, end: datetime, *, store: Store | None = None) -> int:
    """Improvement plans linked to customer feedback that shipped in [start, end).

    Linked = made from a rising issue, a theme or a suggestion. A plan counts
    once, in the period its ``shipped_at`` (UTC) falls in, whether measured
    yet or not. For the KPI "improvements from feedback" (docs/improvements.md).
    """
    plans = _completed_from_feedback(start, end)
    if store is not None:
        plans = plans.filter(store=store)
    return plans.count()


def completed_from_feedback_by_store(start: datetime, end: datetime) -> dict[int, int]:
    """``completed_from_feedback`` for every store with at least one, by store id (one query)."""
    rows = (
        _completed_from_feedback(start, end).values("store").annotate(count=Count("pk")).order_by()
    )
    return {row["store"]: row["count"] for row in rows}


def due_for_measurement(*, now: datetime | None = None) -> list[int]:
    """Ids of shipped plans, oldest shipping first (the periodic task measures them)."""
    return list(
        Plan.objects.filter(status=Plan.Status.SHIPPED, shipped_at__lte=now or timezone.now())
        .order_by("shipped_at", "pk")
        .values_list("pk", flat=True)
    )
