"""Working days on the Kazakh calendar (DESIGN.md §3). Pure: no database, no clock.

A day is a working day when it is Monday to Friday and not a public holiday (the `holidays`
package's Kazakh calendar, movable feasts such as Kurban Ait included), unless an admin has
entered it as a bridge day off; a weekend day is worked when an admin has entered it as a
transferred working day. Build a calendar with `WorkingCalendar(days_off=…, working_days=…)`;
`applications.queries.working_calendar()` builds the one with the admin-entered days.

Counting convention: "N working days after D" never counts D itself, and
`working_days_between(a, b)` counts the working days in (a, b], so that
`working_days_between(d, add_working_days(d, n)) == n`.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

SATURDAY = 5


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("KZ", years=year))


class WorkingCalendar:
    def __init__(self, *, days_off: Iterable[date] = (), working_days: Iterable[date] = ()) -> None:
        self.days_off = frozenset(days_off)
        self.working_days = frozenset(working_days)
        # Running count of working days over whole years, built on first use: counting the
        # working days between two dates is then two lookups, not a walk over every day
        # (the dashboard counts hundreds of thousands of stays).
        self._first: date | None = None
        self._last: date | None = None
        self._running: list[int] = []

    def is_public_holiday(self, day: date) -> bool:
        return day in _public_holidays(day.year)

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off or day.weekday() >= SATURDAY:
            return False
        return not self.is_public_holiday(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (before it when `days` is negative)."""
        step = timedelta(days=1 if days >= 0 else -1)
        remaining = abs(days)
        day = start
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when `end` is before `start`."""
        self._cover(start)
        self._cover(end)
        return self._running[(end - self._first).days] - self._running[(start - self._first).days]

    def _cover(self, day: date) -> None:
        """Extend the running count to whole years reaching `day`."""
        if self._first is not None and self._first <= day <= self._last:
            return
        first = date(min(day.year, self._first.year if self._first else day.year), 1, 1)
        last = date(max(day.year, self._last.year if self._last else day.year), 12, 31)
        running, count = [0], 0
        for offset in range(1, (last - first).days + 1):
            count += self.is_working_day(first + timedelta(days=offset))
            running.append(count)
        self._first, self._last, self._running = first, last, running

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is worked, otherwise the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day
