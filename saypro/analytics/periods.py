"""Calendar quarters and months of the marketplace, in its time zone (``settings.TIME_ZONE``).

Every KPI counts by marketplace-local dates: a message sent at 23:30 local time
on 31 March belongs to Q1 even though it is already 1 April in some other zone
(or the other way round for UTC). ``start`` is the period's first local midnight
and ``end`` the next period's (half-open ``[start, end)``).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

QUARTER_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
MONTH_PATTERN = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def marketplace_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_midnight(day: date) -> datetime:
    """The aware instant a marketplace-local day begins."""
    return datetime.combine(day, time.min, tzinfo=marketplace_zone())


def local_date(moment: datetime) -> date:
    """The marketplace-local day of an aware instant."""
    return moment.astimezone(marketplace_zone()).date()


class _Period:
    first_day: date
    next_first_day: date

    @property
    def start(self) -> datetime:
        return local_midnight(self.first_day)

    @property
    def end(self) -> datetime:
        return local_midnight(self.next_first_day)

    @property
    def last_day(self) -> date:
        return self.next_first_day - timedelta(days=1)

    def days(self) -> list[date]:
        count = (self.next_first_day - self.first_day).days
        return [self.first_day + timedelta(days=offset) for offset in range(count)]

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day < self.next_first_day


@dataclass(frozen=True, order=True)
class Quarter(_Period):
    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"A quarter is numbered 1 to 4, not {self.number}.")

    @classmethod
    def of(cls, value: date | datetime) -> "Quarter":
        day = local_date(value) if isinstance(value, datetime) else value
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """ "2026-Q4" (also "2026 Q4", "2026q4")."""
        found = QUARTER_PATTERN.match(text or "")
        if not found:
            raise ValueError(f"Not a quarter: {text!r} (write it like 2026-Q4).")
        return cls(int(found.group(1)), int(found.group(2)))

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def next_first_day(self) -> date:
        return self.next().first_day

    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.number}"

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True, order=True)
class Month(_Period):
    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 12:
            raise ValueError(f"A month is numbered 1 to 12, not {self.number}.")

    @classmethod
    def of(cls, value: date | datetime) -> "Month":
        day = local_date(value) if isinstance(value, datetime) else value
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> "Month":
        """ "2027-01"."""
        found = MONTH_PATTERN.match(text or "")
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise ValueError(f"Not a month: {text!r} (write it like 2027-01).")
        return cls(int(found.group(1)), int(found.group(2)))

    @property
    def first_day(self) -> date:
        return date(self.year, self.number, 1)

    @property
    def next_first_day(self) -> date:
        return self.next().first_day

    def previous(self) -> "Month":
        return Month(self.year - 1, 12) if self.number == 1 else Month(self.year, self.number - 1)

    def next(self) -> "Month":
        return Month(self.year + 1, 1) if self.number == 12 else Month(self.year, self.number + 1)

    @property
    def quarter(self) -> Quarter:
        return Quarter.of(self.first_day)

    @property
    def label(self) -> str:
        return f"{self.first_day:%B} {self.year}"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number:02d}"

    def __str__(self) -> str:
        return self.key
