from datetime import date

import pytest

from applications.calendar import WorkingCalendar
from applications.enums import CalendarDayKind, ClockStage
from applications.models import CalendarDay
from applications.queries import working_calendar
from applications.services.clocks import (
    CLOCK_FIELDS,
    pause_clock,
    read_clock,
    resume_clock,
    start_clock,
    stop_clock,
)
from tests import factories

KZ = WorkingCalendar()
pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return factories.ApplicationFactory()


def test_start_clock_counts_the_programme_stage_days(application):
    application.cohort.programme.eligibility_days = 15

    fields = start_clock(application, ClockStage.ELIGIBILITY, on=date(2026, 12, 1), calendar=KZ)

    assert fields == CLOCK_FIELDS
    # 15 working days from Tue 1 Dec 2026, Independence Day (Wed 16 Dec) skipped.
    assert application.clock_due_on == date(2026, 12, 23)
    assert application.clock_stage == ClockStage.ELIGIBILITY
    assert application.clock_started_on == date(2026, 12, 1)
    assert (application.clock_paused_on, application.clock_paused_days) == (None, 0)


def test_pause_then_resume_moves_the_due_date_by_the_working_days_paused(application):
    start_clock(application, ClockStage.SCREENING, on=date(2026, 12, 7), calendar=KZ)
    assert application.clock_due_on == date(2026, 12, 14)

    assert pause_clock(application, on=date(2026, 12, 9)) == ["clock_paused_on"]
    assert pause_clock(application, on=date(2026, 12, 10)) == []  # already paused
    reading = read_clock(application, on=date(2026, 12, 30), calendar=KZ)
    assert (reading.days_left, reading.paused, reading.overdue) == (3, True, False)

    # Paused Wed 9 → resumed Fri 18: Thu 10, Fri 11, Mon 14, Tue 15, Thu 17, Fri 18 = 6 days.
    fields = resume_clock(application, on=date(2026, 12, 18), calendar=KZ)

    assert fields == ["clock_due_on", "clock_paused_on", "clock_paused_days"]
    assert application.clock_paused_days == 6
    assert application.clock_due_on == KZ.add_working_days(date(2026, 12, 14), 6)
    assert application.clock_paused_on is None
    assert resume_clock(application, on=date(2026, 12, 21), calendar=KZ) == []


def test_read_clock_overdue_after_the_due_date(application):
    start_clock(application, ClockStage.SCREENING, on=date(2026, 12, 7), calendar=KZ)

    reading = read_clock(application, on=date(2026, 12, 17), calendar=KZ)

    assert (reading.due_on, reading.days_left, reading.overdue) == (date(2026, 12, 14), -2, True)


def test_no_clock_reads_as_none_and_stop_clears(application):
    assert read_clock(application) is None
    assert pause_clock(application) == []
    start_clock(application, ClockStage.DECISION, on=date(2026, 12, 7), calendar=KZ)

    assert stop_clock(application) == CLOCK_FIELDS
    assert read_clock(application) is None


def test_working_calendar_includes_admin_days_and_is_cached(django_assert_num_queries):
    CalendarDay.objects.create(date=date(2026, 12, 31), kind=CalendarDayKind.DAY_OFF)
    CalendarDay.objects.create(date=date(2027, 1, 9), kind=CalendarDayKind.WORKING_DAY)

    with django_assert_num_queries(1):
        calendar = working_calendar()
        working_calendar()

    assert calendar.is_working_day(date(2026, 12, 31)) is False
    assert calendar.is_working_day(date(2027, 1, 9)) is True
