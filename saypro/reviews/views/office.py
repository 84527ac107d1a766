"""Office › Moderation: held and reported reviews; hide or restore, each decision audited."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from saypro.core.auth import login_required, require_office
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error
from saypro.core.pagination import paginate
from saypro.reviews import selectors, services
from saypro.reviews.forms import ModerationForm


@login_required
def queue(request):
    require_office(request)
    reviews = selectors.moderation_queue(request.user)
    return render(
        request, "reviews/pages/office_queue.html", paginate(request, reviews, per_page=20)
    )


@login_required
def review(request, pk: int):
    """One review with its reports, history and decisions; hide or restore it with a reason."""
    require_office(request)
    found = selectors.visible_review(request.user, pk)
    if found is None:
        raise Http404("No such review.")
    form = ModerationForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST" and form.is_valid() and action in {"hide", "restore"}:
        decide = services.hide_review if action == "hide" else services.restore_review
        try:
            decide(moderator=request.user, review=found, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            verb = "hidden" if action == "hide" else "published"
            messages.success(request, f"The review is {verb}; its author sees your reason.")
            return redirect("office:reviews")
    context = {
        "review": found,
        "form": form,
        "reports": found.reports.select_related("reporter"),
        **selectors.review_history(request.user, found),
    }
    return render(request, "reviews/pages/office_review.html", context)
