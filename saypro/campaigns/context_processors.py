"""The member's campaign banner on every page (in-app banner campaigns)."""

from django.utils import timezone

from saypro.campaigns import banners, selectors, services
from saypro.core.markdown import render_markdown


def banner(request):
    """The newest banner the person has not dismissed or clicked; shown = opened (first time).

    Nothing for visitors, nor for htmx requests (they render a partial, not
    ``base.html``, so the banner is not shown). A person without a banner is
    remembered in the cache (``banners``), so their next pages cost no query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "htmx", False):
        return {}
    if banners.known_absent(user.pk):
        return {}
    member = selectors.banner_for(user, now=timezone.now())
    if member is None:
        banners.remember_absent(user.pk)
        return {}
    variant = selectors.variant_of(member)
    if variant is None:
        return {}
    if member.opened_at is None:
        services.record_open(member_id=member.pk)
    return {
        "campaign_banner": {
            "member_id": member.pk,
            "title": variant.title,
            "body": render_markdown(variant.body),
            "cta_label": variant.cta_label,
            "click_url": services.click_path(member),
        }
    }
