"""The time zones offered and accepted: the world's regions and UTC, no legacy aliases; the
menu under today's names only."""

import pytest
from django.core.exceptions import ValidationError

from saypro.core.timezones import is_time_zone, time_zone_choices, validate_time_zone


def test_the_menu_lists_region_zones_and_utc_by_name():
    names = [name for name, _ in time_zone_choices()]
    assert names == sorted(names)
    assert {"Africa/Johannesburg", "America/New_York", "Asia/Kolkata", "UTC"} <= set(names)
    assert ("America/New_York", "America/New York") in time_zone_choices()


@pytest.mark.parametrize(
    "name", ["Factory", "localtime", "posixrules", "US/Eastern", "Etc/GMT+2", "Mars/Olympus", ""]
)
def test_aliases_and_unknown_names_are_refused(name):
    assert not is_time_zone(name)
    with pytest.raises(ValidationError, match="is not a time zone"):
        validate_time_zone(name)


@pytest.mark.parametrize(
    ("old", "today"),
    [
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Africa/Asmera", "Africa/Asmara"),
        ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ],
)
def test_the_menu_offers_each_place_once_under_todays_name(old, today):
    names = {name for name, _ in time_zone_choices()}
    assert today in names and old not in names
    assert is_time_zone(old)  # a zone saved under its old name still validates...
    assert old in {name for name, _ in time_zone_choices(old)}  # ...and stays selected


def test_an_unknown_current_zone_is_not_added_to_the_menu():
    assert "Mars/Olympus" not in {name for name, _ in time_zone_choices("Mars/Olympus")}
