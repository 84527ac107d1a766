"""Rising issues of a store, for its team, and the reviews behind them."""

from collections.abc import Iterable, Sequence

from django.db.models import Case, IntegerField, QuerySet, Value, When

from saypro.accounts.models import User
from saypro.catalog.models import Product, Store
from saypro.catalog.selectors import is_store_member
from saypro.insights.models import RisingIssue
from saypro.insights.selectors.scope import PUBLISHED, with_analysis
from saypro.reviews.models import Review

LIVE_STATUSES = (RisingIssue.Status.OPEN, RisingIssue.Status.PLANNED)


def rising_issues(
    user: User,
    store: Store,
    status: str | Iterable[str] | None = None,
    *,
    product: Product | None = None,
) -> QuerySet[RisingIssue]:
    """The store's rising issues (one status, several, or all) for its team.

    Open before planned before dismissed before resolved, newest first within each.
    """
    if not is_store_member(user, store):
        return RisingIssue.objects.none()
    return store_issues(store, status, product)


def store_issues(store: Store, status, product: Product | None) -> QuerySet[RisingIssue]:
    """``rising_issues`` without the access check, for selectors that made it already."""
    issues = RisingIssue.objects.filter(store=store)
    if isinstance(status, str):
        issues = issues.filter(status=status)
    elif status is not None:
        issues = issues.filter(status__in=list(status))
    if product is not None:
        issues = issues.filter(product=product)
    order = Case(
        *(When(status=value, then=Value(n)) for n, value in enumerate(RisingIssue.Status.values)),
        output_field=IntegerField(),
    )
    return issues.select_related("product", "theme").order_by(order, "-detected_at", "-pk")


def store_rising_issue(user: User, store: Store, pk: int) -> RisingIssue | None:
    return rising_issues(user, store).filter(pk=pk).first()


def visible_rising_issue(user: User, pk: int) -> RisingIssue | None:
    """A rising issue of any store ``user`` is on the team of."""
    if not user.is_authenticated:
        return None
    return (
        RisingIssue.objects.filter(pk=pk, store__memberships__user=user)
        .select_related("product", "theme", "store")
        .distinct()
        .first()
    )


def issue_evidence(issues: Sequence[RisingIssue], *, per_issue: int = 3) -> dict[int, list[Review]]:
    """Up to ``per_issue`` published reviews behind each issue (newest first), by issue id.

    The issues come from ``rising_issues``, which checked access. One query
    plus two prefetches, whatever the number of issues.
    """
    wanted = {issue.pk: [int(pk) for pk in issue.evidence] for issue in issues}
    ids = {pk for pks in wanted.values() for pk in pks}
    if not ids:
        return {pk: [] for pk in wanted}
    reviews = with_analysis(Review.objects.filter(pk__in=ids, status=PUBLISHED))
    by_id = {review.pk: review for review in reviews}
    evidence = {}
    for issue_id, pks in wanted.items():
        found = sorted(
            (by_id[pk] for pk in pks if pk in by_id),
            key=lambda r: (r.published_at, r.pk),
            reverse=True,
        )
        evidence[issue_id] = found[:per_issue]
    return evidence
