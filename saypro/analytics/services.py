"""Every write of the KPI app: setting a quarter's target (office staff only, history kept)."""

import math
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from saypro.accounts.models import User
from saypro.analytics.kpis import CHANGE, PERCENT, get
from saypro.analytics.models import Target
from saypro.analytics.periods import Quarter
from saypro.core.errors import NotAuthenticated, PermissionDenied, ValidationFailed

# A change target may ask for anything from −100 % (nothing) to +1000 %.
CHANGE_RANGE = (-100.0, 1000.0)
LEVEL_RANGES = {"percent": (0.0, 100.0), "rating": (1.0, 5.0), "score": (0.0, 100.0)}


def _validate(key: str, value) -> tuple:
    try:
        kpi = get(key)
    except KeyError:
        raise ValidationFailed(f"There is no KPI called “{key}”.", code="unknown_kpi") from None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationFailed("The target must be a number.", code="invalid_target") from None
    if not math.isfinite(number):
        raise ValidationFailed("The target must be a number.", code="invalid_target")
    if kpi.target_kind == CHANGE:
        low, high = CHANGE_RANGE
        what = "a change between −100 % and +1000 %"
    else:
        low, high = LEVEL_RANGES.get(kpi.unit, (0.0, math.inf))
        what = (f"between {low:g} and {high:g}" if math.isfinite(high) else "zero or more") + (
            " %" if kpi.unit == PERCENT else ""
        )
    if not low <= number <= high:
        raise ValidationFailed(
            f"The target for {kpi.label} must be {what}.", code="target_out_of_range"
        )
    return kpi, number


def set_target(
    actor: User, quarter: Quarter | str, key: str, value, *, now: datetime | None = None
) -> Target:
    """Record a new target for a KPI in a quarter (the latest setting wins; earlier ones stay
    as history). Office staff only. ``value`` is a level in the KPI's unit, or for the
    "change" KPIs the % change wanted over the previous quarter."""
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
