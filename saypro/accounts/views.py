"""The account page: who you are, your stores, and your personal API tokens."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from saypro.accounts import selectors, services
from saypro.accounts.forms import ApiTokenForm
from saypro.catalog.selectors import memberships_of
from saypro.core.auth import login_required
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error


def _render_account(request, form: ApiTokenForm, *, new_token: str | None = None, status=200):
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": selectors.tokens_of(request.user),
        "token_limit": services.MAX_ACTIVE_TOKENS,
        "memberships": memberships_of(request.user),
    }
    return render(request, "accounts/pages/account.html", context, status=status)


NEW_TOKEN = "accounts.new_token"


@login_required
def account(request):
    if request.method != "POST":
        # A token just made is shown on this one page view, then gone for good.
        return _render_account(
            request, ApiTokenForm(), new_token=request.session.pop(NEW_TOKEN, None)
        )
    form = ApiTokenForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            _, raw_token = services.create_api_token(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            # Redirected, so that reloading the page does not make a second token; the raw
            # token waits in the session for that one view (the database keeps its digest).
            request.session[NEW_TOKEN] = raw_token
            return redirect("accounts:account")
    return _render_account(request, form, status=status)


@login_required
@require_POST
def revoke_token(request, token_id: int):
    token = selectors.token_of(request.user, token_id)
    if token is None:
        raise Http404("No such token.")
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(request, f"Token “{token.name}” is revoked; requests using it now fail.")
    return redirect("accounts:account")
