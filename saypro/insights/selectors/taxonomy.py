"""The theme taxonomy: what reviews can be filtered by, and the office's view of it."""

from django.db.models import Count, Q, QuerySet

from saypro.accounts.models import User
from saypro.insights.models import Theme
from saypro.insights.selectors.scope import PUBLISHED


def active_themes() -> QuerySet[Theme]:
    """The themes a review can be filtered by, in the taxonomy's order (public: names only)."""
    return Theme.objects.filter(is_active=True)


def office_themes(user: User) -> QuerySet[Theme]:
    """Every theme with how many published reviews mention it, for office staff."""
    if not user.is_authenticated or not user.is_office_staff:
        return Theme.objects.none()
    return Theme.objects.annotate(
        mention_count=Count("mentions", filter=Q(mentions__review__status=PUBLISHED))
    ).order_by("-is_active", "position", "name")


def office_theme(user: User, pk: int) -> Theme | None:
    return office_themes(user).filter(pk=pk).first()
