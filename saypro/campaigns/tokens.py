"""Signed tracking tokens: one per campaign member, for the click redirect and the email pixel.

``django.core.signing.Signer`` with this app's salt: a token names one member and
cannot be forged or altered without ``SECRET_KEY``. No login is needed (an
email may be opened on another device); the token only ever counts that
member's open or click and leads to their variant's own call to action.
"""

from django.core import signing

SALT = "saypro.campaigns.tracking"


def make_tracking_token(member_id: int) -> str:
    """The same token every time for a member (no timestamp): links can be compared."""
    return signing.Signer(salt=SALT).sign_object(member_id)


def read_tracking_token(token: str) -> int | None:
    """The member id, or None when the token is not one of ours."""
    try:
        member_id = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return member_id if isinstance(member_id, int) and not isinstance(member_id, bool) else None
