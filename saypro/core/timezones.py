"""The time zones people choose from: the IANA zones of the world's regions, and UTC.

The system's zone database also holds aliases kept for old software ("US/Eastern",
"Etc/GMT+2", "Factory", "localtime"); menus and validation leave them out. Menus also
leave out the old names of places inside the regions ("Asia/Calcutta", "Africa/Asmera",
"America/Buenos_Aires"): they offer the zones of ``zone.tab`` (one per place, under
today's name, from the ``tzdata`` package). Validation still accepts an old name, so a
zone someone saved before keeps working, and their menu keeps it selected.
"""

import zoneinfo
from functools import cache
from importlib.resources import files

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


@cache
def _todays_names() -> frozenset[str]:
    """The zones ``zone.tab`` lists (its third column), as far as the system knows them."""
    table = (files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in table.splitlines() if not line.startswith("#"))
    return frozenset(row[2] for row in rows if len(row) > 2) & time_zones() | {"UTC"}


def time_zone_choices(current: str | None = None) -> list[tuple[str, str]]:
    """For a menu: ("America/New_York", "America/New York"), in name order; with ``current``
    (the zone saved) among them even when it is an old name."""
    names = _todays_names() | ({current} if current and is_time_zone(current) else set())
    return [(name, name.replace("_", " ")) for name in sorted(names)]


def is_time_zone(value: str) -> bool:
    return value in time_zones()


def validate_time_zone(value: str) -> None:
    if not is_time_zone(value):
        raise ValidationError(f"“{value}” is not a time zone (e.g. Africa/Johannesburg).")
