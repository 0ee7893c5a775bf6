"""The one choke point every lifecycle move goes through (DESIGN.md §2, CONVENTIONS.md).

Inside one transaction: lock the row, check permission and guard, move, save, write one audit
event, and queue notifications (sent after commit). Two people racing on the same application:
the second waits for the lock, then finds the state moved on and gets a StaleState error.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from applications import conditions
from applications.enums import EventKind
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import Application
from applications.services import stage_history
from applications.services.audit import record_event


@dataclass
class Move:
    """What one service asks of the choke point."""

    name: str  # the @transition method on Application
    permission: str
    event: EventKind
    changes: dict = field(default_factory=dict)  # fields set under the lock, before the guard runs
    after: Callable[[Application], dict] | None = (
        None  # more writes after the move; returns event data
    )
    applicant_visible: bool = True
    # A move the portal makes by itself (a scheduled task): no actor, so no permission to ask;
    # the event records no actor. Only services called from tasks set this.
    by_system: bool = False


def apply_move(
    *, actor, application_id: int, move: Move, ip_address: str | None = None
) -> Application:
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cohort__programme", "organisation")
            .get(pk=application_id)
        )
        if move.by_system:
            if actor is not None:
                raise ValueError("A move made by the system takes no actor.")
        elif not actor.has_perm(move.permission, application):
            raise NotAllowed(_("You are not allowed to do this."))
        method = getattr(application, move.name)
        if not can_proceed(method, check_conditions=False):
            raise StaleState(
                _(
                    "This application is now “%(state)s”, so this can no longer be done. Reload the page to see its current state."
                )
                % {"state": application.get_state_display()}
            )
        for name, value in move.changes.items():
            setattr(application, name, value)
        if not can_proceed(method):
            raise WorkflowError(
                _("This cannot be done yet."), problems=_guard_problems(move.name, application)
            )
        before, clock = application.state, stage_history.RunningClock.of(application)
        method()
        data = move.after(application) if move.after else {}
        fields = data.pop("_fields", [])
        application.save(update_fields=["state", "updated_at", *move.changes, *fields])
        # The dashboard's history (services/stage_history.py): the stay that ends now, and the
        # running clock if the move started another one or stopped it (clocks.start_clock and
        # stop_clock set `clock_stage`; pausing and resuming do not).
        stage_history.record_move(
            application,
            left=before,
            clock=clock if "clock_stage" in fields else None,
            on=timezone.localdate(),
        )
        record_event(
            kind=move.event,
            actor=actor,
            application=application,
            data={"from": before, "to": application.state, **data},
            applicant_visible=move.applicant_visible,
            ip_address=ip_address,
        )
    return application


def _guard_problems(move_name: str, application: Application) -> list[str]:
    if move_name == "submit":
        return conditions.submission_problems(application)
    if move_name == "start_screening":
        return [_("A case officer must be assigned first.")]
    if move_name == "accept_as_complete":
        return conditions.package_problems(application)
    if move_name == "find_eligible":
        return conditions.open_rfi_problems(application)
    if move_name == "find_not_eligible":
        return conditions.not_eligible_problems(application)
    if move_name == "complete_evaluation":
        return conditions.evaluation_problems(application)
    if move_name in ("start_onboarding", "decline_offer"):
        return [_("The decision has not been released to the applicant yet.")]
    if move_name == "start_testing":
        return conditions.onboarding_problems(application) or [
            _("The onboarding checklist is empty.")
        ]
    if move_name in ("graduate", "close_exit"):
        return [_("The final report must be filed and accepted first.")]
    return []
