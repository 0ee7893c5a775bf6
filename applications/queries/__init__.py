"""Reads: what each user may see, with the joins and prefetches each page needs."""

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from applications.enums import ApplicationState, DocumentStage, ScanStatus
from applications.models import (
    Application,
    AuditEvent,
    Cohort,
    Document,
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
    if user.role == Role.REVIEWER:
        # Only what they sit on the panel for and have declared no conflict on (DESIGN.md §4);
        # a recusal or an unassignment takes the application out of this at once.
        return annotate_clearance(queryset, user).filter(
            cohort__panel=user, cleared_reviewer_id=user.pk
        )
    return queryset.none()


def annotate_clearance(queryset: QuerySet[Application], user) -> QuerySet[Application]:
    """Annotate `cleared_reviewer_id` (user.pk when the user holds an assignment with a declaration
    of no conflict, else None) and `viewer_declaration` (their assignment's declaration, or None),
    which rules.is_cleared_reviewer and the queue rows read without a query of their own."""
    from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, Value, When

    from applications.enums import Declaration
    from applications.models import ReviewerAssignment

    mine = ReviewerAssignment.objects.filter(application=OuterRef("pk"), reviewer=user.pk)
    return queryset.annotate(
        cleared_reviewer_id=Case(
            When(Exists(mine.filter(declaration=Declaration.NO_CONFLICT)), then=Value(user.pk)),
            default=None,
            output_field=IntegerField(),
        ),
        viewer_declaration=Subquery(mine.values("declaration")[:1]),
    )


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
        return annotate_clearance(queryset.filter(cohort__panel=user), user)
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


def document_slots(application: Application, *, clean_only: bool = False) -> list[dict]:
    """One entry per application-stage requirement with its versions, newest first (2 queries).

    `clean_only` for staff: a version still being checked or quarantined is never shown to them.
    """
    from applications.queries.programmes import requirements_for

    # The requirements of the version it was submitted under (in force, for a draft).
    requirements = requirements_for(application, stage=DocumentStage.APPLICATION)
    versions = (
        DocumentVersion.objects.filter(document__application=application)
        .select_related("document", "uploaded_by")
        .order_by("-number")
    )
    if clean_only:
        versions = versions.filter(scan_status=ScanStatus.CLEAN)
    by_requirement: dict[int, list[DocumentVersion]] = {}
    for version in versions:
        by_requirement.setdefault(version.document.requirement_id, []).append(version)
    return [
        {
            "requirement": requirement,
            "versions": by_requirement.get(requirement.pk, []),
            "latest": (by_requirement.get(requirement.pk) or [None])[0],
            "document": by_requirement[requirement.pk][0].document
            if requirement.pk in by_requirement
            else None,
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
    """A document version the user may open, or DocumentVersion.DoesNotExist (→ 404).

    Staff never see a version that is still being checked or was quarantined."""
    versions = DocumentVersion.objects.select_related(
        "document__application__organisation",
        "document__application__cohort__programme",
        "document__requirement",
    ).filter(document__application__in=applications_visible_to(user))
    if not user.is_authenticated or user.role != Role.APPLICANT:
        versions = versions.filter(scan_status=ScanStatus.CLEAN)
    return versions.get(pk=version_id)


def document_visible_to(user, document_id: int) -> Document:
    """A document (slot) of an application the user may see, or Document.DoesNotExist (→ 404)."""
    return Document.objects.select_related(
        "application__cohort__programme", "application__organisation", "requirement"
    ).get(pk=document_id, application__in=applications_visible_to(user))


def document_access_log(document: Document) -> QuerySet[AuditEvent]:
    """Uploads, checks, downloads and correction requests of one document, newest first."""
    subjects = [f"document:{document.pk}"] + [
        f"document_version:{pk}" for pk in document.versions.values_list("pk", flat=True)
    ]
    return (
        AuditEvent.objects.filter(application_id=document.application_id, subject__in=subjects)
        .select_related("actor")
        .order_by("-id")
    )


def members_of(organisation) -> QuerySet:
    return organisation.members.filter(is_active=True).order_by("email")


def prefetch_people(queryset):
    from portal.accounts.models import Person

    return queryset.prefetch_related(Prefetch("people", queryset=Person.objects.order_by("id")))


WORKING_CALENDAR_CACHE_KEY = "working-calendar"


def working_calendar(prefetched: dict | None = None):
    """The Kazakh working-day calendar with the admin-entered days, cached (one query when cold).

    services/calendar_days.py clears the cache whenever an admin changes a day. `prefetched`:
    what one cache.get_many of several keys found (the queue page reads two in one round trip).
    """
    from django.core.cache import cache

    from applications.calendar import WorkingCalendar
    from applications.enums import CalendarDayKind
    from applications.models import CalendarDay

    if prefetched is not None:
        days = prefetched.get(WORKING_CALENDAR_CACHE_KEY)
    else:
        days = cache.get(WORKING_CALENDAR_CACHE_KEY)
    if days is None:
        days = {kind: [] for kind in CalendarDayKind.values}
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            days[kind].append(day)
        cache.set(WORKING_CALENDAR_CACHE_KEY, days, timeout=3600)
    return WorkingCalendar(
        days_off=days[CalendarDayKind.DAY_OFF], working_days=days[CalendarDayKind.WORKING_DAY]
    )


def notifications_of(user) -> QuerySet:
    """The person's own notifications for the notification centre (the digest emails excepted:
    what they carry is listed one by one)."""
    from applications.enums import NotificationKind
    from applications.models import Notification

    return (
        Notification.objects.filter(recipient_id=user.pk)
        .exclude(kind=NotificationKind.DAILY_DIGEST)
        .order_by("-created_at", "-pk")
    )
