"""Plans and steps written directly, and synthetic review worlds for the impact tests.

``reviews_between`` writes analysed, published reviews of a product spread
evenly over a period, a given number of them complaining about a theme, so
tests know every before/after figure exactly.
"""

from datetime import datetime, timedelta

import factory
from django.utils import timezone

from saypro.catalog.models import Product
from saypro.catalog.tests.factories import ProductFactory
from saypro.improvements.models import Plan, Step
from saypro.insights.models import Sentiment
from saypro.insights.tests.factories import analysed_review, sentence


class PlanFactory(factory.django.DjangoModelFactory):
    """A proposed plan about a product's average rating (no feedback link)."""

    class Meta:
        model = Plan
        skip_postgeneration_save = True

    product = factory.SubFactory(ProductFactory)
    store = factory.SelfAttribute("product.store")
    template = Plan.Template.RECURRING_DEFECT
    title = factory.Sequence(lambda n: f"Plan {n}")
    problem = "Buyers report the strap breaks within a month."
    goal_metric = Plan.Metric.AVERAGE_RATING
    goal_current = 3.4
    goal_target = 4.2
    goal_due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
    status = Plan.Status.PROPOSED


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Do thing {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))


def reviews_between(
    product: Product,
    *,
    start: datetime,
    end: datetime,
    count: int,
    negative: int,
    theme: str = "fit_size",
    negative_rating: int = 2,
    other_rating: int = 4,
    ratings: list[int] | None = None,
) -> list:
    """``count`` published reviews of ``product`` spread over [start, end); the first
    ``negative`` complain about ``theme`` (rated ``negative_rating``), the rest praise it.

    ``ratings``, if given, sets each review's stars in order instead.
    """
    step = (end - start) / count
    reviews = []
    for index in range(count):
        is_negative = index < negative
        if ratings is not None:
            rating = ratings[index]
        else:
            rating = negative_rating if is_negative else other_rating
        text = "It runs two sizes small." if is_negative else "It fits true to size."
        spec = sentence(
            text,
            Sentiment.NEGATIVE if is_negative else Sentiment.POSITIVE,
            themes={theme: Sentiment.NEGATIVE if is_negative else Sentiment.POSITIVE},
        )
        reviews.append(
            analysed_review(product, [spec], rating=rating, published_at=start + step * index)
        )
    return reviews
