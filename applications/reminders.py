"""Where reminders come from: one small function per kind of deadline, registered in SOURCES.

A source takes today's date and yields the reminders that are due today. The engine
(services/reminders.py) sends each one once per (kind, subject, recipient, due date), however often
the beat runs, so a source may simply yield everything that is due without remembering anything.
To add one (an RFI answer due, a reviewer's deadline, a report due): write the function here or
next to its model, and append it to SOURCES. docs/notifications.md shows an example.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import holidays

from applications.enums import ApplicationState, NotificationKind
from applications.models import Application
from portal.accounts.models import Role, User


@dataclass(frozen=True)
class Reminder:
    kind: NotificationKind
    subject: str  # "<label>:<pk>", what the reminder is about
    recipient: User
    due_date: date
    context: dict = field(default_factory=dict)
    application: Application | None = None


@cache
def _kazakh_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("KZ", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _kazakh_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (weekends and Kazakh public holidays skipped)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        days -= is_working_day(current)
    return current


def screening_clock_breaches(today: date) -> Iterable[Reminder]:
    """Programme admins hear of each submitted application whose completeness screening has not
    started within the programme's screening days (DESIGN.md §3)."""
    admins = list(User.objects.filter(role=Role.PROGRAMME_ADMIN, is_active=True))
    if not admins:
        return
    # Working days are at least as long as calendar days: nothing newer can be late yet.
    candidates = Application.objects.filter(
        state=ApplicationState.SUBMITTED, submitted_at__date__lt=today - timedelta(days=1)
    ).select_related("cohort__programme")
    for application in candidates:
        submitted = application.submitted_at.date()
        due = add_working_days(submitted, application.cohort.programme.screening_days)
        if due >= today:
            continue
        context = {
            "reference": application.reference,
            "title": application.title,
            "application_id": application.pk,
            "stage": str(ApplicationState.SCREENING.label),
            "due_date": due.isoformat(),
        }
        for admin in admins:
            yield Reminder(
                kind=NotificationKind.CLOCK_BREACHED,
                subject=f"application:{application.pk}:screening",
                recipient=admin,
                due_date=due,
                context=context,
                application=application,
            )


SOURCES: list[Callable[[date], Iterable[Reminder]]] = [
    screening_clock_breaches,
]
