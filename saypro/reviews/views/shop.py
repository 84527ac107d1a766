"""Buyer pages: write and edit a review, vote, report, see your reviews.

A refusal changes nothing and answers the page the form was on, with the
reason and a 4xx status (400 for the form, else the service's own); only a
success redirects.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from saypro.catalog.selectors import is_store_member
from saypro.catalog.views.shop import product_detail
from saypro.core.auth import login_required
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error, posted
from saypro.reviews import selectors, services
from saypro.reviews.forms import ReportForm, ReviewForm
from saypro.reviews.models import Review


def _product_url(review: Review) -> str:
    return f"{review.product.get_absolute_url()}#review-{review.pk}"


@login_required
def write(request, item_pk: int):
    """The review form for one of your order items.

    Opened for an item the service would refuse (not delivered yet, already
    reviewed), the page says why, with the service's status, instead of a form
    that could only be refused; a post is refused by the service itself.
    """
    item = selectors.own_order_item(request.user, item_pk)
    if item is None:
        raise Http404("No such order item.")
    context = {"item": item, "product": item.product}
    if request.method != "POST":
        try:
            services.check_reviewable(author=request.user, order_item=item)
        except ApplicationError as error:
            context["refusal"] = error.message
            context["existing"] = selectors.review_of_item(request.user, item)
            return render(request, "reviews/pages/write.html", context, status=error.status)
    form = ReviewForm(posted(request))
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            review = services.publish_review(
                author=request.user, order_item=item, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            if review.is_published:
                messages.success(request, "Thank you! Your review is published.")
                return redirect(_product_url(review))
            messages.warning(request, f"Your review waits for a moderator: {review.hold_reason}")
            return redirect("reviews:mine")
    context["form"] = form
    return render(request, "reviews/pages/write.html", context, status=status)


@login_required
def edit(request, pk: int):
    review = selectors.visible_review(request.user, pk)
    if review is None or review.author_id != request.user.pk:
        raise Http404("No such review.")
    initial = {"rating": review.rating, "title": review.title, "body": review.body}
    form = ReviewForm(posted(request), initial=initial)
    can_edit = timezone.now() <= review.editable_until()
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            review = services.edit_review(author=request.user, review=review, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            if review.is_published:
                messages.success(request, "Your review is updated.")
                return redirect(_product_url(review))
            messages.warning(request, "Your review is saved and waits for a moderator.")
            return redirect("reviews:mine")
    context = {"form": form, "review": review, "product": review.product, "can_edit": can_edit}
    return render(request, "reviews/pages/write.html", context, status=status)


@login_required
@require_POST
def helpful(request, pk: int):
    """Vote (or take back a vote); htmx gets the button back, others the product page.

    From htmx a refusal is a 200 (so htmx swaps the notice in); without htmx it
    is the product page with the reason and the refusal's 4xx status.
    """
    review = selectors.visible_review(request.user, pk)
    if review is None:
        raise Http404("No such review.")
    notice, status = "", 200
    try:
        if request.POST.get("vote") == "withdraw":
            review = services.withdraw_vote(voter=request.user, review=review)
        else:
            review = services.vote_helpful(voter=request.user, review=review)
    except ApplicationError as error:
        notice, status = error.message, error.status
    if request.htmx:
        context = {
            "review": review,
            "voted": selectors.helpful_review_ids(request.user, [review]),
            "on_store_team": is_store_member(request.user, review.store),
            "notice": notice,
        }
        return render(request, "reviews/partials/helpful.html", context)
    if notice:
        messages.error(request, notice)
        page = product_detail(request, review.product_id)
        page.status_code = status
        return page
    return redirect(_product_url(review))


@login_required
def report(request, pk: int):
    review = selectors.visible_review(request.user, pk)
    if review is None or not review.is_published:
        raise Http404("No such review.")
    form = ReportForm(posted(request))
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            services.report_review(reporter=request.user, review=review, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            messages.success(request, "Thank you. Our moderators will look at this review.")
            return redirect(_product_url(review))
    context = {"form": form, "review": review}
    return render(request, "reviews/pages/report.html", context, status=status)


@login_required
def mine(request):
    """Your reviews, with their status and any moderator's note; and what you can still review."""
    context = {
        "reviews": selectors.reviews_of_author(request.user),
        "to_review": selectors.reviewable_items(request.user)[:20],
        "now": timezone.now(),
    }
    return render(request, "reviews/pages/mine.html", context)
