"""Where reminders come from: one small function per kind of deadline, registered in SOURCES.

A source takes today's date and yields the reminders that are due today. The engine
(services/reminders.py) sends each one once per (kind, subject, recipient, due date), however often
the beat runs, so a source may simply yield everything that is due without remembering anything.
To add one (an RFI answer due, a reviewer's deadline, a report due): write the function here or
next to its model, and append it to SOURCES. docs/notifications.md shows an example.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import models

from applications.enums import ApplicationState, NotificationKind
from applications.models import Application
from portal.accounts.models import Role, User


@dataclass(frozen=True)
class Reminder:
    kind: NotificationKind
    subject: str  # "<label>:<pk>", what the reminder is about
    recipient: User
    due_date: date
    context: dict = field(default_factory=dict)
    application: Application | None = None


def screening_clock_breaches(today: date) -> Iterable[Reminder]:
    """Programme admins hear of each submitted application whose completeness screening has not
    started within the programme's screening days (DESIGN.md §3)."""
    from applications.queries import working_calendar

    admins = list(User.objects.filter(role=Role.PROGRAMME_ADMIN, is_active=True))
    if not admins:
        return
    calendar = working_calendar()  # the Kazakh calendar with the admin-entered days
    # Working days are at least as long as calendar days: nothing newer can be late yet.
    candidates = Application.objects.filter(
        state=ApplicationState.SUBMITTED, submitted_at__date__lt=today - timedelta(days=1)
    ).select_related("cohort__programme")
    for application in candidates:
        submitted = application.submitted_at.date()
        due = calendar.add_working_days(submitted, application.cohort.programme.screening_days)
        if due >= today:
            continue
        context = {
            "reference": application.reference,
            "title": application.title,
            "application_id": application.pk,
            "stage": str(ApplicationState.SCREENING.label),
            "due_date": due.isoformat(),
        }
        for admin in admins:
            yield Reminder(
                kind=NotificationKind.CLOCK_BREACHED,
                subject=f"application:{application.pk}:screening",
                recipient=admin,
                due_date=due,
                context=context,
                application=application,
            )


def stage_clock_breaches(today: date) -> Iterable[Reminder]:
    """Programme admins hear once of every stage clock past its due date (a paused clock is not
    late). Applications not yet in screening are screening_clock_breaches' part."""
    from applications.enums import ClockStage

    admins = list(User.objects.filter(role=Role.PROGRAMME_ADMIN, is_active=True))
    late = (
        Application.objects.filter(clock_due_on__lt=today, clock_paused_on__isnull=True)
        .exclude(clock_stage="")
        .exclude(state=ApplicationState.SUBMITTED)
        .order_by("clock_due_on", "pk")
    )
    for application in late:
        context = {
            "reference": application.reference,
            "title": application.title,
            "application_id": application.pk,
            "stage": str(ClockStage(application.clock_stage).label),
            "due_date": application.clock_due_on.isoformat(),
        }
        for admin in admins:
            yield Reminder(
                kind=NotificationKind.CLOCK_BREACHED,
                subject=f"application:{application.pk}:{application.clock_stage}",
                recipient=admin,
                due_date=application.clock_due_on,
                context=context,
                application=application,
            )


# Reviewers hear this many working days before their stage's due date, and on the day itself.
REVIEWER_NOTICE_WORKING_DAYS = 2
# Participants hear this many working days before a report is due.
REPORT_NOTICE_WORKING_DAYS = 5


def reviewer_deadlines(today: date) -> Iterable[Reminder]:
    """Reviewers on a case (assigned, not recused) hear before the stage clock's due date and on
    the day. The subject carries the days left, so the two reminders of one due date are two."""
    from django.urls import reverse

    from applications.enums import Declaration
    from applications.models import ReviewerAssignment
    from applications.queries import working_calendar

    calendar = working_calendar()
    notice = calendar.add_working_days(today, REVIEWER_NOTICE_WORKING_DAYS)
    assignments = (
        ReviewerAssignment.objects.filter(
            application__clock_paused_on__isnull=True,
            application__clock_due_on__in=[today, notice],
            reviewer__is_active=True,
        )
        .exclude(application__clock_stage="")
        .exclude(declaration=Declaration.RECUSED)
        .select_related("application", "reviewer")
    )
    for assignment in assignments:
        application = assignment.application
        days_left = calendar.working_days_between(today, application.clock_due_on)
        yield Reminder(
            kind=NotificationKind.REVIEWER_DEADLINE_REMINDER,
            subject=f"application:{application.pk}:{application.clock_stage}:{days_left}",
            recipient=assignment.reviewer,
            due_date=application.clock_due_on,
            # No organisation: reviewers on blind programmes read these too.
            context={
                "reference": application.reference,
                "title": application.title,
                "due_date": application.clock_due_on.isoformat(),
                "days_left": days_left,
                "url": reverse("applications:staff-application-detail", args=[application.pk]),
            },
            application=application,
        )


def _members_by_organisation(organisation_ids) -> dict[int, list[User]]:
    members: dict[int, list[User]] = {}
    for user in User.objects.filter(
        organisation_id__in=set(organisation_ids), is_active=True, role=Role.APPLICANT
    ).order_by("pk"):
        members.setdefault(user.organisation_id, []).append(user)
    return members


# Applicants hear this many working days before an answer is due.
RFI_NOTICE_WORKING_DAYS = 2


def rfis_due_and_overdue(today: date) -> Iterable[Reminder]:
    """The applicant's members hear 2 working days before an answer to a request for information
    is due, and once when it is late."""
    from django.urls import reverse

    from applications.enums import RfiState
    from applications.models import RequestForInformation
    from applications.queries import working_calendar

    notice = working_calendar().add_working_days(today, RFI_NOTICE_WORKING_DAYS)
    rfis = list(
        RequestForInformation.objects.filter(state=RfiState.OPEN)
        .filter(models.Q(due_on__lt=today) | models.Q(due_on=notice))
        .select_related("application")
        .order_by("pk")
    )
    members = _members_by_organisation(rfi.application.organisation_id for rfi in rfis)
    for rfi in rfis:
        kind = NotificationKind.RFI_OVERDUE if rfi.due_on < today else NotificationKind.RFI_DUE
        application = rfi.application
        context = {
            "reference": application.reference,
            "title": application.title,
            "application_id": application.pk,
            "rfi_subject": rfi.questions.strip().splitlines()[0][:120] if rfi.questions else "",
            "due_date": rfi.due_on.isoformat(),
            "url": reverse("applications:application-detail", args=[application.pk]),
        }
        for member in members.get(application.organisation_id, []):
            yield Reminder(
                kind=kind,
                subject=f"rfi:{rfi.pk}",
                recipient=member,
                due_date=rfi.due_on,
                context=context,
                application=application,
            )


def reports_due_and_overdue(today: date) -> Iterable[Reminder]:
    """Participants hear a few working days before a report is due, and once when it is late."""
    from django.urls import reverse

    from applications.queries import working_calendar
    from applications.queries.participations import overdue_reports, reports_due_between

    horizon = working_calendar().add_working_days(today, REPORT_NOTICE_WORKING_DAYS)
    due = [(NotificationKind.REPORT_DUE, r) for r in reports_due_between(today, horizon)]
    late = [(NotificationKind.REPORT_OVERDUE, r) for r in overdue_reports(today)]
    members = _members_by_organisation(
        report.participation.application.organisation_id for _kind, report in due + late
    )
    for kind, report in due + late:
        application = report.participation.application
        context = {
            "reference": application.reference,
            "title": application.title,
            "report": str(report),
            "due_on": report.due_on.isoformat(),
            "url": reverse("participations:detail", args=[application.pk]),
        }
        for member in members.get(application.organisation_id, []):
            yield Reminder(
                kind=kind,
                subject=f"report:{report.pk}",
                recipient=member,
                due_date=report.due_on,
                context=context,
                application=application,
            )


SOURCES: list[Callable[[date], Iterable[Reminder]]] = [
    screening_clock_breaches,
    stage_clock_breaches,
    reviewer_deadlines,
    rfis_due_and_overdue,
    reports_due_and_overdue,
]
