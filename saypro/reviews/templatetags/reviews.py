"""Review pieces that other apps' pages show: stars, the product page's review section."""

from django import template
from django.utils import timezone

from saypro.catalog.selectors import is_store_member
from saypro.core.durations import compact_duration
from saypro.core.pagination import paginate
from saypro.reviews import selectors
from saypro.reviews.forms import ReviewFilterForm
from saypro.reviews.models import Review

register = template.Library()

REVIEWS_PER_PAGE = 10


@register.inclusion_tag("reviews/partials/stars.html")
def stars(rating, size: str = ""):
    """Five stars, ``rating`` of them filled (rounded to the nearest half), with a text label."""
    value = float(rating or 0)
    filled = round(value * 2) / 2
    return {
        "rating": value,
        "full": range(int(filled)),
        "half": filled % 1 == 0.5,
        "empty": range(5 - int(filled) - (1 if filled % 1 else 0)),
        "size": size,
    }


@register.inclusion_tag("reviews/partials/product_reviews.html", takes_context=True)
def product_reviews(context, product):
    """The product page's rating summary and review list, sorted and filtered by the query."""
    request = context["request"]
    form = ReviewFilterForm(request.GET)
    filters = form.filters()
    reviews = selectors.product_reviews(product, **filters)
    page_context = paginate(request, reviews, per_page=REVIEWS_PER_PAGE)
    user = request.user
    rating = selectors.product_rating(product)
    return {
        "request": request,
        "user": user,
        "product": product,
        "rating": rating,
        "bars": [
            (stars, count, round(100 * count / rating.count) if rating.count else 0)
            for stars, count in rating.histogram()
        ],
        "form": form,
        "filtered": any(value is not None for key, value in filters.items() if key != "sort"),
        "voted": selectors.helpful_review_ids(user, page_context["page"].object_list),
        "on_store_team": is_store_member(user, product.store),
        "reviewable": selectors.reviewable_items(user, product)[:1],
        "csrf_token": context.get("csrf_token"),
        **page_context,
    }


@register.simple_tag(takes_context=True)
def review_of_item(context, item) -> Review | None:
    """The current person's review of one of their order items, or None."""
    return selectors.review_of_item(context["request"].user, item)


@register.filter
def hours_left(review, now=None) -> int:
    """Whole hours until the review's 48-hour answer goal; negative when overdue."""
    now = now or timezone.now()
    return int((review.response_due_at - now).total_seconds() // 3600)


@register.filter
def overdue_by(review, now=None) -> str:
    """How long ago the review's answer fell due ("3 h 20 min", "183 d 4 h")."""
    now = now or timezone.now()
    return compact_duration((now - review.response_due_at).total_seconds())


@register.filter
def highlighted(coaching, draft: str) -> list[dict]:
    """``draft`` cut into segments, the phrases behind a warn or fail marked with their guideline.

    Overlapping spans keep the first (in the draft's order); a single unmarked
    segment means nothing was flagged.
    """
    spans = sorted(
        (span.start, span.end, finding.label, finding.verdict)
        for finding in coaching.findings
        if finding.verdict != "pass"
        for span in finding.spans
        if 0 <= span.start < span.end <= len(draft)
    )
    segments, cursor = [], 0
    for start, end, label, verdict in spans:
        if start < cursor:
            continue
        if start > cursor:
            segments.append({"text": draft[cursor:start]})
        segments.append({"text": draft[start:end], "label": label, "verdict": verdict})
        cursor = end
    if cursor < len(draft):
        segments.append({"text": draft[cursor:]})
    return segments


@register.filter
def compact(duration) -> str:
    """A timedelta written compactly: ``"5 h 20 min"``, ``"252 d 14 h"``."""
    return compact_duration(duration.total_seconds())
