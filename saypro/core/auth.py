"""Sign-in gates for web views."""

from functools import wraps
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required as django_login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.http import url_has_allowed_host_and_scheme


def login_required(view):
    """Django's ``login_required``, but a signed-out form post returns to its page.

    A POST-only URL cannot be the place to come back to after signing in (a GET
    there answers 405 and the visitor's action is lost), so for a form posted by
    someone whose session has expired the sign-in page leads back to the page
    the form was on, where they can submit it again.
    """
    gated = django_login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            return redirect_to_login(_form_page(request))
        return gated(request, *args, **kwargs)

    return wrapper


def _form_page(request) -> str:
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        page = urlsplit(referer)
        return page.path + (f"?{page.query}" if page.query else "")
    return "/"


def require_office(request) -> None:
    """Refuse an office page to anyone but marketplace office staff (403 with why)."""
    if not request.user.is_authenticated or not request.user.is_office_staff:
        raise PermissionDenied("This page is for the marketplace office.")
