"""Codes people read aloud and type by hand: discount codes, certificate codes."""

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
GROUPS, GROUP_LENGTH = 2, 4


def readable_code(prefix: str) -> str:
    """``<prefix>-XXXX-XXXX``: 31 symbols in 8 places, about 8.5 × 10¹¹ codes."""
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return f"{prefix}-" + "-".join(groups)
