"""The campaign email: the variant's Markdown body in the notifications' email layout.

It carries the notifications app's one-click unsubscribe for campaign
messages (``List-Unsubscribe`` headers and the footer link), so unsubscribing
moves the person's "Marketplace news and campaigns" to in-app only, and the
next campaign email skips them. The button goes through the member's click
redirect; a 1×1 image through the open pixel. Links are absolute
(``settings.SITE_URL``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from saypro.campaigns.models import CampaignMember, Variant
from saypro.campaigns.tokens import make_tracking_token
from saypro.core.markdown import render_markdown
from saypro.notifications.emails import unsubscribe_url
from saypro.notifications.models import NotificationType


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _render(recipient, variant: Variant, *, click_url: str, pixel_url: str, unsubscribe: str):
    context = {
        "recipient": recipient,
        "variant": variant,
        "body_html": render_markdown(variant.body),
        "click_url": click_url,
        "pixel_url": pixel_url,
        "unsubscribe_url": unsubscribe,
        "settings_url": settings.SITE_URL + reverse("notifications:settings"),
        "type_label": NotificationType.CAMPAIGN_MESSAGE.label,
    }
    return Rendered(
        subject=variant.title,
        text=render_to_string("campaigns/email/campaign.txt", context),
        html=render_to_string("campaigns/email/campaign.html", context),
    )


def build(member: CampaignMember, variant: Variant) -> EmailMultiAlternatives | None:
    """The email for one member, or None when they cannot get one (inactive, no address)."""
    recipient = member.user
    if not recipient.is_active or not recipient.email:
        return None
    token = make_tracking_token(member.pk)
    unsubscribe = unsubscribe_url(recipient.pk, NotificationType.CAMPAIGN_MESSAGE)
    rendered = _render(
        recipient,
        variant,
        click_url=settings.SITE_URL + reverse("campaigns:click", args=[token]),
        pixel_url=settings.SITE_URL + reverse("campaigns:pixel", args=[token]),
        unsubscribe=unsubscribe,
    )
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def preview(variant: Variant, viewer) -> Rendered:
    """The email as ``viewer`` would get it, with nothing tracked: the button goes straight to
    its page, there is no open pixel, and the footer's unsubscribe link is the notification
    settings page (a real one-click link would unsubscribe whoever clicks it)."""
    return _render(
        viewer,
        variant,
        click_url=settings.SITE_URL + variant.cta_path,
        pixel_url="",
        unsubscribe=settings.SITE_URL + reverse("notifications:settings"),
    )
