"""Template context shared by every page: the role-aware main navigation."""

from django.urls import reverse

from saypro.catalog.selectors import memberships_of


def navigation(request):
    """Navigation for the current person: only pages that exist and that they may use."""
    user = request.user
    path = request.path
    is_seller = False
    items = [("Shop", reverse("catalog:home"), path == "/" or path.startswith(("/p/", "/s/")))]
    if user.is_authenticated:
        items.append(("My orders", reverse("catalog:my_orders"), path.startswith("/orders")))
        is_seller = memberships_of(user).exists()
        if is_seller:
            items.append(("Seller Center", reverse("seller:start"), path.startswith("/seller")))
        if user.is_office_staff:
            items.append(("Office", reverse("office:reviews"), path.startswith("/office")))
    return {
        "nav_items": [
            {"label": label, "url": url, "current": current} for label, url, current in items
        ],
        "nav_is_seller": is_seller,
    }
