"""Office › Moderation: held and reported reviews; hide or restore, each decision audited."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from saypro.core.auth import login_required, require_office
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error, posted
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


DECISIONS = {"hide": services.hide_review, "restore": services.restore_review}


@login_required
def review(request, pk: int):
    """One review with its reports, history and decisions; hide or restore it with a reason.

    A refused decision changes nothing: the page comes back with the reason, the
    review as stored now and a 4xx status (400 for the form, else the service's own).
    """
    require_office(request)
    found = selectors.visible_review(request.user, pk)
    if found is None:
        raise Http404("No such review.")
    form = ModerationForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        action = request.POST.get("action")
        if action not in DECISIONS:
            form.add_error(None, "Choose whether to hide the review or publish it.")
        elif form.is_valid():
            try:
                DECISIONS[action](
                    moderator=request.user, review=found, reason=form.cleaned_data["reason"]
                )
            except ApplicationError as error:
                add_service_error(form, error)
                status = error.status
                found = selectors.visible_review(request.user, pk)
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
    return render(request, "reviews/pages/office_review.html", context, status=status)
