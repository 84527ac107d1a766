"""Notification and digest emails: text + HTML in the product's look, one-click unsubscribe.

Every email carries RFC 8058 headers, so mail clients show their own
"Unsubscribe" button and POST to the link without a login or CSRF token:

    List-Unsubscribe: <https://…/notifications/unsubscribe/<token>>
    List-Unsubscribe-Post: List-Unsubscribe=One-Click

The same signed link is in the email's footer (``tokens``). Links are
absolute, from ``settings.SITE_URL``.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from saypro.notifications.models import EmailDelivery, Notification
from saypro.notifications.tokens import DIGEST, make_unsubscribe_token

SUBJECT_MAX_LENGTH = 120


def unsubscribe_url(user_id: int, notification_type: str) -> str:
    token = make_unsubscribe_token(user_id, notification_type)
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[token])


def build(delivery: EmailDelivery) -> EmailMultiAlternatives | None:
    """The email for ``delivery``, or None when there is nothing (left) to send."""
    recipient = delivery.recipient
    if not recipient.is_active or not recipient.email:
        return None
    if delivery.kind == EmailDelivery.Kind.DIGEST:
        items = list(delivery.digest_items.order_by("-updated_at", "-pk"))
        if not items:
            return None
        kind, template = DIGEST, "notifications/email/digest"
        subject = f"Your SayPro digest: {len(items)} update{'s' if len(items) != 1 else ''}"
    else:
        notification: Notification | None = delivery.notification
        if notification is None:
            return None
        items = [notification]
        kind, template = notification.type, "notifications/email/notification"
        subject = notification.text
    if len(subject) > SUBJECT_MAX_LENGTH:
        subject = subject[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
    unsubscribe = unsubscribe_url(recipient.pk, kind)
    context = {
        "recipient": recipient,
        "items": items,
        "notification": items[0],
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe,
        "settings_url": settings.SITE_URL + reverse("notifications:settings"),
        "is_digest": kind == DIGEST,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
