"""Reads for assigning people to applications: who is on it, who could be, and the bulk list."""

from django.db.models import Prefetch, QuerySet

from applications.enums import ASSIGNABLE_STATES
from applications.models import Application, Cohort, ReviewerAssignment
from portal.accounts.models import Role, User


def assignments_of(application: Application) -> list[ReviewerAssignment]:
    return list(application.assignments.select_related("reviewer").order_by("assigned_at", "id"))


def panel_of(cohort_id: int) -> list[User]:
    """Active reviewers on a cohort's panel, by name."""
    return list(
        User.objects.filter(panels=cohort_id, is_active=True, role=Role.REVIEWER).order_by(
            "full_name", "email"
        )
    )


def case_officer_candidates(cohort_id: int) -> list[User]:
    """The cohort's panel and every programme admin."""
    panel = User.objects.filter(panels=cohort_id, role=Role.REVIEWER)
    admins = User.objects.filter(role=Role.PROGRAMME_ADMIN)
    return list((panel | admins).filter(is_active=True).distinct().order_by("full_name", "email"))


def cohorts_for_assignment() -> QuerySet[Cohort]:
    return Cohort.objects.select_related("programme").order_by("-opens_at", "name")


def assignable_applications(cohort_id: int) -> QuerySet[Application]:
    """A cohort's applications that people may still be assigned to, oldest submission first,
    with their case officer and assignments loaded (one query for the rows, one for all their
    assignments with the reviewers)."""
    return (
        Application.objects.filter(cohort_id=cohort_id, state__in=ASSIGNABLE_STATES)
        .select_related("cohort__programme", "organisation", "case_officer")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=ReviewerAssignment.objects.select_related("reviewer").order_by("id"),
            )
        )
        .order_by("submitted_at", "id")
    )
