"""Reads for the applications export (CSV and XLSX): the rows, a few at a time.

The export takes the admin "All applications" list's filters (queries/queues.py) and walks the
rows with `.iterator(chunk_size=...)`: the row query is one cursor read chunk by chunk, and each
chunk brings its submitted reviews with their scores and its confirmed decisions with their
reasons in four more queries. So 10,000 rows cost 1 + 4 × (10,000 / chunk size) queries and
never sit in memory together.
"""

import statistics
from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from applications.calendar import WorkingCalendar
from applications.enums import DecisionState, Recommendation, ReviewState
from applications.models import Application, CriterionScore, Decision, DecisionReason, Review
from applications.queries import queues as q
from applications.spreadsheets import Cell

CHUNK_SIZE = 500


def export_queryset(
    user, filters: q.QueueFilters, *, today: date, calendar: WorkingCalendar
) -> QuerySet[Application]:
    """The rows of the "All applications" queue under `filters`, in its order, with what each
    export row needs joined or prefetched. Empty for anyone but a programme admin."""
    thresholds = q.ClockThresholds.on(today, calendar, filters.due_within)
    rows = q.apply_filters(q.queue_scope(user, q.ALL), user, filters, thresholds, today)
    if filters.state:
        rows = rows.filter(state=filters.state)
    rows = rows.select_related("cohort__programme", "organisation").annotate(score=q._score(user))
    reviews = (
        Review.objects.filter(state=ReviewState.SUBMITTED)
        .order_by("submitted_at", "id")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=CriterionScore.objects.select_related("criterion").order_by(
                    "criterion__position", "criterion_id"
                ),
            )
        )
    )
    decisions = (
        Decision.objects.filter(state=DecisionState.CONFIRMED)
        .order_by("-checked_at", "-id")
        .prefetch_related(
            Prefetch("reasons", queryset=DecisionReason.objects.select_related("criterion"))
        )
    )
    rows = rows.prefetch_related(
        Prefetch("reviews", queryset=reviews, to_attr="submitted_reviews"),
        Prefetch("decisions", queryset=decisions, to_attr="confirmed_decisions"),
    )
    return q.sort_rows(rows, filters.sort)


def header() -> list[str]:
    return [
        _("Reference"),
        _("Legal name"),
        _("BIN or registration number"),
        _("Programme"),
        _("Cohort"),
        _("State"),
        _("Submitted at"),
        _("Mean weighted score"),
        _("Mean score per criterion"),
        _("Submitted reviews"),
        _("Recommendations"),
        _("Decision"),
        _("Reasons for the decision"),
        _("Conditions"),
        _("Released at"),
    ]


def rows(queryset: QuerySet[Application], chunk_size: int | None = None) -> Iterator[list[Cell]]:
    for application in queryset.iterator(chunk_size=chunk_size or CHUNK_SIZE):
        yield row(application)


def row(application: Application) -> list[Cell]:
    reviews = application.submitted_reviews
    decision = application.confirmed_decisions[0] if application.confirmed_decisions else None
    organisation = application.organisation
    return [
        application.reference,
        organisation.legal_name,
        organisation.identifier,
        application.cohort.programme.name,
        application.cohort.name,
        application.get_state_display(),
        application.submitted_at,
        application.score,
        criterion_means(reviews),
        len(reviews),
        recommendations(reviews),
        decision.get_outcome_display() if decision else None,
        "\n".join(f"{r.criterion.name}: {r.text}" for r in decision.reasons.all())
        if decision
        else None,
        "\n".join(decision.condition_lines) if decision else None,
        application.decision_released_at,
    ]


def criterion_means(reviews: list[Review]) -> str:
    """ "innovation 4.50; readiness 3.00; licence met 2/2" over the submitted reviews."""
    numbers: dict[str, list[int]] = {}
    gates: dict[str, list[bool]] = {}
    order: list[str] = []
    for review in reviews:
        for score in review.scores.all():
            code = score.criterion.code
            if code not in order:
                order.append(code)
            if score.criterion.is_gate:
                if score.gate_met is not None:
                    gates.setdefault(code, []).append(score.gate_met)
            elif score.score is not None:
                numbers.setdefault(code, []).append(score.score)
    parts = []
    for code in order:
        if code in gates:
            met = gates[code]
            parts.append(
                _("%(code)s met %(met)s/%(all)s") % {"code": code, "met": sum(met), "all": len(met)}
            )
        elif code in numbers:
            mean = Decimal(str(statistics.fmean(numbers[code]))).quantize(Decimal("0.01"))
            parts.append(f"{code} {mean}")
    return "; ".join(parts)


def recommendations(reviews: list[Review]) -> str:
    """ "Proceed: 2; Reject: 1", in the order of the choices."""
    counts = Counter(review.recommendation for review in reviews if review.recommendation)
    return "; ".join(
        f"{label}: {counts[value]}" for value, label in Recommendation.choices if counts[value]
    )
