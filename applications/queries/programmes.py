"""Reads for programmes, their versions and cohorts (programme admin console).

`criteria_for(application)` and `requirements_for(application)` are what reviews, screening and
decisions read: the rows of the programme version the application was submitted under, never the
programme's rows as they are today.
"""

from django.db.models import Count, Prefetch, QuerySet

from applications.enums import ApplicationState
from applications.models import (
    Application,
    AuditEvent,
    Cohort,
    Criterion,
    DocumentRequirement,
    Programme,
    ProgrammeVersion,
)
from portal.accounts.models import Role, User


def criteria_for(application: Application) -> QuerySet[Criterion]:
    """The criteria an application is judged against, in their published order: those of the
    version it was submitted under, or the programme's criteria in force for a draft."""
    if application.programme_version_id is not None:
        queryset = Criterion.objects.filter(versions=application.programme_version_id)
    else:
        queryset = Criterion.objects.filter(programme_id=application.cohort.programme_id).active()
    return queryset.order_by("position", "id")


def requirements_for(application: Application, stage: str | None = None):
    """The document requirements an application answers to, like criteria_for; one stage or all."""
    if application.programme_version_id is not None:
        queryset = DocumentRequirement.objects.filter(versions=application.programme_version_id)
    else:
        queryset = DocumentRequirement.objects.filter(
            programme_id=application.cohort.programme_id
        ).active()
    if stage is not None:
        queryset = queryset.filter(stage=stage)
    return queryset.order_by("position", "id")


def programmes_for_console() -> QuerySet[Programme]:
    """Programmes with their cohorts, newest first; counts come from cohort_state_counts."""
    cohorts = Cohort.objects.order_by("-opens_at", "pk")
    return Programme.objects.prefetch_related(Prefetch("cohorts", queryset=cohorts)).order_by(
        "code"
    )


def cohort_state_counts(cohort_ids) -> dict[int, dict[str, int]]:
    """{cohort id: {state: number of applications}} in one aggregate query."""
    rows = (
        Application.objects.filter(cohort_id__in=cohort_ids)
        .order_by()
        .values("cohort_id", "state")
        .annotate(count=Count("id"))
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["cohort_id"], {})[row["state"]] = row["count"]
    return counts


def state_rows(counts: dict[str, int]) -> list[dict]:
    """Counts per state in lifecycle order, only the states that have applications."""
    return [
        {"state": value, "label": label, "count": counts[value]}
        for value, label in ApplicationState.choices
        if counts.get(value)
    ]


def programme_detail(pk: int) -> Programme:
    """A programme with its rows in force, cohorts and versions (with how many applications
    each version judges), for its console page."""
    versions = ProgrammeVersion.objects.annotate(
        application_count=Count("applications", distinct=True),
        criteria_count=Count("criteria", distinct=True),
        requirement_count=Count("requirements", distinct=True),
    ).order_by("-number")
    return Programme.objects.prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.active().order_by("position", "id")),
        Prefetch(
            "document_requirements",
            queryset=DocumentRequirement.objects.active().order_by("stage", "position", "id"),
        ),
        Prefetch("cohorts", queryset=Cohort.objects.order_by("-opens_at", "pk")),
        Prefetch("versions", queryset=versions),
    ).get(pk=pk)


def cohort_detail(pk: int) -> Cohort:
    panel = User.objects.order_by("full_name", "email")
    return (
        Cohort.objects.select_related("programme")
        .prefetch_related(Prefetch("panel", queryset=panel))
        .get(pk=pk)
    )


def active_reviewers() -> QuerySet[User]:
    """Who may sit on a reviewer panel."""
    return User.objects.filter(role=Role.REVIEWER, is_active=True).order_by("full_name", "email")


def console_events(subject: str, limit: int = 20) -> list[AuditEvent]:
    """The newest audit events about one programme or cohort ("programme:3", "cohort:7")."""
    return list(
        AuditEvent.objects.filter(subject=subject).select_related("actor").order_by("-id")[:limit]
    )
