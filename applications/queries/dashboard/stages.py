"""Time spent in each stage and stage clocks that ran late, from the audit trail (dashboard).

Working days cannot be counted in SQL (the Kazakh calendar with admin-entered days lives in
Python), so one query fetches the scope's lifecycle events in order and this module walks them:

- every lifecycle move is an audit event whose data holds `from` and `to` (services/transitions.py),
  so a stay in a state runs from the event that entered it to the event that left it;
- a stage clock starts when the application enters the state that starts it (services/clocks.py:
  submission starts screening, package complete eligibility, found eligible evaluation, evaluation
  complete the decision clock), stops when the next clock starts, when the application is withdrawn
  or found not eligible, or when its decision is released; requests for information pause it
  (first raised → last answered or cancelled), and the due date moves on by the working days paused.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from django.db.models import Case, DateField, ExpressionWrapper, F, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import TruncDate
from django.utils import timezone

from applications.calendar import WorkingCalendar
from applications.enums import ApplicationState, ClockStage, EventKind
from applications.models.event import LIFECYCLE_EVENTS

S = ApplicationState
# The states whose stays are measured, in lifecycle order: every state an application leaves
# again, except the draft (the applicant's own time).
MEASURED_STATES = (
    S.SUBMITTED,
    S.SCREENING,
    S.ELIGIBILITY,
    S.EVALUATION,
    S.DECISION_PENDING,
    S.APPROVED,
    S.WAITLISTED,
    S.ONBOARDING,
    S.TESTING,
    S.SUSPENDED,
    S.EXITING,
)
# Entering these states starts the clock named (services/applications.py, review_stages.py).
CLOCK_STARTED_BY = {
    S.SUBMITTED: ClockStage.SCREENING,
    S.ELIGIBILITY: ClockStage.ELIGIBILITY,
    S.EVALUATION: ClockStage.EVALUATION,
    S.DECISION_PENDING: ClockStage.DECISION,
}
# Entering these states stops any clock without starting another.
CLOCK_STOPPED_BY = (S.WITHDRAWN, S.NOT_ELIGIBLE)
DAYS_FIELD = {
    ClockStage.SCREENING: "screening_days",
    ClockStage.ELIGIBILITY: "eligibility_days",
    ClockStage.EVALUATION: "evaluation_days",
    ClockStage.DECISION: "decision_days",
}
RFI_CLOSED = (EventKind.RFI_ANSWERED, EventKind.RFI_CANCELLED)  # as in LIFECYCLE_EVENTS
PROGRAMME = "application__cohort__programme__"


@dataclass
class StageFigures:
    """Working days of every finished stay per state; finished clocks per stage, late or not."""

    stays: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    finished_late: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    finished_on_time: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def median_days(self, state: str) -> float | None:
        days = self.stays.get(state)
        return median(days) if days else None


@dataclass
class _Clock:
    stage: str
    started_on: date
    days: int
    paused_since: date | None = None
    paused_days: int = 0


# Columns of a lifecycle_events() row.
APPLICATION, KIND, DAY, FROM, TO, CLOCK_DAYS = range(6)


class _Walk:
    """One application's events, in order."""

    def __init__(self, figures: StageFigures, calendar: WorkingCalendar, due_dates: dict) -> None:
        self.figures, self.calendar, self.due_dates = figures, calendar, due_dates
        self.state: str | None = None
        self.entered_on: date | None = None
        self.clock: _Clock | None = None
        self.open_rfis = 0

    def move(self, row: tuple, day: date) -> None:
        if self.state == row[FROM] and self.entered_on is not None:
            days = self.calendar.working_days_between(self.entered_on, day)
            self.figures.stays[self.state].append(days)
        self.state, self.entered_on = row[TO], day
        if self.state in CLOCK_STARTED_BY:
            self.stop_clock(day)
            stage = CLOCK_STARTED_BY[self.state]
            self.clock = _Clock(stage, day, row[CLOCK_DAYS])
        elif self.state in CLOCK_STOPPED_BY:
            self.stop_clock(day)

    def rfi_raised(self, day: date) -> None:
        self.open_rfis += 1
        if self.clock is not None and self.clock.paused_since is None:
            self.clock.paused_since = day

    def rfi_closed(self, day: date) -> None:
        self.open_rfis = max(0, self.open_rfis - 1)
        if self.open_rfis == 0:
            self.resume(day)

    def resume(self, day: date) -> None:
        if self.clock is not None and self.clock.paused_since is not None:
            paused = self.calendar.working_days_between(self.clock.paused_since, day)
            self.clock.paused_days += max(0, paused)
            self.clock.paused_since = None

    def stop_clock(self, day: date) -> None:
        if self.clock is None:
            return
        self.resume(day)
        clock, self.clock = self.clock, None
        # Many clocks start on the same day with the same length: work each due date out once.
        key = (clock.started_on, clock.days + clock.paused_days)
        due_on = self.due_dates.get(key)
        if due_on is None:
            due_on = self.due_dates[key] = self.calendar.add_working_days(*key)
        if day > due_on:
            self.figures.finished_late[clock.stage] += 1
        else:
            self.figures.finished_on_time[clock.stage] += 1


def local_date(field: str) -> ExpressionWrapper:
    """The date of `field` in the portal's time zone, truncated in SQL. Wrapped so Django adds no
    per-row converter (the database already returns a date; SQLite's string is still parsed)."""
    truncated = TruncDate(field, tzinfo=timezone.get_current_timezone())
    return ExpressionWrapper(truncated, output_field=DateField())


def lifecycle_events(events):
    """Lifecycle moves, requests for information and releases among `events` (audit events,
    already scoped), in order (one query), as tuples: application id, kind, the local date of the
    event (truncated in SQL, in the portal's time zone), the states moved from and to (text, None
    on other events), and on a move that starts a clock the length of that clock in the
    application's programme (None otherwise). The partial index event_lifecycle_idx serves it."""
    clock_days = Case(
        *(
            When(data__to=state, then=F(PROGRAMME + DAYS_FIELD[stage]))
            for state, stage in CLOCK_STARTED_BY.items()
        ),
        default=None,
    )
    return (
        events.filter(LIFECYCLE_EVENTS)
        .order_by("application_id", "id")
        .values_list(
            "application_id",
            "kind",
            local_date("created_at"),
            KeyTextTransform("from", "data"),
            KeyTextTransform("to", "data"),
            clock_days,
        )
    )


def stage_figures(events, calendar: WorkingCalendar) -> StageFigures:
    """The figures from `events`: the audit events of the applications in scope."""
    figures = StageFigures()
    due_dates: dict = {}
    walk, current = None, None
    for row in lifecycle_events(events):
        if row[APPLICATION] != current:
            current, walk = row[APPLICATION], _Walk(figures, calendar, due_dates)
        kind, day = row[KIND], row[DAY]
        if kind == EventKind.RFI_RAISED:
            walk.rfi_raised(day)
        elif kind in RFI_CLOSED:
            walk.rfi_closed(day)
        elif kind == EventKind.DECISION_RELEASED:
            walk.stop_clock(day)
        else:
            walk.move(row, day)
    return figures
