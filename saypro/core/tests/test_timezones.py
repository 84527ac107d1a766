"""The time zones offered and accepted: the world's regions and UTC, no legacy aliases."""

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
