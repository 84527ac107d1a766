"""Every write of the KPI app: setting a quarter's target (office staff only, history kept)."""

import math
import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from saypro.accounts.models import User
from saypro.analytics.kpis import CHANGE, DOWN, PERCENT, UP, Kpi, get
from saypro.analytics.models import Target
from saypro.analytics.periods import Quarter
from saypro.core.errors import NotAuthenticated, PermissionDenied, ValidationFailed

# A change target's % change lies within −100 % (nothing) and +1000 %; a level target
# within its unit's range (counts and hours: zero or more).
CHANGE_RANGE = (-100.0, 1000.0)
LEVEL_RANGES = {"percent": (0.0, 100.0), "rating": (1.0, 5.0), "score": (0.0, 100.0)}
UNBOUNDED = (0.0, math.inf)
# A target as people type it: ASCII digits only (Python's float() also reads "1_0" and
# full-width or Arabic-Indic digits), an optional sign (the page writes minus as "−"), a
# decimal point or comma; no exponent.
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
# "1,500" could be one and a half or fifteen hundred: refused rather than guessed.
THOUSANDS = re.compile(r"[+-]?[0-9]{1,3},[0-9]{3}")


def _number(kpi: Kpi, value: float | str) -> float:
    """``value`` as a float: a number as is, or text as people type it ("95", "95.5",
    "95,5", and where the target is a percentage — a percent level or a % change — "95 %")."""
    percentage = kpi.unit == PERCENT or kpi.target_kind == CHANGE
    example = "95, 95.5 or 95 %" if percentage else "95 or 95.5"
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip().replace("−", "-")
        if percentage:
            text = text.removesuffix("%").rstrip()
        if THOUSANDS.fullmatch(text):
            whole, decimal = int(text.replace(",", "")), float(text.replace(",", "."))
            raise ValidationFailed(
                f"“{value}” could be {whole} or {decimal:g}: enter {whole}, or {decimal:g} "
                "with a point.",
                code="invalid_target",
            )
        text = text.replace(",", ".")
        if not NUMBER.fullmatch(text):
            raise ValidationFailed(f"Enter a number such as {example}.", code="invalid_target")
        number = float(text)
    if not math.isfinite(number):
        raise ValidationFailed(f"Enter a number such as {example}.", code="invalid_target")
    return number


def _validate(key: str, value: float | str) -> tuple:
    try:
        kpi = get(key)
    except KeyError:
        raise ValidationFailed(f"There is no KPI called “{key}”.", code="unknown_kpi") from None
    number = _number(kpi, value)
    low, high = CHANGE_RANGE if kpi.target_kind == CHANGE else LEVEL_RANGES.get(kpi.unit, UNBOUNDED)
    # The worst end of a range is met by doing nothing, so it is no target: a
    # higher-is-better KPI's target lies above its floor, a lower-is-better one's below
    # its ceiling.
    above_floor = low < number if kpi.better == UP else low <= number
    below_ceiling = number < high if kpi.better == DOWN else number <= high
    if not (above_floor and below_ceiling):
        raise ValidationFailed(
            f"The target for {kpi.label} must be {_range_words(kpi, low, high)}.",
            code="target_out_of_range",
        )
    return kpi, number


def _range_words(kpi: Kpi, low: float, high: float) -> str:
    """What a target must be, e.g. “more than 0 and at most 100 %”."""
    if not math.isfinite(high):
        return "more than 0" if kpi.better == UP else "zero or more"
    if kpi.target_kind == CHANGE:
        low_text, high_text = f"{low:+g} %".replace("-", "−"), f"{high:+g} %"
        prefix = "a change of "
    else:
        unit = " %" if kpi.unit == PERCENT else ""
        low_text, high_text, prefix = f"{low:g}", f"{high:g}{unit}", ""
    if kpi.better == UP:
        return f"{prefix}more than {low_text} and at most {high_text}"
    return f"{prefix}at least {low_text} and less than {high_text}"


def set_target(
    actor: User,
    quarter: Quarter | str,
    key: str,
    value: float | str,
    *,
    now: datetime | None = None,
) -> Target:
    """Record a new target for a KPI in a quarter (the latest setting wins; earlier ones stay
    as history). Office staff only. ``value`` is a level in the KPI's unit, or for the
    "change" KPIs the % change wanted over the previous quarter; as text, it is read as
    ``_number`` reads it."""
    if actor is None or not actor.is_authenticated:
        raise NotAuthenticated("Sign in as office staff to set targets.")
    if not actor.is_office_staff:
        raise PermissionDenied("Only marketplace office staff set the quarter's targets.")
    if isinstance(quarter, str):
        try:
            quarter = Quarter.parse(quarter)
        except ValueError as error:
            raise ValidationFailed(str(error), code="invalid_quarter") from None
    kpi, number = _validate(key, value)
    with transaction.atomic():
        return Target.objects.create(
            quarter=quarter.key,
            kpi=kpi.key,
            value=number,
            set_by=actor,
            set_at=now or timezone.now(),
        )
