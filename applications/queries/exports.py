"""Reads for the applications export (CSV and XLSX): the rows, a chunk at a time.

The export takes the admin "All applications" list's filters (queries/queues.py) and walks the
rows with `.iterator(chunk_size=...)`: the row query is one cursor read chunk by chunk (only the
columns a row shows, with organisation, cohort and programme joined, the mean weighted score a
column of it). For each chunk four more queries bring, as plain values, the submitted reviews'
recommendations, the mean score per criterion (aggregated in SQL), the latest confirmed decision
and its reasons. So 10,000 rows cost 1 + 4 × (10,000 / chunk size) queries and never sit in
memory together.

Plain values rather than prefetched model instances: a prefetch builds a model instance (and a
related manager) for every review, score, decision and reason, which was most of the export's
time.
"""

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import islice

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from applications.calendar import WorkingCalendar
from applications.enums import (
    ApplicationState,
    DecisionOutcome,
    DecisionState,
    Recommendation,
    ReviewState,
)
from applications.models import Application, CriterionScore, Decision, DecisionReason, Review
from applications.queries import queues as q
from applications.spreadsheets import Cell
from portal.i18n import FIELD_LANGUAGES, field_language

CHUNK_SIZE = 500
ROW_FIELDS = (
    "reference",
    "state",
    "submitted_at",
    "decision_released_at",
    "organisation__legal_name_en",
    "organisation__legal_name_ru",
    "organisation__legal_name_kk",
    "organisation__bin",
    "organisation__foreign_registration_number",
    "organisation__country",
    "cohort__name",
    "cohort__programme__name_en",
    "cohort__programme__name_ru",
    "cohort__programme__name_kk",
)


def export_queryset(
    user, filters: q.QueueFilters, *, today: date, calendar: WorkingCalendar
) -> QuerySet[Application]:
    """The rows of the "All applications" queue under `filters`, in its order. Empty for anyone
    but a programme admin (queue_scope)."""
    thresholds = q.ClockThresholds.on(today, calendar, filters.due_within)
    rows = q.apply_filters(q.queue_scope(user, q.ALL), user, filters, thresholds, today)
    if filters.state:
        rows = rows.filter(state=filters.state)
    rows = (
        rows.select_related("cohort__programme", "organisation")
        .only(*ROW_FIELDS)
        .annotate(score=q._score(user))
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


class _Labels:
    """Choice labels and the language suffix, worked out once per export instead of per row."""

    def __init__(self):
        self.suffix = field_language()
        self.state = {value: str(label) for value, label in ApplicationState.choices}
        self.outcome = {value: str(label) for value, label in DecisionOutcome.choices}
        self.recommendations = [(value, str(label)) for value, label in Recommendation.choices]

    def localized(self, values: dict, base: str) -> str:
        return values.get(f"{base}_{self.suffix}") or values.get(f"{base}_en") or ""


def rows(queryset: QuerySet[Application], chunk_size: int | None = None) -> Iterator[list[Cell]]:
    size = chunk_size or CHUNK_SIZE
    labels = _Labels()
    applications = queryset.iterator(chunk_size=size)
    while chunk := list(islice(applications, size)):
        facts = _ChunkFacts([application.pk for application in chunk], labels)
        for application in chunk:
            yield _row(application, facts, labels)


def _row(application: Application, facts: "_ChunkFacts", labels: _Labels) -> list[Cell]:
    organisation = application.organisation
    pk = application.pk
    decision = facts.decisions.get(pk)
    return [
        application.reference,
        organisation.legal_name,
        organisation.identifier,
        application.cohort.programme.name,
        application.cohort.name,
        labels.state.get(application.state, application.state),
        application.submitted_at,
        _two_places(application.score),
        "; ".join(facts.criteria.get(pk, [])),
        sum(facts.recommendations[pk].values()),
        "; ".join(
            f"{label}: {facts.recommendations[pk][value]}"
            for value, label in labels.recommendations
            if facts.recommendations[pk][value]
        ),
        labels.outcome.get(decision["outcome"]) if decision else None,
        "\n".join(facts.reasons.get(decision["id"], [])) if decision else None,
        "\n".join(line.strip() for line in decision["conditions"].splitlines() if line.strip())
        if decision
        else None,
        application.decision_released_at,
    ]


class _ChunkFacts:
    """What the rows of one chunk need besides their own columns: four queries of values."""

    def __init__(self, ids: list[int], labels: _Labels):
        self.recommendations: dict[int, Counter] = defaultdict(Counter)
        reviews = Review.objects.filter(application_id__in=ids, state=ReviewState.SUBMITTED)
        for application_id, recommendation in reviews.values_list(
            "application_id", "recommendation"
        ):
            self.recommendations[application_id][recommendation] += 1
        self.criteria = self._criteria(ids)
        self.decisions: dict[int, dict] = {}
        decisions = (
            Decision.objects.filter(application_id__in=ids, state=DecisionState.CONFIRMED)
            .order_by("application_id", "-checked_at", "-id")
            .values("id", "application_id", "outcome", "conditions")
        )
        for decision in decisions:
            self.decisions.setdefault(decision["application_id"], decision)
        self.reasons: dict[int, list[str]] = defaultdict(list)
        reasons = (
            DecisionReason.objects.filter(
                decision_id__in=[d["id"] for d in self.decisions.values()]
            )
            .order_by("decision_id", "criterion__position", "criterion_id")
            .values("decision_id", "text", *(f"criterion__name_{code}" for code in FIELD_LANGUAGES))
        )
        for reason in reasons:
            name = labels.localized(reason, "criterion__name")
            self.reasons[reason["decision_id"]].append(f"{name}: {reason['text']}")

    @staticmethod
    def _criteria(ids: list[int]) -> dict[int, list[str]]:
        """ "innovation 4.50", or "fit met 1/2" for a gate, per application, in published order."""
        means = (
            CriterionScore.objects.filter(
                review__application_id__in=ids, review__state=ReviewState.SUBMITTED
            )
            .values(
                "review__application_id", "criterion_id", "criterion__code", "criterion__is_gate"
            )
            .annotate(
                mean=Avg("score"),
                met=Count("id", filter=Q(gate_met=True)),
                judged=Count("gate_met"),
            )
            .order_by("review__application_id", "criterion__position", "criterion_id")
        )
        found: dict[int, list[str]] = defaultdict(list)
        for row in means:
            code = row["criterion__code"]
            if row["criterion__is_gate"]:
                if row["judged"]:
                    found[row["review__application_id"]].append(
                        _("%(code)s met %(met)s/%(all)s")
                        % {"code": code, "met": row["met"], "all": row["judged"]}
                    )
            elif row["mean"] is not None:
                found[row["review__application_id"]].append(f"{code} {_two_places(row['mean'])}")
        return found


def _two_places(value) -> Decimal | None:
    # The same on every database: SQLite's average comes back as a float.
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))
