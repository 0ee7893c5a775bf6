"""The regulator's stage clocks (DESIGN.md §3), kept on the application row.

These functions change an application that the caller has already locked (inside the
transition choke point or another service's transaction) and return the names of the fields they
set, for `save(update_fields=…)`. They never save and never record events themselves: the
action that moved the clock does, once.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from applications.calendar import WorkingCalendar
from applications.enums import ClockStage
from applications.queries import working_calendar

CLOCK_FIELDS = [
    "clock_stage",
    "clock_started_on",
    "clock_due_on",
    "clock_paused_on",
    "clock_paused_days",
]

# Which programme setting holds each stage's length in working days.
STAGE_DAYS_SETTING = {
    ClockStage.SCREENING: "screening_days",
    ClockStage.ELIGIBILITY: "eligibility_days",
    ClockStage.EVALUATION: "evaluation_days",
    ClockStage.DECISION: "decision_days",
}


def today() -> date:
    return timezone.localdate()


def start_clock(
    application,
    stage: ClockStage,
    *,
    on: date | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[str]:
    """Start `stage`'s clock on `on` (today): due after the programme's working days for it."""
    on = on or today()
    calendar = calendar or working_calendar()
    days = getattr(application.cohort.programme, STAGE_DAYS_SETTING[ClockStage(stage)])
    application.clock_stage = stage
    application.clock_started_on = on
    application.clock_due_on = calendar.add_working_days(on, days)
    application.clock_paused_on = None
    application.clock_paused_days = 0
    return list(CLOCK_FIELDS)


def stop_clock(application) -> list[str]:
    """No regulator clock runs (a decision is out, or the application left the process)."""
    application.clock_stage = ""
    application.clock_started_on = None
    application.clock_due_on = None
    application.clock_paused_on = None
    application.clock_paused_days = 0
    return list(CLOCK_FIELDS)


def pause_clock(application, *, on: date | None = None) -> list[str]:
    """Stop the clock while the applicant owes an answer. Pausing a paused clock changes nothing."""
    if not application.clock_stage or application.clock_paused_on is not None:
        return []
    application.clock_paused_on = on or today()
    return ["clock_paused_on"]


def resume_clock(
    application, *, on: date | None = None, calendar: WorkingCalendar | None = None
) -> list[str]:
    """Restart a paused clock; the due date moves on by the working days it was paused."""
    if application.clock_paused_on is None:
        return []
    calendar = calendar or working_calendar()
    paused = max(0, calendar.working_days_between(application.clock_paused_on, on or today()))
    application.clock_due_on = calendar.add_working_days(application.clock_due_on, paused)
    application.clock_paused_days += paused
    application.clock_paused_on = None
    return ["clock_due_on", "clock_paused_on", "clock_paused_days"]


@dataclass(frozen=True)
class ClockReading:
    """What a person sees of a clock: due date, working days left (negative when overdue)."""

    stage: str
    due_on: date
    days_left: int
    paused_since: date | None

    @property
    def overdue(self) -> bool:
        return self.paused_since is None and self.days_left < 0

    @property
    def paused(self) -> bool:
        return self.paused_since is not None


def read_clock(
    application, *, on: date | None = None, calendar: WorkingCalendar | None = None
) -> ClockReading | None:
    """The clock as of `on` (today); a paused clock reads as it stood when it was paused."""
    if not application.clock_stage or application.clock_due_on is None:
        return None
    calendar = calendar or working_calendar()
    as_of = application.clock_paused_on or on or today()
    return ClockReading(
        stage=application.clock_stage,
        due_on=application.clock_due_on,
        days_left=calendar.working_days_between(as_of, application.clock_due_on),
        paused_since=application.clock_paused_on,
    )
