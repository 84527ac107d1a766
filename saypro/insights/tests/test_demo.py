"""The demo's insights: every review analysed, the planted problems found, suggestions grouped,
and the shipped improvement plan measured (``saypro.insights.demo``,
``saypro.improvements.demo`` and the insights part of ``saypro demo``)."""

from collections import Counter
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from saypro.catalog import demo as catalog_demo
from saypro.catalog.models import Product
from saypro.core.demo_text import lower_first
from saypro.improvements import demo as improvements_demo
from saypro.improvements.models import Plan
from saypro.insights import demo, services
from saypro.insights.analysis import analyze
from saypro.insights.models import ReviewAnalysis, RisingIssue, Suggestion
from saypro.insights.suggestions import is_suggestion, suggestion_key
from saypro.reviews import demo as reviews_demo
from saypro.reviews import demo_vocabulary as words
from saypro.reviews.models import Review

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)
# The word every report of a planted problem uses.
PROBLEM_WORDS = {"zipper": "zip", "overheating": "overheat"}


@pytest.fixture
def loaded(db) -> tuple[demo.InsightsReport, improvements_demo.PlansReport]:
    """The tiny demo marketplace as of NOW: reviews, their analysis, issues and the plan."""
    catalog_demo.load_demo(seed=1, scale="tiny", now=NOW)
    reviews_demo.load_demo_reviews(seed=1, now=NOW)
    insights = demo.load_demo_insights(seed=1, now=NOW)
    return insights, improvements_demo.load_demo_plans(seed=1, now=NOW)


def stories() -> dict[str, Product]:
    pks = catalog_demo.story_products_in_database(1)
    products = Product.objects.in_bulk(pks.values())
    return {key: products[pk] for key, pk in pks.items()}


def render(template: str, *, plural: bool) -> str:
    """``template`` filled for one thing (a power bank) or several (trousers)."""
    aisle, title = (
        ("womens-clothing", "Relaxed linen wide-leg trousers")
        if plural
        else ("phones-accessories", "Slim power bank, 10 000 mAh")
    )
    item = reviews_demo.CatalogItem(1, "SP-TEST0001", 0, 0, 1, aisle, title, NOW, NOW)
    return reviews_demo._Text(reviews_demo.product_words(aisle, title), item, "Karoo Co")(template)


# --- The vocabulary, as the analysis reads it ----------------------------------------------


def test_every_suggestion_wording_counts_under_its_key():
    for key, templates in words.SUGGESTIONS.items():
        for template in templates:
            for plural in (False, True):
                wording = render(template, plural=plural)
                assert is_suggestion(wording), wording
                assert suggestion_key(wording) == key, wording


def test_planted_problems_read_as_meant():
    """A broken zip and overheating as negative "Quality & durability", running small as a
    negative "Fit & size", alone or after "However, …": what the detection and the
    improvement plan's measurement count. The fixed sizing as fit praise."""
    expected = {"zipper": "quality", "overheating": "quality", "sizing": "fit_size"}
    plain = [
        (story, render(template, plural=plural))
        for story in expected
        for template in words.ASPECTS[words.STORIES[story].problem].complaints
        for plural in (False, True)
    ]
    cases = plain + [
        (story, but + lower_first(sentence))
        for story, sentence in plain
        for but in words.BUT_PROBLEM
    ]
    results = analyze([sentence for _, sentence in cases])
    for (story, sentence), result in zip(cases, results, strict=True):
        assert result.themes.get(expected[story]) == "negative", sentence
        if story != "sizing":
            assert PROBLEM_WORDS[story] in sentence.lower(), sentence
            assert result.sentiment == "negative", sentence
    praise = [
        render(template, plural=plural)
        for template in words.ASPECTS["runs_small"].praise
        for plural in (False, True)
    ]
    for sentence, result in zip(praise, analyze(praise), strict=True):
        assert result.themes.get("fit_size") == "positive", sentence


# --- The demo loaded --------------------------------------------------------------------


@pytest.mark.django_db
def test_every_review_is_analysed_with_the_current_model_and_taxonomy(loaded):
    insights, _ = loaded

    assert insights.analysed == Review.objects.count() > 200
    assert ReviewAnalysis.objects.count() == insights.analysed
    assert services.stale_review_ids() == []
    assert not Review.objects.filter(status=Review.Status.PUBLISHED, analysis__isnull=True).exists()


@pytest.mark.django_db
def test_the_planted_problems_rise_and_nothing_else_speaks_of_them(loaded):
    insights, _ = loaded
    products = stories()
    issues = list(RisingIssue.objects.filter(status=RisingIssue.Status.OPEN))

    for story, word in PROBLEM_WORDS.items():
        found = [i for i in issues if i.product == products[story] and i.theme_id]
        assert [issue.theme.slug for issue in found] == ["quality"], story
        issue = found[0]
        assert issue.recent_count >= 10 and issue.recent_rate >= 0.4, story
        assert issue.baseline_total >= 20 and issue.baseline_rate <= 0.15, story
        assert issue.recent_rate >= 4 * issue.baseline_rate, story
        assert issue.p_value < 0.001
        assert issue.window_end == NOW and issue.detected_at == NOW
        evidence = list(Review.objects.filter(pk__in=issue.evidence))
        assert len(evidence) == issue.recent_count
        assert sum(word in review.body.lower() for review in evidence) >= 0.8 * len(evidence)
    # Every other product, the sizing one too (many reviews, its problem long fixed): no
    # issue about quality, a zip or heat.
    planted = {products["zipper"].pk, products["overheating"].pk}
    for issue in issues:
        if issue.product_id not in planted:
            assert not any(word in issue.topic for word in ("zip", "hot", "heat")), issue
            assert issue.theme is None or issue.theme.slug != "quality", issue
    assert not any(issue.product == products["sizing"] for issue in issues)
    assert insights.rising_issues == len(issues)
    assert insights.products_with_issues == len({issue.product_id for issue in issues})
    owners = {
        product.store.memberships.get(role="owner").user.email for product in products.values()
    }
    assert [(story.story, story.subjects) for story in insights.stories] == [
        ("zipper", ("Quality & durability",)),
        ("overheating", ("Quality & durability",)),
    ]
    assert {story.owner_email for story in insights.stories} <= owners
    assert "owner@demo.saypro.test" in owners  # the zip: the demo owner's store


@pytest.mark.django_db
def test_buyers_suggestions_add_up_per_product(loaded):
    insights, _ = loaded
    requested = (
        Suggestion.objects.filter(review__status=Review.Status.PUBLISHED)
        .values("product_id", "key")
        .annotate(reviews=Count("review", distinct=True))
        .filter(reviews__gte=3)
    )
    keys = Counter(row["key"] for row in requested)

    assert len(requested) == insights.requested >= 5
    assert len({row["product_id"] for row in requested}) >= 3
    assert {"pocket", "longer length", "navy"} <= set(keys)
    assert len(set(keys) & set(words.SUGGESTIONS)) >= 5


@pytest.mark.django_db
def test_the_owner_shipped_a_sizing_plan_that_helped(loaded):
    _, report = loaded
    product = stories()["sizing"]
    plan = Plan.objects.select_related("store", "theme", "created_by").get()
    shipped_at = catalog_demo.fix_shipped_at(NOW)
    share = plan.impact["negative_share"]

    assert report.created and report.verdict == Plan.Verdict.HELPED
    assert report.summary.startswith("Helped: negative mentions of Fit & size fell from")
    assert (plan.product, plan.store.external_id) == (product, "demo-store-001")
    assert plan.created_by.email == "owner@demo.saypro.test"
    assert (plan.theme.slug, plan.template) == ("fit_size", Plan.Template.CHANGE_SIZING)
    assert plan.is_from_feedback and plan.evidence.exists()
    assert plan.created_at < shipped_at == plan.shipped_at < plan.measured_at == NOW
    assert (plan.status, plan.verdict) == (Plan.Status.MEASURED, Plan.Verdict.HELPED)
    assert plan.impact["ready"] and plan.impact["primary"] == Plan.Metric.NEGATIVE_SHARE
    assert share["is_significant"] and share["difference"] < -0.2
    assert share["before_total"] >= 20 and share["after_total"] >= 20
    assert share["before_rate"] >= 0.25 and share["after_rate"] <= 0.05
    steps = list(plan.steps.all())
    assert len(steps) == 5 and all(step.completed_at <= NOW for step in steps)
    assert {step.owner.email for step in steps} == {
        "owner@demo.saypro.test",
        "agent@demo.saypro.test",
    }


@pytest.mark.django_db
def test_loading_the_plan_again_adds_nothing(loaded):
    again = improvements_demo.load_demo_plans(seed=1, now=NOW)

    assert not again.created
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_the_command_analyses_and_reports_once():
    stdout, stderr = StringIO(), StringIO()
    call_command("demo", "--scale", "tiny", stdout=stdout, stderr=stderr)
    counts = (ReviewAnalysis.objects.count(), RisingIssue.objects.count(), Plan.objects.count())

    second = StringIO()
    call_command("demo", "--scale", "tiny", stdout=second, stderr=StringIO())

    assert "Demo insights created in" in stdout.getvalue()
    assert f"analysed    {counts[0]:,} reviews in " in stdout.getvalue()
    assert "Helped: negative mentions of Fit & size" in stdout.getvalue()
    assert "(Stellenbosch Atelier, owner@demo.saypro.test)" in stdout.getvalue()
    assert "Analysis" in stderr.getvalue() and "Issues" in stderr.getvalue()
    assert counts[0] == Review.objects.count() and counts[2] == 1
    assert "Demo insights" not in second.getvalue()
    assert (
        ReviewAnalysis.objects.count(),
        RisingIssue.objects.count(),
        Plan.objects.count(),
    ) == counts
