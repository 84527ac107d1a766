"""The KPI selector: enrolment and completion per course and per active seller, by quarter."""

from datetime import UTC, datetime

import pytest

from saypro.academy import selectors
from saypro.academy.models import Course, Enrolment
from saypro.catalog.tests.factories import MembershipFactory, OrderFactory, StoreFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2026, 4, 1, tzinfo=UTC)
IN = datetime(2026, 2, 10, tzinfo=UTC)
BEFORE = datetime(2025, 12, 1, tzinfo=UTC)
AFTER = datetime(2026, 4, 5, tzinfo=UTC)
NEXT_YEAR = datetime(2027, 1, 1, tzinfo=UTC)


def _course(slug, *, target=False, status=Course.Status.PUBLISHED):
    return Course.objects.create(
        slug=slug, title=slug.title(), summary="…", counts_for_target=target, status=status
    )


def _enrol(user, course, at, done=None):
    return Enrolment.objects.create(user=user, course=course, enrolled_at=at, completed_at=done)


@pytest.fixture
def quarter():
    """Stores A and B sold this quarter (a1, a2, b1 are active sellers); C did not (c1)."""
    a, b, c = StoreFactory(), StoreFactory(), StoreFactory()
    OrderFactory(store=a, placed_at=IN)
    OrderFactory(store=b, placed_at=IN)
    OrderFactory(store=c, placed_at=BEFORE)
    a1, a2 = MembershipFactory(store=a).user, MembershipFactory(store=a).user
    b1, c1 = MembershipFactory(store=b).user, MembershipFactory(store=c).user
    reviews = _course("reviews", target=True)
    messaging = _course("messaging")
    draft = _course("draft", target=True, status=Course.Status.DRAFT)
    _enrol(a1, reviews, IN, done=IN)  # enrolled and completed in the quarter
    _enrol(a2, reviews, BEFORE)  # took part before: counts for the target, not "this quarter"
    _enrol(a2, messaging, IN)
    _enrol(c1, reviews, IN, done=IN)  # not an active seller: only in the per-course counts
    _enrol(b1, messaging, AFTER)  # after the quarter: nowhere
    _enrol(b1, draft, IN)  # drafts are not reported


def test_participation_by_hand(quarter):
    found = selectors.participation(START, END)

    per_course = {row.course.slug: (row.enrolments, row.completions) for row in found.courses}
    assert per_course == {"reviews": (2, 2), "messaging": (1, 0)}
    assert found.active_sellers == 3
    assert (found.enrolled, found.completed) == (2, 1)
    assert (found.target_enrolled, found.target_completed) == (2, 1)
    assert found.enrolled_share == pytest.approx(2 / 3)
    assert found.target_completed_share == pytest.approx(1 / 3)


def test_no_active_sellers_means_no_share():
    found = selectors.participation(START, END)
    assert found.active_sellers == 0 and found.target_share is None


@pytest.mark.parametrize(
    ("day", "bounds"),
    [
        (datetime(2026, 2, 10, 15, tzinfo=UTC), (START, END)),
        (datetime(2026, 11, 30, tzinfo=UTC), (datetime(2026, 10, 1, tzinfo=UTC), NEXT_YEAR)),
    ],
)  # fmt: skip
def test_quarters(day, bounds):
    assert selectors.quarter(day) == bounds
