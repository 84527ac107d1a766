"""The campaign email: the variant's Markdown body in the notifications' email layout.

It carries the notifications app's one-click unsubscribe for campaign
messages (``List-Unsubscribe`` headers and the footer link), so unsubscribing
moves the person's "Marketplace news and campaigns" to in-app only, and the
next campaign email skips them. The button goes through the member's click
redirect; a 1×1 image through the open pixel. Links are absolute
(``settings.SITE_URL``).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from saypro.campaigns.models import CampaignMember, Variant
from saypro.campaigns.tokens import make_tracking_token
from saypro.core.markdown import render_markdown
from saypro.notifications.emails import unsubscribe_url
from saypro.notifications.models import NotificationType


def build(member: CampaignMember, variant: Variant) -> EmailMultiAlternatives | None:
    """The email for one member, or None when they cannot get one (inactive, no address)."""
    recipient = member.user
    if not recipient.is_active or not recipient.email:
        return None
    token = make_tracking_token(member.pk)
    unsubscribe = unsubscribe_url(recipient.pk, NotificationType.CAMPAIGN_MESSAGE)
    context = {
        "recipient": recipient,
        "variant": variant,
        "body_html": render_markdown(variant.body),
        "click_url": settings.SITE_URL + reverse("campaigns:click", args=[token]),
        "pixel_url": settings.SITE_URL + reverse("campaigns:pixel", args=[token]),
        "unsubscribe_url": unsubscribe,
        "settings_url": settings.SITE_URL + reverse("notifications:settings"),
        "type_label": NotificationType.CAMPAIGN_MESSAGE.label,
    }
    message = EmailMultiAlternatives(
        subject=variant.title,
        body=render_to_string("campaigns/email/campaign.txt", context),
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    html = render_to_string("campaigns/email/campaign.html", context)
    message.attach_alternative(html, "text/html")
    return message
