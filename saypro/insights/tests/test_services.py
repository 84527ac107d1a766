"""Writes: analysing reviews on publish/edit, the taxonomy, rising issues, issue status."""

from datetime import timedelta

import pytest
from django.utils import timezone

from saypro.core.errors import Conflict, PermissionDenied, ValidationFailed
from saypro.insights import services
from saypro.insights.models import (
    Complaint,
    ReviewAnalysis,
    RisingIssue,
    Suggestion,
    Theme,
    ThemeMention,
)
from saypro.insights.sentiment import default_model
from saypro.notifications.models import Notification
from saypro.reviews import services as review_services
from saypro.reviews.tests.factories import DeliveredItemFactory, ReviewFactory

NOW = timezone.now()


def test_the_default_taxonomy_is_installed_by_migration(db):
    assert list(Theme.objects.values_list("slug", flat=True)) == [
        "fit_size",
        "quality",
        "material",
        "appearance",
        "comfort",
        "value",
        "delivery",
        "packaging",
        "service",
        "accuracy",
        "usability",
    ]


def test_publishing_and_editing_a_review_analyses_it(
    buyer, product, django_capture_on_commit_callbacks
):
    item = DeliveredItemFactory(order__buyer=buyer, order__store=product.store, product=product)
    with django_capture_on_commit_callbacks(execute=True):
        review = review_services.publish_review(
            author=buyer,
            order_item=item,
            rating=2,
            body="The zipper broke after two washes. I wish it had pockets.",
        )
    analysis = ReviewAnalysis.objects.get(review=review)
    assert analysis.sentiment == "negative"
    assert analysis.model_version == default_model().version
    assert [(s["start"], s["end"]) for s in analysis.sentences] == [(0, 34), (35, 57)]
    assert list(
        ThemeMention.objects.filter(review=review).values_list("theme__slug", "sentiment")
    ) == [("quality", "negative")]
    assert list(Suggestion.objects.filter(review=review).values_list("key", flat=True)) == [
        "pocket"
    ]

    with django_capture_on_commit_callbacks(execute=True):
        review_services.edit_review(
            author=buyer, review=review, rating=5, body="Lovely soft fabric, true to size."
        )
    analysis.refresh_from_db()
    assert analysis.sentiment == "positive"
    assert set(
        ThemeMention.objects.filter(review=review).values_list("theme__slug", "sentiment")
    ) == {
        ("comfort", "positive"),
        ("material", "positive"),
        ("fit_size", "positive"),
    }
    assert not Suggestion.objects.filter(review=review).exists()


def test_reanalysis_picks_up_only_stale_reviews(product):
    reviews = ReviewFactory.create_batch(3, product=product, order_item__product=product)
    assert services.analyze_stale() == 3
    assert services.stale_review_ids() == []
    ReviewAnalysis.objects.filter(review=reviews[0]).update(model_version="old")
    assert services.stale_review_ids() == [reviews[0].pk]
    assert services.analyze_stale() == 1


def test_a_theme_staff_add_is_matched_at_the_next_analysis(staff, product):
    review = ReviewFactory(product=product, order_item__product=product, body="It stinks of glue.")
    services.analyze_reviews([review.pk])
    assert not ThemeMention.objects.filter(review=review).exists()

    theme = services.create_theme(
        actor=staff, name="Smell", description="Odours", phrases=["stinks", "smell", "", "odour"]
    )
    assert (theme.slug, theme.phrases) == ("smell", ["stinks", "smell", "odour"])
    assert services.stale_review_ids() == [review.pk]  # the taxonomy changed
    services.analyze_stale()
    assert list(
        ThemeMention.objects.filter(review=review).values_list("theme__slug", flat=True)
    ) == ["smell"]


@pytest.mark.parametrize(
    ("name", "phrases", "message"),
    [
        ("", ["smell"], "name"),
        ("Smell", [], "at least one"),
        ("Smell", ["(bad"], "(bad"),
        ("Fit & size", ["snug"], "already exists"),
    ],
)
def test_invalid_themes_are_refused_and_nothing_changes(staff, name, phrases, message):
    before = list(Theme.objects.values_list("pk", "name", "phrases"))
    with pytest.raises((ValidationFailed, Conflict)) as raised:
        services.create_theme(actor=staff, name=name, phrases=phrases)
    assert message in raised.value.message
    assert list(Theme.objects.values_list("pk", "name", "phrases")) == before


def test_a_long_refused_phrase_is_quoted_shortened(staff):
    with pytest.raises(ValidationFailed) as refused:
        services.create_theme(actor=staff, name="Smell", phrases=["smells " * 143])

    assert refused.value.message == (
        "“smells smells smells smells smells smell…”: "
        "Keep a phrase to 60 characters; this one has 1000."
    )
    assert not Theme.objects.filter(name="Smell").exists()


@pytest.mark.parametrize("role", ["buyer", "seller"])
def test_only_staff_edit_the_taxonomy(request, db, role):
    theme = Theme.objects.get(slug="comfort")
    with pytest.raises(PermissionDenied):
        services.update_theme(
            actor=request.getfixturevalue(role), theme=theme, name="Comfy", phrases=["comfy"]
        )
    theme.refresh_from_db()
    assert theme.name == "Comfort"


def _reviews(product, count, body, *, days_ago):
    return [
        ReviewFactory(
            product=product,
            order_item__product=product,
            body=body,
            rating=2 if "broke" in body else 5,
            published_at=NOW - timedelta(days=days_ago, hours=index),
        )
        for index in range(count)
    ]


def test_a_rising_theme_becomes_an_issue_with_its_evidence(product, seller):
    _reviews(product, 60, "Lovely shirt, fits well.", days_ago=100)
    _reviews(product, 2, "The zipper broke after a week.", days_ago=90)
    calm = _reviews(product, 10, "Lovely shirt, fits well.", days_ago=5)
    broken = _reviews(product, 8, "The zipper broke after a week.", days_ago=3)
    services.analyze_stale()

    [issue] = services.detect_rising_issues(now=NOW)

    assert (issue.theme.slug, issue.topic, issue.status) == ("quality", "", "open")
    assert (issue.recent_count, issue.recent_total) == (8, 18)
    assert (issue.baseline_count, issue.baseline_total) == (2, 62)
    assert sorted(issue.evidence) == sorted(review.pk for review in broken)
    assert issue.p_value < 0.01
    assert not set(issue.evidence) & {review.pk for review in calm}
    # The store's members are told once; running again refreshes the same issue.
    assert services.detect_rising_issues(now=NOW) == [issue]
    assert RisingIssue.objects.count() == 1
    [notification] = Notification.objects.all()
    assert (notification.recipient, notification.type) == (seller, "insights.rising_issue")
    assert notification.subject == issue and notification.text.startswith("Rising issue on")


def test_a_steady_problem_does_not_fire(product):
    _reviews(product, 54, "Lovely shirt, fits well.", days_ago=100)
    _reviews(product, 6, "The zipper broke after a week.", days_ago=90)
    _reviews(product, 9, "Lovely shirt, fits well.", days_ago=5)
    _reviews(product, 1, "The zipper broke after a week.", days_ago=3)
    services.analyze_stale()
    assert services.detect_rising_issues(now=NOW) == []


def test_store_members_dismiss_and_reopen_issues_others_cannot(product, seller, buyer, staff):
    _reviews(product, 40, "Lovely shirt, fits well.", days_ago=100)
    _reviews(product, 8, "The zipper broke after a week.", days_ago=3)
    services.analyze_stale()
    [issue] = services.detect_rising_issues(now=NOW)

    for outsider in (buyer, staff):
        with pytest.raises(PermissionDenied):
            services.set_issue_status(actor=outsider, issue=issue, status="dismissed")
    issue.refresh_from_db()
    assert issue.status == "open"

    assert services.set_issue_status(actor=seller, issue=issue, status="dismissed").status == (
        "dismissed"
    )
    with pytest.raises(Conflict):
        services.set_issue_status(actor=seller, issue=issue, status="resolved")
    with pytest.raises(ValidationFailed):
        services.set_issue_status(actor=seller, issue=issue, status="gone")
    assert services.set_issue_status(actor=seller, issue=issue, status="open").status == "open"


def test_unthemed_negative_sentences_are_kept_as_complaints(product):
    review = ReviewFactory(
        product=product,
        order_item__product=product,
        rating=1,
        body="Love the print. It makes a horrible whining noise at night.",
    )
    services.analyze_reviews([review.pk])
    assert list(Complaint.objects.filter(review=review).values_list("text", flat=True)) == [
        "It makes a horrible whining noise at night."
    ]


@pytest.mark.parametrize(
    ("rating", "complaints"), [(4, ["It makes a whining noise at night."]), (5, [])]
)
def test_a_five_star_review_has_no_complaints(product, rating, complaints):
    # Five stars say nothing went wrong: a sentence read as negative there is an aside the
    # model misread ("Will be back for more."), not a problem to surface.
    review = ReviewFactory(
        product=product,
        order_item__product=product,
        rating=rating,
        body="Love the print. It makes a whining noise at night.",
    )
    services.analyze_reviews([review.pk])
    assert list(Complaint.objects.filter(review=review).values_list("text", flat=True)) == (
        complaints
    )
