"""The programme admin dashboard (docs/admin-console.md, "Dashboard"): every figure for a
programme, a cohort or everything, from a constant number of aggregate queries.

    funnel, clocks breached 1 query   applications per state and clock stage, with the running,
                                      unpaused stage clocks past their due date counted
    stages                  1 query   lifecycle events, walked in Python (stages.py)
    reviewers               1 query   assignments with their reviewer and submitted review
    outcomes                1 query   decisions per outcome and state, released or not
    report compliance       1 query   participations with their reports counted
    (+ the working-day calendar: cached, one query when cold)
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import median

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone, translation

from applications.enums import (
    OPEN_REVIEW_STATES,
    ApplicationState,
    ClockStage,
    DecisionOutcome,
    DecisionState,
    Declaration,
    ReportState,
    ReviewState,
)
from applications.models import (
    Application,
    AuditEvent,
    Decision,
    Participation,
    ReviewerAssignment,
)
from applications.queries import working_calendar
from applications.queries.dashboard.stages import (
    MEASURED_STATES,
    StageFigures,
    local_date,
    stage_figures,
)


@dataclass(frozen=True)
class Scope:
    """Which applications the dashboard counts: one cohort, one programme, or all."""

    programme_id: int | None = None
    cohort_id: int | None = None

    def filter(self, queryset: QuerySet, prefix: str = "") -> QuerySet:
        if self.cohort_id is not None:
            return queryset.filter(**{f"{prefix}cohort_id": self.cohort_id})
        if self.programme_id is not None:
            return queryset.filter(**{f"{prefix}cohort__programme_id": self.programme_id})
        return queryset


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One participation's line in the report table (thousands at scale: plain rows, not models)."""

    pk: int
    reference: str
    organisation: str
    expected: int
    on_time: int
    late: int
    overdue: int
    awaiting_review: int
    accepted: int
    returned: int


@dataclass(frozen=True)
class Dashboard:
    funnel: list[dict]
    stages: list[dict]
    clocks: list[dict]
    reviewers: list[dict]
    outcomes: list[dict]
    reports: list[ReportRow]
    report_totals: dict[str, int]


def build_dashboard(scope: Scope, *, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    calendar = working_calendar()
    applications = scope.filter(Application.objects.all())
    # Events of the applications in scope; unscoped, every event about an application (no
    # second pass over the applications to filter them).
    events = scope.filter(AuditEvent.objects.exclude(application=None), "application__")
    stages = stage_figures(events, calendar)
    reports = report_compliance(scope, today)
    per_state, breached = application_counts(applications, today)
    return Dashboard(
        funnel=funnel(per_state),
        stages=stage_rows(stages),
        clocks=clock_rows(breached, stages),
        reviewers=reviewer_rows(scope, calendar),
        outcomes=outcome_rows(scope),
        reports=reports,
        report_totals=report_totals(reports),
    )


def application_counts(
    applications: QuerySet[Application], today: date
) -> tuple[dict[str, int], dict[str, int]]:
    """Applications per state, and running clocks breached now per clock stage (not paused, due
    before today), from one query grouped by state and clock stage."""
    breached_now = Q(clock_due_on__lt=today, clock_paused_on__isnull=True) & ~Q(clock_stage="")
    rows = (
        applications.order_by()
        .values_list("state", "clock_stage")
        .annotate(count=Count("id"), breached=Count("id", filter=breached_now))
    )
    per_state: dict[str, int] = defaultdict(int)
    breached: dict[str, int] = defaultdict(int)
    for state, clock_stage, count, breached_count in rows:
        per_state[state] += count
        if breached_count:
            breached[clock_stage] += breached_count
    return per_state, breached


def funnel(per_state: dict[str, int]) -> list[dict]:
    """Every state in lifecycle order with its number of applications (zeros included)."""
    return [
        {"state": value, "label": label, "count": per_state.get(value, 0)}
        for value, label in ApplicationState.choices
    ]


def stage_rows(stages: StageFigures) -> list[dict]:
    return [
        {
            "state": state,
            "label": state.label,
            "stays": len(stages.stays.get(state, ())),
            "median_days": stages.median_days(state),
        }
        for state in MEASURED_STATES
    ]


def clock_rows(breached: dict[str, int], stages: StageFigures) -> list[dict]:
    """Per stage clock: breached now (running, not paused, due before today), and the clocks that
    stopped after or by their due date."""
    return [
        {
            "stage": stage,
            "label": stage.label,
            "breached_now": breached.get(stage, 0),
            "finished_late": stages.finished_late.get(stage, 0),
            "finished_on_time": stages.finished_on_time.get(stage, 0),
        }
        for stage in ClockStage
    ]


def reviewer_rows(scope: Scope, calendar) -> list[dict]:
    """Per reviewer with an assignment in scope: open assignments (application not yet decided,
    not recused, as the assignment screen counts them), reviews still to submit on those, reviews
    submitted, and the median working days from assignment to submitted review."""
    # The submitted review of each assignment (at most one: one review per reviewer and
    # application), joined rather than looked up per row, and the local dates worked out in SQL;
    # no ORDER BY: Python groups the rows by reviewer.
    submitted = FilteredRelation(
        "application__reviews",
        condition=Q(
            application__reviews__reviewer=F("reviewer_id"),
            application__reviews__state=ReviewState.SUBMITTED,
        ),
    )
    is_open = ~Q(declaration=Declaration.RECUSED) & Q(application__state__in=OPEN_REVIEW_STATES)
    rows = (
        scope.filter(ReviewerAssignment.objects.all(), "application__")
        .annotate(submitted_review=submitted)
        .order_by()
        .values_list(
            "reviewer_id",
            "reviewer__full_name",
            "reviewer__email",
            local_date("assigned_at"),
            local_date("submitted_review__submitted_at"),
            Case(
                When(is_open, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
    )
    reviewers: dict[int, dict] = {}
    for reviewer_id, full_name, email, assigned_on, done, is_open_ in rows:
        reviewer = reviewers.get(reviewer_id)
        if reviewer is None:
            reviewer = reviewers[reviewer_id] = {
                "name": full_name or email,
                "open": 0,
                "to_submit": 0,
                "turnarounds": [],
            }
        if is_open_:
            reviewer["open"] += 1
            reviewer["to_submit"] += done is None
        if done is not None:
            turnaround = calendar.working_days_between(assigned_on, done)
            reviewer["turnarounds"].append(max(0, turnaround))
    for reviewer in reviewers.values():
        days = reviewer.pop("turnarounds")
        reviewer["submitted"] = len(days)
        reviewer["median_days"] = median(days) if days else None
    return sorted(reviewers.values(), key=lambda r: (-r["open"], r["name"].lower()))


def outcome_rows(scope: Scope) -> list[dict]:
    """Decisions per outcome: awaiting a second admin (proposed or sent back), confirmed but not
    released, and released."""
    rows = (
        scope.filter(Decision.objects.all(), "application__")
        .order_by()
        .values("outcome")
        .annotate(
            awaiting_check=Count("id", filter=~Q(state=DecisionState.CONFIRMED)),
            not_released=Count(
                "id", filter=Q(state=DecisionState.CONFIRMED, released_at__isnull=True)
            ),
            released=Count("id", filter=Q(released_at__isnull=False)),
        )
    )
    counts = {row.pop("outcome"): row for row in rows}
    empty = {"awaiting_check": 0, "not_released": 0, "released": 0}
    return [
        {"outcome": value, "label": label, **counts.get(value, empty)}
        for value, label in DecisionOutcome.choices
    ]


# The languages of the organisation's legal name (accounts.Organisation.legal_name_*).
NAME_LANGUAGES = ("en", "ru", "kk")
REPORT_COUNTS = (
    "expected",
    "on_time",
    "late",
    "overdue",
    "awaiting_review",
    "accepted",
    "returned",
)


def report_compliance(scope: Scope, today: date) -> list[ReportRow]:
    """Participations with their reports counted. A report with a due date is expected once it is
    filed or its due date has passed; filed on time when filed on or before the due date, late
    after it; overdue when its due date has passed and it was never filed. Awaiting review,
    accepted and returned count every report (incidents and the final report too) by its state.
    The organisation's legal name is in the reader's language, falling back to English."""
    filed = Q(reports__filed_at__isnull=False, reports__due_on__isnull=False)
    never_filed_past_due = Q(reports__filed_at__isnull=True, reports__due_on__lt=today)
    language = (translation.get_language() or "en")[:2]
    if language not in NAME_LANGUAGES:
        language = "en"
    rows = (
        scope.filter(Participation.objects.all(), "application__")
        .annotate(
            expected=Count("reports", filter=filed | never_filed_past_due),
            on_time=Count(
                "reports", filter=filed & Q(reports__filed_at__date__lte=F("reports__due_on"))
            ),
            late=Count(
                "reports", filter=filed & Q(reports__filed_at__date__gt=F("reports__due_on"))
            ),
            overdue=Count("reports", filter=never_filed_past_due),
            awaiting_review=Count("reports", filter=Q(reports__state=ReportState.FILED)),
            accepted=Count("reports", filter=Q(reports__state=ReportState.ACCEPTED)),
            returned=Count("reports", filter=Q(reports__state=ReportState.RETURNED)),
        )
        .order_by("application__reference", "pk")
        .values_list(
            "pk",
            "application__reference",
            f"application__organisation__legal_name_{language}",
            "application__organisation__legal_name_en",
            *REPORT_COUNTS,
        )
    )
    return [
        ReportRow(pk, reference, name or name_en, *counts)
        for pk, reference, name, name_en, *counts in rows
    ]


def report_totals(participations: list[ReportRow]) -> dict[str, int]:
    return {name: sum(getattr(p, name) for p in participations) for name in REPORT_COUNTS}
