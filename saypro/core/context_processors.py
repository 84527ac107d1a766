"""Template context shared by every page: the role-aware main navigation, and where to
write to the marketplace office."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from saypro.catalog.selectors import memberships_of
from saypro.messaging.selectors import total_unread


def navigation(request):
    """Navigation for the current person: only pages that exist and that they may use.

    An item with a ``badge`` (a count, possibly 0) shows it; ``base.html`` marks
    the Messages badge ``data-unread-total`` so ``static/js/messaging.js`` can
    update it live.
    """
    # A request refused before the middleware ran (a bad Host) has no user: the visitor's menu.
    user = getattr(request, "user", None) or AnonymousUser()
    path = request.path
    is_seller = False
    items = [
        {
            "label": "Shop",
            "url": reverse("catalog:home"),
            "current": path == "/" or path.startswith(("/p/", "/s/")),
        }
    ]
    if user.is_authenticated:
        items.append(
            {
                "label": "My orders",
                "url": reverse("catalog:my_orders"),
                "current": path.startswith("/orders"),
            }
        )
        items.append(
            {
                "label": "Messages",
                "url": reverse("messaging:inbox"),
                "current": path.startswith("/messages"),
                "badge": total_unread([user.pk])[user.pk],
            }
        )
        is_seller = memberships_of(user).exists()
        if is_seller:
            items.append(
                {
                    "label": "Seller Center",
                    "url": reverse("seller:start"),
                    "current": path.startswith("/seller"),
                }
            )
        if is_seller or user.is_office_staff:
            items.append(
                {
                    "label": "Academy",
                    "url": reverse("academy:catalog"),
                    "current": path.startswith("/academy"),
                }
            )
        if user.is_office_staff:
            items.append(
                {
                    "label": "Office",
                    "url": reverse("office_kpis:dashboard"),
                    "current": path.startswith("/office"),
                }
            )
    return {
        "nav_items": items,
        "nav_is_seller": is_seller,
        "support_email": settings.SUPPORT_EMAIL,
    }
