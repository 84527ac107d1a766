"""A rising zipper complaint, planned for, shipped and measured: the change helped.

The seller sees "Quality & durability" rising on the Linen shirt because the
zipper breaks, reads the reviews behind it, makes a plan from the template,
works on it and marks it shipped. Thirty days later enough new reviews have
arrived, nearly none about the zipper, and "Measure now" says it helped.

Shipping is recorded "now": the services refuse a shipping date before the
plan was made (``improvements.services._clean_shipped_at``), and the plan is
made in this test. So the test lets time pass instead of back-dating: after
shipping it moves Django's clock (``django.utils.timezone.now``, which the live
server reads too) 30 days on. The "after" period is then the 30 days since
shipping and the "before" period the 30 days up to it, which hold the zipper
complaints of the world built below (``improvements.impact.periods``).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from saypro.accounts.tests.factories import PASSWORD
from saypro.improvements.impact import MIN_REVIEWS
from saypro.improvements.models import Plan
from saypro.insights import services as insights
from saypro.insights.models import RisingIssue
from saypro.reviews.tests.factories import DeliveredItemFactory, ReviewFactory
from tests.e2e.conftest import PHONE, log_in
from tests.e2e.test_phone import problems_on

pytestmark = pytest.mark.e2e

CALM = [
    "Lovely shirt, fits well.",
    "Soft fabric and a good fit.",
    "Arrived quickly, looks great.",
    "Great value, I wear it every week.",
    "The colour is lovely and it washes well.",
]
ZIPPER = [
    "The zipper broke after a week.",
    "Zipper broke on the second day.",
    "The zipper broke after two washes, very disappointing.",
]
LATER = timedelta(days=30)  # how long after shipping the seller measures

# The world, and what the pages should say about it.
OLD_CALM = 60  # 32–200 days ago: the baseline of the rising-issue test
RECENT_CALM = 12  # the last 25 days: most buyers are still happy
RECENT_ZIPPER = 10  # the last 2 weeks: the zipper breaks
AFTER_CALM = 23  # the 30 days after shipping
AFTER_ZIPPER = 1
BEFORE = RECENT_CALM + RECENT_ZIPPER  # the 30 days before shipping (OLD_CALM are older)
AFTER = AFTER_CALM + AFTER_ZIPPER


def write_review(store, product, body: str, *, rating: int, published_at):
    """A published review of ``product`` by a new buyer of ``store`` (not analysed yet)."""
    return ReviewFactory(
        order_item=DeliveredItemFactory(order__store=store, product=product),
        body=body,
        rating=rating,
        published_at=published_at,
    )


def write_calm(store, product, count: int, *, start, end) -> list:
    step = (end - start) / count
    return [
        write_review(
            store, product, CALM[n % len(CALM)], rating=4 + n % 2, published_at=start + step * n
        )
        for n in range(count)
    ]


def write_zipper(store, product, count: int, *, start, end) -> list:
    step = (end - start) / count
    return [
        write_review(
            store, product, ZIPPER[n % len(ZIPPER)], rating=1 + n % 2, published_at=start + step * n
        )
        for n in range(count)
    ]


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %"


def test_rising_zipper_issue_is_planned_shipped_and_measured(
    page, store, seller, product, shot, monkeypatch
):
    # The world: calm reviews for half a year, then the zipper starts to break.
    now = timezone.now()
    write_calm(store, product, OLD_CALM, start=now - timedelta(days=200), end=now - LATER)
    write_calm(store, product, RECENT_CALM, start=now - timedelta(days=25), end=now)
    zipper = write_zipper(store, product, RECENT_ZIPPER, start=now - timedelta(days=14), end=now)
    insights.analyze_stale()
    [rising] = insights.detect_rising_issues(now=now)
    assert (rising.recent_count, rising.recent_total) == (RECENT_ZIPPER, BEFORE)
    assert sorted(rising.evidence) == sorted(review.pk for review in zipper)

    # The seller opens Seller Center › Insights: the rising issue comes first.
    main_nav = page.get_by_role("navigation", name="Main")
    seller_nav = page.get_by_role("navigation", name="Seller Center")
    log_in(page, seller.email, PASSWORD)
    main_nav.get_by_role("link", name="Seller Center").click()
    seller_nav.get_by_role("link", name="Insights").click()
    expect(page).to_have_url(re.compile(r"/seller/cape-linen-co/insights/$"))
    expect(page.locator(".insights-section").first.get_by_role("heading", level=2)).to_have_text(
        "Rising issues"
    )
    card = page.locator(".issue-card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading", level=3)).to_have_text("Quality & durability on Linen shirt")
    expect(card).to_contain_text(f"{RECENT_ZIPPER} of {BEFORE} reviews")
    expect(card).to_contain_text(f"against 0 of {OLD_CALM}")
    expect(card.get_by_role("list", name="What buyers wrote")).to_contain_text("zipper broke")
    shot(page, "insights-overview")

    # Its evidence: the zipper reviews, the sentences that count marked.
    card.get_by_role("link", name=re.compile(r"^See the reviews")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Reviews behind the numbers")
    expect(page.get_by_text("Rising issue: Quality & durability on Linen shirt")).to_be_visible()
    listed = page.get_by_role("list", name="Reviews").locator(".queue-item")
    expect(listed).to_have_count(RECENT_ZIPPER)
    first = listed.first
    expect(first.locator("mark.match")).to_have_text(re.compile(r"zipper broke", re.IGNORECASE))
    expect(listed.locator("mark.match")).to_have_count(RECENT_ZIPPER)
    expect(listed.filter(has_text="Lovely shirt")).to_have_count(0)
    shot(page, "issue-evidence")

    # Back on the overview, "Create a plan": the template's draft, kept; the goal set.
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Insights").click()
    page.locator(".issue-card").get_by_role("link", name=re.compile(r"^Create a plan")).click()
    expect(page).to_have_url(re.compile(rf"/improvements/new\?issue={rising.pk}$"))
    expect(page.get_by_role("heading", name="New plan for Linen shirt")).to_be_visible()
    template = page.get_by_role("combobox", name="Template")
    expect(template).to_have_value(Plan.Template.RECURRING_DEFECT)  # kept as it is
    expect(page.get_by_label("Title")).not_to_have_value("")
    expect(page.get_by_label("Goal metric")).to_have_value(Plan.Metric.NEGATIVE_SHARE)
    # The issue's own figures as its card gives them, then the 90 days the goal starts from.
    draft = re.match(
        r"The rising issue: \d+ of \d+ reviews from .+ complain \(\d+ %\), against .+\. "
        rf"Over the last 90 days, the figure the goal starts from: {RECENT_ZIPPER} of (\d+) "
        r"reviews",
        page.get_by_label("Problem statement").input_value(),
    )
    assert draft, page.get_by_label("Problem statement").input_value()
    share = 100 * RECENT_ZIPPER / int(draft.group(1))
    expect(page.get_by_label("Current value")).to_have_value(f"{share:.1f}")
    page.get_by_label("Title").fill("Stronger zipper on the Linen shirt")
    page.get_by_label("Target", exact=True).fill("10")
    shot(page, "new-plan")
    page.get_by_role("button", name="Save plan").click()
    expect(page.locator(".messages")).to_contain_text(
        "Plan “Stronger zipper on the Linen shirt” is proposed."
    )
    expect(
        page.get_by_role("heading", level=2, name="Stronger zipper on the Linen shirt")
    ).to_be_visible()
    status = page.locator(".page-head .badge")
    expect(status).to_have_text("Proposed")
    plan = Plan.objects.get()
    assert (plan.rising_issue, plan.theme.slug, plan.goal_target) == (rising, "quality", 10)
    assert RisingIssue.objects.get().status == RisingIssue.Status.PLANNED

    # Work starts, then the stronger zipper ships (now: the date field is left empty).
    page.get_by_role("button", name="Start work").click()
    expect(status).to_have_text("In progress")
    page.get_by_role("button", name="Mark shipped").click()
    expect(status).to_have_text("Shipped")
    expect(page.locator(".messages")).to_contain_text("The plan is shipped.")
    expect(page.get_by_role("button", name="Measure now")).to_be_visible()
    plan.refresh_from_db()
    shipped_at = plan.shipped_at
    assert shipped_at is not None and shipped_at >= now

    # Thirty days later: 24 new reviews have arrived since shipping, and hardly anyone
    # mentions the zipper any more. The 30 days before shipping hold the 22 recent ones.
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + LATER)
    after_start, after_end = shipped_at + timedelta(hours=6), shipped_at + LATER - timedelta(days=1)
    write_calm(store, product, AFTER_CALM, start=after_start, end=after_end)
    write_zipper(store, product, AFTER_ZIPPER, start=after_start + timedelta(days=9), end=after_end)
    insights.analyze_stale()
    assert BEFORE >= MIN_REVIEWS and AFTER >= MIN_REVIEWS

    # The two-week session ran out meanwhile: the seller logs in again and opens the plan.
    page.reload()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    log_in(page, seller.email, PASSWORD)
    main_nav.get_by_role("link", name="Seller Center").click()
    seller_nav.get_by_role("link", name="Improvements").click()
    page.get_by_role("link", name="Stronger zipper on the Linen shirt").click()
    expect(status).to_have_text("Shipped")
    page.get_by_role("button", name="Measure now").click()

    # Measured: it helped, with the before and after figures.
    before_share, after_share = percent(RECENT_ZIPPER, BEFORE), percent(AFTER_ZIPPER, AFTER)
    expect(status).to_have_text("Measured")
    impact = page.get_by_role("region", name="Impact")
    summary = impact.locator(".impact-summary").first  # the stored record; a live view follows
    expect(summary).to_contain_text(
        f"Helped: negative mentions of Quality & durability fell from {before_share} "
        f"to {after_share}"
    )
    expect(page.locator(".messages")).to_contain_text("Helped:")
    expect(impact).to_contain_text(f"Before: {BEFORE} reviews published")
    expect(impact).to_contain_text(f"after: {AFTER} reviews published")
    expect(impact).to_contain_text("(30 days each)")
    expect(impact).to_contain_text("The average rating rose from")
    table = impact.locator(".chart-table").first
    table.get_by_text("The numbers as a table").click()
    share_row = table.get_by_role("row", name=re.compile("Negative mentions of Quality"))
    expect(share_row).to_contain_text(f"{before_share} ({RECENT_ZIPPER} of {BEFORE})")
    expect(share_row).to_contain_text(f"{after_share} ({AFTER_ZIPPER} of {AFTER})")
    expect(share_row.get_by_role("cell").last).to_have_text("Yes")
    expect(impact.locator(".impact-charts").first.locator("svg")).to_have_count(2)
    shot(page, "plan-measured")

    plan.refresh_from_db()
    assert (plan.status, plan.verdict) == (Plan.Status.MEASURED, Plan.Verdict.HELPED)
    assert plan.impact["negative_share"]["before_count"] == RECENT_ZIPPER
    assert plan.impact["negative_share"]["after_count"] == AFTER_ZIPPER

    # On a 390 px phone the plan page does not scroll sideways and its columns stack.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(summary).to_contain_text("Helped:")
    assert problems_on(page, "The measured plan") == []
    shot(page, "plan-measured-phone")
