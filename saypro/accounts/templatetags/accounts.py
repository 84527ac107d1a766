"""What the sign-in pages and emails tell people about allauth's limits, read from allauth's
own settings so the wording cannot drift from what it enforces."""

from allauth.account import app_settings
from django import template

register = template.Library()


@register.simple_tag
def verification_code_limits() -> dict[str, int]:
    """How long an email verification code works (whole minutes) and how many tries it
    allows before allauth discards it."""
    return {
        "minutes": app_settings.EMAIL_VERIFICATION_BY_CODE_TIMEOUT // 60,
        "tries": app_settings.EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS,
    }
