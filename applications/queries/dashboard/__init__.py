"""The programme admin dashboard (docs/admin-console.md, "Dashboard"): every figure for a
programme, a cohort or everything, from a constant number of aggregate queries whose work does
not grow with the rows shown.

    funnel, clocks breached 1 query   applications per state and clock stage, with the running,
                                      unpaused stage clocks past their due date counted
    stages, clocks finished 1 query   histograms of the stays and finished clocks kept as moves
                                      happen (stages.py, models/stage_history.py)
    reviewers               1 query   assignments per reviewer and turnaround (a histogram)
    outcomes                1 query   decisions per outcome and state, released or not
    report compliance       2 queries the totals and the number of participations; one page of
                                      participations, those needing attention first
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from math import ceil

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from applications.enums import (
    OPEN_REVIEW_STATES,
    ApplicationState,
    ClockStage,
    DecisionOutcome,
    DecisionState,
    Declaration,
    ReportState,
)
from applications.models import (
    Application,
    Decision,
    Participation,
    ReviewerAssignment,
)
from applications.queries.dashboard.stages import (
    MEASURED_STATES,
    StageFigures,
    histogram_median,
    stage_figures,
)
from portal.i18n import field_language

REPORTS_PER_PAGE = 25


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

    @property
    def key(self) -> str:
        """The snapshot's name for this scope (models/dashboard_snapshot.py): "all",
        "programme:<id>" or "cohort:<id>" (a cohort alone decides, as in filter())."""
        if self.cohort_id is not None:
            return f"cohort:{self.cohort_id}"
        if self.programme_id is not None:
            return f"programme:{self.programme_id}"
        return "all"

    @classmethod
    def from_key(cls, key: str) -> "Scope":
        """The scope a key names (ValueError for anything else)."""
        if key == "all":
            return cls()
        kind, _colon, number = key.partition(":")
        if kind not in ("programme", "cohort") or not number.isdigit():
            raise ValueError(f"Not a dashboard scope: {key!r}")
        return cls(**{f"{kind}_id": int(number)})


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
class ReportPage:
    """Which page of the report table is shown, of how many (the rows are Dashboard.reports)."""

    number: int
    num_pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass(frozen=True)
class Dashboard:
    funnel: list[dict]
    stages: list[dict]
    clocks: list[dict]
    reviewers: list[dict]
    outcomes: list[dict]
    reports: list[ReportRow]  # the page shown
    report_totals: dict[str, int]  # every participation in scope
    reports_page: ReportPage


def build_dashboard(
    scope: Scope, *, today: date | None = None, reports_page: int | str | None = 1
) -> Dashboard:
    """`reports_page`: the page of the report table asked for (the last page when past it, the
    first when not a number)."""
    today = today or timezone.localdate()
    applications = scope.filter(Application.objects.all())
    stages = stage_figures(scope)
    per_state, breached = application_counts(applications, today)
    participations, totals = report_totals(scope, today)
    page = report_page(reports_page, participations)
    return Dashboard(
        funnel=funnel(per_state),
        stages=stage_rows(stages),
        clocks=clock_rows(breached, stages),
        reviewers=reviewer_rows(scope),
        outcomes=outcome_rows(scope),
        reports=report_compliance(scope, today, page) if participations else [],
        report_totals=totals,
        reports_page=page,
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
            "stays": stages.stay_count(state),
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


def reviewer_rows(scope: Scope) -> list[dict]:
    """Per reviewer with an assignment in scope: open assignments (application not yet decided,
    not recused, as the assignment screen counts them), reviews still to submit on those, reviews
    submitted, and the median working days from assignment to submitted review. The turnaround is
    kept on the assignment when the review is submitted (services/stage_history.py), so one
    GROUP BY (reviewer, turnaround) gives every count and each reviewer's histogram."""
    is_open = ~Q(declaration=Declaration.RECUSED) & Q(application__state__in=OPEN_REVIEW_STATES)
    rows = (
        scope.filter(ReviewerAssignment.objects.all(), "application__")
        .order_by()
        # Grouped by two integers (hashed, not sorted): the names are the same on every row of a
        # reviewer, so MAX() carries them through.
        .values_list("reviewer_id", "turnaround_days")
        .annotate(
            full_name=Max("reviewer__full_name"),
            email=Max("reviewer__email"),
            count=Count("id"),
            open=Count("id", filter=is_open),
            to_submit=Count("id", filter=is_open & Q(turnaround_days__isnull=True)),
        )
    )
    reviewers: dict[int, dict] = {}
    for reviewer_id, days, full_name, email, count, open_, to_submit in rows:
        reviewer = reviewers.get(reviewer_id)
        if reviewer is None:
            reviewer = reviewers[reviewer_id] = {
                "name": full_name or email,
                "open": 0,
                "to_submit": 0,
                "turnarounds": {},
            }
        reviewer["open"] += open_
        reviewer["to_submit"] += to_submit
        if days is not None:
            reviewer["turnarounds"][days] = count
    for reviewer in reviewers.values():
        days = reviewer.pop("turnarounds")
        reviewer["submitted"] = sum(days.values())
        reviewer["median_days"] = histogram_median(days)
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


REPORT_COUNTS = (
    "expected",
    "on_time",
    "late",
    "overdue",
    "awaiting_review",
    "accepted",
    "returned",
)


def report_counts(today: date) -> dict[str, Count]:
    """A participation's reports counted by what they say about compliance. A report with a due
    date is expected once it is filed or its due date has passed; filed on time when filed on or
    before the due date, late after it; overdue when its due date has passed and it was never
    filed. Awaiting review, accepted and returned count every report (incidents and the final
    report too) by its state."""
    filed = Q(reports__filed_at__isnull=False, reports__due_on__isnull=False)
    never_filed_past_due = Q(reports__filed_at__isnull=True, reports__due_on__lt=today)
    return {
        "expected": Count("reports", filter=filed | never_filed_past_due),
        "on_time": Count(
            "reports", filter=filed & Q(reports__filed_at__date__lte=F("reports__due_on"))
        ),
        "late": Count(
            "reports", filter=filed & Q(reports__filed_at__date__gt=F("reports__due_on"))
        ),
        "overdue": Count("reports", filter=never_filed_past_due),
        "awaiting_review": Count("reports", filter=Q(reports__state=ReportState.FILED)),
        "accepted": Count("reports", filter=Q(reports__state=ReportState.ACCEPTED)),
        "returned": Count("reports", filter=Q(reports__state=ReportState.RETURNED)),
    }


def report_totals(scope: Scope, today: date) -> tuple[int, dict[str, int]]:
    """How many participations are in scope, and their reports counted (report_counts), in one
    aggregate over the participations and their reports."""
    totals = scope.filter(Participation.objects.all(), "application__").aggregate(
        participations=Count("id", distinct=True), **report_counts(today)
    )
    return totals.pop("participations"), totals


def report_page(asked: int | str | None, participations: int) -> ReportPage:
    num_pages = max(1, ceil(participations / REPORTS_PER_PAGE))
    try:
        number = int(asked or 1)
    except (TypeError, ValueError):
        number = 1
    return ReportPage(number=min(max(1, number), num_pages), num_pages=num_pages)


def participations_by_attention(scope: Scope, today: date) -> QuerySet[Participation]:
    """The scope's participations with their reports counted (report_counts), those needing
    attention first: most reports overdue, then most filed late, then by reference."""
    return (
        scope.filter(Participation.objects.all(), "application__")
        .annotate(**report_counts(today))
        .order_by("-overdue", "-late", "application__reference", "pk")
    )


def report_compliance(scope: Scope, today: date, page: ReportPage) -> list[ReportRow]:
    """One page of participations with their reports counted (report_counts), those needing
    attention first: most reports overdue, then most filed late, then by reference. The
    organisation's legal name is in the reader's language, falling back to English."""
    language = field_language()
    start = (page.number - 1) * REPORTS_PER_PAGE
    rows = participations_by_attention(scope, today).values_list(
        "pk",
        "application__reference",
        f"application__organisation__legal_name_{language}",
        "application__organisation__legal_name_en",
        *REPORT_COUNTS,
    )[start : start + REPORTS_PER_PAGE]
    return [
        ReportRow(pk, reference, name or name_en, *counts)
        for pk, reference, name, name_en, *counts in rows
    ]
