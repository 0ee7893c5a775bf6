"""Reads: what each user may see, with the joins and prefetches each page needs."""

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from applications.enums import ApplicationState, DocumentStage
from applications.models import (
    Application,
    AuditEvent,
    Cohort,
    DocumentVersion,
)
from portal.accounts.models import Role


def applications_visible_to(user) -> QuerySet[Application]:
    """Scope every application lookup through this: anything outside it answers 404."""
    queryset = Application.objects.select_related("cohort__programme", "organisation")
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.role == Role.PROGRAMME_ADMIN:
        return queryset
    if user.role == Role.APPLICANT and user.organisation_id:
        return queryset.filter(organisation_id=user.organisation_id)
    return queryset.none()


def applications_for_staff_list(user) -> QuerySet[Application]:
    """Submitted applications a member of staff may list, newest submission first.

    Programme admins: all of them. Reviewers: those in cohorts whose panel they sit on. Others: none.
    Drafts never reach staff, nor do drafts withdrawn before submission (no submission time).
    """
    queryset = (
        Application.objects.select_related("cohort__programme", "organisation")
        .exclude(state=ApplicationState.DRAFT)
        .filter(submitted_at__isnull=False)
        .order_by("-submitted_at", "-id")
    )
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.role == Role.PROGRAMME_ADMIN:
        return queryset
    if user.role == Role.REVIEWER:
        return queryset.filter(cohort__panel=user)
    return queryset.none()


def state_counts(queryset: QuerySet[Application]) -> dict[str, int]:
    """{state: number of applications} over a queryset, in one aggregate query."""
    rows = queryset.order_by().values("state").annotate(count=Count("id"))
    return {row["state"]: row["count"] for row in rows}


def applications_of_organisation(user) -> QuerySet[Application]:
    return (
        applications_visible_to(user)
        .filter(organisation_id=user.organisation_id)
        .order_by("-created_at")
    )


def open_cohorts(at=None) -> QuerySet[Cohort]:
    at = at or timezone.now()
    return (
        Cohort.objects.select_related("programme")
        .filter(opens_at__lte=at)
        .exclude(closes_at__lte=at)
        .order_by("closes_at", "name")
    )


def document_slots(application: Application) -> list[dict]:
    """One entry per application-stage requirement with its versions, newest first (2 queries)."""
    from applications.queries.programmes import requirements_for

    # The requirements of the version it was submitted under (in force, for a draft).
    requirements = requirements_for(application, stage=DocumentStage.APPLICATION)
    versions = (
        DocumentVersion.objects.filter(document__application=application)
        .select_related("document", "uploaded_by")
        .order_by("-number")
    )
    by_requirement: dict[int, list[DocumentVersion]] = {}
    for version in versions:
        by_requirement.setdefault(version.document.requirement_id, []).append(version)
    return [
        {
            "requirement": requirement,
            "versions": by_requirement.get(requirement.pk, []),
            "latest": (by_requirement.get(requirement.pk) or [None])[0],
        }
        for requirement in requirements
    ]


def timeline_for_applicant(application: Application) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(application=application, applicant_visible=True)
        .select_related("actor")
        .order_by("-id")
    )


def version_visible_to(user, version_id: int) -> DocumentVersion:
    """A document version the user may open, or DocumentVersion.DoesNotExist (→ 404)."""
    return (
        DocumentVersion.objects.select_related(
            "document__application__organisation", "document__requirement"
        )
        .filter(document__application__in=applications_visible_to(user))
        .get(pk=version_id)
    )


def members_of(organisation) -> QuerySet:
    return organisation.members.filter(is_active=True).order_by("email")


def prefetch_people(queryset):
    from portal.accounts.models import Person

    return queryset.prefetch_related(Prefetch("people", queryset=Person.objects.order_by("id")))


WORKING_CALENDAR_CACHE_KEY = "working-calendar"


def working_calendar():
    """The Kazakh working-day calendar with the admin-entered days, cached (one query when cold).

    services/calendar_days.py clears the cache whenever an admin changes a day.
    """
    from django.core.cache import cache

    from applications.calendar import WorkingCalendar
    from applications.enums import CalendarDayKind
    from applications.models import CalendarDay

    days = cache.get(WORKING_CALENDAR_CACHE_KEY)
    if days is None:
        days = {kind: [] for kind in CalendarDayKind.values}
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            days[kind].append(day)
        cache.set(WORKING_CALENDAR_CACHE_KEY, days, timeout=3600)
    return WorkingCalendar(
        days_off=days[CalendarDayKind.DAY_OFF], working_days=days[CalendarDayKind.WORKING_DAY]
    )
