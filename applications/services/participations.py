"""Testing supervision (DESIGN.md §2, §3): onboarding, testing, suspension, termination, exit.

Every state move goes through the choke point (services/transitions.apply_move); the
participation's own fields are written in the move's `after`, inside the same transaction.
"""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.enums import (
    ApplicationState,
    EventKind,
    ExitRoute,
    NotificationKind,
    OnboardingItem,
    ReportKind,
)
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import (
    Application,
    Document,
    OnboardingCondition,
    Participation,
    Report,
)
from applications.queries import working_calendar
from applications.services.audit import record_event
from applications.services.notifications import notify_members
from applications.services.transitions import Move, apply_move

S = ApplicationState
# The standard pre-commencement conditions, before the decision's own conditions.
STANDARD_CONDITIONS = (
    (OnboardingItem.AGREEMENT, OnboardingItem.AGREEMENT.label),
    (OnboardingItem.DISCLOSURE, OnboardingItem.DISCLOSURE.label),
    (OnboardingItem.AML, OnboardingItem.AML.label),
    (OnboardingItem.KEY_APPOINTMENTS, OnboardingItem.KEY_APPOINTMENTS.label),
)
FINAL_REPORT_WORKING_DAYS = 15
EXIT_ROUTES = [route for route in ExitRoute.values if route != ExitRoute.TERMINATED]


def start_onboarding(*, actor, application_id: int) -> Application:
    """APPROVED → ONBOARDING, once the decision was released; writes the checklist."""

    def checklist(application: Application) -> dict:
        participation = application.participation
        rows = [
            OnboardingCondition(participation=participation, kind=kind, text=str(text), position=i)
            for i, (kind, text) in enumerate(STANDARD_CONDITIONS)
        ]
        rows += [
            OnboardingCondition(
                participation=participation,
                kind=OnboardingItem.DECISION_CONDITION,
                text=line,
                position=len(STANDARD_CONDITIONS) + i,
            )
            for i, line in enumerate(participation.decision.condition_lines)
        ]
        OnboardingCondition.objects.bulk_create(rows)
        return {"conditions": len(rows)}

    move = Move(
        name="start_onboarding",
        permission="applications.supervise_application",
        event=EventKind.ONBOARDING_STARTED,
        after=checklist,
    )
    return apply_move(actor=actor, application_id=application_id, move=move)


def confirm_condition(
    *, actor, condition_id: int, evidence_note: str, evidence_document_id: int | None = None
) -> OnboardingCondition:
    """An admin records that one pre-commencement condition is met, and on what evidence."""
    evidence_note = evidence_note.strip()
    if not evidence_note and evidence_document_id is None:
        raise WorkflowError(_("Record the evidence: a note, a document, or both."))
    with transaction.atomic():
        condition = (
            OnboardingCondition.objects.select_for_update(of=("self",))
            .select_related("participation__application__organisation")
            .get(pk=condition_id)
        )
        application = condition.participation.application
        if not actor.has_perm("applications.supervise_application", application):
            raise NotAllowed(_("You are not allowed to do this."))
        if application.state != S.ONBOARDING or condition.met_at is not None:
            raise StaleState(_("This condition can no longer be confirmed. Reload the page."))
        if (
            evidence_document_id is not None
            and not Document.objects.filter(
                pk=evidence_document_id, application=application
            ).exists()
        ):
            raise WorkflowError(_("The supporting document must be one of this application's."))
        condition.met_at, condition.met_by = timezone.now(), actor
        condition.evidence_note = evidence_note
        condition.evidence_document_id = evidence_document_id
        condition.save(update_fields=["met_at", "met_by", "evidence_note", "evidence_document"])
        record_event(
            kind=EventKind.CONDITION_MET,
            actor=actor,
            application=application,
            subject=f"onboarding_condition:{condition.pk}",
            data={"condition": condition.kind, "text": condition.text},
            applicant_visible=True,
        )
    return condition


def start_testing(*, actor, application_id: int) -> Application:
    """ONBOARDING → TESTING when every condition is met; writes the whole reporting schedule."""
    from applications.services.reports import schedule_reports

    def begin(application: Application) -> dict:
        participation = application.participation
        participation.testing_started_at = timezone.now()
        participation.save(update_fields=["testing_started_at"])
        created = schedule_reports(participation)
        return {"reports_scheduled": created}

    move = Move(
        name="start_testing",
        permission="applications.supervise_application",
        event=EventKind.TESTING_STARTED,
        after=begin,
    )
    return apply_move(actor=actor, application_id=application_id, move=move)


def suspend_testing(*, actor, application_id: int, reason: str) -> Application:
    reason = _required(reason, _("Give the reason for the suspension."))
    return _move_with_reason(actor, application_id, "suspend", EventKind.TESTING_SUSPENDED, reason)


def reinstate_testing(*, actor, application_id: int, reason: str) -> Application:
    reason = _required(reason, _("Give the reason for reinstating the test."))
    return _move_with_reason(
        actor, application_id, "reinstate", EventKind.TESTING_REINSTATED, reason
    )


def terminate_participation(*, actor, application_id: int, reason: str) -> Application:
    reason = _required(reason, _("Give the reason for the termination."))
    return _move_with_reason(
        actor, application_id, "terminate", EventKind.PARTICIPATION_TERMINATED, reason
    )


def _move_with_reason(actor, application_id, name, event, reason) -> Application:
    def record(application: Application) -> dict:
        participation = application.participation
        if name == "suspend":
            participation.suspension_reason = reason
        elif name == "reinstate":
            participation.suspension_reason = ""
        else:
            participation.termination_reason = reason
            participation.exit_route = ExitRoute.TERMINATED
            participation.exit_trigger = reason
            participation.exited_at = timezone.now()
        participation.save(
            update_fields=[
                "suspension_reason",
                "termination_reason",
                "exit_route",
                "exit_trigger",
                "exited_at",
            ]
        )
        return {"reason": reason}

    move = Move(
        name=name, permission="applications.supervise_application", event=event, after=record
    )
    return apply_move(actor=actor, application_id=application_id, move=move)


def start_exit(*, actor, application_id: int, route: str, trigger: str) -> Application:
    """TESTING/SUSPENDED → EXITING: the route and what triggered it; a final report falls due."""
    if route not in EXIT_ROUTES:
        raise WorkflowError(_("Choose the exit route."))
    trigger = _required(trigger, _("Say what triggered the exit."))

    def record(application: Application) -> dict:
        participation = application.participation
        participation.exit_route, participation.exit_trigger = route, trigger
        participation.save(update_fields=["exit_route", "exit_trigger"])
        report = _final_report_due(participation)
        return {"route": route, "trigger": trigger, "final_report_due": report.due_on.isoformat()}

    move = Move(
        name="start_exit",
        permission="applications.supervise_application",
        event=EventKind.EXIT_STARTED,
        after=record,
    )
    return apply_move(actor=actor, application_id=application_id, move=move)


def complete_exit(*, actor, application_id: int, route: str = "") -> Application:
    """EXITING → GRADUATED (route: graduated to a full licence) or EXITED (any other route),
    once the final report was accepted.

    An exit the portal started by itself at the end of the test period has no route yet: the
    admin closing it chooses one then, so a firm that earned its licence can still graduate.
    """
    recorded = (
        Participation.objects.filter(application_id=application_id)
        .values_list("exit_route", flat=True)
        .first()
    )
    if not recorded and route not in EXIT_ROUTES:
        raise WorkflowError(_("Choose the exit route."))
    route = recorded or route
    graduated = route == ExitRoute.GRADUATED

    def record(application: Application) -> dict:
        participation = application.participation
        participation.exit_route = route
        participation.exited_at = timezone.now()
        participation.save(update_fields=["exit_route", "exited_at"])
        return {"route": participation.exit_route}

    move = Move(
        name="graduate" if graduated else "close_exit",
        permission="applications.supervise_application",
        event=EventKind.PARTICIPANT_GRADUATED if graduated else EventKind.PARTICIPANT_EXITED,
        after=record,
    )
    return apply_move(actor=actor, application_id=application_id, move=move)


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise WorkflowError(message)
    return text


def _final_report_due(participation: Participation) -> Report:
    """The final report, due FINAL_REPORT_WORKING_DAYS working days after the exit starts."""
    due_on = working_calendar().add_working_days(timezone.localdate(), FINAL_REPORT_WORKING_DAYS)
    return Report.objects.create(participation=participation, kind=ReportKind.FINAL, due_on=due_on)


def start_exits_at_test_end(*, today: date | None = None) -> list[int]:
    """TESTING → EXITING for every test whose last day (`ends_on`, moved on by any approved
    extension) is before `today`; the final report falls due and the participant's members are
    asked for it. Returns the ids of the applications moved.

    Called by a periodic task (portal/beat.py). Safe to run twice or on two workers at once: each
    application is locked with SKIP LOCKED (one a worker holds is left to that worker) and checked
    again under the lock, so a test already moved is never moved, reported or announced twice.
    A suspended test is left to the admins handling the suspension.
    """
    today = today or timezone.localdate()
    candidates = list(
        Application.objects.filter(state=S.TESTING, participation__ends_on__lt=today)
        .order_by("participation__ends_on", "pk")
        .values_list("pk", flat=True)
    )
    moved = []
    for application_id in candidates:
        with transaction.atomic():
            locked = (
                Application.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=application_id, state=S.TESTING, participation__ends_on__lt=today)
                .only("pk")
                .first()
            )
            if locked is None:  # moved already, or another worker has it
                continue
            apply_move(actor=None, application_id=application_id, move=_test_end_move())
        moved.append(application_id)
    return moved


def _test_end_move() -> Move:
    def record(application: Application) -> dict:
        participation = application.participation
        ended = participation.ends_on
        participation.exit_trigger = _("The test period ended on %(date)s.") % {
            "date": date_format(ended)
        }
        participation.save(update_fields=["exit_trigger"])
        report = _final_report_due(participation)
        _ask_for_final_report(application, report)
        return {
            "automatic": True,
            "ends_on": ended.isoformat(),
            "final_report_due": report.due_on.isoformat(),
        }

    return Move(
        name="start_exit",
        permission="",
        event=EventKind.EXIT_STARTED,
        after=record,
        by_system=True,
    )


def _ask_for_final_report(application: Application, report: Report) -> None:
    context = {
        "reference": application.reference,
        "title": application.title,
        "report": str(report.get_kind_display()),
        "due_on": report.due_on.isoformat(),
        "url": reverse("participations:detail", args=[application.pk]),
    }
    notify_members(application=application, kind=NotificationKind.REPORT_DUE, context=context)
