"""The time zones people choose from: the IANA zones of the world's regions, and UTC.

The system's zone database also holds aliases kept for old software ("US/Eastern",
"Etc/GMT+2", "Factory", "localtime"); menus and validation leave them out.
"""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError

REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@cache
def time_zones() -> frozenset[str]:
    return frozenset(
        name for name in zoneinfo.available_timezones() if name.split("/")[0] in REGIONS
    ) | {"UTC"}


def time_zone_choices() -> list[tuple[str, str]]:
    """For a menu: ("America/New_York", "America/New York"), in name order."""
    return [(name, name.replace("_", " ")) for name in sorted(time_zones())]


def is_time_zone(value: str) -> bool:
    return value in time_zones()


def validate_time_zone(value: str) -> None:
    if not is_time_zone(value):
        raise ValidationError(f"“{value}” is not a time zone (e.g. Africa/Johannesburg).")
