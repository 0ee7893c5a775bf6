"""The participant's reporting schedule (DESIGN.md §3). Pure: no database, no clock.

Periods run from the start of testing: monthly periods start on the same day of each month as
testing started, quarterly periods every three months; the last period of each kind ends with the
test. A report is due a number of working days (Kazakh calendar) after its period ends: 10 for a
monthly report, 15 for a quarterly one. "N working days after D" never counts D itself.
"""

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, timedelta

from applications.calendar import WorkingCalendar
from applications.enums import ReportKind

DUE_WORKING_DAYS = {ReportKind.MONTHLY: 10, ReportKind.QUARTERLY: 15}
PERIOD_MONTHS = {ReportKind.MONTHLY: 1, ReportKind.QUARTERLY: 3}


@dataclass(frozen=True)
class ScheduledReport:
    kind: str
    period_start: date
    period_end: date
    due_on: date


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = month_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def end_of_testing(starts_on: date, months: int) -> date:
    """The last day of a test of `months` months starting on `starts_on`."""
    return add_months(starts_on, months) - timedelta(days=1)


def report_schedule(
    starts_on: date, ends_on: date, calendar: WorkingCalendar
) -> list[ScheduledReport]:
    """Every monthly and quarterly report from `starts_on` to `ends_on` (inclusive), by due date."""
    reports = []
    for kind, months in PERIOD_MONTHS.items():
        step = 0
        while (period_start := add_months(starts_on, step * months)) <= ends_on:
            period_end = min(
                add_months(starts_on, (step + 1) * months) - timedelta(days=1), ends_on
            )
            due_on = calendar.add_working_days(period_end, DUE_WORKING_DAYS[kind])
            reports.append(ScheduledReport(kind, period_start, period_end, due_on))
            step += 1
    return sorted(reports, key=lambda report: (report.due_on, report.kind, report.period_start))
