from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from applications.calendar import WorkingCalendar

KZ = WorkingCalendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 27), True),  # a Friday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 12, 16), False),  # Independence Day, a Wednesday
        (date(2026, 3, 23), False),  # Nauryz
        (date(2026, 3, 25), False),  # Nauryz moved off the weekend
        (date(2026, 5, 27), False),  # Kurban Ait: a movable feast, from the lunar calendar
        (date(2027, 5, 17), True),  # the Monday after Kurban Ait 2027 (a Sunday, not moved)
        (date(2026, 7, 6), False),  # Capital Day
    ],
)
def test_is_working_day_on_the_kazakh_calendar(day, working):
    assert KZ.is_working_day(day) is working


def test_add_working_days_skips_weekends_and_holidays():
    # Friday 11 Dec 2026 + 5: Mon 14, Tue 15, (Wed 16 Independence Day), Thu 17, Fri 18, Mon 21.
    assert KZ.add_working_days(date(2026, 12, 11), 5) == date(2026, 12, 21)


def test_add_working_days_across_nauryz_week():
    # Thu 19 Mar 2026 + 3: Fri 20, (Sat–Wed 21–25 Nauryz and weekend), Thu 26, Fri 27.
    assert KZ.add_working_days(date(2026, 3, 19), 3) == date(2026, 3, 27)


def test_add_working_days_backwards_and_zero():
    assert KZ.add_working_days(date(2026, 12, 21), -5) == date(2026, 12, 11)
    assert KZ.add_working_days(date(2026, 12, 19), 0) == date(2026, 12, 19)


def test_working_days_between_counts_end_not_start():
    assert KZ.working_days_between(date(2026, 12, 11), date(2026, 12, 21)) == 5
    assert KZ.working_days_between(date(2026, 12, 21), date(2026, 12, 11)) == -5
    assert KZ.working_days_between(date(2026, 12, 11), date(2026, 12, 11)) == 0


@pytest.mark.parametrize("days", [0, 1, 7, 15, 21, 60])
def test_between_inverts_add(days):
    start = date(2026, 12, 30)
    assert KZ.working_days_between(start, KZ.add_working_days(start, days)) == days


def test_admin_days_override_the_public_calendar():
    calendar = WorkingCalendar(days_off=[date(2026, 12, 31)], working_days=[date(2026, 12, 26)])
    assert calendar.is_working_day(date(2026, 12, 31)) is False  # a Thursday made a bridge day
    assert calendar.is_working_day(date(2026, 12, 26)) is True  # a Saturday worked in exchange
    # Thu 24 + 2: Fri 25, Sat 26 (transferred working day).
    assert calendar.add_working_days(date(2026, 12, 24), 2) == date(2026, 12, 26)


def test_next_working_day():
    assert KZ.next_working_day(date(2026, 12, 16)) == date(2026, 12, 17)
    assert KZ.next_working_day(date(2026, 12, 17)) == date(2026, 12, 17)


@given(
    start=st.dates(min_value=date(2018, 1, 1), max_value=date(2032, 12, 31)),
    span=st.integers(min_value=-800, max_value=800),
)
def test_counting_by_lookup_matches_walking_day_by_day(start, span):
    calendar = WorkingCalendar(days_off=[date(2026, 12, 18)], working_days=[date(2026, 12, 19)])
    end = start + timedelta(days=span)
    low, high = sorted((start, end))
    walked = sum(
        calendar.is_working_day(low + timedelta(days=offset))
        for offset in range(1, (high - low).days + 1)
    )

    assert calendar.working_days_between(start, end) == (walked if end >= start else -walked)
