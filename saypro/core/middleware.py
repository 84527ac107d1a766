"""Web middleware of our own."""

from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve


class FormAddressMiddleware:
    """A browser that opens a form's POST-only address (a refresh after a refused order,
    a bookmark, a shared link) is taken to the page the address belongs to, the nearest
    page above it ("/p/738/order" → "/p/738/"), instead of a bare 405. The API answers
    405 as it should.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 405
            or request.method not in ("GET", "HEAD")
            or request.path.startswith("/api/")
        ):
            return response
        page = _page_above(request.path)
        return HttpResponseRedirect(page) if page else response


def _page_above(path: str) -> str | None:
    """The nearest address above ``path`` that is a page of the site."""
    parts = path.strip("/").split("/")
    while parts:
        parts.pop()
        candidate = "/" + "".join(f"{part}/" for part in parts)
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return None
