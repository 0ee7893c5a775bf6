"""Starting, submitting, screening and withdrawing applications."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ClockStage, EventKind, NotificationKind
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import Application, Cohort
from applications.services.audit import record_event
from applications.services.clocks import start_clock, stop_clock
from applications.services.notifications import notify_members
from applications.services.programmes import version_for_submission
from applications.services.references import next_reference
from applications.services.transitions import Move, apply_move


def start_application(*, actor, cohort: Cohort, title: str = "") -> Application:
    if not actor.has_perm("applications.start_application") or actor.organisation_id is None:
        raise NotAllowed(_("Register your organisation before starting an application."))
    if not cohort.is_open():
        raise WorkflowError(
            _("The cohort “%(cohort)s” is not open for applications.") % {"cohort": cohort.name}
        )
    with transaction.atomic():
        application = Application.objects.create(
            organisation_id=actor.organisation_id, cohort=cohort, created_by=actor, title=title
        )
        record_event(
            kind=EventKind.APPLICATION_CREATED,
            actor=actor,
            application=application,
            data={"cohort": cohort.name},
            applicant_visible=True,
        )
    return application


def submit_application(*, actor, application_id: int, ip_address: str | None = None) -> Application:
    """Submit a draft. The actor has just accepted the declarations in the submit form."""
    now = timezone.now()

    def assign_reference(application: Application) -> dict:
        application.reference = next_reference(year=timezone.localtime(now).year)
        application.submitted_at = now
        # The completeness-screening clock starts on submission (DESIGN.md §3).
        clock_fields = start_clock(application, ClockStage.SCREENING, on=timezone.localdate(now))
        # The criteria and requirements it is judged under from now on, whatever changes later.
        application.programme_version = version_for_submission(
            programme_id=application.cohort.programme_id
        )
        _notify_members(application, NotificationKind.APPLICATION_SUBMITTED)
        return {
            "reference": application.reference,
            "due_on": application.clock_due_on.isoformat(),
            "programme_version": application.programme_version.number,
            "_fields": ["reference", "submitted_at", "programme_version", *clock_fields],
        }

    move = Move(
        name="submit",
        permission="applications.submit_application",
        event=EventKind.APPLICATION_SUBMITTED,
        changes={"declarations_accepted_at": now, "declarations_accepted_by": actor},
        after=assign_reference,
    )
    return apply_move(actor=actor, application_id=application_id, move=move, ip_address=ip_address)


def withdraw_application(
    *, actor, application_id: int, reason: str, ip_address: str | None = None
) -> Application:
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Please give a reason for withdrawing."))
    now = timezone.now()

    def notify(application: Application) -> dict:
        # A withdrawn application leaves the process: no regulator clock runs for it any more.
        clock_fields = stop_clock(application)
        _notify_members(application, NotificationKind.APPLICATION_WITHDRAWN)
        return {"reason": reason, "_fields": clock_fields}

    move = Move(
        name="withdraw",
        permission="applications.withdraw_application",
        event=EventKind.APPLICATION_WITHDRAWN,
        changes={"withdrawn_at": now, "withdrawal_reason": reason},
        after=notify,
    )
    return apply_move(actor=actor, application_id=application_id, move=move, ip_address=ip_address)


def start_screening(*, actor, application_id: int, case_officer) -> Application:
    if not case_officer.is_regulator_staff or not case_officer.is_active:
        raise WorkflowError(
            _("The case officer must be an active member of the regulator's staff.")
        )
    move = Move(
        name="start_screening",
        permission="applications.start_screening_application",
        event=EventKind.SCREENING_STARTED,
        changes={"case_officer": case_officer},
    )
    return apply_move(actor=actor, application_id=application_id, move=move)


def _notify_members(application: Application, kind: NotificationKind) -> None:
    context = {
        "reference": application.reference,
        "title": application.title,
        "application_id": application.pk,
        "cohort": application.cohort.name,
        "programme": application.cohort.programme.name_en,
    }
    notify_members(application=application, kind=kind, context=context)
