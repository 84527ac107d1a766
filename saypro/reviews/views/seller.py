"""Seller Center › Reviews: the queue ordered by urgency, and answering with the coach.

Pages live under ``/seller/<store slug>/reviews/`` and answer 404 to anyone
outside the store's team (``store_for_member``).
"""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from saypro.catalog.selectors import store_products
from saypro.catalog.views.seller import seller_context, store_for_member
from saypro.core.auth import login_required
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error
from saypro.core.pagination import paginate
from saypro.insights.forms import ReviewInsightFilterForm
from saypro.reviews import selectors, services
from saypro.reviews.answer_coach import coaching_for
from saypro.reviews.forms import AnswerForm, QueueFilterForm
from saypro.reviews.models import ANSWER_MAX_LENGTH

QUEUE_FILTERS = {
    "unanswered": {"answered": False},
    "overdue": {"answered": False, "overdue": True},
    "answered": {"answered": True},
    "all": {"answered": None},
}


@login_required
def queue(request, slug: str):
    store = store_for_member(request, slug)
    form = QueueFilterForm(request.GET or None, products=store_products(request.user, store))
    data = form.cleaned_data if form.is_valid() else {}
    insight_form = ReviewInsightFilterForm(request.GET or None)
    now = timezone.now()
    reviews = selectors.store_reviews(
        request.user,
        store,
        **insight_form.filters(),
        rating=data.get("rating"),
        product=store_products(request.user, store).filter(pk=data.get("product")).first()
        if data.get("product")
        else None,
        now=now,
        **QUEUE_FILTERS[data.get("status") or "unanswered"],
    )
    context = seller_context(
        request,
        store,
        form=form,
        insight_form=insight_form,
        stats=selectors.store_response_stats(request.user, store, now=now),
        now=now,
        **paginate(request, reviews, per_page=20),
    )
    return render(request, "reviews/pages/seller_queue.html", context)


def _review(request, store, pk: int):
    review = selectors.store_review(request.user, store, pk)
    if review is None:
        raise Http404("No such review in this store.")
    return review


def _coachable(draft: str) -> str:
    """The draft the coach reads: one longer than an answer may be is refused, not coached."""
    return draft if len(draft) <= ANSWER_MAX_LENGTH else ""


@login_required
def answer(request, slug: str, pk: int):
    """Answer (or edit, or withdraw the answer to) one review, coached as you type.

    Without JavaScript, "Check my answer" and "Use suggested answer" submit the
    form and the page comes back coached; with htmx the coaching updates live.
    A refused publish or withdrawal changes nothing: the page comes back with
    the reason and a 4xx status (400 for the form, else the error's own).
    """
    store = store_for_member(request, slug)
    review = _review(request, store, pk)
    existing = selectors.published_answer(review)
    initial = {"body": existing.body} if existing else {}
    form = AnswerForm(request.POST or None, initial=initial)
    action = request.POST.get("action", "publish")
    draft = _coachable(request.POST.get("body", existing.body if existing else ""))
    coaching = coaching_for(review, draft) if draft.strip() else None
    status = 200

    if request.method == "POST" and action == "suggest":
        suggestion = coaching_for(review, draft).suggested_answer
        form = AnswerForm(initial={"body": suggestion})
        coaching = coaching_for(review, suggestion)
    elif request.method == "POST" and action == "withdraw" and existing:
        try:
            services.withdraw_answer(member=request.user, answer=existing)
        except ApplicationError as error:
            messages.error(request, error.message)
            status = error.status
            existing = selectors.published_answer(review)  # as stored now
        else:
            messages.success(request, "Your answer is withdrawn; the review is back in your queue.")
            return redirect("seller_reviews:answer", slug=store.slug, pk=review.pk)
    elif request.method == "POST" and action == "withdraw":
        messages.error(request, "This review has no answer to withdraw.")
        status = 409
    elif request.method == "POST" and action == "publish" and not form.is_valid():
        status = 400
    elif request.method == "POST" and action == "publish":
        body = form.cleaned_data["body"]
        score = coaching_for(review, body).score
        try:
            if existing:
                services.edit_answer(
                    member=request.user, answer=existing, body=body, coach_score=score
                )
            else:
                services.answer_review(
                    member=request.user, review=review, body=body, coach_score=score
                )
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            messages.success(request, "Your answer is published under the review.")
            return redirect("seller_reviews:queue", slug=store.slug)

    context = seller_context(
        request,
        store,
        review=review,
        existing=existing,
        form=form,
        coaching=coaching,
        draft=form["body"].value() or "",
        suggestion=(coaching or coaching_for(review, "")).suggested_answer,
    )
    return render(request, "reviews/pages/seller_answer.html", context, status=status)


@login_required
@require_POST
def coach(request, slug: str, pk: int):
    """The coaching panel for the posted draft (htmx, as the seller types)."""
    store = store_for_member(request, slug)
    review = _review(request, store, pk)
    draft = request.POST.get("body", "")
    if len(draft) > ANSWER_MAX_LENGTH:
        return HttpResponseBadRequest(f"An answer has at most {ANSWER_MAX_LENGTH:,} characters.")
    use_suggestion = request.POST.get("action") == "suggest"
    if use_suggestion:
        draft = coaching_for(review, draft).suggested_answer
    coaching = coaching_for(review, draft)
    context = {
        "store": store,
        "review": review,
        "draft": draft,
        "coaching": coaching if draft.strip() else None,
        "suggestion": coaching.suggested_answer,
        "replace_draft": use_suggestion,
    }
    return render(request, "reviews/partials/coaching.html", context)
