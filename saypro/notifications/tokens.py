"""Signed one-click unsubscribe tokens: no login, no expiry, one person and one type.

``django.core.signing`` with this app's salt: a token cannot be forged or
altered without ``SECRET_KEY``, and says only "user N wants no more emails of
type T" (``DIGEST`` for a digest email: every type they get by digest).
"""

from django.core import signing

SALT = "saypro.notifications.unsubscribe"
DIGEST = "digest"


def make_unsubscribe_token(user_id: int, notification_type: str) -> str:
    return signing.dumps({"u": user_id, "t": notification_type}, salt=SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """``(user id, type)``, or None when the token is not one of ours."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    user_id, notification_type = payload.get("u"), payload.get("t")
    if not isinstance(user_id, int) or not isinstance(notification_type, str):
        return None
    return user_id, notification_type
