"""Idempotency keys (``client_id``): a retried write with the same key creates nothing."""

import re

from saypro.core.errors import ValidationFailed

CLIENT_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"
CLIENT_ID = re.compile(CLIENT_ID_PATTERN)


def clean_client_id(client_id: str | None) -> str | None:
    """The key, or None when none was given; 400 for one that is not 1–64 safe characters."""
    if client_id is None or client_id == "":
        return None
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise ValidationFailed(
            "client_id must be 1–64 letters, digits or . _ : - (a UUID is ideal).",
            details={"field": "client_id"},
        )
    return client_id
