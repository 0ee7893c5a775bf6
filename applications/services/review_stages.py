"""The regulator's stage moves (DESIGN.md §2): package complete, eligible, not eligible (proposed
by a reviewer, confirmed by an admin), evaluation complete. Each goes through
services/transitions.apply_move, which locks the row, checks permission and guard, and writes
one audit event; the stage clocks start and stop here (services/clocks.py)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState, ClockStage, EventKind
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import Application
from applications.services import clocks
from applications.services.audit import record_event
from applications.services.transitions import Move, apply_move

S = ApplicationState
PROPOSAL_FIELDS = ["not_eligible_reasons", "not_eligible_proposed_by", "not_eligible_proposed_at"]


def _start(stage: ClockStage):
    def start(application: Application) -> dict:
        return {"_fields": clocks.start_clock(application, stage)}

    return start


def accept_as_complete(*, actor, application_id: int, ip_address: str | None = None):
    """SCREENING → ELIGIBILITY: every mandatory document accepted, nothing open."""
    move = Move(
        name="accept_as_complete",
        permission="applications.accept_as_complete_application",
        event=EventKind.PACKAGE_COMPLETE,
        after=_start(ClockStage.ELIGIBILITY),
    )
    return apply_move(actor=actor, application_id=application_id, move=move, ip_address=ip_address)


def find_eligible(*, actor, application_id: int, ip_address: str | None = None):
    """ELIGIBILITY → EVALUATION."""
    move = Move(
        name="find_eligible",
        permission="applications.find_eligible_application",
        event=EventKind.FOUND_ELIGIBLE,
        after=_start(ClockStage.EVALUATION),
    )
    return apply_move(actor=actor, application_id=application_id, move=move, ip_address=ip_address)


def complete_evaluation(*, actor, application_id: int, ip_address: str | None = None):
    """EVALUATION → DECISION_PENDING, once enough reviews are submitted."""
    move = Move(
        name="complete_evaluation",
        permission="applications.complete_evaluation_application",
        event=EventKind.EVALUATION_COMPLETED,
        after=_start(ClockStage.DECISION),
    )
    return apply_move(actor=actor, application_id=application_id, move=move, ip_address=ip_address)


def confirm_not_eligible(*, actor, application_id: int, ip_address: str | None = None):
    """ELIGIBILITY → NOT_ELIGIBLE: an admin confirms someone else's proposal; the clock stops
    and the applicant sees the reasons."""

    def stop(application: Application) -> dict:
        if application.not_eligible_proposed_by_id == actor.pk:
            raise WorkflowError(
                _("Someone other than the person who proposed it must confirm it."),
                problems=[_("You proposed that this application is not eligible.")],
            )
        return {
            "reasons": application.not_eligible_reasons,
            "_fields": clocks.stop_clock(application),
        }

    move = Move(
        name="find_not_eligible",
        permission="applications.find_not_eligible_application",
        event=EventKind.NOT_ELIGIBLE_CONFIRMED,
        after=stop,
    )
    return apply_move(actor=actor, application_id=application_id, move=move, ip_address=ip_address)


def propose_not_eligible(
    *, actor, application_id: int, reasons: str, ip_address: str | None = None
) -> Application:
    """A reviewer or the case officer proposes, with reasons, that the application is not
    eligible; nothing moves until an admin confirms. Internal: the applicant does not see it."""
    reasons = reasons.strip()
    if not reasons:
        raise WorkflowError(_("Give the reasons the application is not eligible."))
    with transaction.atomic():
        application = _lock_in_eligibility(actor, application_id, "propose_not_eligible")
        if application.not_eligible_reasons:
            raise StaleState(
                _(
                    "Someone has already proposed that this application is not eligible; an admin must confirm or send back that proposal first."
                )
            )
        application.not_eligible_reasons = reasons
        application.not_eligible_proposed_by = actor
        application.not_eligible_proposed_at = timezone.now()
        application.save(update_fields=[*PROPOSAL_FIELDS, "updated_at"])
        record_event(
            kind=EventKind.NOT_ELIGIBLE_PROPOSED,
            actor=actor,
            application=application,
            data={"reasons": reasons},
            ip_address=ip_address,
        )
    return application


def send_back_not_eligible(
    *, actor, application_id: int, comment: str = "", ip_address: str | None = None
) -> Application:
    """An admin does not confirm the proposal: it is cleared and eligibility carries on."""
    with transaction.atomic():
        application = _lock_in_eligibility(actor, application_id, "find_not_eligible")
        if not application.not_eligible_reasons:
            raise StaleState(_("There is no proposal to send back. Reload the page."))
        reasons = application.not_eligible_reasons
        application.not_eligible_reasons = ""
        application.not_eligible_proposed_by = None
        application.not_eligible_proposed_at = None
        application.save(update_fields=[*PROPOSAL_FIELDS, "updated_at"])
        record_event(
            kind=EventKind.NOT_ELIGIBLE_REJECTED,
            actor=actor,
            application=application,
            data={"reasons": reasons, "comment": comment.strip()},
            ip_address=ip_address,
        )
    return application


def _lock_in_eligibility(actor, application_id: int, action: str) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "organisation")
        .get(pk=application_id)
    )
    if not actor.has_perm(f"applications.{action}_application", application):
        raise NotAllowed(_("You are not allowed to do this."))
    if application.state != S.ELIGIBILITY:
        raise StaleState(
            _(
                "This application is now “%(state)s”, so this can no longer be done. Reload the page to see its current state."
            )
            % {"state": application.get_state_display()}
        )
    return application
