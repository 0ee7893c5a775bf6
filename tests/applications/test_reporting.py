"""The reporting schedule: periods from the start date, due in Kazakh working days."""

from datetime import date

import pytest

from applications.calendar import WorkingCalendar
from applications.enums import ReportKind
from applications.reporting import add_months, end_of_testing, report_schedule

M, Q = ReportKind.MONTHLY, ReportKind.QUARTERLY


def test_add_months_clamps_to_the_last_day_of_the_month():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)
    assert add_months(date(2027, 5, 20), 0) == date(2027, 5, 20)


def test_end_of_testing_is_the_day_before_the_same_date_months_later():
    assert end_of_testing(date(2027, 2, 1), 12) == date(2028, 1, 31)
    assert end_of_testing(date(2027, 1, 15), 24) == date(2029, 1, 14)


def test_monthly_report_skips_womens_day_and_constitution_day():
    # February 2027 ends on a Sunday; 8 March and 15 March are public holidays.
    schedule = report_schedule(date(2027, 2, 1), date(2028, 1, 31), WorkingCalendar())
    first = schedule[0]
    assert (first.kind, first.period_start, first.period_end, first.due_on) == (
        M,
        date(2027, 2, 1),
        date(2027, 2, 28),
        date(2027, 3, 16),
    )


def test_monthly_report_skips_nauryz():
    # The period ends Friday 19 March 2027; Nauryz closes 22, 23 and 24 March.
    schedule = report_schedule(date(2027, 2, 20), date(2028, 2, 19), WorkingCalendar())
    assert [(r.period_end, r.due_on) for r in schedule[:3]] == [
        (date(2027, 3, 19), date(2027, 4, 7)),
        (date(2027, 4, 19), date(2027, 5, 4)),  # 3 May is the observed Unity Day holiday
        (date(2027, 5, 19), date(2027, 6, 2)),
    ]


def test_may_holidays_push_the_april_report():
    schedule = report_schedule(date(2027, 1, 1), date(2027, 12, 31), WorkingCalendar())
    april = next(r for r in schedule if r.kind == M and r.period_start == date(2027, 4, 1))
    # 3 May (observed), 7 May (Defender's Day) and 10 May (Victory Day observed) are not worked.
    assert april.due_on == date(2027, 5, 19)


def test_quarterly_reports_are_due_fifteen_working_days_after_the_quarter():
    schedule = report_schedule(date(2027, 2, 20), date(2028, 2, 19), WorkingCalendar())
    quarters = [(r.period_start, r.period_end, r.due_on) for r in schedule if r.kind == Q]
    assert quarters == [
        (date(2027, 2, 20), date(2027, 5, 19), date(2027, 6, 9)),
        (date(2027, 5, 20), date(2027, 8, 19), date(2027, 9, 9)),
        (date(2027, 8, 20), date(2027, 11, 19), date(2027, 12, 10)),
        (date(2027, 11, 20), date(2028, 2, 19), date(2028, 3, 13)),  # 8 March 2028 skipped
    ]


def test_a_whole_year_has_twelve_monthly_and_four_quarterly_reports_in_due_order():
    schedule = report_schedule(date(2027, 1, 15), date(2028, 1, 14), WorkingCalendar())
    assert [r.kind for r in schedule].count(M) == 12
    assert [r.kind for r in schedule].count(Q) == 4
    assert [r.due_on for r in schedule] == sorted(r.due_on for r in schedule)
    assert (schedule[-2].period_end, schedule[-2].due_on) == (date(2028, 1, 14), date(2028, 1, 28))
    assert (schedule[-1].period_end, schedule[-1].due_on) == (date(2028, 1, 14), date(2028, 2, 4))


def test_a_short_test_ends_its_last_quarter_with_the_test():
    schedule = report_schedule(date(2027, 2, 1), date(2027, 5, 31), WorkingCalendar())
    quarters = [(r.period_start, r.period_end) for r in schedule if r.kind == Q]
    assert quarters == [
        (date(2027, 2, 1), date(2027, 4, 30)),
        (date(2027, 5, 1), date(2027, 5, 31)),
    ]


@pytest.mark.parametrize(
    ("days_off", "working_days", "due_on"),
    [
        ([date(2027, 3, 16)], [], date(2027, 3, 17)),  # a bridge day off pushes it one day
        ([], [date(2027, 3, 6)], date(2027, 3, 12)),  # a transferred working Saturday
    ],
)
def test_admin_calendar_days_move_the_due_date(days_off, working_days, due_on):
    calendar = WorkingCalendar(days_off=days_off, working_days=working_days)
    schedule = report_schedule(date(2027, 2, 1), date(2027, 4, 30), calendar)
    assert schedule[0].due_on == due_on
