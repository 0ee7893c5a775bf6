"""Reads for decisions, participations and reports: each list in a constant number of queries."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from applications.enums import (
    OPEN_REPORT_STATES,
    ApplicationState,
    DecisionState,
    ReportState,
    ScanStatus,
)
from applications.models import Application, Decision, DecisionReason, Report, ReportAttachment
from portal.accounts.models import Role

S = ApplicationState
REPORTING_STATES = (S.TESTING, S.SUSPENDED, S.EXITING)
# Every application a cohort admitted holds one of its places, whether testing or done
# (docs/admin-console.md, "Capacity and the waiting list").
ADMITTED_STATES = (
    S.APPROVED,
    S.ONBOARDING,
    S.TESTING,
    S.SUSPENDED,
    S.EXITING,
    S.GRADUATED,
    S.EXITED,
    S.TERMINATED,
)


def _reports() -> QuerySet[Report]:
    return Report.objects.select_related(
        "participation__application__organisation", "participation__application__cohort"
    )


def reports_due_between(start: date, end: date) -> QuerySet[Report]:
    """Reports still owed whose due date falls in [start, end], for reminders (report_due)."""
    return (
        _reports()
        .filter(state__in=OPEN_REPORT_STATES, due_on__range=(start, end))
        .filter(participation__application__state__in=REPORTING_STATES)
        .order_by("due_on", "id")
    )


def overdue_reports(today: date) -> QuerySet[Report]:
    """Reports still owed after their due date (report_overdue), oldest first."""
    return (
        _reports()
        .filter(state__in=OPEN_REPORT_STATES, due_on__lt=today)
        .filter(participation__application__state__in=REPORTING_STATES)
        .order_by("due_on", "id")
    )


def reports_awaiting_review() -> QuerySet[Report]:
    return _reports().filter(state=ReportState.FILED).order_by("filed_at", "id")


def awaiting_release(cohort_id: int) -> QuerySet[Application]:
    """The cohort's applications with a confirmed decision the applicant has not been told."""
    return (
        Application.objects.filter(
            cohort_id=cohort_id,
            state__in=(S.APPROVED, S.REJECTED, S.WAITLISTED),
            decision_released_at__isnull=True,
        )
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.filter(state=DecisionState.CONFIRMED)
                .select_related("made_by", "checked_by")
                .order_by("-checked_at"),
                to_attr="confirmed_decisions",
            )
        )
        .order_by("reference", "id")
    )


def cohort_places(cohort) -> dict:
    """Places taken and free in a cohort, and the first waitlisted application (2 queries)."""
    taken = Application.objects.filter(cohort=cohort, state__in=ADMITTED_STATES).count()
    first_waitlisted = (
        Application.objects.filter(
            cohort=cohort, state=S.WAITLISTED, decision_released_at__isnull=False
        )
        .exclude(decisions__state__in=(DecisionState.PROPOSED, DecisionState.SENT_BACK))
        .order_by("decision_released_at", "id")
        .first()
    )
    return {
        "taken": taken,
        "free": max(0, cohort.capacity - taken),
        "first_waitlisted": first_waitlisted,
    }


def decisions_to_check() -> QuerySet[Decision]:
    """Proposed decisions waiting for a second admin, oldest first."""
    return (
        Decision.objects.filter(state__in=(DecisionState.PROPOSED, DecisionState.SENT_BACK))
        .select_related("application__cohort", "application__organisation", "made_by")
        .order_by("made_at", "id")
    )


def participations_for_console() -> QuerySet[Application]:
    """Admitted applications being supervised, with their participation and report counts."""
    owed = Q(participation__reports__state__in=OPEN_REPORT_STATES)
    return (
        Application.objects.filter(
            state__in=(S.APPROVED, S.ONBOARDING, *REPORTING_STATES),
            decision_released_at__isnull=False,
        )
        .select_related("organisation", "cohort", "participation")
        .annotate(
            reports_to_review=Count(
                "participation__reports",
                filter=Q(participation__reports__state=ReportState.FILED),
            ),
            reports_owed=Count("participation__reports", filter=owed),
        )
        .order_by("participation__ends_on", "id")
    )


def released_decision(application: Application) -> Decision | None:
    """The decision the applicant has been told, with its reasons (2 queries), or None."""
    if application.decision_released_at is None:
        return None
    return (
        Decision.objects.filter(application=application, released_at__isnull=False)
        .prefetch_related(
            Prefetch("reasons", queryset=DecisionReason.objects.select_related("criterion"))
        )
        .order_by("-released_at")
        .first()
    )


def cohorts_with_unreleased() -> QuerySet:
    """Cohorts holding confirmed decisions the applicants have not been told, with the count."""
    from applications.models import Cohort

    unreleased = Q(
        applications__state__in=(S.APPROVED, S.REJECTED, S.WAITLISTED),
        applications__decision_released_at__isnull=True,
    )
    return (
        Cohort.objects.select_related("programme")
        .annotate(unreleased=Count("applications", filter=unreleased))
        .filter(unreleased__gt=0)
        .order_by("-opens_at")
    )


def attachment_visible_to(user, attachment_id: int) -> ReportAttachment:
    """A report attachment the user may open, or ReportAttachment.DoesNotExist (→ 404).

    Members of the participant's organisation and programme admins only: reviewers do not
    supervise testing. Admins never see a file still being checked or quarantined."""
    attachments = ReportAttachment.objects.select_related(
        "report__participation__application__organisation"
    )
    if not user.is_authenticated or not user.is_active:
        return attachments.none().get(pk=attachment_id)
    if user.role == Role.PROGRAMME_ADMIN:
        attachments = attachments.filter(scan_status=ScanStatus.CLEAN)
    elif user.role == Role.APPLICANT and user.organisation_id:
        attachments = attachments.filter(
            report__participation__application__organisation_id=user.organisation_id
        )
    else:
        attachments = attachments.none()
    return attachments.get(pk=attachment_id)
