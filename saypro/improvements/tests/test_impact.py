"""Impact: synthetic worlds before and after shipping, measured as the seller would see them."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from saypro.core.errors import Conflict
from saypro.improvements import impact, services
from saypro.improvements.models import Plan
from saypro.improvements.tests.factories import PlanFactory, reviews_between
from saypro.insights.tests.factories import analysed_review, sentence

NOW = timezone.now()
SHIPPED = NOW - timedelta(days=60)


@pytest.fixture
def plan(product, fit):
    """A plan about fit on ``product``, shipped 60 days ago (so both periods are 60 days)."""
    return PlanFactory(
        product=product,
        theme=fit,
        goal_metric=Plan.Metric.NEGATIVE_SHARE,
        goal_current=40,
        goal_target=10,
        status=Plan.Status.SHIPPED,
        shipped_at=SHIPPED,
        created_at=SHIPPED - timedelta(days=30),
    )


def world(product, *, before: tuple[int, int], after: tuple[int, int], **kwargs) -> None:
    """``before`` and ``after`` = (reviews, of which complain about fit), each over 60 days."""
    reviews_between(
        product,
        start=SHIPPED - timedelta(days=60),
        end=SHIPPED,
        count=before[0],
        negative=before[1],
        **kwargs,
    )
    reviews_between(product, start=SHIPPED, end=NOW, count=after[0], negative=after[1], **kwargs)


def signed(value: float, digits: int = 0) -> str:
    text = f"{abs(value):.{digits}f}"
    if float(text) == 0:
        return text
    return ("−" if value < 0 else "+") + text


@pytest.mark.django_db
def test_a_drop_from_40_to_10_percent_is_measured_as_helped(plan, seller, product):
    world(product, before=(50, 20), after=(50, 5))

    plan = services.measure_plan(actor=seller, plan=plan, now=NOW)

    plan.refresh_from_db()
    result = plan.impact
    share, rating = result["negative_share"], result["average_rating"]
    assert (plan.status, plan.verdict, plan.measured_at) == ("measured", "helped", NOW)
    assert result["ready"] and result["primary"] == "negative_share"
    assert (result["before"]["reviews"], result["after"]["reviews"]) == (50, 50)
    assert (share["before_count"], share["before_total"]) == (20, 50)
    assert (share["after_count"], share["after_total"]) == (5, 50)
    assert share["before_rate"] == pytest.approx(0.4)
    assert share["after_rate"] == pytest.approx(0.1)
    assert share["difference"] == pytest.approx(-0.3)
    assert share["is_significant"] is True
    assert share["p_value"] < 0.001
    assert share["ci_low"] < share["ci_high"] < 0
    assert result["summary"] == (
        "Helped: negative mentions of Fit & size fell from 40 % to 10 % (−30 points, "
        f"95 % CI {signed(100 * share['ci_low'])} to {signed(100 * share['ci_high'])}, "
        "p < 0.001)"
    )
    # (20 × 2★ + 30 × 4★) / 50 before, (5 × 2★ + 45 × 4★) / 50 after
    assert rating["before_mean"] == pytest.approx(3.2)
    assert rating["after_mean"] == pytest.approx(3.8)
    assert (rating["before_n"], rating["after_n"]) == (50, 50)
    assert rating["is_significant"] is True
    assert result["details"][1].startswith("The average rating rose from 3.2 to 3.8 stars (+0.6")


@pytest.mark.django_db
def test_no_change_is_no_clear_change(plan, seller, product):
    world(product, before=(50, 15), after=(50, 15))

    plan = services.measure_plan(actor=seller, plan=plan, now=NOW)

    share = plan.impact["negative_share"]
    assert (plan.status, plan.verdict) == ("measured", "no_clear_change")
    assert share["is_significant"] is False
    assert share["difference"] == pytest.approx(0)
    assert share["ci_low"] < 0 < share["ci_high"]
    assert plan.impact["summary"].startswith(
        "No clear change yet: negative mentions of Fit & size went from 30 % to 30 % (0 points, "
    )
    assert plan.impact["summary"].endswith("p = 1.00)")


@pytest.mark.django_db
def test_a_rise_is_got_worse(plan, seller, product):
    world(product, before=(50, 5), after=(50, 20))

    plan = services.measure_plan(actor=seller, plan=plan, now=NOW)

    assert plan.verdict == "got_worse"
    assert plan.impact["summary"].startswith(
        "Got worse: negative mentions of Fit & size rose from 10 % to 40 % (+30 points, 95 % CI +"
    )


@pytest.mark.django_db
def test_too_few_reviews_after_shipping_is_not_measured_yet(plan, seller, product):
    world(product, before=(50, 20), after=(19, 1))

    with pytest.raises(Conflict) as refused:
        services.measure_plan(actor=seller, plan=plan, now=NOW)

    assert refused.value.code == "not_enough_reviews"
    assert refused.value.message == (
        "Not measured yet: the comparison needs 20 reviews after shipping and 20 in the same "
        "length of time before; so far there are 19 after and 50 before."
    )
    plan.refresh_from_db()
    assert (plan.status, plan.verdict, plan.impact, plan.measured_at) == (
        "shipped",
        "",
        None,
        None,
    )


@pytest.mark.django_db
def test_too_few_reviews_before_shipping_is_not_measured_yet(plan, seller, product):
    world(product, before=(12, 6), after=(40, 2))

    with pytest.raises(Conflict):
        services.measure_plan(actor=seller, plan=plan, now=NOW)

    plan.refresh_from_db()
    assert plan.status == "shipped"


@pytest.mark.django_db
def test_reviews_are_bucketed_by_publication_around_shipping(plan, product):
    shipped = NOW - timedelta(days=10)
    plan.shipped_at = shipped
    plan.save()

    def review_at(moment):
        analysed_review(
            product,
            [sentence("Tiny.", "negative", themes={"fit_size": "negative"})],
            rating=1,
            published_at=moment,
        )

    review_at(shipped)  # after
    review_at(shipped - timedelta(seconds=1))  # before
    review_at(shipped - timedelta(days=10))  # before: the period starts here
    review_at(shipped - timedelta(days=10, seconds=1))  # too early
    review_at(NOW)  # the "after" period ends just before now
    hidden = analysed_review(product, [sentence("Tiny.")], published_at=shipped, status="hidden")

    result = impact.assess(plan, now=NOW)

    assert hidden.pk
    assert (result["ready"], result["before"]["reviews"], result["after"]["reviews"]) == (
        False,
        2,
        1,
    )
    assert result["period_days"] == 10.0


@pytest.mark.django_db
def test_the_stored_result_does_not_change_when_later_reviews_arrive(plan, seller, product):
    world(product, before=(50, 20), after=(50, 5))
    plan = services.measure_plan(actor=seller, plan=plan, now=NOW)
    stored = plan.impact

    reviews_between(product, start=NOW, end=NOW + timedelta(days=1), count=30, negative=30)

    plan.refresh_from_db()
    assert plan.impact == stored
    live = impact.assess(plan, now=NOW + timedelta(days=2))
    assert live["after"]["reviews"] == 80
    assert live["negative_share"]["after_count"] == 35


@pytest.mark.django_db
def test_a_plan_without_a_theme_is_judged_on_the_average_rating(seller, product, fit):
    plan = PlanFactory(
        product=product,
        goal_metric=Plan.Metric.AVERAGE_RATING,
        status=Plan.Status.SHIPPED,
        shipped_at=SHIPPED,
        created_at=SHIPPED - timedelta(days=1),
    )
    reviews_between(
        product,
        start=SHIPPED - timedelta(days=60),
        end=SHIPPED,
        count=30,
        negative=0,
        ratings=[3, 4] * 15,
    )
    reviews_between(product, start=SHIPPED, end=NOW, count=30, negative=0, ratings=[5, 4] * 15)

    plan = services.measure_plan(actor=seller, plan=plan, now=NOW)

    rating = plan.impact["average_rating"]
    assert plan.impact["negative_share"] is None
    assert plan.impact["primary"] == "average_rating"
    assert (rating["before_mean"], rating["after_mean"]) == (3.5, 4.5)
    assert plan.verdict == "helped"
    assert plan.impact["summary"].startswith(
        "Helped: the average rating rose from 3.5 to 4.5 stars (+1.0 stars, 95 % CI +"
    )


@pytest.mark.django_db
def test_the_chart_and_table_describe_the_result(plan, seller, product):
    world(product, before=(50, 20), after=(50, 5))
    plan = services.measure_plan(actor=seller, plan=plan, now=NOW)

    shown = impact.view(plan.impact)

    share_chart, rating_chart = shown["charts"]
    assert share_chart["title"] == "Negative mentions of Fit & size before and after shipping"
    assert [bar["value_label"] for bar in share_chart["bars"]] == ["40 %", "10 %"]
    assert share_chart["bars"][0]["height"] > share_chart["bars"][1]["height"]
    assert rating_chart["title"] == "Average rating before and after shipping"
    assert [bar["value_label"] for bar in rating_chart["bars"]] == ["3.2 ★", "3.8 ★"]
    assert [row["metric"] for row in shown["rows"]] == [
        "Negative mentions of Fit & size",
        "Average rating",
    ]
    assert shown["rows"][0]["before"] == "40 % (20 of 50)"
    assert shown["rows"][0]["after"] == "10 % (5 of 50)"
    assert shown["rows"][0]["p"] == "p < 0.001"
    assert shown["periods"]["after"]["reviews"] == 50


def test_p_values_are_written_plainly():
    assert [impact.format_p(p) for p in (0.0004, 0.004, 0.0432, 0.62, 1.0)] == [
        "p < 0.001",
        "p = 0.004",
        "p = 0.04",
        "p = 0.62",
        "p = 1.00",
    ]


@pytest.mark.django_db
def test_ratings_without_spread_have_no_interval_and_still_render(plan, seller, product):
    world(product, before=(50, 20), after=(50, 5), negative_rating=4, other_rating=4)

    plan = services.measure_plan(actor=seller, plan=plan, now=NOW)

    rating = plan.impact["average_rating"]
    assert plan.verdict == "helped"
    assert (rating["ci_low"], rating["ci_high"], rating["is_significant"]) == (None, None, False)
    assert plan.impact["details"][1] == (
        "The average rating went from 4.0 to 4.0 stars (the ratings do not vary enough to "
        "test a change)."
    )
    shown = impact.view(plan.impact)
    assert shown["charts"][1]["interval"] is None
    assert shown["rows"][1]["interval"] == "–"
    html = render_to_string(
        "improvements/partials/impact.html", {"impact": shown, "prefix": "stored"}
    )
    assert "There is no interval: the values do not vary" in html


@pytest.mark.django_db
def test_a_deactivated_theme_is_judged_on_the_rating(plan, seller, product, fit):
    world(product, before=(50, 20), after=(50, 5))
    fit.is_active = False
    fit.save()

    plan = services.measure_plan(actor=seller, plan=plan, now=NOW)

    assert plan.impact["negative_share"] is None
    assert plan.impact["primary"] == "average_rating"
    assert plan.impact["summary"].startswith("Helped: the average rating rose from 3.2 to 3.8")
