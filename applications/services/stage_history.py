"""The dashboard's history rows (models/stage_history.py), written as things happen and, once,
rebuilt from the audit trail.

Written, inside the move's own transaction:
- `record_move()` from the transition choke point (services/transitions.apply_move): the stay
  in the state the application leaves, and the stage clock the move stopped or replaced;
- `record_finished_clock()` from the decision release (services/decisions.py), which stops the
  decision clock without a lifecycle move;
- `record_turnaround()` from the review submission (services/reviews.py).

`backfill_stage_history()` rebuilds the same rows from the audit trail with the walk the
dashboard used before these rows existed (the data migration 0018 and the bulk demo seed call
it). It reads every model through the `apps` registry it is given, so the migration runs it on
the historical models; should this module ever need models or fields that migration 0018 does
not know, give the migration a frozen copy of the walk instead of changing it here.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps as global_apps
from django.db.models import Case, DateField, ExpressionWrapper, F, OuterRef, Q, Subquery, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import TruncDate
from django.utils import timezone

from applications.calendar import WorkingCalendar
from applications.enums import ApplicationState, ClockStage, EventKind, ReviewState

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
RFI_CLOSED = (EventKind.RFI_ANSWERED, EventKind.RFI_CANCELLED)
BATCH = 2000


def local_date(field_name: str) -> ExpressionWrapper:
    """The date of `field_name` in the portal's time zone, truncated in SQL. Wrapped so Django adds
    no per-row converter (the database already returns a date; SQLite's string is still parsed)."""
    truncated = TruncDate(field_name, tzinfo=timezone.get_current_timezone())
    return ExpressionWrapper(truncated, output_field=DateField())


# --- the write path -------------------------------------------------------------------------


@dataclass(frozen=True)
class RunningClock:
    """A stage clock as it stood before a move changed it."""

    stage: str
    started_on: date
    due_on: date
    paused_on: date | None

    @classmethod
    def of(cls, application) -> "RunningClock | None":
        if not application.clock_stage or application.clock_due_on is None:
            return None
        return cls(
            application.clock_stage,
            application.clock_started_on or application.clock_due_on,
            application.clock_due_on,
            application.clock_paused_on,
        )


def record_move(
    application,
    *,
    left: str,
    clock: RunningClock | None,
    on: date,
    calendar: WorkingCalendar | None = None,
) -> None:
    """After a lifecycle move out of `left` on `on`, before its audit event is written: the stay
    in `left` (measured states only, and only when the trail holds the move that entered it, as
    the walk counts), and `clock` if the move stopped or replaced it."""
    from applications.models import AuditEvent, StageStay
    from applications.queries import working_calendar

    if left not in MEASURED_STATES and clock is None:
        return
    calendar = calendar or working_calendar()
    if left in MEASURED_STATES:
        # The application's last lifecycle move (the partial index event_lifecycle_idx serves it).
        entered = (
            AuditEvent.objects.filter(application=application, data__from__in=S.values)
            .order_by("-id")
            .values_list(KeyTextTransform("to", "data"), local_date("created_at"))
            .first()
        )
        if entered is not None and entered[0] == left:
            StageStay.objects.create(
                application=application,
                state=left,
                entered_on=entered[1],
                left_on=on,
                working_days=calendar.working_days_between(entered[1], on),
            )
    if clock is not None:
        record_finished_clock(application, clock=clock, on=on, calendar=calendar)


def record_finished_clock(
    application, *, clock: RunningClock, on: date, calendar: WorkingCalendar | None = None
) -> None:
    """`clock` stopped on `on`. A clock paused at that moment first resumes (its due date moves on
    by the working days paused, as services/clocks.resume_clock does); late when stopped after
    the due date."""
    from applications.models import FinishedClock
    from applications.queries import working_calendar

    calendar = calendar or working_calendar()
    due_on = clock.due_on
    if clock.paused_on is not None:
        due_on = calendar.add_working_days(
            due_on, max(0, calendar.working_days_between(clock.paused_on, on))
        )
    FinishedClock.objects.create(
        application=application,
        stage=clock.stage,
        started_on=clock.started_on,
        stopped_on=on,
        due_on=due_on,
        late=on > due_on,
    )


def record_turnaround(review, *, calendar: WorkingCalendar | None = None) -> None:
    """The reviewer's working days from assignment to this submitted review, on the assignment."""
    from applications.models import ReviewerAssignment
    from applications.queries import working_calendar

    calendar = calendar or working_calendar()
    assignment = ReviewerAssignment.objects.filter(
        application_id=review.application_id, reviewer_id=review.reviewer_id
    )
    assigned_at = assignment.values_list("assigned_at", flat=True).first()
    if assigned_at is None:
        return
    days = calendar.working_days_between(
        timezone.localdate(assigned_at), timezone.localdate(review.submitted_at)
    )
    assignment.update(turnaround_days=max(0, days))


# --- the backfill: the walk over the audit trail ----------------------------------------------


@dataclass
class History:
    """Rows the walk found: stays (application, state, entered, left, working days) and finished
    clocks (application, stage, started, stopped, due, late)."""

    stays: list[tuple] = field(default_factory=list)
    clocks: list[tuple] = field(default_factory=list)


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

    def __init__(self, history: History, calendar: WorkingCalendar, due_dates: dict, pk) -> None:
        self.history, self.calendar, self.due_dates, self.pk = history, calendar, due_dates, pk
        self.state: str | None = None
        self.entered_on: date | None = None
        self.clock: _Clock | None = None
        self.open_rfis = 0

    def move(self, row: tuple, day: date) -> None:
        if self.state == row[FROM] and self.entered_on is not None:
            days = self.calendar.working_days_between(self.entered_on, day)
            if self.state in MEASURED_STATES:
                self.history.stays.append((self.pk, self.state, self.entered_on, day, days))
        self.state, self.entered_on = row[TO], day
        if self.state in CLOCK_STARTED_BY:
            self.stop_clock(day)
            self.clock = _Clock(CLOCK_STARTED_BY[self.state], day, row[CLOCK_DAYS])
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
        self.history.clocks.append(
            (self.pk, clock.stage, clock.started_on, day, due_on, day > due_on)
        )


def lifecycle_events(events):
    """Lifecycle moves, requests for information and releases among `events` (audit events),
    in order (one query), as tuples: application id, kind, local date, states moved from and
    to (None on other events), and on a move that starts a clock the length of that clock in the
    application's programme (None otherwise)."""
    programme = "application__cohort__programme__"
    lifecycle = {"data__from__in": S.values}
    others = (EventKind.RFI_RAISED, *RFI_CLOSED, EventKind.DECISION_RELEASED)
    clock_days = Case(
        *(
            When(data__to=state, then=F(programme + DAYS_FIELD[stage]))
            for state, stage in CLOCK_STARTED_BY.items()
        ),
        default=None,
    )
    return (
        events.filter(Q(**lifecycle) | Q(kind__in=others))
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


def walk_history(events, calendar: WorkingCalendar) -> History:
    """The stays and finished clocks in `events`: the audit events of the applications wanted."""
    history = History()
    due_dates: dict = {}
    walk, current = None, None
    for row in lifecycle_events(events).iterator(chunk_size=BATCH):
        if row[APPLICATION] != current:
            current = row[APPLICATION]
            walk = _Walk(history, calendar, due_dates, current)
        kind, day = row[KIND], row[DAY]
        if kind == EventKind.RFI_RAISED:
            walk.rfi_raised(day)
        elif kind in RFI_CLOSED:
            walk.rfi_closed(day)
        elif kind == EventKind.DECISION_RELEASED:
            walk.stop_clock(day)
        else:
            walk.move(row, day)
    return history


def calendar_from(apps) -> WorkingCalendar:
    """The working-day calendar with the admin-entered days, read through `apps`."""
    calendar_day = apps.get_model("applications", "CalendarDay")
    days: dict[str, list[date]] = {"day_off": [], "working_day": []}
    for day, kind in calendar_day.objects.values_list("date", "kind"):
        days.setdefault(kind, []).append(day)
    return WorkingCalendar(days_off=days["day_off"], working_days=days["working_day"])


def backfill_stage_history(
    *, apps=global_apps, application_ids: Iterable[int] | None = None
) -> dict[str, int]:
    """Rebuild the stays, finished clocks and turnarounds of `application_ids` (every
    application when None) from the audit trail and the submitted reviews; the rows they had are
    replaced. Returns how many of each were written."""
    stay_model = apps.get_model("applications", "StageStay")
    clock_model = apps.get_model("applications", "FinishedClock")
    event_model = apps.get_model("applications", "AuditEvent")
    assignment_model = apps.get_model("applications", "ReviewerAssignment")
    review_model = apps.get_model("applications", "Review")
    calendar = calendar_from(apps)
    ids = None if application_ids is None else list(application_ids)

    def scoped(queryset):
        return queryset if ids is None else queryset.filter(application_id__in=ids)

    scoped(stay_model.objects.all()).delete()
    scoped(clock_model.objects.all()).delete()
    history = walk_history(scoped(event_model.objects.exclude(application=None)), calendar)
    stay_model.objects.bulk_create(
        (
            stay_model(
                application_id=pk, state=state, entered_on=entered, left_on=left, working_days=days
            )
            for pk, state, entered, left, days in history.stays
        ),
        batch_size=BATCH,
    )
    clock_model.objects.bulk_create(
        (
            clock_model(
                application_id=pk,
                stage=stage,
                started_on=started,
                stopped_on=stopped,
                due_on=due,
                late=late,
            )
            for pk, stage, started, stopped, due, late in history.clocks
        ),
        batch_size=BATCH,
    )
    turnarounds = _backfill_turnarounds(assignment_model, review_model, calendar, scoped)
    return {"stays": len(history.stays), "clocks": len(history.clocks), "turnarounds": turnarounds}


def _backfill_turnarounds(assignment_model, review_model, calendar, scoped) -> int:
    submitted_on = review_model.objects.filter(
        application_id=OuterRef("application_id"),
        reviewer_id=OuterRef("reviewer_id"),
        state=ReviewState.SUBMITTED,
    ).values(day=local_date("submitted_at"))[:1]
    rows = (
        scoped(assignment_model.objects.all())
        .annotate(assigned_on=local_date("assigned_at"), done=Subquery(submitted_on))
        .filter(done__isnull=False)
        .values_list("pk", "assigned_on", "done")
    )
    changed = []
    for pk, assigned_on, done in rows.iterator(chunk_size=BATCH):
        if isinstance(done, str):  # SQLite returns the subquery's date as text
            done = date.fromisoformat(done)
        days = max(0, calendar.working_days_between(assigned_on, done))
        changed.append(assignment_model(pk=pk, turnaround_days=days))
    assignment_model.objects.bulk_update(changed, ["turnaround_days"], batch_size=BATCH)
    return len(changed)
