"""The points and rewards page under the account area, and the redeem confirmation.

Reads go through ``selectors``, the one write (redeeming) through ``services``.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from saypro.core.auth import login_required
from saypro.core.errors import ApplicationError
from saypro.core.pagination import paginate
from saypro.rewards import selectors, services

LEDGER_PAGE = 20


@login_required
@require_GET
def points(request):
    context = paginate(request, selectors.ledger(request.user), per_page=LEDGER_PAGE)
    context.update(
        balance=selectors.balance(request.user),
        rules=selectors.earning_rules(),
        rewards=selectors.available_rewards(),
        redemptions=selectors.redemptions_of(request.user),
        my_badges=selectors.badges_for_user(request.user),
        stores=selectors.stores_with_badges(request.user),
        history=selectors.badge_history(request.user),
        badges=selectors.active_badges(),
        now=timezone.now(),
    )
    return render(request, "rewards/pages/points.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def redeem(request, pk: int):
    """GET: what the reward costs and what is left after; POST: redeem it."""
    reward = selectors.available_reward(pk)
    if reward is None:
        raise Http404("This reward is not available.")
    balance = selectors.balance(request.user)
    error, status = None, 200
    if request.method == "POST":
        try:
            redemption = services.redeem_reward(user=request.user, reward=reward)
        except ApplicationError as refused:
            error, status = refused.message, refused.status
        else:
            messages.success(
                request,
                f"Your code for “{reward.name}” is {redemption.code}, "
                f"valid until {date_format(timezone.localtime(redemption.expires_at), 'j F Y')}.",
            )
            return redirect("rewards:points")
    return render(
        request,
        "rewards/pages/redeem.html",
        {
            "reward": reward,
            "balance": balance,
            "after": balance - reward.cost,
            "shortfall": max(0, reward.cost - balance),
            "error": error,
        },
        status=status,
    )
