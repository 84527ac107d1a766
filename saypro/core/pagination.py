from django.core.paginator import Paginator


def paginate(request, items, *, per_page: int = 24) -> dict:
    """Template context for one page of ``items``: ``page`` and ``query_without_page``.

    An out-of-range or malformed ``?page=`` shows the nearest valid page.
    """
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return {"page": page, "query_without_page": f"{encoded}&" if encoded else ""}
